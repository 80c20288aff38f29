"""Deployment checks, migrations, the demo seed and the translation catalog."""

from __future__ import annotations

import gettext
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
LOCALE = REPO / "src" / "zhijian" / "config" / "locale" / "zh_Hans" / "LC_MESSAGES"


def _manage(*args: str, settings: str = "zhijian.config.settings.prod", **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, **env}
    return subprocess.run([sys.executable, str(REPO / "manage.py"), *args], capture_output=True, text=True,
                          env=environment, cwd=REPO, timeout=120)


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY="k" * 20 + "9fQ#x!2Lz@7pR$u&" * 3,
                     DJANGO_ALLOWED_HOSTS="zhijian.example", ZHIJIAN_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run([sys.executable, str(REPO / "manage.py"), "check"], capture_output=True, text=True,
                            env={**env, "DJANGO_SETTINGS_MODULE": "zhijian.config.settings.prod",
                                 "ZHIJIAN_DATA_DIR": str(tmp_path)}, cwd=REPO, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_migrations_match_the_models(tmp_path: Path) -> None:
    result = _manage("makemigrations", "--check", "--dry-run", settings="zhijian.config.settings.dev",
                     ZHIJIAN_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_database_urls_are_parsed() -> None:
    from zhijian.config.settings.base import database_from_url

    pg = database_from_url("postgres://zj:p%40ss@db.example:6432/zhijian")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql", "zhijian", "zj", "p@ss", "db.example", "6432")
    assert database_from_url("sqlite:////var/zj/db.sqlite3")["NAME"] == "/var/zj/db.sqlite3"
    with pytest.raises(ValueError):
        database_from_url("mysql://x/y")


def _po_catalog(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (singular entries), read without GNU gettext."""
    import ast

    catalog: dict[str, str] = {}
    key, fields = None, {}
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            key, _, rest = line.partition(" ")
            fields[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            fields[key] += ast.literal_eval(line)
        elif not line.strip():
            if "msgstr" in fields and fields.get("msgid"):
                catalog[fields["msgid"]] = fields["msgstr"]
            key, fields = None, {}
    return catalog


def test_every_string_is_translated_and_the_compiled_catalog_is_current() -> None:
    source = _po_catalog(LOCALE / "django.po")
    assert source and all(source.values()), [k for k, v in source.items() if not v]
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = {k: v for k, v in source.items() if compiled.gettext(k) != v}
    assert not stale, "django.mo is out of date: run msgfmt (see the header of django.po)"


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins(world: Any, capsys: Any) -> None:
    from django.core.management import call_command

    from zhijian.apps.accounts.models import Organization, User
    from zhijian.apps.review.models import Submission

    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (Organization.objects.count(), User.objects.count(), Submission.objects.count())
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert (Organization.objects.count(), User.objects.count(), Submission.objects.count()) == counts
    assert "already loaded" in second
    for role in ("designer", "reviewer", "authority", "factory_operator", "contractor", "org_admin"):
        assert role in first
    from zhijian.apps.review.demo import DEMO_TITLE, PROJECT_CODE

    # By title: the statistics dashboard's demo adds back-dated submissions to the same project.
    demo = Submission.objects.filter(project__code=PROJECT_CODE, title=DEMO_TITLE).order_by("created_at").first()
    assert demo is not None and demo.title == "1#楼 施工图BIM审查"
    assert demo.state == "in_review"
    assert demo.rounds.get().check_run.status == "done"
    types = set(Organization.objects.values_list("org_type", flat=True))
    assert types >= {"construction_unit", "design", "general_contractor", "component_producer", "review_agency",
                     "authority", "digital", "equipment"}
