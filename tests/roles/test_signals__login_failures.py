"""Failed logins reach the ledger aggregated (security review M3): anyone can send wrong
passwords, so per username and window there is one `auth.login_failed` and at most one
`auth.lockout`; django-axes counts the rest. The password is never stored."""

from datetime import timedelta

import time_machine
from axes.models import AccessAttempt
from django.utils import timezone

from audit.models import LedgerEvent
from audit.services import verify_chain

URL = "/dang-nhap/"
ACTIONS = ("auth.login_failed", "auth.lockout")


def _events():
    return list(LedgerEvent.objects.filter(action__in=ACTIONS).order_by("seq"))


def _fail(client, username, n, **extra):
    return client.post(URL, {"username": username, "password": f"mat-khau-sai-{n}"}, **extra)


def test_fifty_failures_for_one_username_write_at_most_two_events(client, journalist):
    for n in range(50):
        _fail(client, journalist.username, n, REMOTE_ADDR=f"198.51.100.{n}")
    events = _events()
    assert [e.action for e in events] == ["auth.login_failed", "auth.lockout"]
    assert all(e.after_data == {"username": journalist.username} for e in events)
    assert AccessAttempt.objects.filter(username=journalist.username).count() == 10
    assert verify_chain().ok


def test_the_password_is_stored_nowhere(client, journalist):
    for n in range(12):
        _fail(client, journalist.username, n)
    for event in LedgerEvent.objects.all():
        assert "mat-khau-sai" not in f"{event.before} {event.after} {event.user_agent}"
    for attempt in AccessAttempt.objects.all():
        assert "mat-khau-sai" not in f"{attempt.get_data} {attempt.post_data}"


def test_each_username_gets_its_own_event(client, journalist, other_journalist):
    for n in range(3):
        _fail(client, journalist.username, n, REMOTE_ADDR="198.51.100.1")
        _fail(client, other_journalist.username, n, REMOTE_ADDR="198.51.100.2")
    events = _events()
    assert [e.action for e in events] == ["auth.login_failed", "auth.login_failed"]
    assert {e.after_data["username"] for e in events} == {"journalist1", "journalist2"}


def test_an_address_trying_many_usernames_writes_one_lockout(client, db, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10  # (50 by default)
    for n in range(40):
        _fail(client, f"doan-ten-{n}", n, REMOTE_ADDR="198.51.100.9")
    events = _events()
    # Nine failures each named a new username; the tenth locked the address (its username is
    # in the lockout event); the thirty refused ones write nothing.
    assert [e.action for e in events].count("auth.login_failed") == 9
    assert events[-1].action == "auth.lockout"
    assert events[-1].after_data == {"username": "doan-ten-9"}
    assert events[-1].ip == "198.51.100.9"


def test_after_the_window_a_new_failure_is_recorded_again(client, journalist):
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        for n in range(3):
            _fail(client, journalist.username, n)
        traveller.shift(timedelta(minutes=16))
        _fail(client, journalist.username, 99)
    events = _events()
    assert [e.action for e in events] == ["auth.login_failed", "auth.login_failed"]
    assert events[1].at - events[0].at >= timedelta(minutes=15)
