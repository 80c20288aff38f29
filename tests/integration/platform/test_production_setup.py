"""Production settings from the environment: uploaded files in an S3-compatible bucket when one
is named (django-storages), Celery tasks routed to queues for several worker machines. No object
store runs here, so what is tested is the selection and the options; reading and writing a real
bucket (MinIO, OSS …) is not exercised."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhijian.config.settings.storage import FILESYSTEM, S3, default_storage_from_env

REPO = Path(__file__).resolve().parents[3]
SECRET = "k" * 20 + "9fQ#x!2Lz@7pR$u&" * 3
BUCKET_ENV = {
    "ZHIJIAN_S3_BUCKET": "zhijian-models", "ZHIJIAN_S3_ENDPOINT_URL": "http://minio.internal:9000",
    "ZHIJIAN_S3_REGION": "cn-central-1", "ZHIJIAN_S3_ADDRESSING_STYLE": "path", "ZHIJIAN_S3_PREFIX": "/uploads/",
}


def test_files_stay_on_disk_without_a_bucket() -> None:
    assert default_storage_from_env({}) == {"BACKEND": FILESYSTEM}
    assert default_storage_from_env({"ZHIJIAN_S3_BUCKET": "  "}) == {"BACKEND": FILESYSTEM}


def test_a_bucket_selects_the_s3_backend_with_private_files() -> None:
    entry = default_storage_from_env(BUCKET_ENV)
    assert entry["BACKEND"] == S3
    assert entry["OPTIONS"] == {
        "bucket_name": "zhijian-models", "location": "uploads", "default_acl": None, "file_overwrite": False,
        "querystring_auth": True, "endpoint_url": "http://minio.internal:9000", "region_name": "cn-central-1",
        "addressing_style": "path",
    }


def test_an_unknown_addressing_style_is_refused() -> None:
    with pytest.raises(ValueError, match="path or virtual"):
        default_storage_from_env({"ZHIJIAN_S3_BUCKET": "b", "ZHIJIAN_S3_ADDRESSING_STYLE": "dns"})


def _production(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ZHIJIAN_S3_")}
    environment.update(DJANGO_SETTINGS_MODULE="zhijian.config.settings.prod", DJANGO_SECRET_KEY=SECRET,
                       DJANGO_ALLOWED_HOSTS="zhijian.example", ZHIJIAN_DATA_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, cwd=REPO,
                          timeout=120)


STORAGE_OF_PRODUCTION = """
import json, django
django.setup()
from django.core.files.storage import storages
default = storages["default"]
print(json.dumps({"class": type(default).__name__, "bucket": getattr(default, "bucket_name", None),
                  "endpoint": getattr(default, "endpoint_url", None), "location": getattr(default, "location", None)}))
"""


def test_production_settings_read_the_bucket_from_the_environment(tmp_path: Path) -> None:
    result = _production(STORAGE_OF_PRODUCTION, tmp_path, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                         **BUCKET_ENV)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"class": "S3Storage", "bucket": "zhijian-models",
                                         "endpoint": "http://minio.internal:9000", "location": "uploads"}
    local = _production(STORAGE_OF_PRODUCTION, tmp_path)
    assert local.returncode == 0, local.stderr
    assert json.loads(local.stdout)["class"] == "FileSystemStorage"


def test_check_deploy_is_clean_with_object_storage(tmp_path: Path) -> None:
    result = _production("import sys; from django.core.management import execute_from_command_line; "
                         "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
                         tmp_path, **BUCKET_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


ROUTE_OF = """
import django, json
django.setup()
from zhijian.config.celery import app
names = ["zhijian.apps.review.tasks.check_model_version", "zhijian.apps.prefab.tasks.generate_label_sheet",
         "zhijian.apps.assembly.tasks.evaluate_assembly_rate_task"]
print(json.dumps({name: app.amqp.router.route({}, name)["queue"].name for name in names}))
"""


def test_tasks_are_routed_to_the_queues_the_environment_names(tmp_path: Path) -> None:
    routes = {"zhijian.apps.review.tasks.*": "checks", "zhijian.apps.prefab.tasks.generate_label_sheet": "documents"}
    result = _production(ROUTE_OF, tmp_path, ZHIJIAN_CELERY_ROUTES=json.dumps(routes))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "zhijian.apps.review.tasks.check_model_version": "checks",
        "zhijian.apps.prefab.tasks.generate_label_sheet": "documents",
        "zhijian.apps.assembly.tasks.evaluate_assembly_rate_task": "celery",  # not routed: the default queue
    }


def test_malformed_routes_stop_the_start(tmp_path: Path) -> None:
    result = _production(ROUTE_OF, tmp_path, ZHIJIAN_CELERY_ROUTES='["checks"]')
    assert result.returncode != 0 and "ZHIJIAN_CELERY_ROUTES" in result.stderr
