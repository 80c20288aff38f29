"""Event photos: upload (sniffed, capped, hashed, stored under the organisation and the day),
and reading one back by whoever may see an event that names it.

Only JPEG, PNG and WebP are taken, recognised by their first bytes — never by the file name or
the type the client claims. The image is not decoded: the platform stores and serves the bytes
as they came, always with the sniffed type (and ``nosniff``), so a file that merely starts like
an image is never run as anything else by a browser. Decoding (Pillow) would only be needed to
resize or strip metadata, which this module does not do.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijian.apps.accounts.models import Membership
from zhijian.apps.audit.services import record
from zhijian.apps.common.errors import Forbidden, InvalidInput, PayloadTooLarge
from zhijian.apps.common.ids import as_uuid
from zhijian.apps.prefab.models import LifecycleEvent, Photo
from zhijian.apps.prefab.models.events import uuid7

DEFAULT_MAX_PHOTO_BYTES = 10 * 1024 * 1024
# (content type, file extension, test on the first bytes)
SIGNATURES: tuple[tuple[str, str, Any], ...] = (
    ("image/jpeg", ".jpg", lambda head: head[:3] == b"\xff\xd8\xff"),
    ("image/png", ".png", lambda head: head[:8] == b"\x89PNG\r\n\x1a\n"),
    ("image/webp", ".webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
)


def max_photo_bytes() -> int:
    """The size limit: settings.ZHIJIAN_MAX_PHOTO_BYTES, else the environment variable of that
    name, else 10 MB."""
    configured = getattr(settings, "ZHIJIAN_MAX_PHOTO_BYTES", None) or os.environ.get("ZHIJIAN_MAX_PHOTO_BYTES")
    return int(configured) if configured else DEFAULT_MAX_PHOTO_BYTES


def sniff_image(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a JPEG, PNG or WebP file from its first 12 bytes, else None."""
    for content_type, extension, test in SIGNATURES:
        if test(head):
            return content_type, extension
    return None


def too_large(size: int) -> PayloadTooLarge:
    limit = max_photo_bytes()
    return PayloadTooLarge(
        _("The photo is %(size).1f MB; the limit is %(limit).1f MB.") % {"size": size / 1e6, "limit": limit / 1e6},
        code="photo_too_large", limit_bytes=limit,
    )


def refuse_oversized(upload: Any | None, *, refused: bool) -> None:
    """Raise ``too_large`` if the upload handler refused the body (``refused``) or the file is over the limit."""
    limit = max_photo_bytes()
    if refused or (upload is not None and upload.size > limit):
        raise too_large(upload.size if upload is not None else limit + 1)


def _uploading_organization(actor: Any, organization_id: Any | None) -> Any:
    # The housing authority records no events, so it has no photos to attach either.
    memberships = (Membership.objects.filter(user=actor, organization__active=True).exclude(role="authority")
                   .select_related("organization"))
    if not memberships.exists():
        raise Forbidden(_("Only members of organisations that record lifecycle events upload photos."),
                        code="not_permitted")
    if organization_id:
        organization_uuid = as_uuid(organization_id)
        if organization_uuid is None:  # a form field (the API's multipart, the scan page)
            raise InvalidInput("organization_id is not a UUID", code="invalid")
        membership = memberships.filter(organization_id=organization_uuid).first()
        if membership is None:
            raise InvalidInput(_("You are not a member of that organisation."), code="unknown_organization")
        return membership.organization
    organizations = {m.organization_id: m.organization for m in memberships}
    if len(organizations) != 1:
        raise InvalidInput(
            _("Name the organisation the photo is for (you are a member of %(n)d).") % {"n": len(organizations)},
            code="organization_required",
        )
    return next(iter(organizations.values()))


def upload_photo(actor: Any, upload: Any, *, organization_id: Any | None = None) -> Photo:
    """Store an uploaded photo for the actor's organisation; the returned row's ``key`` is what
    an event names in ``photos``."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise InvalidInput(_("Log in to upload photos."), code="not_authenticated")
    organization = _uploading_organization(actor, organization_id)
    size = int(upload.size or 0)
    if size > max_photo_bytes():
        raise too_large(size)
    if size == 0:
        raise InvalidInput(_("The photo is empty."), code="empty_file")
    upload.seek(0)
    found = sniff_image(upload.read(12))
    if found is None:
        raise InvalidInput(_("Only JPEG, PNG or WebP photos are accepted; this file is none of them."),
                           code="not_an_image")
    content_type, extension = found
    sha256 = getattr(upload, "sha256", None)  # the upload handler hashes while it receives
    if sha256 is None:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        sha256 = digest.hexdigest()
    upload.seek(0)
    now = timezone.now()
    key = f"photos/{organization.id}/{timezone.localtime(now):%Y/%m/%d}/{uuid7().hex}{extension}"
    name = default_storage.save(key, upload)
    try:
        with transaction.atomic():
            photo = Photo.objects.create(organization=organization, uploaded_by=actor, key=name,
                                         content_type=content_type, size=size, sha256=sha256)
            record(actor=actor, action="photo.upload", obj=photo,
                   after={"key": name, "size": size, "sha256": photo.sha256, "content_type": content_type},
                   organization=organization)
    except Exception:
        default_storage.delete(name)  # no row, no file
        raise
    return photo


def photo_of_event(user: Any, event_id: Any, photo_id: Any) -> Photo:
    """A photo named by an event the user may see (404 otherwise, whoever owns the photo)."""
    event = LifecycleEvent.objects.restrict(user).filter(id=event_id).values_list("photos", flat=True).first()
    photo = Photo.objects.filter(id=photo_id).first() if event is not None else None
    if photo is None or photo.key not in event:
        raise Http404("no such photo")
    return photo


def own_photo(user: Any, photo_id: Any) -> Photo:
    """A photo of one of the user's organisations (uploaded, perhaps not yet in an event)."""
    photo = Photo.objects.restrict(user).filter(id=photo_id).first()
    if photo is None:
        raise Http404("no such photo")
    return photo


def photos_by_key(keys: list[str]) -> dict[str, Photo]:
    """Photo rows for storage keys (what an event carries), for links to them."""
    return {p.key: p for p in Photo.objects.filter(key__in=keys)} if keys else {}


def discard(photo: Photo) -> None:
    """Remove a photo no event kept (the page uploads it with the step it records)."""
    key = photo.key
    photo.delete()
    transaction.on_commit(lambda: default_storage.delete(key))
