"""PostgreSQL: ``fillfactor = 45`` on ``prefab_component`` (was 70, migration 0002).

An upload updates the lifecycle projection (state, state_at, last_event_at; no index covers
them) of every component it names, in one transaction, and a factory's backlog names
neighbouring components — often every row of a page. An update stays on its page as a
heap-only tuple, touching no index, only if the page has room for the new version while the
old one must be kept until the commit: room for every row of the page once, plus the growth
of a row whose times were empty. At 70 a page had room for fewer than half its rows (measured:
1,218 of 2,500 updates heap-only, 150 ms; at 50: all 2,500, 47 ms). 45 leaves the growth a
margin. The price is space: the table takes about twice what its rows need.

Pages already written keep their old fill until rewritten (``VACUUM FULL prefab_component``).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE prefab_component SET (fillfactor = 45)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE prefab_component SET (fillfactor = 70)")


class Migration(migrations.Migration):

    dependencies = [
        ('prefab', '0007_events_without_db_keys'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
