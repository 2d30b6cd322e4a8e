"""The organisation's admin page offers every field an administrator sets (two merges once
dropped the annual report's recipient and "who can be asked" from its fieldsets)."""

from django.contrib import admin

from roles.models import Organisation


def test_every_editable_organisation_field_is_in_the_admin_fieldsets():
    model_admin = admin.site._registry[Organisation]
    shown = {name for _title, opts in model_admin.fieldsets for name in opts["fields"]}
    editable = {
        f.name
        for f in Organisation._meta.get_fields()
        if getattr(f, "editable", False) and f.concrete and not f.auto_created
    }
    assert editable - shown == set()
