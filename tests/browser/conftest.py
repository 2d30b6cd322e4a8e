"""A real Chromium (Debian's package) driven by Playwright against the live server."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES
from tests.release.conftest import dev_pki, signing_credentials  # noqa: F401 — shared fixtures
from tests.workflows.conftest import act, case, staff  # noqa: F401 — shared fixtures

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture
def browser():
    # Function-scoped on purpose: Playwright's sync API keeps an event loop running in this
    # thread while it is open, and Django refuses ORM calls (such as the flush after a
    # transactional test) while a loop runs.
    path = _chromium_path()
    if path is None:
        message = "needs Debian's chromium (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(message + " (REQUIRE_SERVICES=1 forbids skipping)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, monkeypatch):
    # Playwright's sync API runs an event loop in the test thread; the ORM calls the test
    # makes between page actions are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.set_default_timeout(30_000)
    yield p
    context.close()


@pytest.fixture
def shot():
    """Save a full-page screenshot as a test artefact, numbered in order."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def _shot(page, name):
        counter["n"] += 1
        path = ARTIFACTS / f"{counter['n']:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
