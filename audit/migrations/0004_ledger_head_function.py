"""PostgreSQL: take the append lock and read the chain's head in one round trip."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_ledger_head(lock_key bigint)
RETURNS TABLE (head_seq bigint, head_hash varchar, head_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- Held until the caller's transaction ends: appends are serialised, the chain never forks.
    PERFORM pg_advisory_xact_lock(lock_key);
    -- A VOLATILE function takes a fresh snapshot per statement: this sees the last commit.
    RETURN QUERY SELECT e.seq, e.hash, e.at FROM audit_ledgerevent e ORDER BY e.seq DESC LIMIT 1;
END;
$$;
"""
DROP = "DROP FUNCTION IF EXISTS audit_ledger_head(bigint)"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [migrations.RunPython(install, remove)]
