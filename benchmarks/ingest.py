"""Lifecycle events into PostgreSQL: the service layer and the batch API path against a raw COPY
of the same rows, and the history lookup of one component with 10 million events stored.

    uv run python benchmarks/ingest.py [--rounds 8] [--history-events 10000000] [--lookups 1000]
                                       [--skip-history] [--keep] [--database zhijian_bench_ingest]

Needs PostgreSQL (``ZHIJIAN_PG*`` or 127.0.0.1:5432, user postgres); creates and drops its own
database. Measured in one run, as ratios against a baseline measured in the same run:

* ingest. Each round sends one batch of 10,000 events (2,500 components × start production,
  finish production, pass QC, stock in — each component's events in order, as a factory
  scanner uploads its backlog) three ways, one after the other so that all three see the same
  machine load:
  - service layer: ``prefab.services.record_events`` with the decoded events (parse, code
    check digits, lock and read the components, roles, idempotency, the domain's decisions,
    the insert, the components' lifecycle projection, the audit entry, the commit);
  - raw COPY (the baseline): the very rows the service layer stored, copied by psycopg's
    ``COPY … FROM STDIN`` into a table made ``LIKE prefab_lifecycleevent INCLUDING ALL`` (the
    same columns, indexes and checks; no foreign keys), and committed;
  - batch API: ``POST /api/v1/prefab/events/batch`` through Django's test client (in process:
    routing, token auth, reading JSON lines, the service layer, 10,000 results as JSON) for
    another 2,500 components.
  Targets: service layer ≥ 20,000 events/s and ≥ 30 % of the COPY rate, judged on the totals
  (events ÷ wall time); the median batch and the share of COPY per round are printed too (the
  machine is shared). The CPU time of this process (the Python side) is printed as well. One
  untimed API request comes first (it imports the URL configuration). Two more batches go
  through the service layer with the insert done by ``bulk_create`` instead of COPY, for the
  record of why COPY, and two in a transaction with ``synchronous_commit = off``, for the
  record of a durability trade-off not taken (benchmarks/README.md).
* history lookup. ``--history-events`` events (10 events per component over a million
  components; ``INSERT … SELECT … FROM generate_series`` for the events, COPY for the
  components) are added to the same table with the same indexes; two more batches go through
  the service layer into that table (no baseline: the COPY table stays small); then, for ``--lookups``
  random components: what the scan page and ``GET /components/{code}/events`` do — find the
  component by code through the tenant restriction, read its events, replay them in the domain.
  Target: p95 ≤ 20 ms. The bare SQL of the event read is timed too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BATCH = 10_000
PER_COMPONENT = 4
STEPS = ("start_production", "finish_production", "pass_qc", "stock_in")
SERVICE_TARGET = 20_000
COPY_SHARE_TARGET = 0.30
LOOKUP_TARGET_MS = 20.0
HISTORY_PER_COMPONENT = 10
AFTER_HISTORY_ROUNDS = 2


# -- set-up ------------------------------------------------------------------------------------
def pg_url(database: str) -> str:
    user = os.environ.get("ZHIJIAN_PGUSER", "postgres")
    host = os.environ.get("ZHIJIAN_PGHOST", "127.0.0.1")
    port = os.environ.get("ZHIJIAN_PGPORT", "5432")
    return f"postgres://{user}@{host}:{port}/{database}"


def create_database(database: str) -> None:
    import psycopg

    with psycopg.connect(pg_url("postgres").replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
        conn.execute(f'CREATE DATABASE "{database}"')


def drop_database(database: str) -> None:
    import psycopg

    with psycopg.connect(pg_url("postgres").replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def setup_django(database: str, data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhijian.config.settings.test"  # eager tasks, fast hashing
    os.environ["ZHIJIAN_DATABASE_URL"] = pg_url(database)
    os.environ["ZHIJIAN_DATA_DIR"] = data_dir
    os.environ["ZHIJIAN_LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"  # the API path goes through Django's test client
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@dataclass
class World:
    factory_user: Any
    contractor: Any
    project: Any
    registry: Any
    build: Any
    factory: Any
    components: list[Any] = field(default_factory=list)
    used: int = 0

    def take(self, n: int = BATCH // PER_COMPONENT) -> list[Any]:
        """The next ``n`` components no batch has named yet."""
        chunk = self.components[self.used:self.used + n]
        assert len(chunk) == n, "build_world made too few components"
        self.used += n
        return chunk


def build_world(n_components: int) -> World:
    """A project with one building's registry of ``n_components`` ordered slabs (set-up, untimed)."""
    from decimal import Decimal

    from zhijian.apps.accounts import services as accounts
    from zhijian.apps.accounts.uscc import make_uscc
    from zhijian.apps.prefab.models import (
        Component,
        ComponentRegistry,
        OrderLine,
        ProductionOrder,
        RegistryBuild,
    )
    from zhijian.apps.projects import services as projects
    from zhijian.apps.review.models import ModelVersion, Submission
    from zhijian.domain.prefab.coding import CodeParts, issue_code

    orgs = {}
    for i, (key, kind) in enumerate((("owner", "construction_unit"), ("epc", "general_contractor"),
                                     ("factory", "component_producer"), ("design", "design")), start=1):
        orgs[key] = accounts.register_organization(None, system="bench", name=f"bench {key}",
                                                   uscc=make_uscc(7000 + i), org_type=kind)
    factory_user = accounts.create_user(None, system="bench", username="factory", password="bench-password-1")
    accounts.add_membership(None, system="bench", user=factory_user, organization=orgs["factory"],
                            role="factory_operator")
    contractor = accounts.create_user(None, system="bench", username="contractor", password="bench-password-1")
    accounts.add_membership(None, system="bench", user=contractor, organization=orgs["epc"], role="contractor")
    project = projects.create_project(None, system="bench", owner=orgs["owner"], code="BENCH-1", name="bench")
    for key, place in (("epc", "epc"), ("factory", "production"), ("design", "design")):
        projects.add_participant(None, project, orgs[key], place, system="bench")
    building = projects.add_building(None, project, system="bench", name="1#", height_m=Decimal(90),
                                     storeys_above=30, floor_area_m2=Decimal(20000))
    submission = Submission.objects.create(project=project, building=building, title="bench", created_by=contractor)
    version = ModelVersion.objects.create(
        submission=submission, sequence=1, file="bench.ifc", original_name="bench.ifc", size_bytes=1,
        sha256="0" * 64, schema="IFC4", schema_family="IFC4", uploaded_by=contractor,
    )
    registry = ComponentRegistry.objects.create(project=project, building=building, building_number=1,
                                                model_version=version)
    build = RegistryBuild.objects.create(registry=registry, model_version=version, status="done",
                                         finished_at=datetime.now(UTC))
    components = [
        Component(registry=registry, project=project, code=issue_code(CodeParts(100001, 1, 1 + i % 30, "DHB", i + 1)),
                  guid=f"bench{i:017d}", ifc_class="IfcSlab", type_code="DHB", storey=1 + i % 30, first_build=build,
                  last_build=build, state="ordered")
        for i in range(n_components)
    ]
    Component.objects.bulk_create(components, batch_size=5000)
    order = ProductionOrder.objects.create(project=project, factory=orgs["factory"], ordered_by=orgs["epc"],
                                           number="PO-BENCH")
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, component=c, storey=c.storey, due_date="2025-06-01") for c in components],
        batch_size=5000,
    )
    return World(factory_user, contractor, project, registry, build, orgs["factory"], components)


