"""Browser tests of the web portal: Playwright for Python driving Chromium at 360x740, against
the stack the e2e session starts (``tests/e2e/conftest.py``), or a deployed one's ``PortalUrl``.

Each journey is one test that reads like the person doing it: elements are found by role and
label, never by CSS. ``screens.capture(page, name)`` runs axe-core on the screen (a serious or
critical violation fails the test), saves a full-page screenshot in Hindi and in English under
``build/screenshots/<test>/`` (switching the language with the portal's own button, and back),
and records every axe finding in ``build/screenshots/<test>/axe.json``.

The browser: ``CHROMIUM_PATH``, else Debian's ``/usr/bin/chromium`` (``make browser`` installs it
with a Devanagari font), else Playwright's own download (``playwright install chromium``). With
none of them the tests skip, saying so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Error, Page, ViewportSize, expect, sync_playwright

from local.client.browser import chromium_path
from local.paths import ROOT
from tests.e2e.conftest import Stack

DIST = ROOT / "web" / "dist"
AXE_JS = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
VIEWPORT: ViewportSize = {"width": 360, "height": 740}
# Lucknow's district headquarters, as the portal's district list has it (web/src/data/districts.js).
LUCKNOW = {"lat": 26.8467, "lng": 80.9462}
FAILING_IMPACTS = {"serious", "critical"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not (DIST / "index.html").is_file():
        pytest.fail("web/dist is not built: run `make web` (make test does it first)")
    executable = chromium_path()
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, headless=True)
        except Error as exc:
            if os.environ.get("CI"):  # CI installs the browser (make browser): its absence is a failure
                raise
            pytest.skip(
                "no browser for the portal tests: install Chromium and a Devanagari font "
                "(`sudo apt-get install chromium fonts-lohit-deva`, or `make browser` as root), "
                f"or run `.venv/bin/playwright install chromium` ({str(exc).splitlines()[0]})"
            )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def portal_url(stack: Stack) -> str:
    url = stack.outputs.get("PortalUrl")
    if not url:
        pytest.skip("this stack's outputs have no PortalUrl")
    return str(url).rstrip("/") + "/"


class Person:
    """One person's phone: a browser context (360x740, Hindi, IST, location allowed) and its page."""

    def __init__(self, browser: Browser, portal_url: str, location: dict[str, float] | None) -> None:
        self.portal_url = portal_url
        self.context: BrowserContext = browser.new_context(
            viewport=VIEWPORT,
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
            locale="hi-IN",
            timezone_id="Asia/Kolkata",
            geolocation={"latitude": (location or LUCKNOW)["lat"], "longitude": (location or LUCKNOW)["lng"]},
            permissions=["geolocation"],
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str = "") -> Page:
        """The portal at ``path`` (relative to /app/)."""
        self.page.goto(self.portal_url + path.lstrip("/"))
        expect(self.page.get_by_role("heading", level=1)).to_be_visible()
        return self.page

    def sign_in(self, username: str, password: str) -> Page:
        page = self.page
        page.get_by_role("link", name="साइन इन").click()
        page.get_by_label("मोबाइल नंबर").fill(username.removeprefix("+91"))
        page.get_by_label("पासवर्ड").fill(password)
        page.get_by_role("button", name="साइन इन करें").click()
        expect(page.get_by_role("button", name="साइन आउट")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).not_to_have_text("साइन इन करें")
        return page


@pytest.fixture
def person(browser: Browser, portal_url: str) -> Iterator[Callable[..., Person]]:
    people: list[Person] = []

    def make(location: dict[str, float] | None = None) -> Person:
        people.append(Person(browser, portal_url, location))
        return people[-1]

    yield make
    for one in people:
        one.context.close()
    errors = [error for one in people for error in one.errors]
    assert not errors, f"script errors in the page: {errors}"


class Screens:
    """Every screen of a journey, checked with axe and photographed in both languages."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.dir = SCREENSHOTS / name
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.findings: list[dict[str, Any]] = []
        self._axe = AXE_JS.read_text(encoding="utf-8")

    def capture(self, page: Page, screen: str) -> None:
        self.count += 1
        expect(page.get_by_text(re.compile(r"^(लोड हो रहा है…|Loading…)$"))).to_have_count(0)
        start = page.locator("html").get_attribute("lang") or "hi"
        other = "en" if start == "hi" else "hi"
        for lang in (start, other):
            if lang != start:
                self._switch(page, lang)
            self._check(page, screen, lang)
            page.screenshot(path=str(self.dir / f"{self.count:02d}-{screen}-{lang}.png"), full_page=True)
        self._switch(page, start)

    def _switch(self, page: Page, lang: str) -> None:
        page.get_by_role("button", name="English" if lang == "en" else "हिन्दी").click()
        expect(page.locator("html")).to_have_attribute("lang", lang)

    def _check(self, page: Page, screen: str, lang: str) -> None:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self._axe)
        violations = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
                return result.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
                }));
            }""",
            AXE_TAGS,
        )
        for violation in violations:
            self.findings.append({"test": self.name, "screen": screen, "lang": lang, **violation})
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        assert not failing, f"axe on {screen} ({lang}): " + json.dumps(failing, ensure_ascii=False, indent=1)

    def report(self) -> None:
        """This test's screens and axe findings (of any impact): build/screenshots/<test>/axe.json."""
        report = {"screens": self.count, "findings": self.findings}
        (self.dir / "axe.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))


@pytest.fixture
def screens(request: pytest.FixtureRequest) -> Iterator[Screens]:
    shots = Screens(request.node.name)
    yield shots
    shots.report()
