"""Lifecycle events without database foreign keys to their component and organisation.

Each checked key cost 6–7 µs of every inserted event (benchmarks/README.md). What they
guarded is kept (see ``LifecycleEvent`` in models/events.py): the recording service writes only
ids of rows it holds locked in the same transaction, and deleting a component or an
organisation that has events is refused — by Django's ``PROTECT`` and, on PostgreSQL, by the
triggers below, for any SQL. The triggers look the events up through the indexes that lead
with these columns (``event_component_time``, ``event_unique_key_per_org``); deletes are rare
(components are retired, organisations deactivated), inserts are not.

SQLite rebuilds the table to drop the keys, which drops the append-only trigger of migration
0002: make it again. (SQLite, the development database, gets no delete guards: the test runner
empties its tables row by row.)
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS prefab_lifecycleevent_append_only BEFORE UPDATE ON prefab_lifecycleevent
BEGIN SELECT RAISE(ABORT, 'lifecycle events are append-only'); END;
"""

PG_GUARDS = """
CREATE OR REPLACE FUNCTION zhijian_component_keeps_events() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM prefab_lifecycleevent WHERE component_id = OLD.id) THEN
        RAISE EXCEPTION 'component % has lifecycle events and cannot be deleted', OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER prefab_component_keeps_events BEFORE DELETE OR UPDATE OF id ON prefab_component
    FOR EACH ROW EXECUTE FUNCTION zhijian_component_keeps_events();

CREATE OR REPLACE FUNCTION zhijian_organization_keeps_events() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM prefab_lifecycleevent WHERE organization_id = OLD.id) THEN
        RAISE EXCEPTION 'organisation % has lifecycle events and cannot be deleted', OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER prefab_organization_keeps_events BEFORE DELETE OR UPDATE OF id ON accounts_organization
    FOR EACH ROW EXECUTE FUNCTION zhijian_organization_keeps_events();
"""
PG_GUARDS_DOWN = """
DROP TRIGGER IF EXISTS prefab_component_keeps_events ON prefab_component;
DROP FUNCTION IF EXISTS zhijian_component_keeps_events();
DROP TRIGGER IF EXISTS prefab_organization_keeps_events ON accounts_organization;
DROP FUNCTION IF EXISTS zhijian_organization_keeps_events();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_GUARDS, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_GUARDS_DOWN, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('prefab', '0006_order_cancellation_photos'),
    ]

    operations = [
        migrations.AlterField(
            model_name='lifecycleevent',
            name='component',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='prefab.component'),
        ),
        migrations.AlterField(
            model_name='lifecycleevent',
            name='organization',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organization', verbose_name='organisation'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