def events_for(components: list[Any], start: datetime, prefix: str) -> list[dict[str, Any]]:
    out = []
    for i, component in enumerate(components):
        for j, step in enumerate(STEPS):
            out.append({
                "idempotency_key": f"{prefix}/{i}/{j}", "code": component.code, "type": step,
                "event_time": (start + timedelta(seconds=i, minutes=10 * j)).isoformat(),
            })
    return out


# -- timing ------------------------------------------------------------------------------------
@dataclass
class Path_:
    name: str
    events: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    rates: list[float] = field(default_factory=list)  # of each timed batch

    @property
    def rate(self) -> float:
        return self.events / self.wall if self.wall else 0.0

    @property
    def median(self) -> float:
        """The median batch's rate: robust to a batch stalled by the machine's other work."""
        return statistics.median(self.rates) if self.rates else 0.0


@contextmanager
def timed(path: Path_, events: int) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    took = time.perf_counter() - wall
    path.wall += took
    path.cpu += time.process_time() - cpu
    path.events += events
    path.rates.append(events / took)


def copy_baseline(batch_id: Any, path: Path_) -> None:
    """COPY the rows the service stored for this batch into the baseline table, committed."""
    from django.db import connection, transaction

    from zhijian.apps.prefab.recording import COPY_COLUMNS

    columns = ", ".join(COPY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM prefab_lifecycleevent WHERE batch_id = %s", [batch_id])
        rows = cursor.fetchall()
    with timed(path, len(rows)), transaction.atomic(), connection.cursor() as cursor, \
            cursor.copy(f"COPY bench_copy ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def run_ingest(world: World, rounds: int) -> dict[str, Path_]:
    from django.db import connection, transaction
    from django.test import Client

    from zhijian.apps.accounts.services import issue_api_token
    from zhijian.apps.prefab import recording, services

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute("CREATE TABLE bench_copy (LIKE prefab_lifecycleevent INCLUDING ALL)")
    start = datetime(2025, 3, 1, 8, tzinfo=UTC)
    _, token = issue_api_token(world.factory_user, "bench scanner")
    client = Client(raise_request_exception=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    paths = {name: Path_(name) for name in ("service", "copy", "api", "bulk_create", "async_commit")}
    take = world.take
    # Untimed: the first request imports the URL configuration and the API's modules.
    assert client.get("/api/v1/prefab/components?limit=1", **headers).status_code == 200

    for n in range(rounds):
        batch = events_for(take(), start, f"service{n}")
        with timed(paths["service"], len(batch)):
            result = services.record_events(world.factory_user, batch, source="bench")
        assert result.counts["applied"] == len(batch), result.counts
        copy_baseline(result.batch.id, paths["copy"])
        lines = "\n".join(json.dumps(e) for e in events_for(take(), start, f"api{n}")).encode()
        with timed(paths["api"], BATCH):
            response = client.post("/api/v1/prefab/events/batch", lines, content_type="application/x-ndjson",
                                   **headers)
        body = json.loads(response.content)
        assert response.status_code == 200 and body["counts"]["applied"] == BATCH, body.get("counts", body)
        print(f"  round {n + 1}/{rounds}: service {BATCH / paths['service'].wall * (n + 1):,.0f}/s cumulative, "
              f"copy {paths['copy'].rate:,.0f}/s, api {paths['api'].rate:,.0f}/s", flush=True)
    recording.INSERT_WITH_COPY = False
    try:
        for n in range(2):
            batch = events_for(take(), start, f"bulk{n}")
            with timed(paths["bulk_create"], len(batch)):
                result = services.record_events(world.factory_user, batch, source="bench")
            assert result.counts["applied"] == len(batch)
    finally:
        recording.INSERT_WITH_COPY = True
    # For the record of the durability trade-off, not adopted (README): the commit not waiting
    # for its WAL flush. The service's transaction becomes a savepoint of this one.
    for n in range(2):
        batch = events_for(take(), start, f"async{n}")
        with timed(paths["async_commit"], len(batch)), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            result = services.record_events(world.factory_user, batch, source="bench")
        assert result.counts["applied"] == len(batch)
    return paths


def run_ingest_after_history(world: World, rounds: int) -> Path_:
    """The service layer again, with the history's millions of events in the table."""
    from zhijian.apps.prefab import services

    path = Path_("service_history")
    start = datetime(2025, 4, 1, 8, tzinfo=UTC)
    for n in range(rounds):
        batch = events_for(world.take(), start, f"late{n}")
        with timed(path, len(batch)):
            result = services.record_events(world.factory_user, batch, source="bench")
        assert result.counts["applied"] == len(batch), result.counts
    return path


# -- history lookup ------------------------------------------------------------------------------
def fast_check(body: str) -> str:
    """ISO 7064 MOD 97-10 (as ``coding.check_digits``) for generating a million codes quickly."""
    digits = "".join(str(int(c, 36)) for c in body)
    return f"{98 - int(digits) * 100 % 97:02d}"


def fill_history(world: World, total_events: int) -> tuple[int, float]:
    """Components (COPY) and events (INSERT … SELECT from generate_series) up to ``total_events``."""
    from django.db import connection

    from zhijian.domain.prefab.coding import check_digits

    n_components = total_events // HISTORY_PER_COMPONENT
    started = time.perf_counter()
    for sample in ("10000102F01DHB000001", "10000102F21DHB137001", "10000102F07DHB999999"):
        assert fast_check(sample) == check_digits(sample), sample
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM prefab_lifecycleevent LIMIT 0")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET session_replication_role = replica")  # no FK triggers while generating
        # Components of building 02: codes made here, rows copied in.
        with cursor.copy(
            "COPY prefab_component (id, registry_id, project_id, code, guid, ifc_class, name, type_code, classified_by, "
            "storey, storey_name, weight_source, concrete_grade, reinforcement, first_build_id, last_build_id, flags, "
            "previous_code, state) FROM STDIN"
        ) as copy:
            import uuid

            for i in range(n_components):
                storey = 1 + i % 30
                body = f"10000102F{storey:02d}DHB{i + 1:06d}" if i < 999_999 else None
                if body is None:
                    break
                copy.write_row((uuid.uuid4(), world.registry.id, world.project.id, body + fast_check(body),
                                f"hist{i:018d}", "IfcSlab", "", "DHB", "", storey, "", "", "", "",
                                world.build.id, world.build.id, "[]", "", "installed"))
        cursor.execute("CREATE TEMP TABLE hist_components AS SELECT row_number() OVER (ORDER BY code) AS n, id "
                       "FROM prefab_component WHERE code LIKE '10000102%%'")
        cursor.execute("CREATE INDEX ON hist_components (n)")
        cursor.execute("SELECT count(*) FROM hist_components")
        made = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM prefab_ingestbatch LIMIT 1")
        batch_id = cursor.fetchone()[0]
        for index in ("event_component_time", "event_unique_key_per_org", "prefab_lifecycleevent_pkey"):
            cursor.execute(f"ALTER TABLE prefab_lifecycleevent DROP CONSTRAINT IF EXISTS {index}")
            cursor.execute(f"DROP INDEX IF EXISTS {index}")
        steps = ["order", "start_production", "finish_production", "pass_qc", "stock_in", "ship", "deliver", "accept",
                 "install", "install"]
        roles = ["contractor", "factory", "factory", "factory", "factory", "factory", "contractor", "contractor",
                 "contractor", "contractor"]
        cursor.execute(
            """
            INSERT INTO prefab_lifecycleevent (id, component_id, organization_id, recorded_by_id, batch_id,
                idempotency_key, event_type, role, event_time, received_at, operator, place, measurements, photos,
                note, content_hash)
            SELECT md5(g::text)::uuid, c.id, %s, %s, %s, 'hist/' || g, (%s::text[])[1 + (g - 1) %% 10],
                   (%s::text[])[1 + (g - 1) %% 10],
                   timestamptz '2024-01-01' + (g / 10) * interval '1 second' + ((g - 1) %% 10) * interval '1 hour',
                   timestamptz '2024-06-01', '', '', '[]', '[]', '', md5(g::text)
            FROM generate_series(1, %s) AS g JOIN hist_components c ON c.n = (g - 1) / 10 + 1
            """,
            [world.factory.id, world.factory_user.id, batch_id, steps, roles, made * HISTORY_PER_COMPONENT],
        )
        cursor.execute("ALTER TABLE prefab_lifecycleevent ADD CONSTRAINT prefab_lifecycleevent_pkey PRIMARY KEY (id)")
        cursor.execute("CREATE INDEX event_component_time ON prefab_lifecycleevent (component_id, event_time)")
        cursor.execute("ALTER TABLE prefab_lifecycleevent ADD CONSTRAINT event_unique_key_per_org "
                       "UNIQUE (organization_id, idempotency_key)")
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("ANALYZE prefab_lifecycleevent")
        cursor.execute("ANALYZE prefab_component")
        cursor.execute("SELECT count(*) FROM prefab_lifecycleevent")
        stored = cursor.fetchone()[0]
    return stored, time.perf_counter() - started


def run_lookups(world: World, lookups: int) -> dict[str, list[float]]:
    from django.db import connection

    from zhijian.apps.prefab import selectors

    with connection.cursor() as cursor:
        cursor.execute("SELECT code, id FROM prefab_component WHERE code LIKE '10000102%%' ORDER BY random() LIMIT %s",
                       [lookups])
        picked = cursor.fetchall()
    times: dict[str, list[float]] = {"selector": [], "sql": []}
    for code, component_id in picked:
        started = time.perf_counter()
        component = selectors.get_component_for(world.contractor, code)
        timeline = selectors.get_timeline_for(world.contractor, component)
        times["selector"].append((time.perf_counter() - started) * 1000)
        assert len(timeline.entries) == HISTORY_PER_COMPONENT, len(timeline.entries)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM prefab_lifecycleevent WHERE component_id = %s ORDER BY event_time",
                           [component_id])
            cursor.fetchall()
        times["sql"].append((time.perf_counter() - started) * 1000)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] if len(values) >= 2 else values[0]


