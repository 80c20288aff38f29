"""What the events table's foreign keys guarded, kept without them (migration 0007): an event
always names a component and an organisation that exist, and neither can be deleted while it
has events — by Django's PROTECT everywhere, and on PostgreSQL by a trigger, for any SQL.

Runs on SQLite and, with ``ZHIJIAN_DB=postgres``, on PostgreSQL.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from tests.integration.platform.prefab.conftest import Prefab, event

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                     reason="the delete guards are PostgreSQL triggers")


def _recorded(prefab: Prefab, post_events: Any) -> Any:
    from zhijian.apps.prefab.models import LifecycleEvent

    component = prefab.component()
    response = post_events(prefab.user("factory_a"), [event(component.code, "start_production")])
    assert response.json()["counts"]["applied"] == 1
    return LifecycleEvent.objects.get(component=component, event_type="start_production")


def _has_foreign_key_to(table: str) -> bool:
    with connection.cursor() as cursor:
        keys = connection.introspection.get_constraints(cursor, "prefab_lifecycleevent")
    return any(c["foreign_key"] and c["foreign_key"][0] == table for c in keys.values())


def test_the_events_table_checks_no_foreign_keys_per_row() -> None:
    for table in ("prefab_component", "accounts_organization", "accounts_user", "prefab_ingestbatch"):
        assert not _has_foreign_key_to(table), table


def test_every_stored_event_names_an_existing_component_and_organisation(prefab: Prefab, post_events: Any) -> None:
    from zhijian.apps.accounts.models import Organization
    from zhijian.apps.prefab.models import Component

    stored = _recorded(prefab, post_events)
    assert Component.objects.filter(id=stored.component_id).exists()
    assert Organization.objects.filter(id=stored.organization_id).exists()


def test_django_refuses_to_delete_a_component_or_organisation_with_events(prefab: Prefab, post_events: Any) -> None:
    stored = _recorded(prefab, post_events)
    with pytest.raises(ProtectedError), transaction.atomic():
        stored.component.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        stored.organization.delete()


@postgresql_only
@pytest.mark.parametrize("table,column", [("prefab_component", "component_id"),
                                          ("accounts_organization", "organization_id")])
def test_sql_cannot_delete_or_renumber_a_row_events_refer_to(prefab: Prefab, post_events: Any, table: str,
                                                            column: str) -> None:
    stored = _recorded(prefab, post_events)
    target = getattr(stored, column)
    with pytest.raises(IntegrityError, match="has lifecycle events"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [target])
    with pytest.raises(IntegrityError, match="has lifecycle events"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET id = %s WHERE id = %s", [uuid.uuid4(), target])


@postgresql_only
def test_sql_may_delete_an_organisation_without_events() -> None:
    from zhijian.apps.accounts.models import Organization
    from zhijian.apps.accounts.uscc import make_uscc

    # Saved directly: the registration's audit entry would refer to it too.
    bare = Organization.objects.create(name="无事件单位", uscc=make_uscc(9931), org_type="component_producer")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_organization WHERE id = %s", [bare.id])
    assert not Organization.objects.filter(id=bare.id).exists()


def test_an_upload_for_an_organisation_gone_meanwhile_is_refused_whole() -> None:
    from zhijian.apps.prefab.recording import _lock_organizations

    with pytest.raises(IntegrityError, match="no longer exist"), transaction.atomic():
        _lock_organizations({uuid.uuid4()})
