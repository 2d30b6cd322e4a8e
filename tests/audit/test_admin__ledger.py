"""Every change made in the Django admin goes on the ledger (security review M1).

`admin` is a superuser (pytest-django's `admin_user`); each test changes something through
`/quan-tri/` the way the reviewer did, and finds the event with its before/after.
"""

import json
from datetime import date, datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.forms import MultiWidget
from django.test import RequestFactory
from guardian.shortcuts import assign_perm, get_user_perms

from audit.admin_ledger import (
    REDACTED,
    LedgeredAdminSite,
    LedgeredModelAdminMixin,
    _target_id,
    check_admins_ledgered,
)
from audit.models import LedgerEvent
from roles.models import (
    JournalistProfile,
    Membership,
    PlanTopic,
    PressAgency,
    SpokespersonAssignment,
)
from tests.factories import PressAgencyFactory
from workflows.rules.models import (
    CalendarSwap,
    DeadlineRule,
    InternalStepLimit,
    LegalRegime,
    RefusalGround,
)

User = get_user_model()

# Admins whose every save path calls a service that writes its own event (not twice).
LEDGERED_BY_SERVICES = {Membership, SpokespersonAssignment}


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def events(action=None, **filters):
    qs = LedgerEvent.objects.order_by("seq").filter(**filters)
    if action:
        qs = qs.filter(action=action)
    return list(qs)


def last_event(action, obj):
    found = events(action, target_type=obj._meta.label_lower, target_id=str(obj.pk))
    assert found, f"no {action} event for {obj._meta.label_lower} {obj.pk}"
    event = found[-1]
    return event, json.loads(event.before or "null"), json.loads(event.after or "null")


