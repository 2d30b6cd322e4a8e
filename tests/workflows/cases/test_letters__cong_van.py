"""Replies to the press as công văn (NĐ 30/2020 Phụ lục III, Mẫu 1.5): number agency-unit,
“V/v …” per purpose, “Kính gửi:”, one opening, “Nơi nhận: - Như trên; - Lưu: VT, <unit>.”,
and the two signatures still valid. PNGs of an answer and a refusal go to test-artifacts/."""

import subprocess
from pathlib import Path

import pytest

from audit.models import LedgerEvent
from release.models import DocType, IssuedDocument
from release.validation import validate_pdf
from tests.factories import PressAgencyFactory, UnitFactory
from tests.release.helpers import flat_text, issue, pdftotext
from tests.workflows.helpers import submit
from workflows.cases import issue as case_issue
from workflows.cases import letters
from workflows.cases.models import Case
from workflows.engine.letters import member_unit, subject_phrase
from workflows.rules import deadlines
from workflows.rules.models import RefusalGround

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "release"
SUBJECT = "Thu tiền học thêm tại Trường THCS Nguyễn Trãi"  # tests.workflows.helpers.submit
SUBJECT_LOWER = "thu tiền học thêm tại Trường THCS Nguyễn Trãi"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # No time travel: the session's dev PKI is issued at the real time, and a signature made
    # before its certificates' start would not validate (checked under faketime too).
    settings.MEDIA_ROOT = tmp_path / "media"


