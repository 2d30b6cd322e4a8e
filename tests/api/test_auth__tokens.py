"""API tokens (security review M2, L5): hashed, shown once, expiring, revocable, ledgered."""

import hashlib
import io
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from api.models import ApiToken
from audit.models import LedgerEvent
from tests.api.conftest import assert_error
from tests.factories import UserFactory

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"


def _login(anon, user, password):
    r = anon.post(TOKEN, {"username": user.username, "password": password}, format="json")
    assert r.status_code == 200, r.content
    return r.json()


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _ledger_text() -> str:
    return " ".join(f"{e.target_id} {e.before} {e.after}" for e in LedgerEvent.objects.all())


@pytest.fixture
def admin_user(db, password):
    return UserFactory(username="quantri", is_staff=True, is_superuser=True)


# ---------------------------------------------------------------- issuing


def test_the_key_is_shown_once_and_only_its_digest_is_stored(anon, journalist, password):
    body = _login(anon, journalist, password)
    key = body["token"]
    assert set(body) == {"token", "expires_at"}
    [row] = ApiToken.objects.filter(user=journalist).values()
    assert row["digest"] == hashlib.sha512(key.encode()).hexdigest()
    assert key not in " ".join(str(v) for v in row.values())
    # The key is never shown again: not in the list, not on the ledger.
    listed = _client(key).get(TOKENS).json()["results"]
    assert key not in str(listed) and row["digest"] not in str(listed)
    assert listed[0]["prefix"] == key[:8] and listed[0]["current"] is True
    event = LedgerEvent.objects.get(action="auth.token_create")
    assert event.actor_username == "journalist1" and event.target_id == str(row["id"])
    assert key not in _ledger_text() and row["digest"] not in _ledger_text()


def test_each_login_issues_a_new_token(anon, journalist, password):
    first = _login(anon, journalist, password)["token"]
    second = _login(anon, journalist, password)["token"]
    assert first != second
    assert _client(first).get("/api/v1/me/").status_code == 200
    assert _client(second).get("/api/v1/me/").status_code == 200
    assert LedgerEvent.objects.filter(action="auth.token_create").count() == 2


