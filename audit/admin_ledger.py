"""Put every change made in the Django admin on the ledger (security review M1).

One mechanism in one place: `LedgeredAdminSite` (the project's `admin.site`, see
`audit.admin_apps`) mixes `LedgeredModelAdminMixin` into every ModelAdmin registered on it,
ours and third-party ones alike (auth, guardian, viewflow, DRF), so a new admin cannot
forget it. The mixin hooks the places Django itself calls for every admin write:

- ``log_addition`` / ``log_change`` / ``log_deletions`` (add and change forms, list_editable,
  the delete page, the ``delete_selected`` action, UserAdmin's password page);
- ``save_formset`` for inline rows (a deadline rule edited inside its legal regime);
- guardian's object-permission pages, which call none of the above.

Events: ``admin.add`` (after = the new object), ``admin.change`` (before/after = the changed
fields only), ``admin.delete`` (before = the object), ``admin.permissions`` (before/after =
the user's or group's object permissions). Secrets (password hashes, token keys) are never
written: the value is replaced by ``***``, so the event says only that it changed.

An admin whose save paths go through services that ledger themselves sets
``ledgered_by_services = True`` so the change is not recorded twice.
"""

import re

from django.contrib import admin
from django.core import checks
from django.db import transaction

import audit

REDACTED = "***"
# Field names whose values must never reach the ledger (Django's password hash,
# DRF's token key, knox's digest and token_key, any salt or secret).
_SECRET = re.compile(r"password|secret|digest|salt|token|^key$", re.IGNORECASE)
# The one model that *is* an organisation (a string: audit imports nothing of ours).
_ORGANISATION_MODEL = "roles.organisation"


def _m2m_value(obj, field) -> list:
    related = getattr(obj, field.name).all()
    if field.related_model._meta.label_lower == "auth.permission":
        return sorted(
            f"{app}.{codename}"
            for app, codename in related.values_list("content_type__app_label", "codename")
        )
    return sorted(related.values_list("pk", flat=True), key=str)


def snapshot(obj) -> dict:
    """Return the object's stored field values (foreign keys as ids, many-to-many as lists)."""
    opts = obj._meta
    state = {field.attname: field.value_from_object(obj) for field in opts.concrete_fields}
    if obj.pk is not None:
        for field in opts.many_to_many:
            state[field.name] = _m2m_value(obj, field)
    return state


def _redact(state: dict | None) -> dict | None:
    if state is None:
        return None
    return {k: (REDACTED if _SECRET.search(k) else v) for k, v in state.items()}


def _diff(before: dict, after: dict) -> tuple[dict, dict]:
    changed = [k for k in after if before.get(k) != after[k]]
    changed += [k for k in before if k not in after]
    return (
        _redact({k: before.get(k) for k in changed}),
        _redact({k: after.get(k) for k in changed}),
    )


def _organisation_of(obj):
    if obj._meta.label_lower == _ORGANISATION_MODEL:
        return obj
    organisation = getattr(obj, "organisation", None)
    return organisation if hasattr(organisation, "code") else None


def _target_id(obj) -> str:
    pk_field = obj._meta.pk
    if _SECRET.search(pk_field.name) and obj.pk == pk_field.value_from_object(obj):
        # A token keyed by its secret (knox's digest): name its owner, never the secret.
        # (DRF's TokenProxy already maps pk to the user id.)
        user_id = getattr(obj, "user_id", None)
        return f"user:{user_id}" if user_id is not None else REDACTED
    return str(obj.pk)


def _record(request, action, obj, *, before=None, after=None):
    audit.record(
        action=action,
        actor=request.user,
        organisation=_organisation_of(obj),
        target_type=obj._meta.label_lower,
        target_id=_target_id(obj),
        before=before,
        after=after,
    )


def _stored(obj):
    """Return the object as the database holds it, or None."""
    model = type(obj)
    if obj.pk is None:
        return None
    return model._base_manager.filter(**{model._meta.pk.attname: obj.pk}).first()


def _ledgered_perms_form(form_class, request, holder_attr: str):
    """Return a guardian permissions form class whose save also writes the ledger."""

    def save_obj_perms(form):
        holder = getattr(form, holder_attr)
        with transaction.atomic():
            before = sorted(form.get_obj_perms_field_initial())
            form_class.save_obj_perms(form)
            after = sorted(form.get_obj_perms_field_initial())
            if before != after:
                who = {holder_attr: str(holder), f"{holder_attr}_id": holder.pk}
                _record(
                    request,
                    "admin.permissions",
                    form.obj,
                    before={**who, "permissions": before},
                    after={**who, "permissions": after},
                )

    return type(form_class.__name__, (form_class,), {"save_obj_perms": save_obj_perms})


