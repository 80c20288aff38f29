"""Lifecycle events append-only in the database itself (as the audit log is); room on each
page of the component table for in-place updates of its lifecycle projection.

PostgreSQL: a trigger raises on UPDATE and DELETE of an event. SQLite: a trigger aborts UPDATE;
DELETE stays possible there only because the test runner empties tables between tests.
PostgreSQL only: ``fillfactor = 70`` on ``prefab_component`` leaves 30 % of each page free,
so that rewriting ``state``/``state_at``/``last_event_at`` (no index covers them) stays on
the page as a heap-only tuple and touches no index — measured at 10,000 rows: 0.8 s with an
index on state and default fill, 0.08 s like this (benchmarks/ingest.py).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION zhijian_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'lifecycle events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER prefab_lifecycleevent_append_only
    BEFORE UPDATE OR DELETE ON prefab_lifecycleevent
    FOR EACH ROW EXECUTE FUNCTION zhijian_event_append_only();
ALTER TABLE prefab_component SET (fillfactor = 70);
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS prefab_lifecycleevent_append_only ON prefab_lifecycleevent;
DROP FUNCTION IF EXISTS zhijian_event_append_only();
ALTER TABLE prefab_component RESET (fillfactor);
"""
SQLITE_UP = """
CREATE TRIGGER prefab_lifecycleevent_append_only BEFORE UPDATE ON prefab_lifecycleevent
BEGIN SELECT RAISE(ABORT, 'lifecycle events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS prefab_lifecycleevent_append_only;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("prefab", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
