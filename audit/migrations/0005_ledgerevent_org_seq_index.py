"""The inspection list at scale (issue 17): an index that matches its filter and order, and
autovacuum often enough on the append-only ledger that counting it stays an index-only scan."""

from django.db import migrations, models

# The default (vacuum after 20 % new rows) leaves the newest 200,000 of 1,000,000 events
# outside the visibility map: every count of a scope then reads their heap pages.
VACUUM_OFTEN = (
    "ALTER TABLE audit_ledgerevent SET (autovacuum_vacuum_insert_scale_factor = 0.01, "
    "autovacuum_analyze_scale_factor = 0.02)"
)
VACUUM_DEFAULT = (
    "ALTER TABLE audit_ledgerevent RESET (autovacuum_vacuum_insert_scale_factor, "
    "autovacuum_analyze_scale_factor)"
)


def vacuum_often(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VACUUM_OFTEN, params=None)


def vacuum_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VACUUM_DEFAULT, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_ledger_head_function")]

    operations = [
        migrations.AddIndex(
            model_name="ledgerevent",
            index=models.Index(
                fields=["organisation_code", "-seq"], name="audit_event_org_seq_idx"
            ),
        ),
        migrations.RunPython(vacuum_often, vacuum_default),
    ]
