"""Rendered page fragments, kept until the data under them changes.

The review queue and a submission's page cost 15–20 ms of CPU to build at city scale (ten
and more queries, a few hundred ORM rows, a few hundred template nodes), and are read far
more often than anything under them changes. Their content is kept per user, language and
day, under a *data version*: one number in the shared cache that every statement writing a
table the pages read (``WATCHED_TABLES``) bumps once its transaction commits.

Freshness is exact, not a time-to-live:

* writes are seen at the database driver (:func:`note_writes`, a Django execute wrapper on
  every connection of every process: web servers and Celery workers), so ``.update()``,
  ``bulk_create``, raw SQL and the services alike bump the version — no list of signals to
  keep complete;
* the bump happens after the commit, and a fragment is looked up under the version read
  *before* its data is read, so a fragment built from data older than a commit is only ever
  found under a version that commit has already moved past;
* the time-to-live (``PAGE_CACHE_SECONDS``) only bounds what a write from outside Django
  (psql) could leave stale.

Only with a cache that every process shares (Redis: ``ZHIJIAN_REDIS_CACHE_URL``): with
per-process memory a worker's bump would not reach the web servers. Hence ``PAGE_CACHE``
defaults to on exactly then (settings/base.py).

Forms in a kept fragment carry a placeholder for the CSRF token, replaced by the request's
own token whenever the fragment is served: the token belongs to a browser session, the
fragment to a user.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

VERSION_KEY = "zhijian:data-version"
CSRF_PLACEHOLDER = "zhijian-csrf-placeholder-6f1d"  # never a real token: those are 64 letters and digits
# The tables whose content the kept pages show: review, projects, and who belongs where. Not
# API tokens (each token's last use is stamped once a minute: every scanner would empty the
# cache) nor sessions.
WATCHED_TABLES = ("review_", "projects_", "accounts_user", "accounts_membership", "accounts_organization")
_WRITE = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE)\s+(?:TABLE\s+)?[`"]?(' + "|".join(WATCHED_TABLES) + ")",
    re.IGNORECASE,
)
# A log-in stamps the user's last_login: nothing a kept page shows, and logins must not empty the cache.
_LOGIN_STAMP = re.compile(r'\s*UPDATE\s+"accounts_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE\s+"accounts_user"\."id"\s*=\s*%s\s*$')


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", False))


def data_version() -> int:
    """The current data version; a new, never-used one if the cache has none (first use, or
    the cache was emptied: a number from the clock, so no fragment of an earlier life matches)."""
    found = cache.get(VERSION_KEY)
    if found is None:
        cache.add(VERSION_KEY, time.time_ns() // 1000, None)
        found = cache.get(VERSION_KEY)
    return int(found)


def bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new one is past every kept fragment
        cache.add(VERSION_KEY, time.time_ns() // 1000, None)


class _Bump:
    """One transaction's bump, run once it commits. Remembers having run: a write after it
    (the next transaction on this connection) registers a new one."""

    done = False

    def __call__(self) -> None:
        self.done = True
        bump()


def note_writes(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """Execute wrapper: a statement writing a watched table bumps the data version once its
    transaction commits (at once in autocommit), once per transaction — a check run writes
    thousands of findings in a few statements. A rolled-back transaction's bump is dropped
    with it (Django discards its on-commit callbacks), so the next write registers anew."""
    result = execute(sql, params, many, context)
    if enabled() and _WRITE.match(sql) and not _LOGIN_STAMP.match(sql):
        connection = context["connection"]
        pending = getattr(connection, "_page_cache_bump", None)
        if pending is None or pending.done or not any(entry[1] is pending for entry in connection.run_on_commit):
            pending = connection._page_cache_bump = _Bump()
            transaction.on_commit(pending, using=connection.alias, robust=True)
    return result


def watch_connection(connection: Any, **_: Any) -> None:
    """``connection_created`` receiver: put :func:`note_writes` on every new connection."""
    if note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(note_writes)


@functools.cache
def release() -> str:
    """A digest of the code, templates, translations and static files this process serves: a
    release never finds the fragments of the one before it (their markup, texts and asset
    names), and every process of one release, on any machine, shares them. Read once per
    process (about 3 MB: 20–60 ms), on the first kept page it serves."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in _RELEASE_SUFFIXES and path.is_file():
            digest.update(str(path.relative_to(_PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_PACKAGE = Path(__file__).resolve().parents[2]  # src/zhijian
_RELEASE_SUFFIXES = frozenset({".py", ".html", ".j2", ".mo", ".js", ".css", ".json"})


def render_fragment(request: HttpRequest, template: str, context: dict[str, Any]) -> str:
    """A template rendered for keeping: forms get the CSRF placeholder, not this session's token."""
    return render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request)


class Slot:
    """Where one fragment is kept: :func:`slot` reads the data version when it is made, so make
    it before reading any data the fragment shows (see the module's note), then :meth:`fill`."""

    def __init__(self, request: HttpRequest, key: str | None) -> None:
        self.request, self.key = request, key

    def fill(self, build: Callable[[], str], *, keep: bool | Callable[[], bool] = True) -> SafeString:
        """The kept fragment, or ``build()`` (rendered with :func:`render_fragment`), kept if ``keep``
        (a function: asked after the build, e.g. whether the page asked for exists); forms get this
        request's CSRF token either way."""
        html = cache.get(self.key) if self.key and keep is not False else None
        if html is None:
            html = build()
            if self.key and (keep() if callable(keep) else keep):
                cache.set(self.key, html, int(getattr(settings, "PAGE_CACHE_SECONDS", 600)))
        return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(self.request)))  # our templates rendered it: safe


def slot(request: HttpRequest, name: str, *parts: Any) -> Slot:
    """The slot of fragment ``name`` for this user, language, day and ``parts`` (page, sort, ids)
    at the current data version and release. The day is in the key: deadlines count working days
    to today."""
    if not enabled():
        return Slot(request, None)
    fields = (name, release(), data_version(), request.user.pk, get_language(), timezone.localdate(), *parts)
    return Slot(request, "page:v1:" + hashlib.sha256("\x1f".join(map(str, fields)).encode()).hexdigest())
