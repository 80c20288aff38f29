"""Append-only tables enforced by the database itself, for the migrations that create them.

PostgreSQL: a trigger function raises on UPDATE and DELETE (TRUNCATE, an administrator's
tool, is not a row operation and stays possible). SQLite: a trigger aborts UPDATE; DELETE
stays possible there only because the test runner empties tables between tests. Other
databases get nothing.

A ``RunPython`` rather than ``RunSQL`` operation because the SQL depends on the database
vendor. Applied migrations use this helper: change the SQL it writes and they no longer
describe what their databases hold.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def append_only_sql(
    table: str, *, function: str, message: str, postgresql_up: str = "", postgresql_down: str = ""
) -> dict[str, tuple[str, str]]:
    """(forwards, backwards) SQL per vendor for the trigger ``<table>_append_only``.

    ``function`` names the PostgreSQL trigger function, ``message`` is the error raised;
    ``postgresql_up``/``postgresql_down`` are further statements run on PostgreSQL with them.
    """
    trigger = f"{table}_append_only"
    return {
        "postgresql": (
            f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {trigger}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
{postgresql_up}""",
            f"""
DROP TRIGGER IF EXISTS {trigger} ON {table};
DROP FUNCTION IF EXISTS {function}();
{postgresql_down}""",
        ),
        "sqlite": (
            f"""
CREATE TRIGGER {trigger} BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{message}'); END;
""",
            f"DROP TRIGGER IF EXISTS {trigger};",
        ),
    }


def append_only_operation(
    table: str, *, function: str, message: str, postgresql_up: str = "", postgresql_down: str = ""
) -> migrations.RunPython:
    """The migration operation making ``table`` append-only (reversible); see append_only_sql."""
    sql = append_only_sql(
        table,
        function=function,
        message=message,
        postgresql_up=postgresql_up,
        postgresql_down=postgresql_down,
    )

    def run(schema_editor: Any, direction: int) -> None:
        statements = sql.get(schema_editor.connection.vendor)
        if statements is not None:
            schema_editor.execute(statements[direction])

    return migrations.RunPython(
        lambda apps, schema_editor: run(schema_editor, 0),
        lambda apps, schema_editor: run(schema_editor, 1),
    )
