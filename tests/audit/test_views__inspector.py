"""Inspector's pages: read-only, scoped to the inspector's organisations, and recorded."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

import audit
from audit.models import LedgerEvent
from tests.factories import UserFactory

BASE = "/workspace/inspection/"


@pytest.fixture
def events(db, head, outsider, organisation, other_organisation):
    mine = audit.record(
        action="case.accept",
        actor=head,
        organisation=organisation,
        target_type="workflows.case",
        target_id=41,
    )
    theirs = audit.record(
        action="case.accept",
        actor=outsider,
        organisation=other_organisation,
        target_type="workflows.case",
        target_id=99,
    )
    return mine, theirs


def last(action):
    return LedgerEvent.objects.filter(action=action).order_by("-seq").first()


def test_inspector_sees_the_events_of_their_organisation(login, inspector, events):
    mine, theirs = events
    response = login(inspector).get(BASE)
    assert response.status_code == 200
    page = list(response.context["page"])
    assert mine in page and theirs not in page
    event = last("audit.view_events")
    assert event.actor_id == inspector.pk and event.actor_role == "inspector"
    assert event.organisation_code == "pgddt-thuan-an"


@pytest.mark.parametrize("persona", ["journalist", "specialist", "outsider", "head"])
def test_other_roles_are_refused_and_the_refusal_is_recorded(request, login, persona, events):
    user = request.getfixturevalue(persona)
    client = login(user)
    for url in (BASE, f"{BASE}chuoi/", f"{BASE}xuat/", f"{BASE}doi-tuong/workflows.case/41/"):
        response = client.get(url)
        assert response.status_code == 403, url
        denied = last("access.denied")
        assert denied.actor_id == user.pk and denied.target_id == url
    assert client.post(f"{BASE}xuat/tao/", {"format": "csv"}).status_code == 403
    assert not LedgerEvent.objects.filter(action__startswith="audit.view").exists()


def test_anonymous_users_are_sent_to_login(client, events):
    response = client.get(BASE)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_an_inspector_of_one_organisation_cannot_read_another(
    login, inspector, events, other_organisation
):
    client = login(inspector)
    response = client.get(BASE, {"organisation": other_organisation.code})
    assert response.status_code == 400
    assert list(response.context["page"]) == []
    timeline = client.get(f"{BASE}doi-tuong/workflows.case/99/")
    assert timeline.status_code == 200 and list(timeline.context["page"]) == []


def test_inspector_of_the_parent_sees_the_children(login, province, events):
    from roles.services import membership_grant
    from tests.factories import long_ago

    user = UserFactory(username="thanhtra-so")
    membership_grant(
        user=user, organisation=province, role="inspector", title="Thanh tra", valid_from=long_ago()
    )
    page = list(login(user).get(BASE).context["page"])
    assert set(events) <= set(page)


def test_superuser_sees_everything(client, events):
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = list(client.get(BASE).context["page"])
    assert set(events) <= set(page)
    assert last("audit.view_events").actor_role == "superuser"


def test_filters_narrow_the_list(login, inspector, head, events, organisation):
    client = login(inspector)
    mine, _ = events
    for params in (
        {"actor": head.username, "action": "case.accept"},
        {"action": "case."},
        {"target_type": "workflows.case", "target_id": "41"},
        {"organisation": organisation.code},
        {
            "date_from": mine.at.astimezone().strftime("%d/%m/%Y"),
            "date_to": mine.at.astimezone().strftime("%d/%m/%Y"),
        },
    ):
        page = list(client.get(BASE, params).context["page"])
        assert mine in page, params
    assert list(client.get(BASE, {"actor": "khong-co"}).context["page"]) == []
    assert (
        list(client.get(BASE, {"date_from": "01/01/2001", "date_to": "02/01/2001"}).context["page"])
        == []
    )
    bad = client.get(BASE, {"date_from": "not-a-date"})
    assert bad.status_code == 400
    recorded = last("audit.view_events")
    assert recorded.after_data["filters"] == {}


def test_period_days_are_counted_in_vietnam_time(login, inspector, organisation, settings):
    import time_machine

    # The ledger never runs its clock backwards, so the event is recorded at 00:30 (Hà Nội) of a
    # day after every event the fixtures wrote — whatever day the test runs on.
    tomorrow = timezone.localdate() + timedelta(days=1)
    half_past_midnight = datetime.combine(
        tomorrow, time(0, 30), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(half_past_midnight, tick=False):  # 17:30 UTC the day before
        late = audit.record(action="case.late", organisation=organisation)
        day = tomorrow.strftime("%d/%m/%Y")
        # The visit itself is recorded on that day too: look at the event's action only.
        query = {"action": "case.late", "date_from": day, "date_to": day}
        page = list(login(inspector).get(BASE, query).context["page"])
        assert late in page
        day_before = (tomorrow - timedelta(days=1)).strftime("%d/%m/%Y")
        page = list(
            login(inspector)
            .get(BASE, {"action": "case.late", "date_from": day_before, "date_to": day_before})
            .context["page"]
        )
        assert late not in page


def test_timeline_lists_one_target_oldest_first(login, inspector, head, events, organisation):
    mine, _ = events
    later = audit.record(
        action="case.draft",
        actor=head,
        organisation=organisation,
        target_type="workflows.case",
        target_id=41,
    )
    response = login(inspector).get(f"{BASE}doi-tuong/workflows.case/41/")
    assert response.status_code == 200
    assert list(response.context["page"]) == [mine, later]
    recorded = last("audit.view_timeline")
    assert (recorded.target_type, recorded.target_id) == ("workflows.case", "41")


def test_chain_status_shows_the_last_verification(
    login, inspector, events, django_capture_on_commit_callbacks
):
    client = login(inspector)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}chuoi/kiem-tra/")
    assert response.status_code == 302
    page = client.get(f"{BASE}chuoi/")
    assert page.status_code == 200
    assert page.context["last_run"].ok
    assert "TOÀN VẸN" in page.content.decode()
    assert last("audit.view_chain_status").actor_id == inspector.pk
    assert last("audit.verify_request").actor_id == inspector.pk


def test_the_list_query_count_does_not_grow_with_the_ledger(
    login, inspector, head, organisation, django_assert_max_num_queries
):
    client = login(inspector)
    client.get(BASE)  # warm caches (content types, session)
    for i in range(5):
        audit.record(
            action="case.step",
            actor=head,
            organisation=organisation,
            target_type="workflows.case",
            target_id=i,
        )
    with django_assert_max_num_queries(30) as few:
        client.get(BASE)
    for i in range(120):
        audit.record(
            action="case.step",
            actor=head,
            organisation=organisation,
            target_type="workflows.case",
            target_id=i,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(BASE)
    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.num_pages >= 3


def test_the_real_access_policy_scopes_inspectors(settings, login, inspector, outsider, events):
    settings.AUDIT_ACCESS_POLICY = "roles.selectors.audit_scope"
    mine, theirs = events
    page = list(login(inspector).get(BASE).context["page"])
    assert mine in page and theirs not in page
    assert login(outsider).get(BASE).status_code == 403


def test_inspector_events_are_filed_under_their_own_organisation(
    settings, login, inspector, events
):
    settings.AUDIT_ACTOR_CONTEXT = "tests.audit.policy.actor_context"
    login(inspector).get(BASE)
    event = last("audit.view_events")
    assert (event.organisation_code, event.actor_role) == ("pgddt-thuan-an", "inspector")


def test_dates_at_the_edges_of_the_calendar_are_refused_not_a_500(login, inspector, events):
    response = login(inspector).get(BASE, {"date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"date_from", "date_to"}
