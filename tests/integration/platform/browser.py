"""Debian's Chromium via Playwright for the platform's browser tests against the live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("ZHIJIAN_CHROMIUM", "/usr/bin/chromium"))
needs_chromium = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM} (CI installs Debian's)")


@contextmanager
def chromium_page(monkeypatch: pytest.MonkeyPatch, args: list[str], **context_options: Any) -> Iterator[Any]:
    """A page of a fresh headless Chromium with ``context_options`` (locale, viewport, …), 30 s timeouts."""
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # synchronous and safe, so Django's async guard is lifted for them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        context = browser.new_context(**context_options)
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            yield page
        finally:
            # ORM calls made while Playwright's loop runs get connections of their own: close them,
            # or PostgreSQL refuses to drop the test database at the end of the session.
            from django.db import connections

            connections.close_all()
            context.close()
            browser.close()
