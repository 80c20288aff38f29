"""Lifecycle events append-only in the database itself, as the audit log is
(apps/common/append_only.py); room on each page of the component table for in-place updates
of its lifecycle projection.

PostgreSQL only: ``fillfactor = 70`` on ``prefab_component`` leaves 30 % of each page free,
so that rewriting ``state``/``state_at``/``last_event_at`` (no index covers them) stays on
the page as a heap-only tuple and touches no index — measured at 10,000 rows: 0.8 s with an
index on state and default fill, 0.08 s like this (benchmarks/ingest.py).
"""

from django.db import migrations

from zhijian.apps.common.append_only import append_only_operation


class Migration(migrations.Migration):
    dependencies = [("prefab", "0001_initial")]
    operations = [
        append_only_operation(
            "prefab_lifecycleevent",
            function="zhijian_event_append_only",
            message="lifecycle events are append-only",
            postgresql_up="ALTER TABLE prefab_component SET (fillfactor = 70);\n",
            postgresql_down="ALTER TABLE prefab_component RESET (fillfactor);\n",
        )
    ]
