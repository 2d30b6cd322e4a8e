"""M6: the portal enforces the API's limits (files per case, size per file and in all, and
the per-journalist submission rate, one allowance shared with the API); uploads are streamed."""

import hashlib
import os
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import api_token_key
from tests.workflows.helpers import submit
from workflows.cases.models import Case

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
URL = "/nha-bao/ho-so/gui/"
SUBJECT = "Bữa ăn bán trú kém chất lượng"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def _pdf(name="tl.pdf", size=None) -> SimpleUploadedFile:
    data = PDF if size is None else PDF + os.urandom(size - len(PDF))
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _form(organisation, **extra) -> dict:
    data = {
        "organisation": organisation.pk,
        "kind": "question",
        "subject": SUBJECT,
        "questions": "Đề nghị Phòng cho biết đã kiểm tra bếp ăn chưa?",
        "desired_form": "written",
    }
    data.update(extra)
    return data


def _refused(r, message: str):
    assert r.status_code in (400, 429), r.status_code
    html = r.content.decode()
    assert message in html, html[:3000]
    assert SUBJECT in html, "the journalist's text is shown again"
    assert not Case.objects.exists()


def test_eleven_attachments_are_refused(login, journalist, organisation, staff):
    client = login(journalist)
    files = [_pdf(f"tl{i}.pdf") for i in range(11)]
    _refused(client.post(URL, _form(organisation, attachments=files)), "Tối đa 10 tệp đính kèm.")


def test_ten_attachments_are_accepted(login, journalist, organisation, staff):
    client = login(journalist)
    files = [_pdf(f"tl{i}.pdf") for i in range(10)]
    r = client.post(URL, _form(organisation, attachments=files))
    assert r.status_code == 302
    assert Case.objects.get().attachments.count() == 10


@override_settings(CASE_MAX_UPLOAD_BYTES=4000)
def test_a_file_over_the_per_file_limit_is_refused(login, journalist, organisation, staff):
    client = login(journalist)
    r = client.post(URL, _form(organisation, attachments=[_pdf("to.pdf", size=5000)]))
    _refused(r, "Tệp “to.pdf” vượt quá")


@override_settings(CASE_MAX_UPLOAD_BYTES=4000, CASE_MAX_SUBMISSION_BYTES=10_000)
def test_files_over_the_total_are_refused(login, journalist, organisation, staff):
    client = login(journalist)
    files = [_pdf(f"tl{i}.pdf", size=3500) for i in range(3)]  # 10 500 bytes in all
    r = client.post(URL, _form(organisation, attachments=files))
    _refused(r, "Tổng dung lượng các tệp gửi kèm vượt quá")


@override_settings(CASE_MAX_UPLOAD_BYTES=50_000, CASE_MAX_SUBMISSION_BYTES=20_000)
def test_a_request_past_the_total_is_cut_off_while_reading(login, journalist, organisation, staff):
    """One file over the whole request's limit: skipped by the upload handler, not kept."""
    client = login(journalist)
    r = client.post(URL, _form(organisation, attachments=[_pdf("lon.pdf", size=40_000)]))
    _refused(r, "Tổng dung lượng các tệp gửi kèm vượt quá")


def test_a_3_mb_upload_is_streamed_and_stored_intact(login, journalist, organisation, staff):
    data = PDF + os.urandom(3 * 1024 * 1024)
    client = login(journalist)
    r = client.post(
        URL,
        _form(organisation, attachments=[SimpleUploadedFile("lon.pdf", data, "application/pdf")]),
    )
    assert r.status_code == 302
    attachment = Case.objects.get().attachments.get()
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    with attachment.file.open("rb") as f:
        assert f.read() == data


def test_the_21st_submission_within_an_hour_is_refused(login, journalist, organisation, staff):
    for _ in range(20):
        submit(journalist, organisation)
    client = login(journalist)
    r = client.post(URL, _form(organisation))
    assert r.status_code == 429
    assert "Bạn đã gửi quá nhiều hồ sơ" in r.content.decode()
    assert SUBJECT in r.content.decode()
    assert Case.objects.count() == 20
    # An hour later the allowance is back.
    with time_machine.travel(timezone.now() + timedelta(minutes=61), tick=False):
        assert client.post(URL, _form(organisation)).status_code == 302
    assert Case.objects.count() == 21


def test_cases_registered_by_the_registry_office_do_not_count(
    login, journalist, organisation, staff
):
    for _ in range(20):
        submit(journalist, organisation, registered_by=staff["vanthu"], channel="phone")
    assert login(journalist).post(URL, _form(organisation)).status_code == 302


@override_settings(API_CASE_SUBMIT_RATE="3/hour")
def test_one_allowance_for_portal_and_api(login, journalist, other_journalist, organisation, staff):
    client = login(journalist)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(journalist)}")
    body = {
        "organisation": organisation.code,
        "kind": "question",
        "subject": "S",
        "questions": ["Q?"],
    }
    assert client.post(URL, _form(organisation)).status_code == 302
    assert client.post(URL, _form(organisation)).status_code == 302
    assert api.post("/api/v1/cases/", body, format="json").status_code == 201
    r = api.post("/api/v1/cases/", body, format="json")
    assert r.status_code == 429 and r.json()["code"] == "throttled"
    assert int(r["Retry-After"]) > 0
    assert client.post(URL, _form(organisation)).status_code == 429
    # Another journalist has their own allowance.
    assert login(other_journalist).post(URL, _form(organisation)).status_code == 302


def test_api_still_refuses_eleven_attachments(journalist, organisation, staff):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(journalist)}")
    body = {
        "organisation": organisation.code,
        "kind": "question",
        "subject": "S",
        "questions": ["Q?"],
        "attachments": [_pdf(f"t{i}.pdf") for i in range(11)],
    }
    r = api.post("/api/v1/cases/", body, format="multipart")
    assert r.status_code == 400
    assert r.json()["fields"]["attachments"] == ["Tối đa 10 tệp đính kèm."]
    assert not Case.objects.exists()


@override_settings(CASE_MAX_UPLOAD_BYTES=4000, CASE_MAX_SUBMISSION_BYTES=10_000)
def test_api_refuses_files_over_the_total(journalist, organisation, staff):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(journalist)}")
    body = {
        "organisation": organisation.code,
        "kind": "question",
        "subject": "S",
        "questions": ["Q?"],
        "attachments": [_pdf(f"t{i}.pdf", size=3500) for i in range(3)],
    }
    r = api.post("/api/v1/cases/", body, format="multipart")
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    assert not Case.objects.exists()


def test_the_submit_page_is_for_journalists_only(login, staff, organisation, client):
    assert client.post(URL, _form(organisation)).status_code == 302  # to the login page
    for user in staff.values():
        assert login(user).post(URL, _form(organisation)).status_code == 403
    assert not Case.objects.exists()


def test_csrf_is_still_checked(journalist, organisation, staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(journalist)
    assert client.post(URL, _form(organisation)).status_code == 403
    assert not Case.objects.exists()


def test_clarification_reply_has_the_same_file_limit(login, journalist, organisation, staff):
    case = submit(journalist, organisation)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.AWAITING_CLARIFICATION)
    client = login(journalist)
    files = [_pdf(f"tl{i}.pdf") for i in range(11)]
    r = client.post(
        f"/nha-bao/ho-so/{case.reference}/", {"message": "Bổ sung", "attachments": files}
    )
    assert "Tối đa 10 tệp đính kèm." in r.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_CLARIFICATION
    assert not case.attachments.exists()
