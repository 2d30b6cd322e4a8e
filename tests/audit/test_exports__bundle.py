"""An inspector downloads a bundle that a standalone verifier accepts, and a modified copy it rejects."""

import csv
import io
import json
import re
import subprocess
import sys
import zipfile

import pytest
from openpyxl import load_workbook

import audit
from audit.anchors import anchor_create
from audit.models import AuditExport, LedgerEvent
from roles.services import membership_grant
from tests.factories import UserFactory, long_ago

BASE = "/workspace/inspection/"


@pytest.fixture
def history(db, head, inspector, outsider, organisation, other_organisation):
    for i in range(6):
        audit.record(
            action="case.step",
            actor=head,
            organisation=organisation,
            target_type="workflows.case",
            target_id=i,
            after={"bước": i, "ghi chú": "Thuận An"},
        )
        if i == 2:
            anchor_create()
    audit.record(
        action="case.step",
        actor=outsider,
        organisation=other_organisation,
        after={"secret": "Dĩ An"},
    )
    anchor_create()


def request_export(client, fmt, capture, **filters):
    with capture(execute=True):
        response = client.post(f"{BASE}xuat/tao/", {"format": fmt, **filters})
    assert response.status_code == 302
    export = AuditExport.objects.latest("pk")
    assert response["Location"].endswith(f"/xuat/{export.pk}/")
    return export


