from tests.release.conftest import dev_pki, signing_credentials  # noqa: F401 — shared fixtures
from tests.workflows.conftest import act, case, staff  # noqa: F401 — shared fixtures
