"""case_extend: the legal cap (`max_extension`) holds over all extensions of a case together."""

import pytest

from core.errors import DomainError
from workflows.cases import steps as case_steps
from workflows.rules import calendar


@pytest.fixture
def cap(case):
    rule = case.rule
    assert rule.extendable and rule.max_extension >= 2
    return rule.max_extension


def test_repeated_extensions_never_pass_the_legal_cap(case, staff, cap):
    """3 extensions of the whole cap: the first is granted, the others are refused (D1)."""
    original = case.due_at
    ceiling = calendar.civil_code_end(original, cap, case.rule.effective_extension_unit)
    case_steps.case_extend(case=case, by=staff["phatngon"], days=cap, reason="Cần xác minh")
    for _attempt in range(2):
        with pytest.raises(DomainError) as refused:
            case_steps.case_extend(case=case, by=staff["lanhdao"], days=cap, reason="Thêm nữa")
        assert refused.value.code == "extension_too_long"
        assert "Chỉ được gia hạn tối đa" in refused.value.message
        assert "đã gia hạn" in refused.value.message
    case.refresh_from_db()
    assert case.due_at == ceiling and case.extended_amount == cap


def test_extensions_add_up_to_the_cap_and_no_further(case, staff, cap):
    original = case.due_at
    ceiling = calendar.civil_code_end(original, cap, case.rule.effective_extension_unit)
    case_steps.case_extend(case=case, by=staff["phatngon"], days=cap - 1, reason="Lần một")
    case_steps.case_extend(case=case, by=staff["phatngon"], days=1, reason="Lần hai")
    case.refresh_from_db()
    assert case.extended_amount == cap and case.due_at <= ceiling
    with pytest.raises(DomainError, match="tối đa"):
        case_steps.case_extend(case=case, by=staff["phatngon"], days=1, reason="Lần ba")
    case.refresh_from_db()
    assert case.extended_amount == cap and case.due_at <= ceiling


def test_the_page_shows_the_refusal_next_to_the_field(case, staff, login, cap):
    client = login(staff["phatngon"])
    url = f"/workspace/cases/pages/{case.pk}/"
    assert client.post(url, {"days": cap, "reason": "Cần xác minh"}).status_code == 302
    r = client.post(url, {"days": 1, "reason": "Thêm một ngày"})
    assert r.status_code == 200
    assert "Chỉ được gia hạn tối đa" in r.content.decode()
    case.refresh_from_db()
    assert case.extended_amount == cap
