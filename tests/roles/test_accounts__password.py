"""Own passwords: a signed-in user changes theirs; anyone resets a forgotten one by e-mail.

Every change is in the ledger, never the password itself.
"""

import re

import pytest
from django.test import override_settings

from audit.models import LedgerEvent
from tests.factories import PASSWORD, password_login

NEW_PASSWORD = "Mat-khau-moi-2025!"  # noqa: S105

pytestmark = pytest.mark.django_db


def _ledger_text() -> str:
    return " ".join(f"{e.before} {e.after}" for e in LedgerEvent.objects.all())


# ---------------------------------------------------------------- change (signed in)


def test_password_change_page_sends_anonymous_visitors_to_login(client):
    response = client.get("/doi-mat-khau/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=/doi-mat-khau/")


def test_wrong_old_password_is_refused_in_vietnamese(client, journalist):
    client.force_login(journalist)
    response = client.post(
        "/doi-mat-khau/",
        {
            "old_password": "sai-mat-khau",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    journalist.refresh_from_db()
    assert journalist.check_password(PASSWORD)
    assert not LedgerEvent.objects.filter(action="auth.password_change").exists()


def test_user_changes_own_password_and_logs_in_with_the_new_one(client, journalist):
    client.force_login(journalist)
    page = client.get("/doi-mat-khau/")
    assert "Đổi mật khẩu" in page.content.decode()
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/doi-mat-khau/xong/"
    assert "Đã đổi mật khẩu" in client.get("/doi-mat-khau/xong/").content.decode()

    event = LedgerEvent.objects.get(action="auth.password_change")
    assert event.actor == journalist
    assert event.target_id == str(journalist.pk)
    assert NEW_PASSWORD not in _ledger_text() and PASSWORD not in _ledger_text()

    client.logout()
    assert not password_login(client, journalist.username, PASSWORD)
    assert password_login(client, journalist.username, NEW_PASSWORD)


def test_user_menus_link_to_password_change(client, journalist, head):
    client.force_login(journalist)
    assert 'href="/doi-mat-khau/"' in client.get("/").content.decode()
    client.force_login(head)
    assert 'href="/doi-mat-khau/"' in client.get("/workspace/cases/pages/").content.decode()


# ---------------------------------------------------------------- reset (anonymous, by e-mail)


def test_anonymous_visitors_reach_the_reset_pages(client):
    login_page = client.get("/dang-nhap/").content.decode()
    assert 'href="/quen-mat-khau/"' in login_page
    assert "Quên mật khẩu?" in login_page
    for url in ("/quen-mat-khau/", "/quen-mat-khau/da-gui/", "/quen-mat-khau/xong/"):
        response = client.get(url)
        assert response.status_code == 200, url
    # A broken link says so, in Vietnamese, instead of a login redirect or an error.
    response = client.get("/quen-mat-khau/MQ/khong-hop-le/")
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client, journalist, mailoutbox
):
    from outbox.models import OutgoingMail

    known = client.post("/quen-mat-khau/", {"email": journalist.email})
    assert OutgoingMail.objects.count() == 1
    unknown = client.post("/quen-mat-khau/", {"email": "khong-co-ai@example.vn"})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == "/quen-mat-khau/da-gui/"
    assert OutgoingMail.objects.count() == 1
    assert mailoutbox == []
    assert LedgerEvent.objects.filter(action="auth.password_reset_request").count() == 1


@override_settings(SITE_URL="https://phatngon.example.gov.vn")
def test_reset_by_email_end_to_end(
    client, journalist, mailoutbox, django_capture_on_commit_callbacks
):
    from outbox.models import OutgoingMail

    with django_capture_on_commit_callbacks() as after_commit:
        response = client.post(
            "/quen-mat-khau/", {"email": journalist.email}, HTTP_HOST="localhost"
        )
    assert response.status_code == 302
    # The request only queued the mail (no web request sends e-mail); the worker sends it.
    assert mailoutbox == []
    assert OutgoingMail.objects.get().to == [journalist.email]
    for callback in after_commit:
        callback()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [journalist.email]
    assert mail.subject == "Đặt lại mật khẩu phatngon"
    assert journalist.username in mail.body
    # The link is built from SITE_URL, not from the request's Host header.
    link = re.search(r"https://phatngon\.example\.gov\.vn(/quen-mat-khau/\S+/)", mail.body)
    assert link, mail.body
    requested = LedgerEvent.objects.get(action="auth.password_reset_request")
    assert requested.actor is None
    assert requested.target_id == str(journalist.pk)

    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/quen-mat-khau/xong/"

    completed = LedgerEvent.objects.get(action="auth.password_reset")
    assert completed.actor == journalist
    assert completed.target_id == str(journalist.pk)
    assert NEW_PASSWORD not in _ledger_text() and PASSWORD not in _ledger_text()

    assert password_login(client, journalist.username, NEW_PASSWORD)
    assert not password_login(client, journalist.username, PASSWORD)
    # The link works once.
    client.logout()
    assert not client.get(link.group(1), follow=True).context["validlink"]


def test_reset_pages_speak_english_too(client):
    client.cookies["django_language"] = "en"
    assert "Forgotten your password?" in client.get("/dang-nhap/").content.decode()
    assert "Send the link" in client.get("/quen-mat-khau/").content.decode()
