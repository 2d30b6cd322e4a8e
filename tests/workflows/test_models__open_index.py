"""The partial index that /metrics counts open cases with covers exactly the open statuses."""

from workflows.models import Case


def test_open_cases_index_matches_open_statuses():
    (index,) = [i for i in Case._meta.indexes if i.name == "case_open_due_idx"]
    (lookup, statuses) = index.condition.children[0]
    assert lookup == "status__in"
    assert set(statuses) == {str(s) for s in Case.OPEN_STATUSES}
