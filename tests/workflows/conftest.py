"""Fixtures for the case flow: a journalist's case and helpers to act on its tasks over HTTP."""

import pytest
from viewflow.workflow.status import STATUS

from roles import services as role_services
from tests.outbox.conftest import (  # noqa: F401 — shared fixtures
    broker,
    broker_down,
    smtp_hanging,
    smtp_refusing,
)
from tests.release.conftest import dev_pki, signing_credentials  # noqa: F401 — shared fixtures
from tests.workflows.helpers import open_task, submit, task_url


@pytest.fixture
def staff(registry_officer, specialist, spokesperson, head, deputy_head, inspector, organisation):
    """Everyone of Phòng GDĐT Thuận An; the deputy may sign KT."""
    role_services.permission_grant(perm="roles.sign_on_behalf", to=deputy_head, obj=organisation)
    return {
        "vanthu": registry_officer,
        "chuyenvien": specialist,
        "phatngon": spokesperson,
        "lanhdao": head,
        "pholanhdao": deputy_head,
        "thanhtra": inspector,
    }


@pytest.fixture
def case(journalist, organisation, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return submit(journalist, organisation)


@pytest.fixture
def act(client):
    """Claim and complete the open task of a case as `user`, through the real pages."""

    def _act(user, case, step, data, expect=302):
        client.force_login(user)
        task = open_task(case, step)
        if task.status == STATUS.NEW:
            r = client.post(task_url(task, "assign"), {})
            assert r.status_code == 302, (r.status_code, r.content[:300])
        r = client.post(task_url(task, "execute"), data)
        assert r.status_code == expect, (r.status_code, r.content.decode()[:2000])
        case.refresh_from_db()
        return r

    return _act
