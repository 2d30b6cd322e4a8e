"""Signing authority as data (Nghị định 30/2020, Phụ lục I, II.7.b): a membership may carry
TM., Q., TL., TUQ. or KT.; the signature block renders from it; the sign-off refuses a signer
with no authority for the organisation; the deputy's KT. keeps working."""

import pytest

from core.errors import DomainError
from release.models import Authority
from release.rendering import signature_lines
from roles import services as role_services
from roles.models import Role, SigningMark
from tests.factories import UserFactory
from tests.workflows.helpers import new_statement, to_step
from workflows.engine.signoff import signing_authority_for, signoff_apply
from workflows.statements.models import Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief_of_office(organisation):
    """Chánh Văn phòng, authorised by the head to sign press statements (TUQ.)."""
    user = UserFactory(username="chanhvanphong")
    role_services.membership_grant(
        user=user,
        organisation=organisation,
        role=Role.REGISTRY_OFFICER,
        title="Chánh Văn phòng",
        signing_mark=SigningMark.TUQ,
    )
    return user


def test_tuq_is_a_signing_authority_and_renders_on_behalf_of_the_head():
    assert Authority.TUQ == "TUQ." == SigningMark.TUQ


def test_a_member_given_tuq_signs_tuq(staff, organisation, act, chief_of_office):
    assert signing_authority_for(chief_of_office, organisation) == "TUQ."
    statement = new_statement(staff["chuyenvien"], organisation)
    to_step(statement, staff, act, "signoff")
    act(chief_of_office, statement, "signoff", {"action": "sign", "confirm": "on"})
    statement.refresh_from_db()
    assert statement.signer == chief_of_office and statement.signing_authority == "TUQ."
    document = statement.document
    assert document is not None and document.authority == "TUQ."
    assert signature_lines(document) == ["TUQ. TRƯỞNG PHÒNG", "CHÁNH VĂN PHÒNG"]


def test_head_and_deputy_keep_their_way_of_signing(staff, organisation):
    assert signing_authority_for(staff["lanhdao"], organisation) == ""
    assert signing_authority_for(staff["pholanhdao"], organisation) == "KT."


@pytest.mark.parametrize("who", ["chuyenvien", "phatngon", "vanthu", "thanhtra"])
def test_a_signer_without_authority_is_refused(staff, organisation, who):
    assert signing_authority_for(staff[who], organisation) is None
    statement = new_statement(staff["chuyenvien"], organisation)
    with pytest.raises(DomainError) as exc:
        signoff_apply(statement, by=staff[who], action="sign", data={})
    assert exc.value.code == "signer"
    assert statement.signer is None and statement.status == Statement.Status.DRAFTING


def test_a_deputy_without_the_right_is_refused(organisation, staff):
    deputy = UserFactory(username="phokhac")
    role_services.membership_grant(
        user=deputy, organisation=organisation, role=Role.DEPUTY_HEAD, title="Phó Trưởng phòng"
    )
    assert signing_authority_for(deputy, organisation) is None


def test_a_mark_in_another_organisation_gives_no_authority_here(
    other_organisation, chief_of_office
):
    assert signing_authority_for(chief_of_office, other_organisation) is None
