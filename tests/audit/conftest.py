"""Fixtures for the ledger's tests: injected functions, a throwaway signing key, helpers."""

import os

import pytest
from django.db import connection

from audit.models import LedgerEvent

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="session")
def _dev_signer_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("audit-dev")


@pytest.fixture(autouse=True)
def audit_settings(settings, _dev_signer_dir, tmp_path):
    settings.AUDIT_DEV_SIGNER_DIR = _dev_signer_dir
    settings.AUDIT_ANCHOR_SIGNER = "audit.anchors.dev_sign"
    settings.AUDIT_ANCHOR_VERIFIER = "audit.anchors.dev_verify"
    settings.AUDIT_ANCHOR_TIMESTAMPER = ""
    settings.AUDIT_ACCESS_POLICY = "tests.audit.policy.audit_scope"
    settings.AUDIT_BUNDLE_FILES = "tests.audit.policy.bundle_files"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings


@pytest.fixture
def require_postgres():
    """Skip outside PostgreSQL, but fail when CI demands the real services."""
    from tests.conftest import require_postgres as _require_postgres

    _require_postgres()


def drop_triggers():
    """Do what an attacker with database rights would do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_ledgerevent_no_change ON audit_ledgerevent")
            cursor.execute("DROP TRIGGER audit_ledgerevent_no_truncate ON audit_ledgerevent")
        else:
            cursor.execute("DROP TRIGGER audit_ledgerevent_no_update")
            cursor.execute("DROP TRIGGER audit_ledgerevent_no_delete")


def raw_sql(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def ledger(db):
    """Return a helper that lists the ledger's events (optionally of one action)."""

    def _events(action=None):
        qs = LedgerEvent.objects.order_by("seq")
        return list(qs.filter(action=action) if action else qs)

    return _events
