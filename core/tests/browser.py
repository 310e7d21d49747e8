"""Helpers for real-browser tests: sign in, collect console errors and failed requests, run axe-core.

Use with pytest-playwright's ``page`` and pytest-django's ``live_server``::

    problems = BrowserProblems(page)
    sign_in(page, live_server.url, email=user.email, password=TEST_PASSWORD)
    assert problems.errors() == []
    assert axe_violations(page) == []
"""

import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import ConsoleMessage, Page, Request, Response

AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# The NHS.UK stylesheet asks assets.nhs.uk for the Frutiger web fonts; that host is unreachable on a
# closed network and the Arial fallback is fine. Nothing else may fail.
BLOCKED_WEB_FONTS = re.compile(r"assets\.nhs\.uk|frutiger", re.IGNORECASE)
# Served by the app itself: the NHS.UK icons (/assets/, via WHITENOISE_ROOT) and our static files.
OWN_ASSET_PATHS = ("/static/", "/assets/")
SERIOUS_IMPACTS = ("serious", "critical")
# axe is served to the page from its own origin so that the page's Content Security Policy
# (script-src 'self' plus a nonce) stays in force while axe runs.
_AXE_URL_PATH = "/__test-only__/axe.min.js"


def sign_in(page: Page, base_url: str, *, email: str, password: str) -> None:
    """Sign in through the real sign-in form and wait for the page it leads to."""
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()


def sign_out(page: Page) -> None:
    """Sign out with the header's sign-out button (a POST) and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_test_id("sign-out").click()


class BrowserProblems:
    """Collect what goes wrong in ``page``: console errors, uncaught exceptions, failed own requests.

    Errors caused by the blocked NHS web fonts are ignored; everything else is reported.
    """

    def __init__(self, page: Page):
        self.console: list[str] = []
        self.exceptions: list[str] = []
        self.failed_requests: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.exceptions.append(str(error)))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        if BLOCKED_WEB_FONTS.search(message.text) or BLOCKED_WEB_FONTS.search(where):
            return
        self.console.append(f"{message.text} ({where})" if where else message.text)

    def _on_response(self, response: Response) -> None:
        path = _path(response.url)
        if response.status >= 400 and path.startswith(OWN_ASSET_PATHS):
            self.failed_requests.append(f"{response.status} {response.url}")

    def _on_request_failed(self, request: Request) -> None:
        if BLOCKED_WEB_FONTS.search(request.url):
            return
        # A request the browser abandons when the page navigates on (a favicon still loading) is not
        # a fault; error statuses are caught in _on_response, and every other failure counts.
        if (request.failure or "").startswith("net::ERR_ABORTED"):
            return
        self.failed_requests.append(f"{request.failure} {request.url}")

    def errors(self) -> list[str]:
        """Return every problem collected so far, one line each."""
        return [*self.console, *self.exceptions, *self.failed_requests]


def _path(url: str) -> str:
    return re.sub(r"^[a-z]+://[^/]+", "", url)


def axe_violations(page: Page, *, impacts: tuple[str, ...] = SERIOUS_IMPACTS) -> list[dict]:
    """Run axe-core on the page as it is now; return the violations of the given impacts.

    Each violation is reduced to its rule id, impact, help text and the selectors of the failing
    nodes, so that an assertion failure reads well.
    """
    origin = re.match(r"^[a-z]+://[^/]+", page.url).group(0)
    axe_url = f"{origin}{_AXE_URL_PATH}"
    page.route(
        axe_url,
        lambda route: route.fulfill(body=AXE_SOURCE.read_text(), content_type="application/javascript"),
    )
    try:
        page.add_script_tag(url=axe_url)
    finally:
        page.unroute(axe_url)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]],
        }
        for violation in results["violations"]
        if violation["impact"] in impacts
    ]


def save_screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot to ``test-artifacts/<name>.png`` and return its path."""
    directory = Path(settings.BASE_DIR) / "test-artifacts"
    directory.mkdir(exist_ok=True)
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
