"""Issuing: number → render → sign (person + seal) → register, idempotent, failures kept."""

import pytest
from django.core.files.storage import default_storage

from audit.models import LedgerEvent
from core.errors import DomainError
from release import amendments, services
from release.models import IssuedDocument
from release.selectors import audit_bundle_files
from release.validation import validate_pdf
from tests.conftest import REQUIRE_SERVICES
from tests.release import pdfsig as pdfsig_tool
from tests.release.helpers import issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def issued(organisation, deputy_head, signing_credentials, django_capture_on_commit_callbacks):
    """A document signed KT. by the deputy head and issued by the (eager) Celery task."""
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(
            organisation, deputy_head, authority="KT.", signer_title="Phó Trưởng phòng"
        )
    document.refresh_from_db()
    return document


def _actions(document):
    return list(
        LedgerEvent.objects.filter(
            target_type="release.issueddocument", target_id=str(document.pk)
        ).values_list("action", flat=True)
    )


def test_issue_end_to_end_gives_a_pdf_with_two_valid_signatures(issued, dev_pki, tmp_path):
    assert issued.status == IssuedDocument.Status.ISSUED
    assert issued.number_display == "01/TB-PGDĐT"
    assert issued.attempts == 1 and issued.last_error == ""
    pdf = issued.pdf.read()
    import hashlib

    assert issued.sha256 == hashlib.sha256(pdf).hexdigest()

    report = validate_pdf(pdf)
    assert report.all_valid
    assert [s.field_name for s in report.signatures] == [
        services.PERSON_FIELD,
        services.SEAL_FIELD,
    ]
    assert report.signatures[0].signer == "Trần Thị Phó"  # the deputy's certificate
    assert "Thuận An" in report.signatures[1].signer  # the agency's seal certificate

    if not pdfsig_tool.available():
        if REQUIRE_SERVICES:
            pytest.fail("pdfsig/certutil not installed (REQUIRE_SERVICES=1 forbids skipping)")
        pytest.skip("pdfsig/certutil not installed")
    nss = pdfsig_tool.nss_db_trusting(dev_pki.root_path, tmp_path / "nss")
    result = pdfsig_tool.pdfsig(pdf, nss_dir=nss)
    assert len(result.signatures) == 2
    assert all(s.valid and s.trusted for s in result.signatures), result.output
    assert result.signatures[-1].total_document_signed

    assert _actions(issued) == [
        "document.numbered",
        "document.rendered",
        "document.signed",
        "document.sealed",
        "document.registered",
    ]
    signed = LedgerEvent.objects.get(action="document.signed", target_id=str(issued.pk))
    assert signed.after_data["signer"] == issued.signer.username


def test_one_changed_byte_fails_both_validators(issued, dev_pki, tmp_path):
    pdf = bytearray(issued.pdf.read())
    # Flip a byte inside the first page's content, well inside both signed ranges.
    index = pdf.index(b"stream", 2000) + 40
    pdf[index] ^= 0x01
    tampered = bytes(pdf)
    report = validate_pdf(tampered)
    assert not report.all_valid
    assert not any(s.intact for s in report.signatures)
    if not pdfsig_tool.available():
        if REQUIRE_SERVICES:
            pytest.fail("pdfsig/certutil not installed (REQUIRE_SERVICES=1 forbids skipping)")
        pytest.skip("pdfsig/certutil not installed")
    nss = pdfsig_tool.nss_db_trusting(dev_pki.root_path, tmp_path / "nss")
    result = pdfsig_tool.pdfsig(tampered, nss_dir=nss)
    assert result.signatures and not any(s.valid for s in result.signatures), result.output


def test_running_the_task_twice_issues_one_pdf_with_the_same_number(issued):
    from release.tasks import document_process_task

    name, digest = issued.pdf.name, issued.sha256
    assert document_process_task.delay(issued.pk).get() == IssuedDocument.Status.ISSUED
    issued.refresh_from_db()
    assert (issued.number, issued.pdf.name, issued.sha256) == (1, name, digest)
    assert issued.attempts == 1
    assert _actions(issued).count("document.registered") == 1
    assert len(default_storage.listdir(name.rsplit("/", 1)[0])[1]) == 1


