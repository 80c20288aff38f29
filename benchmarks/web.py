"""The review platform under load: gunicorn with the production settings on PostgreSQL, the
demo city scaled ×100, driven by wrk at 20 concurrent connections.

    uv run python benchmarks/web.py [--scale 100] [--connections 20] [--duration 15] [--workers 4]
                                    [--port 8765] [--database zhijian_bench] [--keep] [--reuse]

Needs PostgreSQL (``ZHIJIAN_PG*`` or 127.0.0.1:5432, user postgres), Redis for the cache and
sessions as in production (``ZHIJIAN_BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/13``) and wrk (Debian's ``wrk``;
installed with apt-get when missing and run as root). Creates and drops its own database.

Set-up (untimed): migrate, ``seed_demo --scale N`` (the demo city, then N bulk-inserted copies
of its review story: see ``zhijian.apps.review.scale``), ``collectstatic`` (the production
settings serve static files from the manifest through WhiteNoise), a session for the demo
reviewer (one review agency of six: a part of the city) and for the housing authority (the
whole city, the worst case), an API token for each. Then gunicorn serves
``zhijian.config.wsgi`` with ``zhijian.config.settings.prod`` (DEBUG off, persistent database
connections, HTTPS settings: wrk sends ``X-Forwarded-Proto: https`` as the TLS proxy would).
The review pages are kept until the data under them changes (``apps/common/page_cache.py``),
as in production: after the warm-up every page request is served from the kept fragment.
``--page-cache off`` builds every page, which is what each request right after a write to
the review data costs; run both to see the range. The last run, "city at work", is closer to
a city's traffic than one URL read again and again: every demo user's queue and findings
page in turn (13 pages of 8 users) while a reviewer writes a comment through the service
every ``--write-every`` seconds (default 1), each write making every kept page be built
again once.

Measured, one after the other so all see the same machine load, each for ``--duration`` s
after a short warm-up, with wrk (closed loop, ``--connections`` connections):

* baselines: a static file through WhiteNoise (the same gunicorn, no view), and the log-in page
  (a Django view rendering a template, no database query);
* the review queue (``/``: the queue with each round's delta, recent submissions, counts),
  a submission's findings page (``/submissions/<id>/``, its latest round of a two-round
  submission with the diff) and the findings API (``/api/v1/rounds/<id>/findings``, token);
  each as the reviewer and as the housing authority.

Reported: p50/p90/p95/p99 latency, requests/s, errors (any non-2xx response or socket error
counts; target 0), the p95 as a multiple of the log-in page's p95 in the same run, the
database queries each endpoint makes (counted in-process with Django's test client), and the
server's CPU time per request — gunicorn's workers plus their PostgreSQL backends, read from
/proc before and after each endpoint's run — which, unlike the latencies, hardly depends on
what else the machine is running.
Target: p95 ≤ 200 ms and no errors.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TARGET_P95_MS = 200.0

# wrk's Lua hooks: count non-2xx responses per thread, print one JSON line at the end.
WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local non2xx = 0
  for _, t in ipairs(threads) do non2xx = non2xx + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, non2xx, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
"""


# -- set-up ------------------------------------------------------------------------------------
def pg_url(database: str) -> str:
    user = os.environ.get("ZHIJIAN_PGUSER", "postgres")
    host = os.environ.get("ZHIJIAN_PGHOST", "127.0.0.1")
    port = os.environ.get("ZHIJIAN_PGPORT", "5432")
    return f"postgres://{user}@{host}:{port}/{database}"


