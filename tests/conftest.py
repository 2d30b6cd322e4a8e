"""Persona fixtures (STYLE.md): each test names who acts, and who must be refused.

Alice-style stories: `journalist` owns her cases; `other_journalist` must see none of
them; staff of `organisation` act on its cases; `outsider` is staff of another
organisation and must be refused everywhere in `organisation`.
"""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from roles import services
from roles.models import Role, SpokespersonAssignment
from tests.factories import (
    PASSWORD,
    JournalistProfileFactory,
    OrganisationFactory,
    UnitFactory,
    UserFactory,
    long_ago,
)

# CI sets REQUIRE_SERVICES=1: a test that needs PostgreSQL/Redis must then run, never skip.
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# ---------------------------------------------------------------- test lanes

TESTS_DIR = Path(__file__).resolve().parent
# The slow lane (`-m slow`, run serially by `make test`): a real browser, real Celery workers
# on the test database, the API fuzzer, and every test that serves the site on a live server.
# Marked here by place and fixture, so that a new test there joins the lane by itself.
SLOW_DIRECTORIES = {"browser", "integration"}
SLOW_FILES = {"api/test_schema__fuzz.py"}
SLOW_FIXTURES = {"live_server"}


def is_slow(item) -> bool:
    """Whether a collected test belongs to the slow lane."""
    try:
        relative = Path(item.path).resolve().relative_to(TESTS_DIR)
    except ValueError:
        return False
    return (
        relative.parts[0] in SLOW_DIRECTORIES
        or relative.as_posix() in SLOW_FILES
        or not SLOW_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark the slow lane before `-m slow` / `-m 'not slow'` selects by it."""
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in Vietnamese (a request may activate English)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a newsroom page cached by an earlier test (its
    database since rolled back) must not be served to the next one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def province(db):
    return OrganisationFactory(
        code="sgddt-binh-duong",
        name="Sở Giáo dục và Đào tạo tỉnh Bình Dương",
        kind="department",
        governing_body="UBND TỈNH BÌNH DƯƠNG",
        abbreviation="SGDĐT",
        head_title="Giám đốc",
        place_name="Thủ Dầu Một",
    )


@pytest.fixture
def organisation(province):
    return OrganisationFactory(
        code="pgddt-thuan-an",
        name="Phòng Giáo dục và Đào tạo thành phố Thuận An",
        parent=province,
        abbreviation="PGDĐT",
        head_title="Trưởng phòng",
        place_name="Thuận An",
    )


@pytest.fixture
def other_organisation(province):
    return OrganisationFactory(
        code="pgddt-di-an",
        name="Phòng Giáo dục và Đào tạo thành phố Dĩ An",
        parent=province,
        place_name="Dĩ An",
    )


@pytest.fixture
def unit(organisation):
    return UnitFactory(organisation=organisation, name="Tổ Giáo dục Tiểu học", abbreviation="TH")


def _staff(username, organisation, role, title, unit=None):
    user = UserFactory(username=username)
    services.membership_grant(
        user=user,
        organisation=organisation,
        role=role,
        title=title,
        unit=unit,
        valid_from=long_ago(),
    )
    return user


@pytest.fixture
def head(organisation):
    return _staff("lanhdao", organisation, Role.HEAD, "Trưởng phòng")


@pytest.fixture
def deputy_head(organisation):
    return _staff("pholanhdao", organisation, Role.DEPUTY_HEAD, "Phó Trưởng phòng")


@pytest.fixture
def registry_officer(organisation):
    return _staff("vanthu", organisation, Role.REGISTRY_OFFICER, "Văn thư")


@pytest.fixture
def specialist(organisation, unit):
    return _staff("chuyenvien", organisation, Role.SPECIALIST, "Chuyên viên", unit=unit)


@pytest.fixture
def spokesperson(organisation, head):
    user = _staff("phatngon", organisation, Role.SPOKESPERSON, "Phó Trưởng phòng")
    assignment = services.spokesperson_assign(
        organisation=organisation,
        user=user,
        kind=SpokespersonAssignment.Kind.REGULAR,
        issued_by=head,
        valid_from=long_ago(),
        contact_name="Trần Thị Bình",
        contact_title="Phó Trưởng phòng",
        contact_phone="0274 3755 124",
        contact_email="phatngon@example.gov.vn",
    )
    # Published by its signed decision (the directory shows none without one).
    services.spokesperson_publish(
        assignment=assignment,
        by=head,
        decision_reference="15/QĐ-PGDĐT",
        decision_issued_at=timezone.now(),
    )
    return user


@pytest.fixture
def inspector(organisation):
    return _staff("thanhtra", organisation, Role.INSPECTOR, "Thanh tra viên")


@pytest.fixture
def outsider(other_organisation):
    """Staff of another organisation: refused everywhere in `organisation`."""
    return _staff("nguoingoai", other_organisation, Role.HEAD, "Trưởng phòng")


@pytest.fixture
def journalist(db):
    return JournalistProfileFactory(user=UserFactory(username="journalist1")).user


@pytest.fixture
def other_journalist(db):
    return JournalistProfileFactory(user=UserFactory(username="journalist2")).user


@pytest.fixture
def login(client):
    """Log a persona in on the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# ---------------------------------------------------------------- real services


def require_postgres() -> None:
    """Skip a test off PostgreSQL, unless REQUIRE_SERVICES=1 (CI), where it fails instead."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    message = "needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/phatngon"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (REQUIRE_SERVICES=1 forbids skipping)")
    pytest.skip(message)


@pytest.fixture
def postgres_db(transactional_db):
    """Committed transactions on a real PostgreSQL server (see require_postgres)."""
    require_postgres()
    return transactional_db


@pytest.fixture
def redis_url():
    """A reachable Redis server (REDIS_URL); skipped without one, failed in CI."""
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        message = f"needs Redis at {url}: {exc}"
        if REQUIRE_SERVICES:
            pytest.fail(message + " (REQUIRE_SERVICES=1 forbids skipping)")
        pytest.skip(message)
    return url


@pytest.fixture(autouse=True)
def _rulebook(request):
    """Keep the legal rulebook of the data migration in the database for every DB test.

    A transactional test (live server, real worker, PostgreSQL concurrency) ends with a
    flush that also removes the regimes the data migration loaded; reload them.
    """
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        yield
        return
    import importlib

    from django.apps import apps

    from workflows.rules import calendar
    from workflows.rules.models import LegalRegime

    calendar.invalidate()
    if not LegalRegime.objects.filter(code__in=["2017", "2026"]).exists():
        importlib.import_module("workflows.migrations.0002_load_regimes").load(apps, None)
    yield
    calendar.invalidate()


@pytest.fixture
def silent_port():
    """A TCP port that accepts connections and never answers: a frozen Redis, as a client
    sees it (SIGSTOP), or an SMTP server that hangs."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []
    stop = threading.Event()

    def serve():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()