# -- main --------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8, help="batches of 10,000 events per path (default 8)")
    parser.add_argument("--history-events", type=int, default=10_000_000)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--skip-history", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--database", default="zhijian_bench_ingest")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO / "src"))
    create_database(args.database)
    data_dir = tempfile.mkdtemp(prefix="zhijian-bench-")
    try:
        setup_django(args.database, data_dir)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        n_components = (2 * args.rounds + 2 + 2 + AFTER_HISTORY_ROUNDS) * (BATCH // PER_COMPONENT)
        print(f"PostgreSQL {server}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
        print(f"set-up: {n_components:,} ordered components (untimed)", flush=True)
        world = build_world(n_components)

        print(f"ingest: {args.rounds} rounds of {BATCH:,} events per path", flush=True)
        paths = run_ingest(world, args.rounds)
        service, copy, api, bulk, lazy = (paths[k] for k in ("service", "copy", "api", "bulk_create", "async_commit"))
        share = service.rate / copy.rate if copy.rate else 0.0
        shares = [s / c for s, c in zip(service.rates, copy.rates, strict=True)]  # the same rows, one after the other
        print()
        print(f"{'path':<34}{'events':>10}{'wall s':>9}{'events/s':>11}{'median':>9}{'CPU s':>8}")
        for path, label in ((copy, "raw COPY (baseline)"), (service, "service layer"), (api, "batch API (JSON lines)"),
                            (bulk, "service layer, bulk_create insert"), (lazy, "service, synchronous_commit off")):
            print(f"{label:<34}{path.events:>10,}{path.wall:>9.2f}{path.rate:>11,.0f}{path.median:>9,.0f}"
                  f"{path.cpu:>8.2f}")
        print(f"(median: of the batches' rates; service share of COPY per round: "
              f"{', '.join(f'{x:.0%}' for x in shares)}; median {statistics.median(shares):.0%})")
        ok_rate = service.rate >= SERVICE_TARGET
        ok_share = share >= COPY_SHARE_TARGET
        print(f"service layer: {service.rate:,.0f} events/s (target ≥ {SERVICE_TARGET:,}: "
              f"{'met' if ok_rate else 'NOT met'}); {share:.0%} of COPY (target ≥ {COPY_SHARE_TARGET:.0%}: "
              f"{'met' if ok_share else 'NOT met'}); API path {api.rate / copy.rate:.0%} of COPY")
        summary: dict[str, Any] = {
            "service_events_per_s": round(service.rate), "copy_events_per_s": round(copy.rate),
            "api_events_per_s": round(api.rate), "bulk_create_events_per_s": round(bulk.rate),
            "async_commit_events_per_s": round(lazy.rate), "api_share_of_copy": round(api.rate / copy.rate, 3),
            "service_share_of_copy": round(share, 3), "service_median_events_per_s": round(service.median),
            "copy_median_events_per_s": round(copy.median), "median_round_share": round(statistics.median(shares), 3),
        }
        ok_lookup = True
        if not args.skip_history:
            print(f"\nhistory: generating {args.history_events:,} events …", flush=True)
            stored, took = fill_history(world, args.history_events)
            print(f"  {stored:,} events stored (generated in {took:.0f} s)", flush=True)
            late = run_ingest_after_history(world, AFTER_HISTORY_ROUNDS)
            print(f"service layer with {stored:,} events stored: {late.rate:,.0f} events/s "
                  f"({late.events:,} events, CPU {late.cpu:.2f} s)", flush=True)
            summary["service_events_per_s_with_history"] = round(late.rate)
            times = run_lookups(world, args.lookups)
            sel, sql = times["selector"], times["sql"]
            ok_lookup = p95(sel) <= LOOKUP_TARGET_MS
            print(f"history lookup of one component ({len(sel)} random components, 10 events each, {stored:,} stored): "
                  f"p50 {statistics.median(sel):.1f} ms, p95 {p95(sel):.1f} ms, max {max(sel):.1f} ms "
                  f"(target p95 ≤ {LOOKUP_TARGET_MS:.0f} ms: {'met' if ok_lookup else 'NOT met'}); "
                  f"bare SQL read p95 {p95(sql):.2f} ms")
            summary.update(events_stored=stored, lookup_p50_ms=round(statistics.median(sel), 2),
                           lookup_p95_ms=round(p95(sel), 2), sql_p95_ms=round(p95(sql), 3))
        print("\n" + json.dumps(summary))
        return 0 if ok_rate and ok_share and ok_lookup else 1
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database)


if __name__ == "__main__":
    sys.exit(main())
