"""Faults that lost signed documents (load review §3): a worker killed while it signs, the
broker stopped during a sign-off. After each, every document is issued exactly once.

Real parts: a Celery worker (prefork) in its own process, Redis, PostgreSQL.
"""

import os
import signal
import socket
import subprocess
import time

import pytest

from audit.models import LedgerEvent
from config.celery import app as celery_app
from release import services as release_services
from release.models import IssuedDocument
from release.validation import validate_pdf
from tests.integration.conftest import _reset_connections, worker_popen, worker_stop
from tests.workflows.helpers import open_task, submit
from workflows.cases.models import Case
from workflows.engine import steps
from workflows.timeline import case_timeline

ISSUED_LABEL = "Văn bản đã phát hành; hồ sơ kết thúc"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A Redis server of this test's own, so that it can be stopped and started again."""

    def __init__(self, tmp_path):
        self.port = _free_port()
        self.dir = tmp_path
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return
            except Exception:  # noqa: BLE001
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.proc is not None:
            self.proc.kill()  # like a crash: nothing saved, queued messages gone
            self.proc.wait()
            self.proc = None


@pytest.fixture
def own_redis(tmp_path, redis_url):  # redis_url: Redis is installed here (else skip/fail)
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def start_worker(postgres_db, settings):
    """Start a prefork `celery worker` (one child) on a broker; stop it afterwards."""
    procs = []
    old = {
        k: celery_app.conf[k]
        for k in ("broker_url", "task_always_eager", "broker_transport_options")
    }

    def _start(broker_url: str, *, issue_delay: float = 0, transport_options=None, env=None):
        proc = worker_popen(
            broker_url,
            pool_args=("--pool=prefork", "--concurrency=1"),
            extra_args=("--include", "tests.integration._slow_issue"),
            env={"PHATNGON_TEST_ISSUE_DELAY": str(issue_delay), **(env or {})},
        )
        procs.append(proc)
        celery_app.conf.update(
            broker_url=broker_url,
            task_always_eager=False,
            broker_transport_options=transport_options or {},
        )
        _reset_connections()
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = broker_url
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = transport_options or {}
        return proc

    yield _start
    celery_app.conf.update(**old)
    _reset_connections()
    for proc in procs:
        worker_stop(proc)


def _case_at_signoff(journalist, organisation, staff) -> Case:
    case = submit(journalist, organisation)
    path = [
        (staff["vanthu"], "triage", "accept", {"assignees": [staff["chuyenvien"]]}),
        (staff["chuyenvien"], "draft", "submit", {"answer": "Nhà trường không thu tiền học thêm."}),
        (staff["phatngon"], "review", "approve", {}),
    ]
    for user, step, action, data in path:
        steps.task_complete(task=open_task(case, step), by=user, action=action, data=data)
    return case


def _wait(predicate, *, timeout: float, what: str, worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker is not None:
            assert worker.poll() is None, "the worker's main process died"
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def _issued_once(document: IssuedDocument):
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.ISSUED, document.last_error
    for action in ("document.rendered", "document.signed", "document.registered"):
        events = LedgerEvent.objects.filter(
            action=action, target_type="release.issueddocument", target_id=str(document.pk)
        )
        assert events.count() == 1, action
    report = validate_pdf(document.pdf.read())
    assert report.all_valid and len(report.signatures) == 2


def _sign(case, staff) -> IssuedDocument:
    """The head signs at the service level; return the numbered document."""
    steps.task_complete(
        task=open_task(case, "signoff"), by=staff["lanhdao"], action="sign", data={}
    )
    case.refresh_from_db()
    return case.document


def _wait_started(document, worker):
    """The attempt is committed before rendering: from then on the worker is issuing it."""
    _wait(
        lambda: IssuedDocument.objects.get(pk=document.pk).attempts >= 1,
        timeout=120,
        what="the worker to start issuing",
        worker=worker,
    )


def _pool_children(worker) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-P", str(worker.pid)], capture_output=True, text=True, check=False
    ).stdout
    return [int(pid) for pid in out.split()]


def _wait_issued(document, worker, *, sweep: bool = False):
    """Wait until the document is issued; with `sweep`, run beat's minute entry meanwhile."""

    def issued():
        if sweep:  # what beat does every minute, compressed
            release_services.documents_dispatch_due()
            time.sleep(1)
        return IssuedDocument.objects.get(pk=document.pk).status == IssuedDocument.Status.ISSUED

    _wait(issued, timeout=180, what="the document to be issued", worker=worker)


def _labels(case):
    return [e.label for e in case_timeline(case, public=True)]


def test_a_pool_child_killed_while_signing_is_replaced_and_the_document_issued_once(
    start_worker, redis_url, journalist, organisation, staff, signing_credentials
):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    worker = start_worker(redis_url, issue_delay=4)
    case = _case_at_signoff(journalist, organisation, staff)
    document = _sign(case, staff)
    _wait_started(document, worker)
    case.refresh_from_db()
    assert case.status == Case.Status.RELEASING
    assert ISSUED_LABEL not in _labels(case)  # the journalist is not told "issued" yet
    children = _pool_children(worker)
    assert len(children) == 1
    os.kill(children[0], signal.SIGKILL)  # what the OOM killer does
    _wait_issued(document, worker)
    _issued_once(document)
    document.refresh_from_db()
    assert document.attempts == 2  # the killed attempt counts
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWERED
    assert _labels(case).count(ISSUED_LABEL) == 1


