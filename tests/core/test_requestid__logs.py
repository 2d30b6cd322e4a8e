"""The request id: taken from a trusted proxy when sane, else made; on the response, in the
request's log lines, in the log lines of the tasks it started, on the 500/503 pages."""

import io
import json
import logging

import pytest
from celery import shared_task
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from core import requestid

PROXY_ID = "3f2a9c1e5b7d4a608f1e2d3c4b5a6978"  # what nginx's $request_id looks like

task_logger = logging.getLogger("tests.requestid.task")
view_logger = logging.getLogger("tests.requestid.view")


@shared_task(name="tests.requestid.logging_task")
def logging_task(n):
    task_logger.warning("task ran with %s", n)


@pytest.fixture
def log_lines():
    """The configured console handler (settings.LOGGING, JSON here) writing to a buffer."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line]
    handler.setStream(old)


def _view(request):
    view_logger.warning("request handled")
    logging_task.delay(7)  # eager in tests: runs here, as a worker would
    return HttpResponse("ok")


def _through_middleware(request):
    return requestid.RequestIdMiddleware(_view)(request)


def test_request_and_its_task_log_the_same_id(log_lines, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID=PROXY_ID, REMOTE_ADDR="127.0.0.1")
    response = _through_middleware(request)
    assert response["X-Request-ID"] == PROXY_ID
    lines = log_lines()
    view_line = next(x for x in lines if x["message"] == "request handled")
    task_line = next(x for x in lines if x["message"] == "task ran with 7")
    assert view_line["request_id"] == task_line["request_id"] == PROXY_ID
    assert task_line["task_name"] == "tests.requestid.logging_task"
    assert task_line["task_id"]
    assert view_line["level"] == "WARNING" and view_line["logger"] == "tests.requestid.view"
    # Unbound once the request is over.
    assert requestid.get() == ""


def test_worker_takes_the_id_from_the_message_headers(log_lines):
    """What a worker does: the id comes with the message (before_task_publish put it there)."""
    headers = {}
    token = requestid.set_id(PROXY_ID)
    try:
        requestid.task_publish_headers(headers)
    finally:
        requestid.reset(token)
    assert headers == {"request_id": PROXY_ID}
    logging_task.apply_async(args=[8], headers=headers)
    line = next(x for x in log_lines() if x["message"] == "task ran with 8")
    assert line["request_id"] == PROXY_ID
    assert requestid.get() == ""


def test_untrusted_sender_gets_a_new_id(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID=PROXY_ID, REMOTE_ADDR="203.0.113.9")
    response = _through_middleware(request)
    assert response["X-Request-ID"] != PROXY_ID
    assert requestid.is_token(response["X-Request-ID"])


@pytest.mark.parametrize(
    "junk",
    ["short", "x" * 65, "abc def ghi jk", 'id"}{"level":"ERROR', "ab\ncdefghij", "ồồồồồồồồồ"],
)
def test_junk_from_a_trusted_proxy_is_replaced(settings, junk):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    request.META["HTTP_X_REQUEST_ID"] = junk
    response = _through_middleware(request)
    assert response["X-Request-ID"] != junk
    assert requestid.is_token(response["X-Request-ID"])


def test_every_response_has_an_id(client, db):
    response = client.get("/tin-bao-chi/")
    assert requestid.is_token(response["X-Request-ID"])


@pytest.fixture
def failing_urls(settings):
    """A page and an API path that raise, under the site's own error handler."""
    from django.contrib.auth.decorators import login_not_required
    from django.urls import path

    import config.urls

    @login_not_required
    def boom(request):
        raise RuntimeError("boom")

    @login_not_required
    def db_down(request):
        raise OperationalError("server closed the connection")

    module = type(config.urls)("tests_failing_urls")
    module.urlpatterns = [
        path("hong/", boom),
        path("api/v1/hong/", boom),
        path("api/v1/db/", db_down),
        path("db/", db_down),
    ]
    module.handler500 = config.urls.handler500
    import sys

    sys.modules["tests_failing_urls"] = module
    settings.ROOT_URLCONF = "tests_failing_urls"
    yield
    del sys.modules["tests_failing_urls"]


def test_api_500_and_503_envelopes_carry_the_id(client, failing_urls):
    client.raise_request_exception = False
    for path, code, status in (
        ("/api/v1/hong/", "server_error", 500),
        ("/api/v1/db/", "service_unavailable", 503),
    ):
        response = client.get(path)
        assert response.status_code == status
        body = response.json()
        assert body["code"] == code and body["message"] and body["fields"] == {}
        assert body["request_id"] == response["X-Request-ID"]


def test_500_and_503_pages_show_the_id(client, failing_urls):
    client.raise_request_exception = False
    for path, status in (("/hong/", 500), ("/db/", 503)):
        response = client.get(path)
        assert response.status_code == status
        text = response.content.decode()
        assert "Mã yêu cầu" in text and response["X-Request-ID"] in text
