import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import LedgerEvent
from outbox.models import OutgoingMail
from roles.models import JournalistProfile
from tests.factories import JournalistProfileFactory, PressAgencyFactory


@pytest.fixture
def agency(db):
    return PressAgencyFactory(name="Báo Tuổi Trẻ")


def _form(agency, **kw):
    data = {
        "username": "phongvien.moi",
        "full_name": "Ngô Thị Lan",
        "email": "lan@tuoitre.example.vn",
        "phone": "0909 123 456",
        "press_agency": agency.pk,
        "press_card_number": "tt-0042",
        "card_expiry": (timezone.localdate() + timedelta(days=400)).isoformat(),
        "password1": "Mat-khau-rat-dai-2026",
        "password2": "Mat-khau-rat-dai-2026",
    }
    data.update(kw)
    return data


def test_registration_sends_a_confirmation_and_activates_on_click(
    client, agency, django_capture_on_commit_callbacks
):
    # The request only queues the mail; the worker (eager here) sends it once the account commits.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post("/nha-bao/dang-ky/", _form(agency))
    assert r.status_code == 302
    assert not mail.outbox and OutgoingMail.objects.get().status == "queued"
    for callback in callbacks:
        callback()
    assert OutgoingMail.objects.get().status == "sent"
    profile = JournalistProfile.objects.get(press_card_number="TT-0042")
    assert profile.status == "pending" and not profile.user.is_active
    assert profile.user.first_name == "Ngô Thị" and profile.user.last_name == "Lan"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lan@tuoitre.example.vn"]
    link = re.search(r"http://testserver(/nha-bao/xac-nhan/\S+/)", mail.outbox[0].body).group(1)

    r = client.get(link)
    assert r.status_code == 200 and "Đã xác nhận thư điện tử" in r.content.decode()
    profile.refresh_from_db()
    assert profile.user.is_active and profile.email_confirmed_at is not None
    assert LedgerEvent.objects.filter(action="journalist.confirm_email").count() == 1
    # The link works once: the token depends on the account's state.
    assert client.get(link).status_code in (200, 400)

    # Through the login page: authentication needs the request (login limits, django-axes).
    r = client.post(
        "/dang-nhap/", {"username": "phongvien.moi", "password": "Mat-khau-rat-dai-2026"}
    )
    assert r.status_code == 302
    assert "Chờ xác minh" in client.get("/").content.decode()


def test_a_tampered_link_is_refused(client, agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/nha-bao/dang-ky/", _form(agency))
    link = re.search(r"http://testserver(/nha-bao/xac-nhan/\S+/)", mail.outbox[0].body).group(1)
    r = client.get(link[:-3] + "xx/")
    assert r.status_code == 400
    assert not JournalistProfile.objects.get().user.is_active
    assert client.get("/nha-bao/xac-nhan/!!!/abc/").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("card_expiry", "2020-01-01", "Thẻ nhà báo đã hết hạn"),
        ("card_expiry", "không-phải-ngày", "Nhập một ngày hợp lệ"),
        ("press_card_number", "<script>", "Số thẻ nhà báo chỉ gồm"),
        ("email", "khong-phai-email", "địa chỉ email"),
        ("press_agency", "999999", "Hãy chọn một lựa chọn hợp lệ"),
        ("password2", "khac", "không giống nhau"),
        ("full_name", "", "Trường này là bắt buộc"),
        ("phone", "abc", "Số điện thoại chỉ gồm"),
    ],
)
def test_bad_input_gets_a_vietnamese_message_and_keeps_the_rest(
    client, agency, field, value, message
):
    r = client.post("/nha-bao/dang-ky/", _form(agency, **{field: value}))
    assert r.status_code == 400
    html = r.content.decode()
    assert message in html
    assert 'value="lan@tuoitre.example.vn"' in html or field == "email"
    assert not JournalistProfile.objects.exists()
    assert not mail.outbox and not OutgoingMail.objects.exists()


def test_duplicate_card_or_email_is_refused(client, agency):
    JournalistProfileFactory(press_card_number="TT-0042")
    r = client.post("/nha-bao/dang-ky/", _form(agency))
    assert r.status_code == 400 and "Số thẻ nhà báo này đã được đăng ký" in r.content.decode()
    JournalistProfileFactory(user__email="trung@example.vn")
    r = client.post(
        "/nha-bao/dang-ky/", _form(agency, press_card_number="TT-9", email="TRUNG@example.vn")
    )
    assert "Thư điện tử này đã được dùng" in r.content.decode()


def test_the_form_is_in_vietnamese(client, agency):
    html = client.get("/nha-bao/dang-ky/").content.decode()
    for label in ("Họ và tên", "Cơ quan báo chí", "Số thẻ nhà báo", "Ngày hết hạn thẻ"):
        assert label in html
