"""Which organisations journalists may ask is data (NĐ 244/2026 Art. 2.1): schools are not."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from core.errors import DomainError
from roles.models import Organisation
from tests.api.conftest import assert_error, token_key
from tests.factories import OrganisationFactory
from tests.workflows.helpers import submit
from workflows.cases.models import Case

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        yield


@pytest.fixture
def school(organisation):
    return OrganisationFactory(
        code="thcs-nguyen-trai",
        name="Trường THCS Nguyễn Trãi",
        kind=Organisation.Kind.SCHOOL,
        parent=organisation,
        abbreviation="THCSNT",
    )


def test_schools_are_created_not_asked_and_offices_asked(organisation, school):
    assert organisation.receives_press_questions is True
    assert school.receives_press_questions is False
    # The flag stays data: an administrator may turn it on (or off) later.
    school.receives_press_questions = True
    school.save()
    school.refresh_from_db()
    assert school.receives_press_questions is True


def test_the_service_refuses_an_organisation_that_is_not_asked(journalist, school, staff):
    with pytest.raises(DomainError) as exc:
        submit(journalist, school)
    assert exc.value.code == "organisation_not_asked" and exc.value.field == "organisation"
    assert not Case.objects.exists()


def test_the_submit_form_offers_and_accepts_only_the_bodies_asked(
    login, journalist, organisation, school, staff
):
    client = login(journalist)
    page = client.get("/nha-bao/ho-so/gui/").content.decode()
    assert organisation.name in page and school.name not in page
    response = client.post(
        "/nha-bao/ho-so/gui/",
        {
            "organisation": school.pk,
            "kind": "question",
            "subject": "Thu tiền học thêm",
            "questions": "Trường thu bao nhiêu?",
            "desired_form": "written",
        },
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_the_api_lists_and_accepts_only_the_bodies_asked(journalist, organisation, school, staff):
    anon = APIClient()
    codes = {o["code"] for o in anon.get("/api/v1/organisations/").json()["results"]}
    assert organisation.code in codes and school.code not in codes
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key(journalist)}")
    response = client.post(
        "/api/v1/cases/",
        {
            "organisation": school.code,
            "kind": "question",
            "subject": "Thu tiền học thêm",
            "questions": ["Trường thu bao nhiêu?"],
        },
        format="json",
    )
    body = assert_error(response, 400, "validation_error")
    assert body["reason"] == "organisation_not_asked"
    assert "organisation" in body["fields"]
    assert not Case.objects.exists()
