"""No document can be signed while its text still holds a template placeholder ("…", "...",
"[", "<…>"): the one sign-off service refuses it, on the web pages and in the API alike."""

import pytest

from release.placeholders import placeholders_find
from tests.workflows.helpers import draft_data, new_statement, open_task, to_step
from workflows.cases.models import Case
from workflows.statements.models import Statement

pytestmark = pytest.mark.django_db

UNFILLED = (
    "Phòng Giáo dục và Đào tạo trân trọng kính mời đại diện các cơ quan báo chí tới dự họp "
    "báo.\n\nNội dung: …"
)


@pytest.mark.parametrize(
    "text",
    [
        "Nội dung: …",
        "Ngày ..., tại Trường",
        "Kính gửi: [tên cơ quan báo chí]",
        "Giao <đơn vị> thực hiện",
        "Thiếu ngoặc [",
    ],
)
def test_each_marker_is_a_placeholder(text):
    assert placeholders_find(text)


@pytest.mark.parametrize(
    "text",
    [
        "Quyết định có hiệu lực kể từ ngày ký./.",
        "12 học sinh; 3 > 2.",
        "Số 01/TB-PGDĐT.",
        "12 học sinh có biểu hiện ngộ độc…",
        "Vì sao...?",
    ],
)
def test_finished_text_holds_no_placeholder(text):
    assert placeholders_find(text) == []


def test_the_signer_cannot_sign_an_unfilled_invitation_on_the_web(staff, organisation, act):
    statement = new_statement(staff["chuyenvien"], organisation, kind=Statement.Kind.INITIAL)
    act(staff["chuyenvien"], statement, "draft", draft_data(statement, body=UNFILLED))
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    r = act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"}, expect=200)
    page = r.content.decode()
    assert "Văn bản còn chỗ trống chưa điền" in page and "Nội dung: …" in page
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SIGNOFF and statement.signer is None
    assert open_task(statement, "signoff")  # still waiting for a signature


def test_a_filled_statement_signs(staff, organisation, act):
    statement = new_statement(staff["chuyenvien"], organisation)
    to_step(statement, staff, act, "signoff")
    act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    statement.refresh_from_db()
    assert statement.signer == staff["lanhdao"]


def test_a_journalist_s_dots_do_not_block_the_answer_but_the_office_s_do(case, staff, act):
    case.questions = ["Vì sao trường thu tiền học thêm...?"]
    case.save(update_fields=["questions"])
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": "Phòng trả lời: …"})
    act(staff["phatngon"], case, "review", {"action": "approve"})
    r = act(staff["lanhdao"], case, "signoff", {"action": "sign", "confirm": "on"}, expect=200)
    assert "Văn bản còn chỗ trống chưa điền" in r.content.decode()
    assert case.status == Case.Status.SIGNOFF
    act(staff["lanhdao"], case, "signoff", {"action": "return", "to": "draft", "comment": "Điền"})
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": "Phòng đã kiểm tra."})
    act(staff["phatngon"], case, "review", {"action": "approve"})
    act(staff["lanhdao"], case, "signoff", {"action": "sign", "confirm": "on"})
    assert case.signer == staff["lanhdao"]
