import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from roles.models import Organisation
from tests.factories import OrganisationFactory


def test_tree_ancestors_and_descendants(province, organisation):
    school = OrganisationFactory(code="th-lai-thieu", parent=organisation, kind="school")
    assert school.ancestors() == [organisation, province]
    assert {o.code for o in province.descendants()} == {"pgddt-thuan-an", "th-lai-thieu"}
    assert organisation.descendants() == [school]


def test_an_organisation_cannot_be_its_own_ancestor(province, organisation):
    province.parent = organisation
    with pytest.raises(ValidationError) as exc:
        province.full_clean()
    assert "cấp trên của chính nó" in str(exc.value)


def test_code_is_unique(organisation):
    with pytest.raises(IntegrityError):
        Organisation.objects.create(
            code="pgddt-thuan-an",
            name="Trùng mã",
            kind="office",
            abbreviation="X",
            place_name="X",
        )
