"""CPU time per request of the review pages, in one process: what the code costs, not the machine.

    ZHIJIAN_DATABASE_URL=postgres://postgres@127.0.0.1/zhijian_cpu \\
        uv run python benchmarks/web_cpu.py [--repeat 15] [--profile "review queue, bureau"] [--top 40]
                                            [--sessions db|cached_db]

Needs a database already migrated and seeded (``manage.py seed_demo --scale 100``). Each
endpoint of ``web.py`` (the log-in page, the review queue, a two-round submission's findings
page, the findings API; as the demo reviewer and as the housing authority) is fetched through
Django's test client: once to warm up, then ``--repeat`` times, and the best
``time.process_time`` (this process's CPU: Django, the templates, the driver; not PostgreSQL's)
is reported with the number of queries. The best of N hardly depends on what else the
machine runs, so before/after figures of one change can be compared on a loaded machine.
``--profile LABEL`` prints a cProfile of one more request of that endpoint (cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile", default="", help='an endpoint label, e.g. "findings page, reviewer"')
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--sessions", choices=("db", "cached_db"), default="db",
                        help="cached_db: the production set-up with a Redis cache (ZHIJIAN_REDIS_CACHE_URL)")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO / "src"))
    # The test settings as web.py's in-process figures (DEBUG off, no debug toolbar), and
    # persistent connections as in production (the test settings close them per request).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijian.config.settings.test")
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict["CONN_MAX_AGE"] = None
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host

    if args.sessions == "cached_db":  # as prod.py does with a Redis cache
        if "RedisCache" not in settings.CACHES["default"]["BACKEND"]:
            sys.exit("--sessions cached_db needs ZHIJIAN_REDIS_CACHE_URL (e.g. redis://127.0.0.1:6379/5)")
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhijian.apps.accounts.models import User
    from zhijian.apps.accounts.services import issue_api_token
    from zhijian.apps.review.models import Round, Submission

    reviewer = User.objects.get(username="reviewer")
    # The same submission as web.py: a two-round one in review that the reviewer's agency reviews.
    submission = (Submission.objects.restrict(reviewer).filter(state="in_review", rounds__number=2)
                  .order_by("-updated_at").first())
    if submission is None:
        sys.exit("no two-round submission in review visible to the reviewer: seed_demo --scale 100 first")
    round_ = Round.objects.filter(submission=submission).order_by("-number").first()

    endpoints = [("log-in page", "/accounts/login/", None, {})]
    for who in ("reviewer", "bureau"):
        user = User.objects.get(username=who)
        token = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user, 'bench-web-cpu')[1]}"}
        endpoints += [
            (f"review queue, {who}", "/", user, {}),
            (f"findings page, {who}", f"/submissions/{submission.id}/", user, {}),
            (f"findings API, {who}", f"/api/v1/rounds/{round_.id}/findings", None, token),
        ]

    print(f"| endpoint | queries | CPU ms/request (best of {args.repeat}) | median |")
    print("|---|---|---|---|")
    for label, path, user, extra in endpoints:
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(path, **extra)  # warm: translations, templates, connection
        assert response.status_code == 200, (label, response.status_code)
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.process_time()
                client.get(path, **extra)
                times.append(time.process_time() - start)
        times.sort()
        print(f"| {label} | {len(queries)} | {1000 * times[0]:.1f} | {1000 * times[len(times) // 2]:.1f} |")
        if label == args.profile:
            profiler = cProfile.Profile(time.process_time)  # CPU, not waits on PostgreSQL
            profiler.enable()
            client.get(path, **extra)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
