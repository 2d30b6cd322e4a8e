from tests.workflows.conftest import act, case, staff  # noqa: F401 — shared fixtures
