"""Plan topics: organisation data per year; only the organisation's active topics of the
year may be carried (roles.selectors.plan_topics_resolve)."""

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction

from core.errors import DomainError
from roles.models import PlanTopic
from roles.selectors import plan_topics_choosable, plan_topics_resolve


@pytest.fixture
def topics(organisation, other_organisation):
    return {
        "mine": PlanTopic.objects.create(
            organisation=organisation, year=2026, number=1, title="Tuyển sinh đầu cấp"
        ),
        "mine_2": PlanTopic.objects.create(
            organisation=organisation, year=2026, number=2, title="Chuyển đổi số"
        ),
        "inactive": PlanTopic.objects.create(
            organisation=organisation, year=2026, number=3, title="Học phí", is_active=False
        ),
        "last_year": PlanTopic.objects.create(
            organisation=organisation, year=2025, number=1, title="Tuyển sinh đầu cấp"
        ),
        "other_org": PlanTopic.objects.create(
            organisation=other_organisation, year=2026, number=1, title="Tuyển sinh đầu cấp"
        ),
    }


def test_the_organisations_active_topics_of_the_year_are_accepted(organisation, topics):
    chosen = plan_topics_resolve(
        organisation=organisation,
        year=2026,
        topics=[topics["mine_2"], topics["mine"].pk, topics["mine_2"].pk],
    )

    assert chosen == [topics["mine_2"], topics["mine"]]  # order kept, duplicates dropped
    assert plan_topics_resolve(organisation=organisation, year=2026, topics=[]) == []
    assert set(plan_topics_choosable([organisation.pk], 2026)) == {topics["mine"], topics["mine_2"]}


@pytest.mark.parametrize("which", ["inactive", "last_year", "other_org"])
def test_a_topic_of_another_organisation_or_year_or_inactive_is_refused(
    organisation, topics, which
):
    with pytest.raises(DomainError) as caught:
        plan_topics_resolve(
            organisation=organisation, year=2026, topics=[topics["mine"], topics[which]]
        )

    assert caught.value.code == "topics" and caught.value.field == "topics"
    assert "kế hoạch truyền thông năm 2026" in str(caught.value.message)
    assert organisation.name in str(caught.value.message)


@pytest.mark.parametrize("bad", [999_999, "1", True, None])
def test_unknown_or_malformed_ids_are_refused(organisation, topics, bad):
    with pytest.raises(DomainError) as caught:
        plan_topics_resolve(organisation=organisation, year=2026, topics=[bad])

    assert caught.value.code == "topics"


def test_a_number_is_used_once_per_organisation_and_year(organisation, topics):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanTopic.objects.create(organisation=organisation, year=2026, number=1, title="Trùng")


def test_the_admin_edits_topics_with_vietnamese_labels(admin_client, organisation, topics):
    assert PlanTopic in admin.site._registry
    assert str(PlanTopic._meta.verbose_name) == "nội dung kế hoạch truyền thông"

    page = admin_client.get("/quan-tri/roles/plantopic/")

    assert page.status_code == 200
    assert "Tuyển sinh đầu cấp" in page.content.decode()
