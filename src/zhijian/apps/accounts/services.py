"""Account changes: organisations, members, API tokens, and the login rate limit."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijian.apps.accounts.models import (
    TOKEN_PREFIX,
    ApiToken,
    Membership,
    Organization,
    User,
    hash_token,
)
from zhijian.apps.audit.services import record, snapshot
from zhijian.apps.common.errors import Forbidden, InvalidInput

ORG_FIELDS = ("name", "uscc", "org_type", "district", "address", "latitude", "longitude", "active")


def _require_admin(actor: Any) -> None:
    if actor is not None and not actor.is_superuser:
        raise Forbidden(_("Only a platform administrator may do this."), code="not_permitted")


def _validated(instance: Any) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise InvalidInput("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()), code="invalid") from exc


@transaction.atomic
def register_organization(actor: Any, *, system: str = "", **fields: Any) -> Organization:
    """Add an organisation (platform administrators, or the system when seeding)."""
    _require_admin(actor)
    organization = Organization(**{k: v for k, v in fields.items() if k in ORG_FIELDS})
    _validated(organization)
    organization.save()
    record(actor=actor, system=system, action="organization.register", obj=organization,
           after=snapshot(organization, ORG_FIELDS), organization=organization)
    return organization


@transaction.atomic
def create_user(actor: Any, *, username: str, password: str, display_name: str = "", email: str = "",
                system: str = "") -> User:
    _require_admin(actor)
    user = User(username=username, display_name=display_name, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), code="weak_password") from exc
    user.set_password(password)
    _validated(user)
    user.save()
    record(actor=actor, system=system, action="user.create", obj=user,
           after=snapshot(user, ("username", "display_name", "email")))
    return user


@transaction.atomic
def add_membership(actor: Any, *, user: User, organization: Organization, role: str, system: str = "") -> Membership:
    """Give a user a role in an organisation (platform admin, or that organisation's admin)."""
    if actor is not None and not actor.is_superuser and not Membership.objects.filter(
        user=actor, organization=organization, role="org_admin"
    ).exists():
        raise Forbidden(_("Only an administrator of this organisation may add members."), code="not_permitted")
    membership, created = Membership.objects.get_or_create(user=user, organization=organization, role=role)
    if created:
        _validated(membership)
        record(actor=actor, system=system, action="membership.add", obj=membership,
               after=snapshot(membership, ("user_id", "organization_id", "role")), organization=organization)
    return membership


@transaction.atomic
def issue_api_token(user: User, name: str, *, expires_at: Any = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name or "api", key_hash=hash_token(raw), prefix=raw[:10],
                                    expires_at=expires_at)
    record(actor=user, action="api_token.issue", obj=token, after={"name": token.name, "prefix": token.prefix})
    return token, raw


@transaction.atomic
def revoke_api_token(user: User, token_id: Any) -> ApiToken:
    token = ApiToken.objects.restrict(user).get(id=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=user, action="api_token.revoke", obj=token, after={"revoked_at": token.revoked_at})
    return token


def user_for_token(raw: str) -> User | None:
    """The active user a token belongs to, or None (unknown, revoked or expired token)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(id=token.id).update(last_used_at=now)
    return token.user


# -- login rate limit -------------------------------------------------------------------
def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.strip().lower()[:150]}", f"login-fail:addr:{address}"]


def login_allowed(username: str, address: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return all(cache.get(key, 0) < limit for key in _keys(username, address))


def note_login_failure(username: str, address: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_S
    for key in _keys(username, address):
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)


def clear_login_failures(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])