@pytest.fixture
def eager_retries(monkeypatch):
    """Let eager tasks run their retries (propagating eager errors would stop at the first)."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def test_a_failed_render_keeps_the_number_and_ends_failed_after_the_retries(
    organisation,
    head,
    signing_credentials,
    django_capture_on_commit_callbacks,
    monkeypatch,
    eager_retries,
):
    import release.rendering

    def broken(document):
        raise RuntimeError("máy in hỏng")

    monkeypatch.setattr(release.rendering, "document_render", broken)
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(organisation, head)
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.FAILED
    assert document.number == 1
    assert document.attempts == 1 + 5  # first run plus five retries
    assert "máy in hỏng" in document.last_error
    assert not document.pdf
    assert "document.failed" in _actions(document)

    # The next document gets the next number: the failed one keeps its own (no gap, no reuse).
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        following = issue(organisation, head)
    assert following.number == 2

    # The registry officer's retry issues the failed document under its original number.
    from tests.conftest import _staff

    officer = _staff("vanthu2", organisation, "registry_officer", "Văn thư")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_retry(document=document, by=officer)
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.ISSUED
    assert document.number == 1
    assert document.last_error == ""
    assert validate_pdf(document.pdf.read()).all_valid


def test_a_signer_without_a_credential_fails_with_a_clear_error(
    organisation, head, dev_pki, django_capture_on_commit_callbacks, eager_retries
):
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(organisation, head)
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.FAILED
    assert "chưa có chứng thư ký số" in document.last_error


@pytest.mark.parametrize(
    ("who", "authority", "code"),
    [
        ("deputy_head", "", "authority"),
        ("deputy_head", "TM.", "authority"),
        ("head", "KT.", "signer"),
        ("specialist", "", "signer"),
        ("registry_officer", "", "signer"),
        ("outsider", "", "signer"),
    ],
)
def test_only_the_head_or_a_deputy_signing_kt_may_sign(request, organisation, who, authority, code):
    signer = request.getfixturevalue(who)
    with pytest.raises(DomainError) as error:
        issue(organisation, signer, authority=authority)
    assert error.value.code == code
    assert not IssuedDocument.objects.exists()


def test_a_cong_van_needs_an_addressee_and_a_unit_of_the_organisation(
    organisation, head, other_organisation
):
    from tests.factories import UnitFactory

    with pytest.raises(DomainError) as error:
        issue(organisation, head, doc_type="cong_van")
    assert error.value.field == "addressees"
    foreign_unit = UnitFactory(organisation=other_organisation)
    with pytest.raises(DomainError) as error:
        issue(organisation, head, doc_type="cong_van", unit=foreign_unit, addressees=["Báo A"])
    assert error.value.field == "unit"
    # Without a drafting unit, the symbol is the agency's alone.
    document = issue(organisation, head, doc_type="cong_van", addressees=["Báo A"])
    assert document.number_display == "01/PGDĐT"


def test_empty_summary_and_body_are_refused(organisation, head):
    with pytest.raises(DomainError) as error:
        issue(organisation, head, summary="  ")
    assert error.value.field == "summary"
    with pytest.raises(DomainError) as error:
        issue(organisation, head, body="\n\n")
    assert error.value.field == "body"


def test_the_web_request_only_queues_the_task(
    organisation, head, django_capture_on_commit_callbacks
):
    from unittest import mock

    with (
        mock.patch("release.tasks.document_process_task.apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        document = issue(organisation, head)
    send.assert_called_once()
    assert send.call_args.kwargs["args"] == (document.pk,)
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.QUEUED
    assert document.enqueued_at is not None


def test_cancel_keeps_the_number_used_and_needs_a_reason(
    issued, organisation, head, registry_officer
):
    with pytest.raises(DomainError):
        amendments.document_cancel(document=issued, reason=" ", by=registry_officer)
    amendments.document_cancel(document=issued, reason="Sai nơi nhận", by=registry_officer)
    issued.refresh_from_db()
    assert issued.status == IssuedDocument.Status.CANCELLED
    assert issued.cancelled_by == registry_officer
    assert issued.verification_status == "cancelled"
    assert "document.cancelled" in _actions(issued)
    with pytest.raises(DomainError):
        amendments.document_cancel(document=issued, reason="lần hai", by=registry_officer)
    assert issue(organisation, head).number == 2


def test_inspector_and_specialist_may_not_cancel_or_retry(issued, inspector, specialist):
    for user in (inspector, specialist):
        with pytest.raises(DomainError):
            amendments.document_cancel(document=issued, reason="không được", by=user)
        with pytest.raises(DomainError):
            services.document_retry(document=issued, by=user)


def test_a_correction_references_the_old_document_which_then_shows_superseded(
    issued, head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        correction = amendments.document_correct(
            document=issued,
            summary="Đính chính thông báo tuyển sinh",
            body="Sửa ngày tuyển sinh.",
            recipients=["Các trường THCS"],
            signer=head,
            authority="",
            signer_title="Trưởng phòng",
            by=head,
        )
    correction.refresh_from_db()
    assert correction.corrects == issued
    assert correction.number == 2
    assert correction.status == IssuedDocument.Status.ISSUED
    assert issued.verification_status == "superseded"
    assert correction.verification_status == "valid"


def test_audit_bundle_files_returns_the_pdfs_the_events_refer_to(issued):
    events = LedgerEvent.objects.all()
    files = audit_bundle_files(events)
    assert len(files) == 1
    name, data = files[0]
    assert name.endswith(".pdf") and issued.sha256[:16] in name
    assert data == issued.pdf.read()
    assert audit_bundle_files(LedgerEvent.objects.none()) == []