def test_a_sign_off_while_the_broker_is_down_succeeds_and_is_issued_after_it_returns(
    start_worker,
    own_redis,
    journalist,
    organisation,
    staff,
    signing_credentials,
    client,
    settings,
):
    from tests.workflows.helpers import task_url

    worker = start_worker(own_redis.url)
    case = _case_at_signoff(journalist, organisation, staff)
    client.force_login(staff["lanhdao"])
    task = open_task(case, "signoff")
    assert client.post(task_url(task, "assign"), {}).status_code == 302
    own_redis.stop()  # the broker crashes (nothing persisted)
    started = time.monotonic()
    response = client.post(task_url(task, "execute"), {"action": "sign", "confirm": "on"})
    elapsed = time.monotonic() - started
    assert response.status_code == 302, response.content[:500]  # not a 500 after the commit
    assert elapsed < 10
    case.refresh_from_db()
    document = case.document
    assert case.status == Case.Status.RELEASING
    assert document.status == IssuedDocument.Status.QUEUED  # numbered: the intent is recorded
    own_redis.start()  # back, empty: the message that could not be sent is nowhere
    settings.RELEASE_REDISPATCH_SECONDS = 0
    _reset_connections()
    # Beat's minute entry (release.tasks.documents_dispatch_due) finds it and hands it over.
    assert release_services.documents_dispatch_due() == [document.pk]
    _wait_issued(document, worker)
    _issued_once(document)
    # A late duplicate (the sweep again, a redelivery) changes nothing.
    assert release_services.documents_dispatch_due() == []
    release_services.document_process(document_id=document.pk)
    _issued_once(document)


def test_the_filesystem_broker_of_the_demo_loses_no_document_to_a_killed_worker(
    start_worker, tmp_path, journalist, organisation, staff, signing_credentials, settings
):
    """The embedded default (`make demo`): a worker killed mid-issue loses nothing either."""
    broker_dir = tmp_path / "celery"
    options = {
        "data_folder_in": str(broker_dir / "queue"),
        "data_folder_out": str(broker_dir / "queue"),
        "processed_folder": str(broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(broker_dir / "control"),
    }
    for sub in ("queue", "processed", "control"):
        (broker_dir / sub).mkdir(parents=True)
    worker = start_worker(
        "filesystem://",
        issue_delay=4,
        transport_options=options,
        env={"CELERY_BROKER_DIR": str(broker_dir)},
    )
    case = _case_at_signoff(journalist, organisation, staff)
    document = _sign(case, staff)
    _wait_started(document, worker)
    os.kill(_pool_children(worker)[0], signal.SIGKILL)
    settings.RELEASE_REDISPATCH_SECONDS = 0
    _wait_issued(document, worker, sweep=True)
    _issued_once(document)


def test_a_message_lost_with_the_broker_is_sent_again_and_issued_once(
    start_worker, own_redis, journalist, organisation, staff, signing_credentials, settings
):
    """Signed while no worker ran; the broker then restarted empty: the message is gone."""
    case = _case_at_signoff(journalist, organisation, staff)
    celery_app.conf.update(broker_url=own_redis.url, task_always_eager=False)
    _reset_connections()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    steps.task_complete(
        task=open_task(case, "signoff"), by=staff["lanhdao"], action="sign", data={}
    )
    import redis

    assert redis.Redis.from_url(own_redis.url).llen("signing") == 1  # the message waits
    own_redis.stop()
    own_redis.start()  # back, empty (no persistence): the message is lost
    assert redis.Redis.from_url(own_redis.url).llen("signing") == 0
    worker = start_worker(own_redis.url)
    case.refresh_from_db()
    document = case.document
    settings.RELEASE_REDISPATCH_SECONDS = 0
    assert release_services.documents_dispatch_due() == [document.pk]
    _wait_issued(document, worker)
    _issued_once(document)


def test_a_whole_worker_node_killed_is_covered_by_the_sweep_not_the_visibility_timeout(
    start_worker, own_redis, journalist, organisation, staff, signing_credentials, settings
):
    """kill -9 of the worker's main process and child: its unacknowledged message waits for
    Redis' visibility timeout (an hour); the minute sweep hands the document to another."""
    first = start_worker(own_redis.url, issue_delay=6)
    case = _case_at_signoff(journalist, organisation, staff)
    document = _sign(case, staff)
    _wait_started(document, first)
    for pid in [first.pid, *_pool_children(first)]:
        os.kill(pid, signal.SIGKILL)  # the whole node
    first.wait()
    second = start_worker(own_redis.url)
    settings.RELEASE_REDISPATCH_SECONDS = 0
    _wait_issued(document, second, sweep=True)
    _issued_once(document)