def _admin_execute(*statements: str) -> None:
    import psycopg

    with psycopg.connect(pg_url("postgres").replace("postgres://", "postgresql://"), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def database_exists(database: str) -> bool:
    import psycopg

    with psycopg.connect(pg_url("postgres").replace("postgres://", "postgresql://"), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone() is not None


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: apt-get install -y wrk", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, stdout=subprocess.DEVNULL)
        if shutil.which("wrk") is None:
            subprocess.run(["apt-get", "update", "-qq"], check=False)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is needed (Debian: apt-get install wrk)")
    return found


def server_env(database: str, data_dir: str, secret: str, page_cache: str = "on") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="zhijian.config.settings.prod",
        ZHIJIAN_DATABASE_URL=pg_url(database),
        ZHIJIAN_DATA_DIR=data_dir,
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        ZHIJIAN_LOG_LEVEL="WARNING",
        CELERY_BROKER_URL="memory://",  # no request here enqueues work
        # As in production: the shared Redis cache, which also holds the sessions (cached_db).
        ZHIJIAN_REDIS_CACHE_URL=redis_cache_url(),
        # Kept review pages (apps/common/page_cache.py), on in production with Redis; "off"
        # measures the pages built on every request, what a request after a write costs.
        ZHIJIAN_PAGE_CACHE="1" if page_cache == "on" else "0",
    )
    return env


def redis_cache_url() -> str:
    return os.environ.get("ZHIJIAN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def setup_django(database: str, data_dir: str, secret: str) -> None:
    """This process: the test settings (tasks run in-process while seeding) on the bench database.
    The server shares the secret key, so the sessions made here are valid there."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhijian.config.settings.test"
    os.environ["ZHIJIAN_DATABASE_URL"] = pg_url(database)
    os.environ["ZHIJIAN_DATA_DIR"] = data_dir
    os.environ["ZHIJIAN_MEDIA_ROOT"] = str(Path(data_dir) / "media")
    os.environ["DJANGO_SECRET_KEY"] = secret
    os.environ["ZHIJIAN_LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()


@dataclass
class Target:
    name: str
    path: str
    headers: dict[str, str]
    expect: str  # text the 200 response must contain (a page of the right thing, not a log-in page)
    script: str = ""  # Lua added to WRK_SCRIPT (a request() of its own: several pages and users)


def prepare(scale: int) -> dict[str, Any]:
    """Seed and scale the city; sessions and tokens; the submission and round to read."""
    from django.core.management import call_command
    from django.test import Client

    from zhijian.apps.accounts.models import User
    from zhijian.apps.accounts.services import issue_api_token
    from zhijian.apps.review.models import Finding, Round, Submission

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale=scale, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seeded = time.perf_counter() - started
    reviewer, bureau = User.objects.get(username="reviewer"), User.objects.get(username="bureau")
    # A two-round submission in review that the reviewer's agency reviews (so both users see it).
    submission = (
        Submission.objects.restrict(reviewer).filter(state="in_review", rounds__number=2)
        .order_by("-updated_at").first()
    )
    if submission is None:
        sys.exit("no two-round submission in review visible to the reviewer: is --scale at least 6?")
    round_ = Round.objects.filter(submission=submission).order_by("-number").first()
    sessions, tokens = {}, {}
    for key, user in (("reviewer", reviewer), ("bureau", bureau)):
        client = Client()
        client.force_login(user)
        sessions[key] = client.cookies["sessionid"].value
        tokens[key] = issue_api_token(user, "bench-web")[1]
    city_sessions = {}  # the "city at work" run: everyone of the demo whose pages these are
    for user in User.objects.filter(username__in=CITY_USERS):
        client = Client()
        client.force_login(user)
        city_sessions[user.username] = client.cookies["sessionid"].value
    counts = {
        "submissions": Submission.objects.count(),
        "visible to the reviewer": Submission.objects.restrict(reviewer).count(),
        "rounds": Round.objects.count(),
        "findings": Finding.objects.count(),
        "findings on the page": round_.check_run.findings.count(),
    }
    return {"submission": submission, "round": round_, "sessions": sessions, "tokens": tokens,
            "city_sessions": city_sessions, "reviewer": reviewer,
            "finding": round_.check_run.findings.order_by("ordinal").first(), "counts": counts, "seed_s": seeded}


CITY_USERS = ("reviewer", "checker", "reviewer_mep", "agency_admin", "bureau", "designer", "owner", "contractor")


def city_at_work(world: dict[str, Any], port: int, write_every: float) -> Target:
    """Every demo user's review queue and findings page, in turn, while a reviewer writes a
    comment every ``write_every`` seconds: each write moves the data version, so every kept
    page is built again once after it — a city's traffic, not one URL read again and again."""
    pages = []
    proxy = {"X-Forwarded-Proto": "https"}
    for who, session in sorted(world["city_sessions"].items()):
        for path, expect in (("/", "<table"), (f"/submissions/{world['submission'].id}/", world["submission"].title)):
            page = Target(who, path, {**proxy, "Cookie": f"sessionid={session}"}, expect)
            status, body = fetch(port, page)
            if status == 200 and expect in body:  # a page this user may see
                pages.append(page)
    lua = ",\n".join(f'  {{"{p.path}", "{p.headers["Cookie"]}"}}' for p in pages)
    script = f"""
local pages = {{
{lua}
}}
local i = 0
function request()
  i = i % #pages + 1
  return wrk.format("GET", pages[i][1], {{["Cookie"] = pages[i][2], ["X-Forwarded-Proto"] = "https"}})
end
"""
    users = len({p.name for p in pages})
    return Target(f"city at work: {len(pages)} pages of {users} users, a review write every {write_every:g} s",
                  "/", proxy, "", script)


@contextlib.contextmanager
def review_writes(world: dict[str, Any], every: float, page_cache: str) -> Iterator[list[float]]:
    """A reviewer's comment every ``every`` seconds, through the service, in a thread of this
    process — with the server's cache and kept-pages setting, so the writes move its data version."""
    from django.db import connection
    from django.test import override_settings

    from zhijian.apps.review import services

    cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_cache_url()}}
    stop, done = threading.Event(), []

    def write() -> None:
        try:
            while not stop.wait(every):
                services.add_comment(world["reviewer"], world["round"].id, f"压测批注 {len(done) + 1}",
                                     finding_id=world["finding"].id)
                done.append(time.monotonic())
        finally:
            connection.close()

    with override_settings(CACHES=cache, PAGE_CACHE=page_cache == "on"):
        thread = threading.Thread(target=write)
        thread.start()
        try:
            yield done
        finally:
            stop.set()
            thread.join(30)