def _wire(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def form_data(response) -> dict:
    """Return the POST data a browser would send back from an admin change form unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            key = form.add_prefix(name)
            value = form[name].value()
            if isinstance(field.widget, MultiWidget):
                if not isinstance(value, list):
                    value = field.widget.decompress(value)
                for i, part in enumerate(value):
                    if part is not None:
                        data[f"{key}_{i}"] = _wire(part)
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [_wire(v) for v in value]
            elif value is not None:
                data[key] = _wire(value)
    return data


def change(admin_client, url, **changes):
    """GET the admin change form, change some fields, POST it back; return the response."""
    page = admin_client.get(url)
    assert page.status_code == 200
    data = form_data(page)
    for key, value in changes.items():
        if value is False:
            data.pop(key, None)
        else:
            data[key] = value
    response = admin_client.post(url, data)
    assert response.status_code == 302, getattr(response.context, "get", lambda *_: None)("errors")
    return response


# ---------------------------------------------------------------- every registered admin


def test_the_admin_site_is_ledgered():
    assert isinstance(admin.site, LedgeredAdminSite)


def test_every_registered_admin_writes_the_ledger():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, LedgeredModelAdminMixin), model._meta.label
        assert getattr(model_admin, "ledgered_by_services", False) == (
            model in LEDGERED_BY_SERVICES
        ), model


def test_registering_a_plain_model_admin_mixes_the_ledger_in():
    site = LedgeredAdminSite(name="probe")

    class PlainAdmin(admin.ModelAdmin):
        """An admin that knows nothing of the ledger."""

    site.register(PressAgency, PlainAdmin)
    site.register(CalendarSwap)
    assert isinstance(site._registry[PressAgency], LedgeredModelAdminMixin)
    assert isinstance(site._registry[PressAgency], PlainAdmin)
    assert isinstance(site._registry[CalendarSwap], LedgeredModelAdminMixin)


def test_an_admin_that_writes_no_ledger_fails_the_system_check():
    import gc

    assert check_admins_ledgered() == []
    plain = admin.AdminSite(name="plain")
    plain.register(PressAgency)
    try:
        assert [e.id for e in check_admins_ledgered()] == ["audit.E001"]
    finally:
        del plain
        gc.collect()
    assert check_admins_ledgered() == []


def _instances(admin_user, organisation, journalist):
    from viewflow.workflow.models import Process, Task

    from workflows.flows import CaseFlow

    process = Process.objects.create(flow_class=CaseFlow)
    regime = LegalRegime.objects.first()
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        Token.objects.create(user=admin_user)
    from api.models import ApiToken
    from outbox.models import OutgoingMail

    ApiToken.objects.create(user=admin_user)
    OutgoingMail.objects.create(to=["a@example.org"], subject="Thử", body="Nội dung")
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            fields = {f.name for f in model._meta.get_fields()}
            data = {"username": "thu", "ip_address": "127.0.0.1", "user_agent": "t"}
            if "failures_since_start" in fields:
                data["failures_since_start"] = 1
            model.objects.create(**{k: v for k, v in data.items() if k in fields})
    # Models without a builder here (third-party token admins) use a row of their own.
    return {
        Group: Group.objects.create(name="Nhóm thử"),
        User: admin_user,
        type(organisation): organisation,
        PressAgency: PressAgencyFactory(),
        JournalistProfile: JournalistProfile.objects.get(user=journalist),
        LegalRegime: regime,
        DeadlineRule: DeadlineRule.objects.filter(regime=regime).first(),
        RefusalGround: RefusalGround.objects.filter(regime=regime).first(),
        CalendarSwap: CalendarSwap.objects.create(date=date(2031, 1, 4), kind="working_day"),
        InternalStepLimit: InternalStepLimit.objects.create(
            organisation=organisation, step="draft", kind="", limit=3, unit="working_day"
        ),
        Process: process,
        Task: Task.objects.create(process=process, flow_task=CaseFlow.start),
        PlanTopic: PlanTopic.objects.create(
            organisation=organisation, year=2026, number=1, title="Tuyển sinh đầu cấp"
        ),
    }


@pytest.mark.django_db
def test_every_registered_admin_records_add_change_and_delete(admin_user, organisation, journalist):
    instances = _instances(admin_user, organisation, journalist)
    request = RequestFactory().post("/quan-tri/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        if model in LEDGERED_BY_SERVICES:
            continue
        obj = instances.get(model) or model._default_manager.first()
        assert obj is not None, f"add a builder for {model._meta.label}"
        target = {"target_type": model._meta.label_lower, "target_id": _target_id(obj)}

        model_admin.log_addition(request, obj, "")
        assert events("admin.add", **target), model

        loaded = model_admin.get_object(request, str(obj.pk))
        model_admin.log_change(request, loaded, "")  # nothing changed: nothing to record
        assert not events("admin.change", **target), model
        del loaded._ledger_before  # a path that saw no before-state records the whole object
        model_admin.log_change(request, loaded, "")
        assert events("admin.change", **target), model

        model_admin.log_deletions(request, [obj])
        assert events("admin.delete", **target), model


@pytest.mark.django_db
def test_service_ledgered_admins_do_not_record_twice(admin_user, organisation, deputy_head):
    request = RequestFactory().post("/quan-tri/")
    request.user = admin_user
    membership = Membership.objects.get(user=deputy_head)
    model_admin = admin.site._registry[Membership]
    before = LedgerEvent.objects.count()
    model_admin.log_change(request, membership, "")
    model_admin.log_addition(request, membership, "")
    assert LedgerEvent.objects.count() == before


# ---------------------------------------------------------------- the reviewer's table


def _whole_seconds(user):
    # The admin's date-time widgets drop microseconds, so a round trip would change them too.
    user.date_joined = user.date_joined.replace(microsecond=0)
    user.save(update_fields=["date_joined"])


@pytest.mark.django_db
def test_guardian_permission_page_removing_a_right_is_ledgered(
    admin_client, admin_user, organisation, deputy_head
):
    assign_perm("roles.sign_on_behalf", deputy_head, organisation)
    url = (
        f"/quan-tri/roles/organisation/{organisation.pk}/permissions/user-manage/{deputy_head.pk}/"
    )

    # A browser always sends the CSRF token; an empty POST would leave guardian's form unbound.
    response = admin_client.post(url, {"csrfmiddlewaretoken": "x"})

    assert response.status_code == 302
    assert "sign_on_behalf" not in get_user_perms(deputy_head, organisation)
    event, before, after = last_event("admin.permissions", organisation)
    assert event.actor == admin_user
    assert event.organisation_code == organisation.code
    assert before == {
        "user": "pholanhdao",
        "user_id": deputy_head.pk,
        "permissions": ["sign_on_behalf"],
    }
    assert after == {"user": "pholanhdao", "user_id": deputy_head.pk, "permissions": []}


@pytest.mark.django_db
def test_guardian_group_permission_page_is_ledgered(admin_client, organisation):
    group = Group.objects.create(name="Nhóm ký thay")
    url = f"/quan-tri/roles/organisation/{organisation.pk}/permissions/group-manage/{group.pk}/"

    response = admin_client.post(url, {"permissions": ["sign_on_behalf"]})

    assert response.status_code == 302
    _, before, after = last_event("admin.permissions", organisation)
    assert before["permissions"] == [] and before["group"] == "Nhóm ký thay"
    assert after["permissions"] == ["sign_on_behalf"]


@pytest.mark.django_db
def test_making_a_user_superuser_is_ledgered(admin_client, admin_user, outsider):
    _whole_seconds(outsider)
    change(admin_client, f"/quan-tri/auth/user/{outsider.pk}/change/", is_superuser="on")

    event, before, after = last_event("admin.change", outsider)
    assert event.actor == admin_user
    assert before == {"is_superuser": False}
    assert after == {"is_superuser": True}


@pytest.mark.django_db
def test_user_groups_and_permissions_changes_are_ledgered(admin_client, outsider):
    _whole_seconds(outsider)
    role_groups = sorted(outsider.groups.values_list("pk", flat=True))
    group = Group.objects.create(name="Quản trị")
    perm = Permission.objects.get(codename="change_organisation")

    change(
        admin_client,
        f"/quan-tri/auth/user/{outsider.pk}/change/",
        groups=[*role_groups, group.pk],
        user_permissions=[perm.pk],
        is_staff="on",
    )

    _, before, after = last_event("admin.change", outsider)
    assert before == {"groups": role_groups, "user_permissions": [], "is_staff": False}
    assert after == {
        "groups": [*role_groups, group.pk],
        "user_permissions": ["roles.change_organisation"],
        "is_staff": True,
    }


@pytest.mark.django_db
def test_group_change_is_ledgered(admin_client):
    group = Group.objects.create(name="Nhóm")
    perm = Permission.objects.get(codename="sign_on_behalf")

    change(admin_client, f"/quan-tri/auth/group/{group.pk}/change/", permissions=[perm.pk])

    _, before, after = last_event("admin.change", group)
    assert before == {"permissions": []}
    assert after == {"permissions": ["roles.sign_on_behalf"]}


@pytest.mark.django_db
def test_admin_password_change_is_ledgered_without_the_hash(admin_client, journalist):
    old_hash = journalist.password
    response = admin_client.post(
        f"/quan-tri/auth/user/{journalist.pk}/password/",
        {"password1": "mat-khau-moi-2026!", "password2": "mat-khau-moi-2026!"},
    )

    assert response.status_code == 302
    journalist.refresh_from_db()
    assert journalist.password != old_hash
    event, before, after = last_event("admin.change", journalist)
    assert before == {"password": REDACTED}
    assert after == {"password": REDACTED}
    for text in (event.before, event.after):
        assert old_hash not in text
        assert journalist.password not in text
        assert "mat-khau-moi" not in text


@pytest.mark.django_db
def test_organisation_name_change_is_ledgered(admin_client, organisation):
    old = organisation.name
    change(
        admin_client,
        f"/quan-tri/roles/organisation/{organisation.pk}/change/",
        name=old + " (ADMIN-EDIT)",
    )

    event, before, after = last_event("admin.change", organisation)
    assert event.organisation_code == organisation.code
    assert before == {"name": old}
    assert after == {"name": old + " (ADMIN-EDIT)"}


@pytest.mark.django_db
def test_press_agency_sharing_cases_is_ledgered(admin_client):
    agency = PressAgencyFactory(shares_cases=False)

    change(admin_client, f"/quan-tri/roles/pressagency/{agency.pk}/change/", shares_cases="on")

    _, before, after = last_event("admin.change", agency)
    assert (before, after) == ({"shares_cases": False}, {"shares_cases": True})


@pytest.mark.django_db
def test_deadline_rule_change_is_ledgered(admin_client):
    rule = DeadlineRule.objects.order_by("pk").first()
    old = rule.limit

    change(admin_client, f"/quan-tri/workflows/deadlinerule/{rule.pk}/change/", limit=old + 30)

    _, before, after = last_event("admin.change", rule)
    assert (before, after) == ({"limit": old}, {"limit": old + 30})


@pytest.mark.django_db
def test_deadline_rule_changed_inside_its_regime_is_ledgered(admin_client):
    regime = LegalRegime.objects.filter(rules__isnull=False).distinct().first()
    url = f"/quan-tri/workflows/legalregime/{regime.pk}/change/"
    data = form_data(admin_client.get(url))
    key = next(k for k in data if k.startswith("rules-0-limit") or k.endswith("-0-limit"))
    prefix = key.removesuffix("-limit")
    rule = DeadlineRule.objects.get(pk=data[f"{prefix}-id"])
    data[key] = rule.limit + 1

    assert admin_client.post(url, data).status_code == 302

    _, before, after = last_event("admin.change", rule)
    assert (before, after) == ({"limit": rule.limit}, {"limit": rule.limit + 1})


@pytest.mark.django_db
def test_admin_add_is_ledgered(admin_client, admin_user):
    response = admin_client.post(
        "/quan-tri/workflows/calendarswap/add/",
        {"date": "2031-01-04", "kind": "working_day", "note": "Làm bù", "source": "123/TB"},
    )

    assert response.status_code == 302
    swap = CalendarSwap.objects.get(date=date(2031, 1, 4))
    event, before, after = last_event("admin.add", swap)
    assert before is None
    assert after["date"] == "2031-01-04" and after["note"] == "Làm bù"


@pytest.mark.django_db
def test_bulk_delete_is_ledgered(admin_client):
    agencies = PressAgencyFactory.create_batch(2)

    response = admin_client.post(
        "/quan-tri/roles/pressagency/",
        {"action": "delete_selected", "_selected_action": [a.pk for a in agencies], "post": "yes"},
    )

    assert response.status_code == 302
    assert not PressAgency.objects.filter(pk__in=[a.pk for a in agencies]).exists()
    for agency in agencies:
        _, before, after = last_event("admin.delete", agency)
        assert before["name"] == agency.name and after is None


@pytest.mark.django_db
def test_delete_page_is_ledgered(admin_client):
    agency = PressAgencyFactory()

    response = admin_client.post(
        f"/quan-tri/roles/pressagency/{agency.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    _, before, _ = last_event("admin.delete", agency)
    assert before["name"] == agency.name


# ---------------------------------------------------------------- viewflow: read-only


@pytest.fixture
def process(db):
    from viewflow.workflow.models import Process, Task

    from workflows.flows import CaseFlow

    process = Process.objects.create(flow_class=CaseFlow)
    Task.objects.create(process=process, flow_task=CaseFlow.start)
    return process


@pytest.mark.django_db
def test_viewflow_process_cannot_be_deleted_in_the_admin(admin_client, process):
    from viewflow.workflow.models import Process

    url = f"/quan-tri/viewflow/process/{process.pk}/delete/"
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Process.objects.filter(pk=process.pk).exists()


@pytest.mark.django_db
def test_viewflow_process_and_task_change_forms_are_read_only(admin_client, process):
    task = process.task_set.get()
    for url, field in (
        (f"/quan-tri/viewflow/process/{process.pk}/change/", "artifact_object_id"),
        (f"/quan-tri/viewflow/task/{task.pk}/change/", "owner_permission"),
    ):
        page = admin_client.get(url)
        assert page.status_code == 200  # support can still read it
        assert page.context["has_change_permission"] is False
        assert f'name="{field}"' not in page.content.decode()
        assert admin_client.post(url, {field: "2"}).status_code == 403


@pytest.mark.django_db
def test_viewflow_processes_and_tasks_cannot_be_added(admin_client, process):
    assert admin_client.get("/quan-tri/viewflow/process/add/").status_code == 403
    assert admin_client.get("/quan-tri/viewflow/task/add/").status_code == 403
