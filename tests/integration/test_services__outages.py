"""Outside services out of the request path (load review §3 b, c1, c2): a database connection
killed under a request answers 503 (JSON on the API), and a Redis cache that is down or frozen
costs neither a 500 nor more than a moment."""

import socket
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from tests.api.conftest import token_key


def _kill_own_connection():
    """Terminate this process's PostgreSQL session from another one (a server restart)."""
    import psycopg

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname=db["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)


def test_a_killed_database_connection_answers_503_json_on_the_api(postgres_db, journalist):
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key(journalist)}")
    assert client.get("/api/v1/cases/").status_code == 200
    _kill_own_connection()
    response = client.get("/api/v1/cases/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"]
    assert response.json()["code"] == "service_unavailable"
    connection.close()
    assert client.get("/api/v1/cases/").status_code == 200  # reconnected


def test_a_killed_database_connection_answers_a_vietnamese_503_page(postgres_db, journalist):
    client = Client(raise_request_exception=False)
    client.force_login(journalist)
    _kill_own_connection()
    response = client.get("/nha-bao/ho-so/")
    assert response.status_code == 503
    assert "Hệ thống tạm thời gián đoạn" in response.content.decode()
    assert response["Retry-After"]
    connection.close()


def test_persistent_connections_are_health_checked(postgres_db, settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.fixture
def redis_cache(settings):
    """Point the default cache at `url` (Redis through the project's resilient backend)."""

    def _use(url):
        # Django's setting_changed handler drops the cache connections made before.
        settings.CACHES = {
            "default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": url}
        }
        return caches["default"]

    return _use


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("state", ["down", "frozen"])
def test_with_redis_away_the_api_and_staff_pages_keep_answering(
    db, state, redis_cache, silent_port, journalist, staff
):
    port = _free_port() if state == "down" else silent_port
    cache = redis_cache(f"redis://127.0.0.1:{port}/0")
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_key(journalist)}")
    anon = APIClient(raise_request_exception=False)
    web = Client(raise_request_exception=False)
    web.force_login(staff["phatngon"])
    started = time.monotonic()
    for _ in range(5):
        assert api.get("/api/v1/cases/").status_code == 200  # throttled by the cache
        assert anon.get("/api/v1/organisations/").status_code == 200
        assert web.get("/workspace/", follow=True).status_code == 200  # viewflow reads the cache
    elapsed = time.monotonic() - started
    # One short socket timeout, then the cache is left alone for a while: no per-call wait.
    assert elapsed < 5, elapsed
    assert cache.available is False


def test_the_cache_works_normally_with_redis_up(db, redis_cache, redis_url):
    cache = redis_cache(redis_url)
    cache.set("phatngon:probe", "có", 10)
    assert cache.get("phatngon:probe") == "có"
    assert cache.add("phatngon:probe", "x") is False
    cache.delete("phatngon:probe")
