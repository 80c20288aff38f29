"""Where uploaded files live in production: the local disk, or an S3-compatible object store.

``ZHIJIAN_S3_BUCKET`` switches uploaded files (IFC models, label sheets, BCF files, photos) to
django-storages' S3 backend, so several web and worker machines read and write the same files.
Any S3-compatible service works: AWS S3, MinIO, Alibaba Cloud OSS, Tencent COS, Huawei OBS …

==================================  ==============================================================
``ZHIJIAN_S3_BUCKET``               the bucket (unset: files stay on the local disk, MEDIA_ROOT)
``ZHIJIAN_S3_ENDPOINT_URL``         the service's URL, e.g. ``https://oss-cn-hangzhou.aliyuncs.com``
                                    or ``http://minio.internal:9000`` (unset: AWS S3)
``ZHIJIAN_S3_REGION``               region name (e.g. ``cn-north-1``)
``ZHIJIAN_S3_PREFIX``               a folder inside the bucket (default ``media``)
``ZHIJIAN_S3_ADDRESSING_STYLE``     ``path`` for MinIO and most private services, ``virtual``
                                    for AWS and OSS (default: the library's choice)
``AWS_ACCESS_KEY_ID`` /             credentials, read by boto3 itself (or an instance role);
``AWS_SECRET_ACCESS_KEY``           never written into settings
==================================  ==============================================================

Files are private: no public ACL, and downloads always go through the platform's
permission-checked views (which stream from the bucket), never to a bucket URL.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"


def default_storage_from_env(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry the environment asks for."""
    env = os.environ if env is None else env
    bucket = env.get("ZHIJIAN_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": FILESYSTEM}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": env.get("ZHIJIAN_S3_PREFIX", "media").strip("/"),
        "default_acl": None,  # the bucket's policy (private); never public-read
        "file_overwrite": False,  # a name clash gets a new name, a stored model is never replaced
        "querystring_auth": True,
    }
    if env.get("ZHIJIAN_S3_ENDPOINT_URL"):
        options["endpoint_url"] = env["ZHIJIAN_S3_ENDPOINT_URL"]
    if env.get("ZHIJIAN_S3_REGION"):
        options["region_name"] = env["ZHIJIAN_S3_REGION"]
    style = env.get("ZHIJIAN_S3_ADDRESSING_STYLE", "")
    if style:
        if style not in ("path", "virtual"):
            raise ValueError(f"ZHIJIAN_S3_ADDRESSING_STYLE must be path or virtual, not {style!r}")
        options["addressing_style"] = style
    return {"BACKEND": S3, "OPTIONS": options}
