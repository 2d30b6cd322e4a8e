"""Database-side protection of the ledger: append-only triggers and their maintenance switch.

The triggers refuse UPDATE, DELETE and TRUNCATE on the ledger and anchor tables. One
documented switch lets a deliberate, whole-database wipe through (`manage.py flush`, which
pytest-django runs between `transaction=True` tests):

- PostgreSQL: the session setting ``phatngon.audit_maintenance = 'on'``;
- SQLite: the SQL function ``audit_maintenance()``, which phatngon registers on each of its
  connections and which returns 1 only inside `maintenance()`. Outside phatngon the function
  does not exist, so the trigger fails and the statement is refused anyway.

Anyone with SQL rights can also set the switch or drop the triggers: the triggers stop
mistakes and application-level rewrites. What *detects* a rewrite by someone with database
rights is the hash chain and the signed anchors (`manage.py verify_audit`).
"""

import threading
from contextlib import contextmanager

from django.db import connections

PG_SWITCH = "phatngon.audit_maintenance"
PROTECTED_TABLES = ("audit_ledgerevent", "audit_auditanchor")

_state = threading.local()


def _maintenance_flag() -> int:
    return 1 if getattr(_state, "on", False) else 0


def register_sqlite_functions(sender, connection, **kwargs):
    """Register `audit_maintenance()` on every new SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("audit_maintenance", 0, _maintenance_flag)


@contextmanager
def maintenance(using: str = "default"):
    """Let this thread's connection delete ledger rows (only for a deliberate full wipe)."""
    connection = connections[using]
    _state.on = True
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET {PG_SWITCH} = 'on'")
        yield
    finally:
        _state.on = False
        if connection.vendor == "postgresql" and connection.connection is not None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"RESET {PG_SWITCH}")
            except Exception:  # noqa: S110 — a broken connection is discarded anyway
                pass


PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('{PG_SWITCH}', true), '') = 'on' THEN
        IF TG_LEVEL = 'ROW' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def pg_install_sql(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
    ]


def pg_remove_sql(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ]


def sqlite_install_sql(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"DROP TRIGGER IF EXISTS {table}_no_delete",
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        "WHEN audit_maintenance() = 0 "
        "BEGIN SELECT RAISE(ABORT, 'audit ledger is append-only: UPDATE refused'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        "WHEN audit_maintenance() = 0 "
        "BEGIN SELECT RAISE(ABORT, 'audit ledger is append-only: DELETE refused'); END",
    ]


def sqlite_remove_sql(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"DROP TRIGGER IF EXISTS {table}_no_delete",
    ]


def install_triggers(schema_editor) -> None:
    """Create the append-only triggers for the connection's database vendor."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [PG_FUNCTION]
        for table in PROTECTED_TABLES:
            statements += pg_install_sql(table)
    elif vendor == "sqlite":
        statements = []
        for table in PROTECTED_TABLES:
            statements += sqlite_install_sql(table)
    else:
        return
    for sql in statements:
        schema_editor.execute(sql, params=None)


def remove_triggers(schema_editor) -> None:
    """Drop the append-only triggers (migration reversal)."""
    vendor = schema_editor.connection.vendor
    statements = []
    for table in PROTECTED_TABLES:
        if vendor == "postgresql":
            statements += pg_remove_sql(table)
        elif vendor == "sqlite":
            statements += sqlite_remove_sql(table)
    if vendor == "postgresql":
        statements.append("DROP FUNCTION IF EXISTS audit_refuse_change()")
    for sql in statements:
        schema_editor.execute(sql, params=None)
