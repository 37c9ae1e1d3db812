"""A 401 does not sign anyone out at once: the portal tries once more with a refreshed token (the
authorizer's 401 means nothing was done), and signs out only when that fails too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Request, Route, expect

from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e

UNAUTHORIZED = '{"error": {"code": "unauthorized", "message": "Sign in to use this service.", "details": []}}'


def cognito_endpoint(stack: Stack) -> str:
    local = stack.outputs.get("AwsEndpointUrl")
    return str(local) if local else f"https://cognito-idp.{stack.region}.amazonaws.com/"


def refused_once(page: Page, path: re.Pattern[str]) -> list[int]:
    """The first request to ``path`` answers 401 (as the authorizer would); the rest go through."""
    answered: list[int] = []

    def once(route: Route) -> None:
        if not answered:
            answered.append(401)
            route.fulfill(status=401, content_type="application/json", body=UNAUTHORIZED)
        else:
            answered.append(0)
            route.continue_()

    page.route(path, once)
    return answered


def refreshes(page: Page) -> list[str]:
    seen: list[str] = []

    def count(request: Request) -> None:
        if "REFRESH_TOKEN_AUTH" in (request.post_data or ""):
            seen.append(request.url)

    page.on("request", count)
    return seen


def test_one_401_right_after_sign_in_is_retried_with_a_refreshed_token(stack, person):
    username, password = stack.new_user()
    phone = person()
    page = phone.open()
    answered = refused_once(page, re.compile(r"/me$"))
    refreshed = refreshes(page)
    phone.sign_in(username, password)  # still signed in: the sign-out button, not the sign-in form
    page.get_by_role("link", name="मेरी बुकिंग").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("मेरी बुकिंग")
    expect(page.get_by_text("अभी कुछ नहीं है।")).to_be_visible()
    expect(page.get_by_role("button", name="साइन आउट")).to_be_visible()
    assert answered[0] == 401
    assert len(answered) >= 2  # the retry went through
    assert len(refreshed) == 1


def test_a_401_whose_refresh_fails_too_signs_out_to_the_sign_in_screen(stack, person):
    username, password = stack.new_user()
    phone = person()
    page = phone.open()
    phone.sign_in(username, password)
    endpoint = cognito_endpoint(stack).rstrip("/")

    def refresh_refused(route: Route) -> None:
        if "REFRESH_TOKEN_AUTH" in (route.request.post_data or ""):
            route.fulfill(
                status=400,
                content_type="application/x-amz-json-1.1",
                body='{"__type": "NotAuthorizedException", "message": "Refresh Token has expired"}',
            )
        else:
            route.continue_()

    page.route(lambda url: url.rstrip("/") == endpoint, refresh_refused)
    answered = refused_once(page, re.compile(r"/bookings(\?.*)?$"))
    page.get_by_role("link", name="मेरी बुकिंग").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("साइन इन करें")
    expect(page.get_by_role("button", name="साइन आउट")).to_have_count(0)
    assert answered == [401]  # no second try without a token worth trying