def targets(world: dict[str, Any]) -> list[Target]:
    proxy = {"X-Forwarded-Proto": "https"}
    submission, round_ = world["submission"], world["round"]
    out = [
        Target("baseline: static file (WhiteNoise)", "/static/zhijian/site.css", proxy, "{"),
        Target("baseline: log-in page (no query)", "/accounts/login/", proxy, "<form"),
    ]
    for who in ("reviewer", "bureau"):
        cookie = {**proxy, "Cookie": f"sessionid={world['sessions'][who]}"}
        token = {**proxy, "Authorization": f"Bearer {world['tokens'][who]}"}
        out += [
            Target(f"review queue (/), {who}", "/", cookie, "<table"),
            Target(f"findings page, {who}", f"/submissions/{submission.id}/", cookie, submission.title),
            Target(f"findings API, {who}", f"/api/v1/rounds/{round_.id}/findings", token, '"items"'),
        ]
    return out


def query_counts(world: dict[str, Any]) -> dict[str, int]:
    """Database queries per endpoint, through Django's test client in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhijian.apps.accounts.models import User

    out = {}
    for who in ("reviewer", "bureau"):
        client = Client()
        client.force_login(User.objects.get(username=who))
        token = {"HTTP_AUTHORIZATION": f"Bearer {world['tokens'][who]}"}
        for label, path, extra in (
            ("review queue", "/", {}),
            ("findings page", f"/submissions/{world['submission'].id}/", {}),
            ("findings API", f"/api/v1/rounds/{world['round'].id}/findings", token),
        ):
            client.get(path, **extra)  # warm (translations, templates)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, **extra)
            assert response.status_code == 200, (path, response.status_code)
            out[f"{label}, {who}"] = len(queries)
    return out


def select1_ms(database: str, n: int = 2000) -> float:
    """Median round trip of ``SELECT 1`` to the same server (psycopg, one connection)."""
    import psycopg

    with psycopg.connect(pg_url(database).replace("postgres://", "postgresql://")) as conn:
        times = []
        for _ in range(n):
            t = time.perf_counter()
            conn.execute("SELECT 1").fetchone()
            times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


# -- the server and the load -----------------------------------------------------------------
def collectstatic(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=REPO, env=env, check=True)


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", "zhijian.config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", "sync", "--backlog", "256", "--timeout", "60",
        "--log-level", "warning",
    ]
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn ended at start: see {log}")
        try:
            fetch(port, Target("ping", "/accounts/login/", {"X-Forwarded-Proto": "https"}, ""))
            return server
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    stop(server)
    sys.exit("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(port: int, target: Target) -> tuple[int, str]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(f"http://127.0.0.1:{port}{target.path}", headers=target.headers)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def preflight(port: int, target: Target) -> None:
    status, body = fetch(port, target)
    if status != 200 or target.expect not in body:
        sys.exit(f"{target.name}: {target.path} answered {status} without {target.expect!r}: not benchmarking that")


# -- CPU time of the server side: gunicorn's workers and their PostgreSQL backends ------------
TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def server_cpu(server: subprocess.Popen[bytes], database: str) -> dict[tuple[str, int], float]:
    """CPU seconds so far of each gunicorn worker ("app") and PostgreSQL backend ("db") of the bench database."""
    import psycopg

    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    with psycopg.connect(pg_url("postgres").replace("postgres://", "postgresql://"), autocommit=True) as conn:
        backends = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (database,))]
    return {**{("app", int(pid)): _cpu_of(int(pid)) for pid in children},
            **{("db", int(pid)): _cpu_of(int(pid)) for pid in backends}}


def run_wrk(wrk: str, script: Path, port: int, target: Target, connections: int, duration: float,
            threads: int) -> dict[str, Any]:
    command = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{duration:g}s", "--timeout", "10s",
               "-s", str(script)]
    for name, value in target.headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{target.path}")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    result = json.loads(line[len("WRKJSON "):])
    result["errors"] = (result["non2xx"] + result["connect"] + result["read"] + result["write"]
                        + result["timeout"])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100, help="copies of the demo's review story (default 100)")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per endpoint (after 3 s warm-up)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (2 cores: 4)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1 leaves the cores to the server)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="zhijian_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the database left by --keep (skip seeding)")
    parser.add_argument("--write-every", type=float, default=1.0,
                        help="seconds between the review writes of the 'city at work' run (default 1)")
    parser.add_argument("--page-cache", choices=("on", "off"), default="on",
                        help="kept review pages: on as in production, off to build every page (the miss path)")
    args = parser.parse_args()

    wrk = ensure_wrk()
    data_dir = tempfile.mkdtemp(prefix="zhijian-bench-web-")
    secret = secrets.token_urlsafe(50)
    reuse = args.reuse and database_exists(args.database)
    if not reuse:
        _admin_execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)', f'CREATE DATABASE "{args.database}"')
    server = None
    try:
        setup_django(args.database, data_dir, secret)
        world = prepare(args.scale)
        print(f"Database {args.database}: seed_demo --scale {args.scale} in {world['seed_s']:.1f} s; "
              + ", ".join(f"{k} {v}" for k, v in world["counts"].items()), flush=True)
        queries = query_counts(world)
        env = server_env(args.database, data_dir, secret, args.page_cache)
        collectstatic(env)
        log = Path(data_dir) / "gunicorn.log"
        server = start_gunicorn(env, args.port, args.workers, log)
        plan = targets(world)
        for target in plan:
            preflight(args.port, target)
        plan.append(city_at_work(world, args.port, args.write_every))
        load = os.getloadavg()[0]
        rows = []
        for target in plan:
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
                handle.write(WRK_SCRIPT + target.script)
                script = Path(handle.name)
            run_wrk(wrk, script, args.port, target, args.connections, 3, args.threads)  # warm-up
            before = server_cpu(server, args.database)
            with review_writes(world, args.write_every, args.page_cache) if target.script else nullcontext([]) as writes:
                result = run_wrk(wrk, script, args.port, target, args.connections, args.duration, args.threads)
            after = server_cpu(server, args.database)
            if target.script:
                result["writes"] = len(writes)
            for side in ("app", "db"):
                spent = sum(max(after[key] - before.get(key, 0.0), 0.0) for key in after if key[0] == side)
                result[f"{side}_cpu_ms"] = 1000 * spent / max(result["requests"], 1)
            result["server_cpu_ms"] = result["app_cpu_ms"] + result["db_cpu_ms"]
            rows.append((target, result))
            print(f"  {target.name}: p95 {result['p95'] / 1000:.1f} ms, {result['rps']:.0f} req/s, "
                  f"errors {result['errors']}" + (f", {result['writes']} writes" if target.script else ""), flush=True)
        select1 = select1_ms(args.database)
        report(rows, queries, select1, args, load, os.getloadavg()[0])
    finally:
        if server is not None:
            stop(server)
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)
        if not args.keep:
            _admin_execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def report(rows: list[tuple[Target, dict[str, Any]]], queries: dict[str, int], select1: float,
           args: argparse.Namespace, load_before: float, load_after: float) -> None:
    base = next(r for t, r in rows if t.name.startswith("baseline: log-in"))
    print()
    print(f"gunicorn {args.workers} sync workers, settings.prod, PostgreSQL, kept pages {args.page_cache}; "
          f"wrk {args.connections} connections, "
          f"{args.duration:g} s per endpoint; load average {load_before:.1f} → {load_after:.1f}; "
          f"SELECT 1 round trip {select1:.3f} ms")
    print()
    print("| endpoint | queries | server CPU ms/request (gunicorn + PostgreSQL) | req/s bound on 2 idle cores "
          "| p50 ms | p90 ms | p95 ms "
          "| p99 ms | req/s | errors | p95 × log-in page | p95 ≤ 200 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    failed = False
    for target, r in rows:
        label = target.name
        found = next((v for k, v in queries.items()
                      if label.startswith(k.split(",")[0]) and label.endswith(k.split(", ")[1])), None)
        n = str(found) if found is not None else "—"
        cpu = f"{r['server_cpu_ms']:.1f} ({r['app_cpu_ms']:.1f} + {r['db_cpu_ms']:.1f})"
        bound = f"{2000 / r['server_cpu_ms']:.0f}" if r["server_cpu_ms"] > 0 else "—"
        ok = r["p95"] / 1000 <= TARGET_P95_MS and r["errors"] == 0
        baseline = label.startswith("baseline")
        failed |= not ok and not baseline
        print(f"| {label} | {n} | {cpu} | {bound} | {r['p50'] / 1000:.1f} | {r['p90'] / 1000:.1f} | {r['p95'] / 1000:.1f} | "
              f"{r['p99'] / 1000:.1f} | {r['rps']:.0f} | {r['errors']} | {r['p95'] / base['p95']:.1f} | "
              f"{'—' if baseline else ('✓' if ok else '✗')} |")
    print()
    print("server CPU: gunicorn's workers and their PostgreSQL backends, per request (from /proc); two idle cores "
          "could serve at most 2000 / that many requests per second")
    print("target met" if not failed else "target NOT met on at least one endpoint")


if __name__ == "__main__":
    main()
