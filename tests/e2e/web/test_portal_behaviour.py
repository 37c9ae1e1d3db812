"""What every screen relies on, in a real browser: the one API client retries a busy API without
the person noticing; the portal works from the keyboard alone, with focus always visible; the
language chosen is remembered."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Route, expect

from tests.e2e.web.conftest import Screens

pytestmark = pytest.mark.e2e

FOCUS_YELLOW = "rgb(255, 221, 0)"


def test_a_busy_api_is_retried_and_the_citizen_never_sees_it(person):
    phone = person()
    page = phone.open()
    answered: list[int] = []

    def busy_twice(route: Route) -> None:
        if len(answered) < 2:
            answered.append(503)
            route.fulfill(
                status=503,
                content_type="application/json",
                body='{"error": {"code": "dependency_unavailable", "message": "busy", "details": []}}',
            )
        else:
            answered.append(200)
            route.continue_()

    page.route(re.compile(r"/services\?q="), busy_twice)
    page.get_by_role("searchbox", name="काम खोजें").fill("पंखा")
    page.get_by_role("button", name="खोजें").click()
    expect(page.get_by_role("link", name="बिजली फ़िटिंग: पंखा लगवाना")).to_be_visible()
    assert answered == [503, 503, 200]


def test_a_refusal_that_is_not_retry_safe_is_shown_at_once(person):
    phone = person()
    page = phone.open()
    calls: list[str] = []

    def refuse(route: Route) -> None:
        calls.append(route.request.url)
        route.fulfill(status=500, content_type="application/json", body="{}")

    page.route(re.compile(r"/services\?q="), refuse)
    page.get_by_role("searchbox", name="काम खोजें").fill("पंखा")
    page.get_by_role("button", name="खोजें").click()
    expect(page.get_by_role("alert")).to_have_text("कुछ गड़बड़ हो गई। फिर कोशिश करें।")
    assert len(calls) == 1


def test_keyboard_alone_signs_in_with_focus_always_visible(stack, person, screens: Screens):
    username, password = stack.demo_credentials("citizen")
    phone = person()
    page = phone.open()

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="मुख्य सामग्री पर जाएँ")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Tab")  # the service name, then the language switch, then sign in
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    sign_in = page.get_by_role("link", name="साइन इन")
    expect(sign_in).to_be_focused()
    assert sign_in.evaluate("e => getComputedStyle(e).backgroundColor") == FOCUS_YELLOW
    page.keyboard.press("Enter")
    # After a navigation the new page's heading has the focus (screen readers announce it).
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    page.keyboard.press("Tab")
    mobile = page.get_by_label("मोबाइल नंबर")
    expect(mobile).to_be_focused()
    assert mobile.evaluate("e => getComputedStyle(e).outlineColor") == FOCUS_YELLOW
    page.keyboard.type(username.removeprefix("+91"))
    page.keyboard.press("Tab")
    expect(page.get_by_label("पासवर्ड")).to_be_focused()
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="साइन आउट")).to_be_visible()
    screens.capture(page, "signed-in")


def test_the_language_chosen_is_remembered(person):
    phone = person()
    page = phone.open()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What do you need done?")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("What do you need done?")
    expect(page.locator("html")).to_have_attribute("lang", "en")
