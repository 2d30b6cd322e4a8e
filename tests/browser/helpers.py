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


# ---------------------------------------------------------------- journeys: clicks, widths, axe

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
BLOCKING = {"serious", "critical"}


class Clicks:
    """Counts the user's deliberate clicks and selections (typing is not counted)."""

    def __init__(self, page):
        self.page, self.n, self.navigation = page, 0, 0
        self.per_step: list[tuple[str, int]] = []  # (step, clicks), where a journey records it

    def click(self, locator, *, navigation=False):
        self.n += 1
        self.navigation += navigation
        locator.click()

    def check(self, selector):
        self.n += 1
        self.page.check(selector)

    def select(self, selector, values):
        self.n += 1
        self.page.select_option(selector, values)


def both_widths(page, shot, name: str) -> list[str]:
    """Save the open page at 1280 and 390 px; return a problem if it scrolls sideways at 390."""
    problems = []
    for label, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.wait_for_timeout(150)
        shot(page, f"{name}-{label}")
        if size is PHONE:
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{name} @390: the page is {width}px wide (scrolls sideways)")
    page.set_viewport_size(DESKTOP)
    return problems


def axe_problems(page, name: str) -> list[str]:
    """axe-core's serious and critical findings on the open page at both widths."""
    from axe_playwright_python.sync_playwright import Axe

    problems = []
    for label, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        for violation in Axe().run(page).response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{name} @{label}: {violation['id']} {targets}")
    page.set_viewport_size(DESKTOP)
    return problems