def _save_png(pdf: bytes, name: str, tmp_path: Path) -> Path:
    """Render page 1 at 110 dpi with pdftoppm into test-artifacts/release/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(source)]
        + [str(ARTIFACTS / name)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return ARTIFACTS / f"{name}.png"


def _named(case, staff):
    """Real-looking names on the documents saved as artefacts (the factories number theirs)."""
    journalist = case.journalist
    journalist.first_name, journalist.last_name = "Nguyễn Thị", "Hoa"
    journalist.save(update_fields=["first_name", "last_name"])
    case.press_agency.name = "Báo Giáo dục và Thời đại"
    case.press_agency.save(update_fields=["name"])
    head = staff["lanhdao"]
    head.first_name, head.last_name = "Nguyễn Văn", "Lãnh"
    head.save(update_fields=["first_name", "last_name"])


def _to_signoff(case, staff, act, *, refuse: bool = False):
    _named(case, staff)
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    act(
        staff["chuyenvien"],
        case,
        "draft",
        {"action": "submit", "answer": "Phòng đã kiểm tra; trường không thu tiền học thêm."},
    )
    if refuse:
        ground = deadlines.refusal_grounds_for(case.received_at)[0]
        # Only a ground whose wording an administrator confirmed goes into a signed refusal.
        RefusalGround.objects.filter(pk=ground.pk).update(unconfirmed=False)
        act(
            staff["phatngon"],
            case,
            "review",
            {"action": "refuse", "ground": ground.code, "reason": "Vụ việc đang được thanh tra"},
        )
    else:
        act(staff["phatngon"], case, "review", {"action": "approve"})


def _sign(case, staff, act, capture):
    with capture(execute=True):
        act(staff["lanhdao"], case, "signoff", {"action": "sign", "confirm": "on"})
    case.refresh_from_db()
    return case.document


def test_an_answer_is_a_signed_cong_van_to_the_press_agency(
    case, staff, act, signing_credentials, django_capture_on_commit_callbacks, tmp_path
):
    _to_signoff(case, staff, act)
    document = _sign(case, staff, act, django_capture_on_commit_callbacks)
    assert case.status == Case.Status.ANSWERED
    assert document.status == IssuedDocument.Status.ISSUED
    assert document.doc_type == DocType.CONG_VAN
    assert document.unit == case.assigned_unit and document.unit.abbreviation == "TH"
    assert document.number_display == "01/PGDĐT-TH"
    journalist = case.journalist.get_full_name()
    agency = case.press_agency.name
    assert document.summary == f"trả lời câu hỏi của nhà báo {journalist} về {SUBJECT_LOWER}"
    assert document.addressees == [f"{agency} (nhà báo {journalist})"]

    pdf = document.pdf.read()
    report = validate_pdf(pdf)
    assert report.all_valid and len(report.signatures) == 2

    text = flat_text(pdf)
    assert "Số: 01/PGDĐT-TH" in text
    assert f"V/v trả lời câu hỏi của nhà báo {journalist} về {SUBJECT_LOWER}" in text
    assert f"Kính gửi: {agency} (nhà báo {journalist})" in text
    assert "CÔNG VĂN" not in text and "THÔNG BÁO" not in text
    assert "Nơi nhận: - Như trên; - Lưu: VT, TH." in text
    # One opening only (ux.md problem 17).
    assert text.count("như sau:") == 1
    assert "trả lời như sau: Phòng đã kiểm tra" in text
    # The number, the V/v and the addressee are where Mẫu 1.5 puts them.
    layout = pdftotext(pdf)
    lines = [line for line in layout.splitlines() if line.strip()]
    number_at = next(i for i, line in enumerate(lines) if "Số: 01/PGDĐT-TH" in line)
    assert lines[number_at + 1].strip().startswith("V/v trả lời câu hỏi")
    kinh_gui = next(line for line in lines if "Kính gửi:" in line)
    left = len(kinh_gui) - len(kinh_gui.lstrip())
    assert left > 10  # centred, not at the left margin
    png = _save_png(pdf, "cong_van_answer", tmp_path)
    assert png.stat().st_size > 10_000


def test_a_refusal_is_a_cong_van_with_its_ground(
    case, staff, act, signing_credentials, django_capture_on_commit_callbacks, tmp_path
):
    _to_signoff(case, staff, act, refuse=True)
    document = _sign(case, staff, act, django_capture_on_commit_callbacks)
    assert case.status == Case.Status.REFUSED
    assert document.doc_type == DocType.CONG_VAN and document.number_display == "01/PGDĐT-TH"
    assert document.summary == f"từ chối cung cấp thông tin về {SUBJECT_LOWER}"
    pdf = document.pdf.read()
    assert validate_pdf(pdf).all_valid
    text = flat_text(pdf)
    assert f"V/v từ chối cung cấp thông tin về {SUBJECT_LOWER}" in text
    assert "Kính gửi:" in text and "- Lưu: VT, TH." in text
    assert case.refusal_ground.citation in text
    assert "Lý do: Vụ việc đang được thanh tra." in text
    png = _save_png(pdf, "cong_van_refusal", tmp_path)
    assert png.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("kind", "purpose", "start"),
    [
        (Case.Kind.QUESTION, None, "trả lời câu hỏi của nhà báo {journalist} về {subject}"),
        (
            Case.Kind.ANSWER_REQUEST,
            None,
            "trả lời trên báo chí theo yêu cầu của {agency} về {subject}",
        ),
        (
            Case.Kind.PRESS_REPORT,
            None,
            "thông báo kết quả xử lý ý kiến, kiến nghị, phản ánh về {subject} "
            "do {agency} chuyển đến",
        ),
        (
            Case.Kind.COMPLAINT,
            letters.Purpose.COMPLAINT_ACCEPTED,
            "thông báo thụ lý khiếu nại về {subject} do {agency} chuyển đến",
        ),
        (
            Case.Kind.COMPLAINT,
            letters.Purpose.COMPLAINT_NOT_ACCEPTED,
            "thông báo không thụ lý khiếu nại về {subject} do {agency} chuyển đến",
        ),
        (
            Case.Kind.COMPLAINT,
            None,
            "thông báo kết quả giải quyết khiếu nại về {subject} do {agency} chuyển đến",
        ),
    ],
)
def test_each_purpose_has_its_trich_yeu(journalist, organisation, staff, kind, purpose, start):
    case = submit(journalist, organisation, kind=kind, channel=Case.Channel.API)
    case.answer = "Nội dung."
    letter = letters.case_letter(case, purpose=purpose)
    expected = start.format(
        journalist=journalist.get_full_name(),
        agency=case.press_agency.name,
        subject=SUBJECT_LOWER,
    )
    assert letter.summary == expected
    assert "đề nghị của nhà báo" not in letter.summary
    assert letter.doc_type == DocType.CONG_VAN


def test_a_forwarded_report_notice_recalls_what_was_forwarded(journalist, organisation, staff):
    case = submit(journalist, organisation, kind=Case.Kind.PRESS_REPORT, channel=Case.Channel.API)
    case.answer = "Đã yêu cầu nhà trường hoàn trả."
    body = letters.case_letter(case).body
    assert f"do {case.press_agency.name} (nhà báo " in body
    assert "Nội dung phản ánh:\n1. " in body
    assert "các biện pháp đã thực hiện như sau:\n\nĐã yêu cầu nhà trường hoàn trả." in body


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Tuyển sinh lớp 6 năm học 2027–2028", "tuyển sinh lớp 6 năm học 2027–2028"),
        ("Về việc tuyển sinh lớp 6.", "tuyển sinh lớp 6"),
        ("V/v Khoản thu đầu năm", "khoản thu đầu năm"),
        ("THCS Nguyễn Trãi thu tiền", "THCS Nguyễn Trãi thu tiền"),
        ("Hà Nội điều chỉnh học phí", "Hà Nội điều chỉnh học phí"),
        ("Học phí ở Thuận An", "học phí ở Thuận An"),
        ("", ""),
    ],
)
def test_the_subject_continues_in_lower_case_keeping_names(given, expected):
    assert subject_phrase(given) == expected


def test_a_drafters_own_opening_is_not_doubled(journalist, organisation, staff):
    case = submit(journalist, organisation)
    case.answer = "Về câu hỏi của nhà báo, Phòng cung cấp thông tin như sau:\n\n1. Có."
    body = letters.case_letter(case).body
    assert body.count("như sau:") == 1 and body.endswith("như sau:\n\n1. Có.")


def test_the_draft_template_opens_no_second_time(case, staff, act, client):
    from tests.workflows.helpers import open_task, task_url

    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    client.force_login(staff["chuyenvien"])
    task = open_task(case, "draft")
    client.post(task_url(task, "assign"), {})
    html = client.get(task_url(task, "execute")).content.decode()
    assert "Nghị định số 244/2026/NĐ-CP" in html and "như sau:" not in html


def test_without_a_drafting_unit_the_symbol_is_the_agency_alone(
    journalist, organisation, staff, head
):
    case = submit(journalist, organisation)
    case.answer = "Nội dung."
    letter = letters.case_letter(case)
    assert letter.unit is None  # no triage yet: no unit, no specialist
    document = issue(organisation, head, by=head, signer_title="Trưởng phòng", **_fields(letter))
    assert document.number_display == "01/PGDĐT"
    from release.rendering import archive_line

    assert archive_line(document) == "Lưu: VT."


def _fields(letter):
    return letter.document_fields()


def test_the_unit_falls_back_to_the_specialists(journalist, organisation, staff, unit):
    case = submit(journalist, organisation)
    case.specialists.set([staff["chuyenvien"]])
    assert case.assigned_unit is None
    assert letters.drafting_unit(case) == unit
    assert member_unit(staff["chuyenvien"], organisation) == unit
    assert member_unit(staff["phatngon"], organisation) is None


def test_cong_van_continue_the_agencys_single_sequence(organisation, head):
    """NĐ 30/2020 Art. 15: one sequence a year for every type; `05/PGDĐT-GDTH` style."""
    gdth = UnitFactory(organisation=organisation, name="Tổ Giáo dục Tiểu học", abbreviation="GDTH")
    for doc_type in (DocType.THONG_BAO, DocType.THONG_CAO, DocType.GIAY_MOI, DocType.THONG_BAO):
        issue(organisation, head, doc_type=doc_type)
    agency = PressAgencyFactory(name="Báo Bình Dương")
    document = issue(
        organisation,
        head,
        doc_type=DocType.CONG_VAN,
        unit=gdth,
        summary="trả lời câu hỏi của nhà báo Lê Văn Tám về học phí",
        addressees=[agency.name],
        recipients=[agency.name],
    )
    assert document.number_display == "05/PGDĐT-GDTH"
    assert document.series == IssuedDocument.objects.get(number=1).series


def test_a_notice_about_a_case_does_not_close_it(
    journalist, organisation, staff, signing_credentials, django_capture_on_commit_callbacks
):
    case = submit(journalist, organisation, kind=Case.Kind.COMPLAINT, channel=Case.Channel.API)
    with django_capture_on_commit_callbacks(execute=True):
        document = case_issue.case_notice_issue(
            case=case,
            purpose=letters.Purpose.COMPLAINT_ACCEPTED,
            text="Phòng thụ lý đơn khiếu nại từ ngày 30/11/2026.",
            signer=staff["lanhdao"],
            authority="",
            signer_title="Trưởng phòng",
            by=staff["lanhdao"],
        )
    document.refresh_from_db()
    case.refresh_from_db()
    assert document.status == IssuedDocument.Status.ISSUED
    assert document.summary.startswith("thông báo thụ lý khiếu nại về ")
    assert case.document is None and case.is_open
    assert LedgerEvent.objects.filter(action="case.notice", target_id=str(case.pk)).exists()
    assert "việc thụ lý giải quyết khiếu nại như sau:" in flat_text(document.pdf.read())


def test_a_refusal_letter_needs_its_ground(journalist, organisation, staff):
    from core.errors import DomainError

    case = submit(journalist, organisation)
    with pytest.raises(DomainError) as error:
        letters.case_letter(case, purpose=letters.Purpose.REFUSAL, text="x")
    assert error.value.code == "ground"
    with pytest.raises(DomainError) as error:
        letters.case_letter(case, purpose="thu_hoi", text="x")
    assert error.value.code == "purpose"