def test_tokens_expire(anon, journalist, password):
    body = _login(anon, journalist, password)
    expires_at = parse_datetime(body["expires_at"])
    assert abs(expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    client = _client(body["token"])
    with time_machine.travel(expires_at - timedelta(minutes=1)):
        assert client.get("/api/v1/me/").status_code == 200
    with time_machine.travel(expires_at + timedelta(seconds=1)):
        assert_error(client.get("/api/v1/me/"), 401, "not_authenticated")


@override_settings(API_TOKEN_TTL_DAYS=2)
def test_the_lifetime_is_a_setting(anon, journalist, password):
    expires_at = parse_datetime(_login(anon, journalist, password)["expires_at"])
    assert abs(expires_at - (timezone.now() + timedelta(days=2))) < timedelta(minutes=1)


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token é", "Token " + "0" * 400])
def test_garbled_tokens_are_401_not_500(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    body = assert_error(client.get("/api/v1/me/"), 401, "not_authenticated")
    assert body["message"] == "Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi."
    en = assert_error(
        client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en"), 401, "not_authenticated"
    )
    assert en["message"] == "Invalid, expired or revoked token."


# ---------------------------------------------------------------- password changes


def test_changing_the_password_revokes_every_token(anon, journalist, password):
    keys = [_login(anon, journalist, password)["token"] for _ in range(2)]
    journalist.set_password("mật-khẩu-mới-2027")
    journalist.save()
    for key in keys:
        assert_error(_client(key).get("/api/v1/me/"), 401, "not_authenticated")
    event = LedgerEvent.objects.get(action="auth.token_revoke")
    assert "password_change" in str(event.before) and event.target_id == str(journalist.pk)


def test_the_admin_password_form_revokes_tokens(anon, journalist, password, admin_user, client):
    key = _login(anon, journalist, password)["token"]
    client.force_login(admin_user)
    new = "Mat-khau-moi-2027!"
    r = client.post(
        f"/quan-tri/auth/user/{journalist.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert r.status_code == 302, r.content[:2000]
    assert_error(_client(key).get("/api/v1/me/"), 401, "not_authenticated")
    assert LedgerEvent.objects.filter(action="auth.token_revoke").exists()


def test_the_changepassword_command_revokes_tokens(anon, journalist, password):
    key = _login(anon, journalist, password)["token"]
    with mock.patch("getpass.getpass", return_value="Mat-khau-moi-2027!"):
        call_command("changepassword", "journalist1", stdout=io.StringIO())
    assert_error(_client(key).get("/api/v1/me/"), 401, "not_authenticated")


def test_a_hash_saved_directly_revokes_tokens(anon, journalist, password):
    key = _login(anon, journalist, password)["token"]
    journalist.password = make_password("khac")
    journalist.save(update_fields=["password"])
    assert_error(_client(key).get("/api/v1/me/"), 401, "not_authenticated")


def test_saving_without_a_new_password_keeps_tokens(anon, journalist, password):
    key = _login(anon, journalist, password)["token"]
    journalist.first_name = "Lan"
    journalist.save()
    journalist.save(update_fields=["last_login"])
    assert _client(key).get("/api/v1/me/").status_code == 200
    assert not LedgerEvent.objects.filter(action="auth.token_revoke").exists()


def test_a_password_hash_upgrade_is_not_a_change(anon, journalist, password):
    key = _login(anon, journalist, password)["token"]
    hashers = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    with override_settings(PASSWORD_HASHERS=hashers):
        assert journalist.check_password(password)  # re-hashed with PBKDF2 and saved
    journalist.refresh_from_db()
    assert journalist.password.startswith("pbkdf2_")
    assert _client(key).get("/api/v1/me/").status_code == 200


# ---------------------------------------------------------------- listing and revoking


def test_list_and_revoke_one_of_ones_own_tokens(anon, journalist, password):
    first = _login(anon, journalist, password)["token"]
    second = _login(anon, journalist, password)["token"]
    client = _client(second)
    listed = client.get(TOKENS).json()
    assert listed["count"] == 2
    assert {tuple(sorted(t)) for t in listed["results"]} == {
        ("created", "current", "expires_at", "id", "prefix")
    }
    old = next(t for t in listed["results"] if not t["current"])
    assert old["prefix"] == first[:8]
    assert client.delete(f"{TOKENS}{old['id']}/").status_code == 204
    assert_error(_client(first).get("/api/v1/me/"), 401, "not_authenticated")
    assert client.get(TOKENS).json()["count"] == 1
    event = LedgerEvent.objects.get(action="auth.token_revoke")
    assert event.actor_username == "journalist1" and event.target_id == str(old["id"])
    assert first not in _ledger_text()


def test_revoke_all_of_ones_own_tokens(anon, journalist, other_journalist, password):
    keys = [_login(anon, journalist, password)["token"] for _ in range(3)]
    theirs = _login(anon, other_journalist, password)["token"]
    assert _client(keys[0]).delete(TOKENS).status_code == 204
    for key in keys:
        assert_error(_client(key).get("/api/v1/me/"), 401, "not_authenticated")
    assert _client(theirs).get("/api/v1/me/").status_code == 200
    assert LedgerEvent.objects.filter(action="auth.token_revoke").count() == 1


def test_revoking_the_current_token_is_ledgered(anon, journalist, password):
    key = _login(anon, journalist, password)["token"]
    assert _client(key).delete(TOKEN).status_code == 204
    assert_error(_client(key).get("/api/v1/me/"), 401, "not_authenticated")
    event = LedgerEvent.objects.get(action="auth.token_revoke")
    assert event.actor_username == "journalist1"


def test_cannot_see_or_revoke_another_users_token(anon, journalist, other_journalist, password):
    mine = _login(anon, journalist, password)["token"]
    theirs = _login(anon, other_journalist, password)["token"]
    their_id = ApiToken.objects.get(user=other_journalist).pk
    client = _client(mine)
    assert [t["id"] for t in client.get(TOKENS).json()["results"]] != [their_id]
    assert_error(client.delete(f"{TOKENS}{their_id}/"), 404, "not_found")
    assert_error(client.delete(f"{TOKENS}{10**30}/"), 404, "not_found")
    assert_error(client.delete(f"{TOKENS}abc/"), 404, "not_found")
    assert _client(theirs).get("/api/v1/me/").status_code == 200
    assert not LedgerEvent.objects.filter(action="auth.token_revoke").exists()


def test_anonymous_cannot_list_or_revoke(anon, journalist, password):
    _login(anon, journalist, password)
    token_id = ApiToken.objects.get().pk
    assert_error(anon.get(TOKENS), 401, "not_authenticated")
    assert_error(anon.delete(TOKENS), 401, "not_authenticated")
    assert_error(anon.delete(f"{TOKENS}{token_id}/"), 401, "not_authenticated")
    assert_error(anon.delete(TOKEN), 401, "not_authenticated")
    assert ApiToken.objects.count() == 1


@override_settings(API_LOGIN_RATE="2/minute")
def test_revoking_does_not_share_the_login_throttle(anon, journalist, password):
    key = _login(anon, journalist, password)["token"]
    anon.post(TOKEN, {"username": "journalist1", "password": "sai"}, format="json")
    assert_error(
        anon.post(TOKEN, {"username": "journalist1", "password": password}, format="json"),
        429,
        "throttled",
    )
    client = _client(key)
    assert client.get(TOKENS).status_code == 200
    assert client.delete(TOKEN).status_code == 204


# ---------------------------------------------------------------- admin


def test_the_admin_shows_no_key_and_revocation_there_is_ledgered(
    anon, journalist, password, admin_user, client
):
    key = _login(anon, journalist, password)["token"]
    token = ApiToken.objects.get()
    client.force_login(admin_user)
    assert client.get("/quan-tri/authtoken/tokenproxy/").status_code == 404
    assert client.get("/quan-tri/knox/authtoken/").status_code == 404
    page = client.get("/quan-tri/api/apitoken/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "journalist1" in content and key not in content and token.digest not in content
    detail = client.get(f"/quan-tri/api/apitoken/{token.pk}/change/").content.decode()
    assert key not in detail and token.digest not in detail
    assert client.get("/quan-tri/api/apitoken/add/").status_code == 403
    r = client.post(f"/quan-tri/api/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert_error(_client(key).get("/api/v1/me/"), 401, "not_authenticated")
    event = LedgerEvent.objects.get(action="auth.token_revoke")
    assert event.actor_username == "quantri" and "admin" in str(event.before)