def download(client, export) -> bytes:
    page = client.get(f"{BASE}xuat/{export.pk}/")
    assert page.status_code == 200 and "Tải về" in page.content.decode()
    response = client.get(f"{BASE}xuat/{export.pk}/tai-ve/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def verify(path) -> subprocess.CompletedProcess:
    """Run the bundle's own verifier with no site-packages (-S) and no environment (-I)."""
    if path.is_dir():
        args = [str(path / "verify_bundle.py")]
    else:
        args = [str(path.parent / "verify_bundle.py"), str(path)]
    return subprocess.run(
        [sys.executable, "-I", "-S", *args], capture_output=True, text=True, timeout=60, cwd="/"
    )


def unzip(data: bytes, target):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        zf.extractall(target)
    return target


@pytest.fixture
def bundle(login, inspector, history, django_capture_on_commit_callbacks, tmp_path):
    client = login(inspector)
    export = request_export(client, "bundle", django_capture_on_commit_callbacks)
    data = download(client, export)
    return export, data, unzip(data, tmp_path / "bundle")


def test_the_standalone_verifier_accepts_a_fresh_bundle(bundle):
    export, data, folder = bundle
    export.refresh_from_db()
    assert export.status == "done" and export.progress == 100
    result = verify(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK:")
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {
        "events.jsonl",
        "anchors.jsonl",
        "manifest.json",
        "verify_bundle.py",
        "README.txt",
    } <= names
    assert any(n.startswith("documents/") and n.endswith(".pdf") for n in names)
    assert any(n.endswith(".p7s") for n in names)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["files"]) == names - {"manifest.json"}
    assert "THANH TRA" in (folder / "README.txt").read_text(encoding="utf-8")


def test_the_bundle_holds_only_the_inspectors_organisations(bundle):
    _, _, folder = bundle
    lines = [
        json.loads(x) for x in (folder / "events.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert lines and {x["organisation"] for x in lines} == {"pgddt-thuan-an"}
    assert "Dĩ An" not in (folder / "events.jsonl").read_text(encoding="utf-8")


def test_the_verifier_rejects_a_modified_event(bundle):
    _, _, folder = bundle
    path = folder / "events.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    victim = json.loads(lines[3])
    victim["after"] = json.dumps({"bước": 99, "ghi chú": "Thuận An"}, ensure_ascii=False)
    lines[3] = json.dumps(victim, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Even with the manifest updated to match, the event's own hash gives it away.
    manifest = json.loads((folder / "manifest.json").read_text())
    import hashlib

    manifest["files"]["events.jsonl"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    result = verify(folder)
    assert result.returncode == 1
    assert f"[seq {victim['seq']}]" in result.stdout and "hash mismatch" in result.stdout


def test_the_verifier_rejects_a_modified_pdf(bundle):
    _, _, folder = bundle
    pdf = next((folder / "documents").glob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes().replace(b"test document", b"fake document"))
    result = verify(folder)
    assert result.returncode == 1
    assert pdf.name in result.stdout and "file modified" in result.stdout


def test_the_verifier_checks_the_zip_itself(bundle, tmp_path):
    _, data, folder = bundle
    (tmp_path / "goi.zip").write_bytes(data)
    (tmp_path / "verify_bundle.py").write_bytes((folder / "verify_bundle.py").read_bytes())
    assert verify(tmp_path / "goi.zip").returncode == 0


def test_exports_and_downloads_are_recorded(bundle, inspector):
    export, data, _ = bundle
    import hashlib

    requested = LedgerEvent.objects.get(action="audit.export_request")
    ready = LedgerEvent.objects.get(action="audit.export_ready")
    downloaded = LedgerEvent.objects.get(action="audit.export_download")
    assert requested.actor_id == downloaded.actor_id == inspector.pk
    assert (
        ready.after_data["sha256"]
        == downloaded.after_data["sha256"]
        == hashlib.sha256(data).hexdigest()
    )
    assert (downloaded.target_type, downloaded.target_id) == ("audit.auditexport", str(export.pk))


def test_someone_else_cannot_download_an_export(bundle, client):
    export, _, _ = bundle
    colleague = UserFactory(username="thanhtra2")
    membership_grant(
        user=colleague,
        organisation=export.requested_by.memberships.first().organisation,
        role="inspector",
        title="Thanh tra viên",
        valid_from=long_ago(),
    )
    client.force_login(colleague)
    assert client.get(f"{BASE}xuat/{export.pk}/tai-ve/").status_code == 403
    assert client.get(f"{BASE}xuat/{export.pk}/").status_code == 403
    assert LedgerEvent.objects.filter(action="access.denied", actor=colleague).count() == 2


def test_csv_and_xlsx_exports(login, inspector, history, django_capture_on_commit_callbacks):
    client = login(inspector)
    export = request_export(client, "csv", django_capture_on_commit_callbacks, action="case.step")
    rows = list(csv.reader(io.StringIO(download(client, export).decode("utf-8-sig"))))
    assert rows[0][:3] == ["STT", "Thời điểm (UTC)", "Thời điểm (giờ Việt Nam)"]
    assert len(rows) == 1 + 6
    assert rows[1][1].endswith("+00:00")
    assert re.fullmatch(r"\d{2}:\d{2}:\d{2} ngày \d{2}/\d{2}/\d{4}", rows[1][2])
    assert rows[0][8] == "Mã hành động" and rows[1][8] == "case.step"
    assert "Thuận An" in rows[1][13]
    export = request_export(client, "xlsx", django_capture_on_commit_callbacks, action="case.step")
    wb = load_workbook(io.BytesIO(download(client, export)))
    values = list(wb.active.values)
    assert values[0][0] == "STT" and len(values) == 1 + 6


def test_an_export_outside_the_scope_is_refused(login, inspector, history, other_organisation):
    response = login(inspector).post(
        f"{BASE}xuat/tao/", {"format": "csv", "organisation": other_organisation.code}
    )
    assert response.status_code == 302
    assert not AuditExport.objects.exists()


def test_the_progress_page_refreshes_until_done(login, inspector, history):
    client = login(inspector)
    client.post(f"{BASE}xuat/tao/", {"format": "csv"})  # on_commit not run: stays pending
    export = AuditExport.objects.get()
    page = client.get(f"{BASE}xuat/{export.pk}/")
    assert 'http-equiv="refresh"' in page.content.decode()
    assert client.get(f"{BASE}xuat/{export.pk}/tai-ve/").status_code == 404
    views = LedgerEvent.objects.filter(action="audit.view_export").count()
    client.get(f"{BASE}xuat/{export.pk}/?poll=1")
    assert LedgerEvent.objects.filter(action="audit.view_export").count() == views


def test_exports_show_a_hostile_user_agent_as_text(
    login, inspector, organisation, journalist, django_capture_on_commit_callbacks
):
    """Review M5: a User-Agent typed by anyone reaches the inspector's spreadsheet as text."""
    from django.test import RequestFactory

    payload = '=HYPERLINK("http://127.0.0.1:9999/xlsx-formula","click me")'
    request = RequestFactory().get("/", HTTP_USER_AGENT=payload)
    from audit import context as audit_context

    with audit_context.bound(audit_context.from_request(request)):
        audit.record(action="document.download", actor=journalist, organisation=organisation)
    client = login(inspector)
    export = request_export(
        client, "csv", django_capture_on_commit_callbacks, action="document.download"
    )
    rows = list(csv.reader(io.StringIO(download(client, export).decode("utf-8-sig"))))
    agent = rows[0].index("Trình duyệt")
    assert rows[1][agent] == "'" + payload
    export = request_export(
        client, "xlsx", django_capture_on_commit_callbacks, action="document.download"
    )
    data = download(client, export)
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    values = list(load_workbook(io.BytesIO(data)).active.values)
    assert values[1][agent] == "'" + payload


def test_an_export_whose_message_was_lost_is_built_by_the_sweep(login, inspector, history):
    """The request committed but its message never reached a worker (broker away)."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from audit.tasks import exports_pending_sweep_task

    login(inspector).post(f"{BASE}xuat/tao/", {"format": "csv"})  # on_commit not run
    export = AuditExport.objects.latest("pk")
    assert export.status == AuditExport.Status.PENDING
    assert exports_pending_sweep_task() == 0  # just requested: its message may still come
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        assert exports_pending_sweep_task() == 1  # eager: built at once
    export.refresh_from_db()
    assert export.status == AuditExport.Status.DONE
