"""Each persona lands on their own start page after login, and sees only their own links."""

import pytest

from tests.factories import UserFactory, password_login


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("journalist", "/nha-bao/ho-so/"),
        ("registry_officer", "/workspace/work/"),
        ("specialist", "/workspace/work/"),
        ("spokesperson", "/workspace/work/"),
        ("head", "/workspace/work/"),
        ("deputy_head", "/workspace/work/"),
        ("inspector", "/workspace/inspection/"),
    ],
)
def test_login_lands_each_persona_on_their_start_page(client, request, password, persona, landing):
    user = request.getfixturevalue(persona)
    assert password_login(client, user.username, password)
    r = client.get("/bat-dau/")
    assert r.status_code == 302 and r["Location"] == landing
    assert client.get(landing, follow=True).status_code == 200


def test_the_login_form_sends_to_the_start_page(client, journalist, password):
    r = client.post("/dang-nhap/", {"username": journalist.username, "password": password})
    assert r.status_code == 302 and r["Location"] == "/bat-dau/"


def test_a_next_parameter_still_wins(client, journalist, password):
    r = client.post(
        "/dang-nhap/?next=/tin-bao-chi/",
        {"username": journalist.username, "password": password, "next": "/tin-bao-chi/"},
    )
    assert r["Location"] == "/tin-bao-chi/"


def test_a_user_without_role_lands_on_the_home_page(client, db, password):
    user = UserFactory(username="khach")
    assert password_login(client, user.username, password)
    assert client.get("/bat-dau/")["Location"] == "/"


def test_the_start_page_asks_anonymous_visitors_to_log_in(client, db):
    r = client.get("/bat-dau/")
    assert r.status_code == 302 and r["Location"].startswith("/dang-nhap/")


def test_journalist_menu_shows_their_cases_and_no_staff_links(login, journalist):
    html = login(journalist).get("/").content.decode()
    assert 'href="/nha-bao/ho-so/"' in html and "Hồ sơ của tôi" in html
    assert 'href="/nha-bao/ho-so/gui/"' in html and "Gửi câu hỏi" in html
    assert "/workspace/" not in html
    assert "Nhà báo đăng ký tài khoản" not in html


def test_staff_menu_shows_the_workspace_and_no_journalist_links(login, registry_officer):
    html = login(registry_officer).get("/").content.decode()
    assert 'href="/workspace/"' in html
    assert "/nha-bao/ho-so/" not in html


def test_inspector_menu_leads_to_the_inspection_pages(login, inspector):
    html = login(inspector).get("/").content.decode()
    assert 'href="/workspace/inspection/"' in html


def test_public_menu_offers_registration_and_login(client, db):
    html = client.get("/").content.decode()
    assert "/dang-nhap/" in html and "/nha-bao/dang-ky/" in html
    assert "/nha-bao/ho-so/" not in html and "/workspace/" not in html


def test_favicon_is_served(client, db):
    r = client.get("/favicon.ico")
    assert r.status_code == 301
    assert r["Location"].endswith("favicon.svg")


def test_a_journalist_refused_by_the_workspace_is_offered_their_start_page(login, journalist):
    r = login(journalist).get("/workspace/inspection/")
    assert r.status_code == 403
    assert 'href="/bat-dau/"' in r.content.decode()
