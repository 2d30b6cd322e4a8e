"""The press-conference invitation in the form of Mẫu 1.7 (Nghị định 30/2020, Phụ lục III):
"… trân trọng kính mời: …", "Tới dự: …", "Chủ trì: …", "Thời gian: …", "Địa điểm: …"; the
content and the chair are required before the draft goes to review."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from release.rendering import document_render
from tests.release.pdfmeasure import PageMeasure, save_png
from tests.workflows.helpers import draft_data, new_statement, open_task
from workflows.statements.fields import body_template
from workflows.statements.models import Statement

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        yield


def _invitation(staff, organisation, **kw):
    organisation.header_agency_lines = "PHÒNG GIÁO DỤC\nVÀ ĐÀO TẠO"
    organisation.save(update_fields=["header_agency_lines"])
    data = {
        "kind": Statement.Kind.CONFERENCE,
        "title": "Về việc họp báo thông tin kết quả tuyển sinh",
        "conference_at": datetime(2026, 12, 3, 9, 0, tzinfo=VN),
        "conference_place": "Hội trường Phòng Giáo dục và Đào tạo, số 1 Nguyễn Văn Tiết",
    }
    data.update(kw)
    statement = new_statement(staff["phatngon"], organisation, **data)
    statement.body = body_template(statement)
    statement.save(update_fields=["body"])
    return statement


def _form(statement, **extra):
    when = timezone.localtime(statement.conference_at).strftime("%Y-%m-%dT%H:%M")
    data = {"conference_at": when, "conference_place": statement.conference_place}
    data.update(extra)
    return draft_data(statement, body=statement.body, **data)


@pytest.mark.parametrize(
    "missing, message",
    [("conference_content", "Hãy nhập nội dung họp báo"), ("conference_chair", "chủ trì")],
)
def test_content_and_chair_are_required_before_review(staff, organisation, act, missing, message):
    statement = _invitation(staff, organisation)
    filled = {"conference_content": "họp báo về tuyển sinh", "conference_chair": "Ông Lãnh"}
    filled[missing] = ""
    r = act(staff["phatngon"], statement, "draft", _form(statement, **filled), expect=200)
    assert message in r.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFTING and open_task(statement, "draft")


def test_the_invitation_reads_as_form_1_7(staff, organisation, act):
    statement = _invitation(staff, organisation)
    act(
        staff["phatngon"],
        statement,
        "draft",
        _form(
            statement,
            conference_content="Họp báo thông tin kết quả tuyển sinh lớp 6 năm học 2027 - 2028",
            conference_chair="Ông Nguyễn Văn Lãnh, Trưởng phòng",
        ),
    )
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    statement.refresh_from_db()
    document = statement.document  # numbered by the flow; rendered here, unsigned
    rendered = document_render(document)
    save_png(rendered.pdf, "giay_moi")
    page = PageMeasure(rendered.pdf)
    try:
        assert page.line("GIẤY MỜI")
        text = page.all_text()
        lines = [
            "trân trọng kính mời: đại diện lãnh đạo và phóng viên các cơ quan báo chí.",
            "Tới dự: Họp báo thông tin kết quả tuyển sinh lớp 6 năm học 2027 - 2028.",
            "Chủ trì: Ông Nguyễn Văn Lãnh, Trưởng phòng.",
            "Thời gian: 09:00 ngày 03/12/2026.",
            "Địa điểm: Hội trường Phòng Giáo dục và Đào tạo, số 1 Nguyễn Văn Tiết./.",
        ]
        for line in lines:
            assert line in text, line
        order = [page.line(t).y1 for t in page.lines_starting(("Tới dự", "Chủ trì", "Thời gian"))]
        assert order == sorted(order, reverse=True)  # one under the other, in that order
        assert "…" not in text.split("Xác thực")[0]
    finally:
        page.close()
