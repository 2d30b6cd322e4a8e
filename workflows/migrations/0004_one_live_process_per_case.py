"""One live process per artifact (case or statement): a partial unique index on viewflow's table.

viewflow stores the artifact as (artifact_content_type_id, artifact_object_id); a process is
live until it is DONE or CANCELED. Both PostgreSQL and SQLite support partial indexes.
"""

from django.db import migrations

SQL = (
    "CREATE UNIQUE INDEX IF NOT EXISTS one_live_process_per_artifact "
    "ON viewflow_process (artifact_content_type_id, artifact_object_id) "
    "WHERE artifact_object_id IS NOT NULL AND status NOT IN ('DONE', 'CANCELED')"
)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0003_cases"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(SQL, reverse_sql="DROP INDEX IF EXISTS one_live_process_per_artifact"),
    ]
