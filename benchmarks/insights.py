"""The city statistics (``GET /api/v1/insights/city``) when the city grows ×100, on PostgreSQL.

    uv run python benchmarks/insights.py [--scale 100] [--events-scale 100] [--requests 30]
                                         [--database zhijian_bench_insights] [--keep]

Needs PostgreSQL (``ZHIJIAN_PG*`` or 127.0.0.1:5432, user postgres); creates and drops its own
database. Set-up (untimed): migrate, the demo city (``seed_demo_city``). Measured in one run,
in process through Django's test client, ``--requests`` requests each after a warm-up:

* ×1 (the baseline): the dashboard's API as the housing authority (the whole city) and as the
  demo reviewer (the projects of one review agency);
* ×N: then ``scale_review_city(N)`` adds N copies of the demo's review story (projects in every
  district, submissions, rounds, check runs, findings; ``zhijian.apps.review.scale``) and every
  lifecycle event is copied ``--events-scale − 1`` more times (``INSERT … SELECT … FROM
  generate_series``, new ids and idempotency keys: the same components with ×N events — the
  aggregates read the events, the components are a join), ``ANALYZE``; the same requests again.

Reported: median and p95 latency computed (the cache cleared before each request), the median
from the cache (``INSIGHTS_CACHE_SECONDS``, per user and filters), database queries per request (the same at ×1 and ×N: the
statistics are GROUP BY queries, no per-row loops), rows behind them, and ×N/×1 ratios.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.web import _admin_execute, pg_url  # noqa: E402

URL = "/api/v1/insights/city"


def setup_django(database: str, data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhijian.config.settings.test"
    os.environ["ZHIJIAN_DATABASE_URL"] = pg_url(database)
    os.environ["ZHIJIAN_DATA_DIR"] = data_dir
    os.environ["ZHIJIAN_MEDIA_ROOT"] = str(Path(data_dir) / "media")
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(32)
    os.environ["ZHIJIAN_LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()


def measure(client: Any, n: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.db import connection

    cache.clear()
    client.get(URL)  # warm: translations, content types
    cache.clear()
    queries = []

    def counted(execute: Any, sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(counted):
        response = client.get(URL)
    assert response.status_code == 200, response.content[:300]
    cold, warm = [], []
    for _ in range(n):
        cache.clear()  # computed
        start = time.perf_counter()
        client.get(URL)
        cold.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()  # from the cache
        client.get(URL)
        warm.append((time.perf_counter() - start) * 1000)
    cold.sort()
    return {"median": statistics.median(cold), "p95": cold[min(len(cold) - 1, int(0.95 * len(cold)))],
            "cached": statistics.median(warm), "queries": len(queries),
            "submissions": response.json()["review"]["submissions"], "produced": response.json()["prefab"]["produced"]}


def rows() -> dict[str, int]:
    from zhijian.apps.prefab.models import LifecycleEvent
    from zhijian.apps.review.models import Finding, Round, Submission

    return {"submissions": Submission.objects.count(), "rounds": Round.objects.count(),
            "findings": Finding.objects.count(), "events": LifecycleEvent.objects.count()}


def copy_events(times: int) -> None:
    """Every event ``times`` − 1 more times: new ids and idempotency keys, the rest as it was."""
    from django.db import connection

    if times <= 1:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name FROM information_schema.columns "
                       "WHERE table_name = 'prefab_lifecycleevent' ORDER BY ordinal_position")
        columns = [row[0] for row in cursor.fetchall()]
        values = [
            "gen_random_uuid()" if c == "id" else "e.idempotency_key || '~' || g" if c == "idempotency_key" else f"e.{c}"
            for c in columns
        ]
        cursor.execute(
            f"INSERT INTO prefab_lifecycleevent ({', '.join(columns)}) "  # column names from the catalog
            f"SELECT {', '.join(values)} FROM prefab_lifecycleevent e, generate_series(1, %s) g", [times - 1])
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--events-scale", type=int, default=100)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database", default="zhijian_bench_insights")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    _admin_execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)', f'CREATE DATABASE "{args.database}"')
    try:
        with tempfile.TemporaryDirectory(prefix="zhijian-bench-insights-") as data_dir:
            setup_django(args.database, data_dir)
            from django.core.management import call_command
            from django.test import Client

            from zhijian.apps.accounts.models import User
            from zhijian.apps.review.demo import seed_demo_city
            from zhijian.apps.review.scale import scale_review_city

            call_command("migrate", verbosity=0)
            seed_demo_city()
            clients = {}
            for name in ("bureau", "reviewer"):
                clients[name] = Client()
                clients[name].force_login(User.objects.get(username=name))
            before = rows()
            base = {name: measure(client, args.requests) for name, client in clients.items()}
            scale_review_city(args.scale)
            copy_events(args.events_scale)
            after = rows()
            scaled = {name: measure(client, args.requests) for name, client in clients.items()}
            report(before, after, base, scaled, args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin_execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def report(before: dict[str, int], after: dict[str, int], base: dict[str, Any], scaled: dict[str, Any],
           args: argparse.Namespace) -> None:
    print(f"rows ×1: {before}")
    print(f"rows ×{args.scale} (events ×{args.events_scale}): {after}")
    print(f"{'user':<10} {'city':>6} {'median ms':>10} {'p95 ms':>8} {'cached ms':>10} {'queries':>8} "
          f"{'submissions':>12} {'produced':>9}")
    for name in base:
        for label, result in ((" ×1", base[name]), (f" ×{args.scale}", scaled[name])):
            print(f"{name:<10} {label:>6} {result['median']:>10.1f} {result['p95']:>8.1f} {result['cached']:>10.1f} "
                  f"{result['queries']:>8} "
                  f"{result['submissions']:>12} {result['produced']:>9}")
        ratio = scaled[name]["median"] / base[name]["median"]
        print(f"{name:<10} ratio ×{args.scale}/×1 (median): {ratio:.2f}; queries "
              f"{'the same' if scaled[name]['queries'] == base[name]['queries'] else 'DIFFER'}")


if __name__ == "__main__":
    main()
