"""Plain helpers for the browser tests: one way to sign in and to wait for a page's effect."""

from django.db import OperationalError

from tests.factories import PASSWORD


def browser_login(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign in as `username` in a clean browser state.

    The previous page is left first (about:blank), so that a form it submitted through Turbo
    cannot answer late — setting the previous user's session cookie again or moving the page
    — after the cookies are cleared.
    """
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    page.wait_for_load_state("networkidle")


def wait_until(page, condition, timeout_ms: int = 30_000) -> None:
    """Poll the database while the browser works (Turbo submits forms without a navigation)."""
    waited = 0
    while True:
        try:
            if condition():
                return
        except OperationalError:
            pass  # in-memory SQLite shared with the server thread: table briefly locked
        assert waited < timeout_ms, "timed out waiting for the page's effect"
        page.wait_for_timeout(200)
        waited += 200