class LedgeredModelAdminMixin:
    """Write a ledger event for every add, change and delete made through this admin."""

    # An admin sets `ledgered_by_services = True` when every one of its save paths calls
    # services that write their own events. (Not defined here: the mixin comes first in the
    # MRO and would hide the admin's own value.)

    @property
    def _ledger_skip(self) -> bool:
        return getattr(self, "ledgered_by_services", False)

    # ---------------------------------------------------------------- before-state

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._ledger_before = snapshot(obj)
        return obj

    def save_model(self, request, obj, form, change):
        # list_editable saves objects that never went through get_object.
        if change and not hasattr(obj, "_ledger_before"):
            stored = _stored(obj)
            obj._ledger_before = snapshot(stored) if stored is not None else None
        super().save_model(request, obj, form, change)

    # ---------------------------------------------------------------- events

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if not self._ledger_skip and obj.pk is not None:
            _record(request, "admin.add", obj, after=_redact(snapshot(obj)))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if not self._ledger_skip:
            before = getattr(obj, "_ledger_before", None)
            after = snapshot(obj)
            if before is None:
                _record(request, "admin.change", obj, after=_redact(after))
            else:
                old, new = _diff(before, after)
                if new:
                    _record(request, "admin.change", obj, before=old, after=new)
            obj._ledger_before = after
        return entry

    def log_deletions(self, request, queryset):
        objs = list(queryset)
        entries = super().log_deletions(request, queryset)
        if not self._ledger_skip:
            for obj in objs:
                _record(request, "admin.delete", obj, before=_redact(snapshot(obj)))
        return entries

    def save_formset(self, request, form, formset, change):
        if self._ledger_skip:
            return super().save_formset(request, form, formset, change)
        # The forms have already written the posted values onto their instances.
        before = {}
        for inline_form in formset.initial_forms:
            instance = inline_form.instance
            if instance.pk is not None and (
                inline_form.has_changed() or inline_form in formset.deleted_forms
            ):
                stored = _stored(instance)
                before[instance.pk] = snapshot(stored) if stored is not None else {}
        result = super().save_formset(request, form, formset, change)
        for obj in getattr(formset, "new_objects", []):
            _record(request, "admin.add", obj, after=_redact(snapshot(obj)))
        for obj, _fields in getattr(formset, "changed_objects", []):
            old, new = _diff(before.get(obj.pk, {}), snapshot(obj))
            if new:
                _record(request, "admin.change", obj, before=old, after=new)
        for obj in getattr(formset, "deleted_objects", []):
            _record(request, "admin.delete", obj, before=_redact(before.get(obj.pk)))
        return result

    # ---------------------------------------------------------------- atomic writes

    def response_action(self, request, queryset):
        # delete_selected logs, then deletes, outside any transaction: keep both together.
        with transaction.atomic():
            return super().response_action(request, queryset)

    def user_change_password(self, request, id, form_url=""):  # noqa: A002 (Django's name)
        # Only UserAdmin routes here; Django saves the password and logs it without a transaction.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)

    # ---------------------------------------------------------------- guardian

    def get_obj_perms_manage_user_form(self, request):
        return _ledgered_perms_form(
            super().get_obj_perms_manage_user_form(request), request, "user"
        )

    def get_obj_perms_manage_group_form(self, request):
        return _ledgered_perms_form(
            super().get_obj_perms_manage_group_form(request), request, "group"
        )


def ledgered(admin_class: type) -> type:
    """Return the ModelAdmin class with the ledger mixed in (itself if it already is)."""
    if issubclass(admin_class, LedgeredModelAdminMixin):
        return admin_class
    return type(
        admin_class.__name__,
        (LedgeredModelAdminMixin, admin_class),
        {
            "__module__": admin_class.__module__,
            "__qualname__": admin_class.__qualname__,
            "__doc__": admin_class.__doc__,
        },
    )


class LedgeredAdminSite(admin.AdminSite):
    """The Django admin, where every registered ModelAdmin writes the ledger."""

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, ledgered(admin_class or admin.ModelAdmin), **options)


def check_admins_ledgered(app_configs=None, **kwargs):
    """Refuse to start with a ModelAdmin that writes no ledger events."""
    from django.contrib.admin.sites import all_sites

    errors = []
    for site in all_sites:
        for model, model_admin in site._registry.items():
            if not isinstance(model_admin, LedgeredModelAdminMixin):
                errors.append(
                    checks.Error(
                        f"{type(model_admin).__qualname__} for {model._meta.label} on admin "
                        f"site '{site.name}' does not write the ledger.",
                        hint="Register it on django.contrib.admin.site (a LedgeredAdminSite) "
                        "or subclass audit.admin_ledger.LedgeredModelAdminMixin.",
                        obj=type(model_admin),
                        id="audit.E001",
                    )
                )
    return errors
