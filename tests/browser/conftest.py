"""Browser test harness: a real HTTP server on 127.0.0.1 and Debian's Chromium via Playwright.

The server (``http.server`` in a thread, a random free port) serves the built viewer under
``/viewer/`` (``src/zhijian/static/viewer``, built by ``make frontend``; built here if absent)
and a temporary directory under ``/data/`` holding the test building, its findings and broken
files. Chromium is ``/usr/bin/chromium`` (never ``playwright install``); when it is absent the
session tries ``apt-get install chromium`` as root and skips, saying why, only if that fails.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.building import SampleBuilding, write_site_files

REPO = Path(__file__).resolve().parents[2]
VIEWER_DIST = REPO / "src" / "zhijian" / "static" / "viewer"
SCREENSHOTS = REPO / "build" / "browser"
CHROMIUM = Path(os.environ.get("ZHIJIAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # WebGL on the CPU: headless Chromium without a GPU needs SwiftShader allowed explicitly.
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
]


class _Handler(SimpleHTTPRequestHandler):
    """Serves /viewer/… from the built viewer and /data/… from the test data directory."""

    extensions_map = {  # noqa: RUF012 - the base class's attribute, replaced per class
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".json": "application/json",
        ".ifc": "application/x-step",
    }

    def __init__(self, *args, roots: dict[str, Path], **kwargs) -> None:
        self.roots = roots
        super().__init__(*args, directory=str(roots["viewer"]), **kwargs)

    def translate_path(self, path: str) -> str:
        parts = path.split("?", 1)[0].split("#", 1)[0].lstrip("/").split("/", 1)
        root = self.roots.get(parts[0])
        if root is None:
            return str(self.roots["viewer"] / "__not_found__")
        self.directory = str(root)
        return super().translate_path("/" + (parts[1] if len(parts) > 1 else ""))

    def log_message(self, format: str, *args) -> None:  # quiet
        pass


@dataclass
class Site:
    base: str  # http://127.0.0.1:PORT
    data: Path
    building: SampleBuilding

    def page_url(self, model: str = "model.ifc", findings: str | None = "findings.json", lang: str = "zh") -> str:
        """The standalone viewer page for a model and findings (paths under /data/, or URLs)."""

        def url(path: str) -> str:
            return quote(path if path.startswith(("http:", "/")) else "/data/" + path)

        query = f"model={url(model)}&lang={lang}"
        if findings:
            query += f"&findings={url(findings)}"
        return f"{self.base}/viewer/index.html?{query}"


def _ensure_viewer_built() -> None:
    if (VIEWER_DIST / "zhijian-viewer.js").is_file():
        return
    # `make test` builds it first; a bare `pytest` on a fresh tree builds it here.
    subprocess.run(["bash", str(REPO / "frontend" / "build.sh")], check=True, cwd=REPO)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    _ensure_viewer_built()
    data = tmp_path_factory.mktemp("viewer-site")
    building = write_site_files(data)
    handler = functools.partial(_Handler, roots={"viewer": VIEWER_DIST, "data": data})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(base=f"http://127.0.0.1:{server.server_address[1]}", data=data, building=building)
    finally:
        server.shutdown()
        server.server_close()


def _chromium_or_skip() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, check=False, timeout=1200)
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent and `apt-get install chromium` could not install it")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    executable = _chromium_or_skip()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def context(browser) -> Iterator:
    """One browser context for the session (960×600), so pages share the HTTP cache."""
    context = browser.new_context(viewport={"width": 960, "height": 600}, device_scale_factor=1)
    try:
        yield context
    finally:
        context.close()


def _watched_page(context, site: Site):
    """A new page that records console errors and the URL of every request outside the test
    server (the viewer must fetch nothing from a CDN or any other host)."""
    page = context.new_page()
    page.console_errors = []
    page.foreign_requests = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.on(
        "request",
        lambda r: r.url.startswith(site.base) or r.url.startswith("data:") or page.foreign_requests.append(r.url),
    )
    return page


def _assert_stayed_home(page) -> None:
    assert page.foreign_requests == [], f"requests outside the test server: {page.foreign_requests}"


@pytest.fixture
def page(context, site: Site) -> Iterator:
    """A fresh page; the test fails if it asked any host but the test server."""
    page = _watched_page(context, site)
    try:
        yield page
    finally:
        page.close()
    _assert_stayed_home(page)


def wait_for_viewer(page, url: str, state: str = "ready") -> dict:
    """Open the standalone viewer page and wait until the viewer is ready (or failed)."""
    page.goto(url)
    page.wait_for_selector("#viewer[data-state=ready], #viewer[data-state=error]", timeout=90_000)
    data = page.evaluate("() => ({...document.querySelector('#viewer').dataset})")
    assert data["state"] == state, data
    return data


@pytest.fixture(scope="module")
def _model_page(context, site: Site) -> Iterator:
    page = _watched_page(context, site)
    page.viewer_data = wait_for_viewer(page, site.page_url())
    try:
        yield page
    finally:
        page.close()
    _assert_stayed_home(page)


@pytest.fixture
def model_page(_model_page, site: Site):
    """The test building with its findings, loaded once per module and put back in its first
    state (no selection, all storeys, the original findings, the full view, no events) for
    each test: parsing the 4 MB viewer and the model per test would double the run time."""
    _model_page.evaluate(
        """async () => {
            const viewer = document.querySelector('#viewer').zhijianViewer;
            viewer.clearSelection();
            viewer.isolateStorey(null);
            viewer.setFindings(await (await fetch('/data/findings.json')).json());
            viewer.fitAll();
            window.zhijianEvents = [];
            document.getElementById('selected').textContent = '—';
            await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
        }"""
    )
    yield _model_page
    _assert_stayed_home(_model_page)
    assert _model_page.console_errors == []


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
