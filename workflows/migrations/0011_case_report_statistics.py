"""PostgreSQL: statistics on the month of receipt (Vietnam time) of the cases, per organisation
and kind, so that the planner knows the dashboard's grouping (reports.selectors.case_counts)
yields a few thousand groups, not one per case: it then hashes in memory (in parallel) instead
of sorting every case on disk (343 ms → 122 ms on 100,000 cases). The expression must stay the
one Django writes for TruncMonth("received_at", tzinfo=Asia/Ho_Chi_Minh)."""

from django.db import migrations

CREATE = """
CREATE STATISTICS IF NOT EXISTS workflows_case_report_month (ndistinct)
ON organisation_id, kind, (date_trunc('month', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh'))
FROM workflows_case;
ANALYZE workflows_case;
"""
DROP = "DROP STATISTICS IF EXISTS workflows_case_report_month;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0010_topics_and_case_received_index")]

    operations = [migrations.RunPython(create, drop)]
