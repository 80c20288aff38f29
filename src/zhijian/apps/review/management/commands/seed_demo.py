"""``manage.py seed_demo [--host HOST:PORT] [--scale N]``: load the demo city (idempotent), print
the demo logins; ``--scale N`` then adds N bulk-inserted copies of its review story (benchmarks)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhijian.apps.review.demo import seed_demo_city


class Command(BaseCommand):
    help = "Load the demo city: organisations of every type, a user per role, a project whose model is checked."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1:8000",
                            help="where the server listens (host:port), for the login URL printed (make run passes HOST)")
        parser.add_argument("--scale", type=int, default=0, metavar="N",
                            help="also make sure N copies of the demo's review story exist (bulk inserts, for benchmarks)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] < 0:
            raise CommandError("--scale must be 0 or more")
        result = seed_demo_city()
        if result.created:
            self.stdout.write(f"Created {len(result.created)} objects (organisations, users, project, submission).")
        else:
            self.stdout.write("The demo city is already loaded.")
        self.stdout.write(f"Demo project: {result.project.name} ({result.project.code})")
        self.stdout.write(f"Demo submission: {result.submission.title} — state {result.submission.state}")
        for evaluation in result.evaluations:
            p = "—" if evaluation.p is None else f"{evaluation.p} %"
            self.stdout.write(
                f"Assembly rate: {evaluation.building.project.name} {evaluation.building.name} "
                f"({evaluation.stage}): P {p}, grade {evaluation.grade or 'none'} — {evaluation.status}"
            )
        story = getattr(result, "traceability", None)
        if story is not None and story.registry is not None:
            self.stdout.write(
                f"Precast components: {story.registry.building.name} — /prefab/projects/{story.registry.project_id}/ "
                f"(progress in 3D), /prefab/factory/ (log in as factory), scan pages at /c/<code>/"
            )
        if options["scale"]:
            from zhijian.apps.review.scale import scale_review_city

            scaled = scale_review_city(options["scale"])
            added = ", ".join(f"{n} {name}" for name, n in scaled.rows.items()) or "nothing"
            self.stdout.write(f"Scaled copies of the review story: {scaled.copies} (added {scaled.added}: {added}).")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (http://{options['host']}/accounts/login/):")
        width = max(len(u) for u, *_ in result.logins)
        for username, password, organization, role in result.logins:
            self.stdout.write(f"  {username:<{width}}  {password}  {role:<16} {organization}")
