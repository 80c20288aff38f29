"""``manage.py seed_demo``: load the demo city (idempotent) and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhijian.apps.review.demo import seed_demo_city


class Command(BaseCommand):
    help = "Load the demo city: organisations of every type, a user per role, a project whose model is checked."

    def handle(self, *args: Any, **options: Any) -> None:
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
        self.stdout.write("")
        self.stdout.write("Demo logins (http://127.0.0.1:8000/accounts/login/):")
        width = max(len(u) for u, *_ in result.logins)
        for username, password, organization, role in result.logins:
            self.stdout.write(f"  {username:<{width}}  {password}  {role:<16} {organization}")
