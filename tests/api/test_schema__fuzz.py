"""Property-based fuzzing of the API against its own OpenAPI schema (schemathesis).

Every generated request, valid or not, must get a documented status (never a 500), with
the documented content type and a body that conforms to the schema. (Not checked: that
every schema-invalid request is refused — the API reads an empty query parameter such as
`?status=` as "no filter", as web APIs usually do.)
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import token_key
from tests.workflows.helpers import submit
from workflows.statements.drafting import statement_create

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# Loaded at collection (no database needed to generate it); requests go to the WSGI app.
# (schemathesis.pytest.from_fixture reads a private pytest attribute gone in pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application()).exclude(
    # Revoking one's own token would log the fuzzer out for the remaining examples.
    path="/api/v1/auth/token/",
    method="DELETE",
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to Django's WSGI handler, which closes the database connection
    when a request ends; inside a test transaction (PostgreSQL) that would end the test's
    transaction. Django's own test client disconnects the same receivers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(journalist, organisation, staff):
    """A case in triage and a statement in drafting, so small ids sometimes hit real objects."""
    statement = statement_create(
        organisation=organisation, by=staff["phatngon"], kind="periodic", title="Thông tin định kỳ"
    )
    return {"case": submit(journalist, organisation), "statement": statement, **staff}


def _token(user) -> dict:
    return {"Authorization": f"Token {token_key(user)}"}


@schema.parametrize()
@FUZZ
def test_fuzz_as_journalist(case, fuzz_world):
    case.call_and_validate(headers=_token(fuzz_world["case"].journalist), checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_fuzz_as_staff(case, fuzz_world):
    case.call_and_validate(headers=_token(fuzz_world["vanthu"]), checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_fuzz_as_inspector(case, fuzz_world):
    case.call_and_validate(headers=_token(fuzz_world["thanhtra"]), checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_fuzz_as_spokesperson(case, fuzz_world):
    """The spokesperson opens and drafts statements: the statement services are reached."""
    case.call_and_validate(headers=_token(fuzz_world["phatngon"]), checks=CHECKS)
