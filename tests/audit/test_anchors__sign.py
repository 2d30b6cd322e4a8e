"""Anchors sign the ledger's head (CMS, detached) daily and on demand."""

import io
import json

import pytest
from asn1crypto import cms
from django.core.management import call_command

import audit
from audit import tasks
from audit.anchors import anchor_create, dev_sign, dev_verify
from audit.models import AuditAnchor, LedgerEvent


def test_an_empty_ledger_has_nothing_to_anchor(db):
    assert anchor_create() is None
    assert tasks.anchor_ledger_task.delay().get() is None


def test_the_task_signs_the_head_and_is_idempotent(db, head):
    event = audit.record(action="test.anchor", actor=head)
    anchor_id = tasks.anchor_ledger_task.delay().get()
    anchor = AuditAnchor.objects.get(pk=anchor_id)
    assert (anchor.seq, anchor.head_hash) == (event.seq, event.hash)
    payload = json.loads(bytes(anchor.payload))
    assert payload["seq"] == event.seq and payload["hash"] == event.hash
    assert payload["encoding"] == "phatngon-ledger-v1"
    assert dev_verify(bytes(anchor.payload), bytes(anchor.signature))
    # Nothing new happened: the daily run does not sign the same head twice.
    assert tasks.anchor_ledger_task.delay().get() == anchor_id
    assert AuditAnchor.objects.count() == 1
    assert tasks.anchor_ledger_task.delay(force=True).get() != anchor_id


def test_the_signature_is_detached_cms_and_covers_the_payload(db):
    signature = dev_sign(b"payload")
    info = cms.ContentInfo.load(signature)
    assert info["content_type"].native == "signed_data"
    assert info["content"]["encap_content_info"]["content"].native is None  # detached
    assert dev_verify(b"payload", signature)
    assert not dev_verify(b"payload!", signature)


def test_the_signer_is_taken_from_settings(db, settings, head):
    settings.AUDIT_ANCHOR_SIGNER = "tests.audit.test_anchors__sign.fake_sign"
    settings.AUDIT_ANCHOR_VERIFIER = "tests.audit.test_anchors__sign.fake_verify"
    settings.AUDIT_ANCHOR_TIMESTAMPER = "tests.audit.test_anchors__sign.fake_timestamp"
    audit.record(action="test.injected", actor=head)
    anchor = anchor_create()
    assert bytes(anchor.signature) == b"signed:" + bytes(anchor.payload)
    assert bytes(anchor.timestamp_token) == b"token"
    assert anchor.signer == settings.AUDIT_ANCHOR_SIGNER
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith("OK")


def test_the_management_command_anchors_on_demand(db, head):
    audit.record(action="test.cmd", actor=head)
    out = io.StringIO()
    call_command("audit_anchor", stdout=out)
    head_event = LedgerEvent.objects.order_by("-seq").first()
    assert out.getvalue().strip() == f"Anchor at event {head_event.seq}: {head_event.hash}"


def test_beat_runs_the_anchor_daily(settings):
    schedule = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"audit.tasks.anchor_ledger", "audit.tasks.verify_ledger"} <= schedule


def fake_sign(payload: bytes) -> bytes:
    return b"signed:" + payload


def fake_verify(payload: bytes, signature: bytes) -> bool:
    return signature == b"signed:" + payload


def fake_timestamp(signature: bytes) -> bytes:
    return b"token"


@pytest.mark.django_db
def test_verify_task_keeps_the_result(head):
    audit.record(action="test.verify_task", actor=head)
    run_id = tasks.verify_ledger_task.delay().get()
    from audit.models import VerificationRun

    assert VerificationRun.objects.get(pk=run_id).ok
