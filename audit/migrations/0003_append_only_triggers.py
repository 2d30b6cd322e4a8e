"""Refuse UPDATE, DELETE and TRUNCATE on the ledger and anchor tables (see audit/db.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from audit.db import install_triggers

    install_triggers(schema_editor)


def remove(apps, schema_editor):
    from audit.db import remove_triggers

    remove_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_ledger_text_anchors_exports")]

    operations = [migrations.RunPython(install, remove)]
