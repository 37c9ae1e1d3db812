"""Fair outcomes in the portal, in Hindi on a phone: materials claimed by the professional and
approved or disputed by the citizen; an assisted professional claiming their own account with
the code sent to their mobile; the appeal against a confirmed ban."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.story import near
from tests.e2e.web.conftest import LUCKNOW, Screens
from tests.e2e.web.given import booking_for, online_professional, unique_name

pytestmark = pytest.mark.e2e


def test_professional_claims_materials_and_the_citizen_approves_one_and_disputes_the_other(
    stack, person, screens: Screens
):
    # Given a tap repair in progress, the plumber signed in on his phone
    where = near(LUCKNOW, 2200)
    credentials = stack.new_user()
    pro, professional_id = online_professional(
        stack, name=unique_name("Bablu"), location=where, credentials=credentials
    )
    username, password = stack.new_user()
    citizen = stack.signed_in(username, password)
    booked = booking_for(citizen, professional_id, where)
    pro.ok("POST", f"/bookings/{booked['id']}/accept")
    pro.ok("POST", f"/bookings/{booked['id']}/start", {"start_code": booked["start_code"]})
    worker = person(location=where)
    page = worker.open()
    worker.sign_in(*credentials)
    page.goto(f"{worker.portal_url}pro/bookings/{booked['id']}")

    # An empty claim is refused beside its fields, in Hindi
    send = page.get_by_role("button", name="दावा भेजें")
    send.click()
    expect(page.get_by_role("alert").get_by_role("link", name="लिखें कि क्या खरीदा")).to_be_visible()
    screens.capture(page, "claim-error")

    # He claims a washer (₹40), then tape (₹500): both wait for the citizen
    page.get_by_label("क्या खरीदा?").fill("नल का वॉशर")
    page.get_by_label("कितने का?").fill("40")
    send.click()
    expect(page.get_by_role("status").filter(has_text="दावा ग्राहक को भेज दिया गया है।")).to_be_visible()
    expect(page.get_by_text("नल का वॉशर: ₹40")).to_be_visible()
    page.get_by_label("क्या खरीदा?").fill("टेप")
    page.get_by_label("कितने का?").fill("500")
    send.click()
    expect(page.get_by_text("टेप: ₹500")).to_be_visible()
    expect(page.get_by_text("स्थिति: ग्राहक की मंज़ूरी का इंतज़ार")).to_have_count(2)
    screens.capture(page, "claimed")

    # The citizen approves the washer and disputes the tape: the dispute opens a complaint
    phone = person(location=where)
    page = phone.open()
    phone.sign_in(username, password)
    page.goto(f"{phone.portal_url}bookings/{booked['id']}")
    expect(page.get_by_role("heading", name="सामान का खर्च")).to_be_visible()
    screens.capture(page, "to-decide")
    page.get_by_role("button", name="मंज़ूर करें: दावा 1").click()
    claims = page.get_by_role("listitem").filter(has_text=re.compile("^दावा"))
    expect(claims.filter(has_text="नल का वॉशर")).to_contain_text("स्थिति: मंज़ूर")
    page.get_by_role("button", name="आपत्ति करें: दावा 2").click()
    disputed = claims.filter(has_text="टेप")
    expect(disputed).to_contain_text("स्थिति: आपत्ति की गई")
    expect(page.get_by_role("button", name=re.compile("^(मंज़ूर|आपत्ति) करें"))).to_have_count(0)
    screens.capture(page, "decided")
    expenses = citizen.ok("GET", f"/bookings/{booked['id']}")["expenses"]
    assert [e["status"] for e in expenses] == ["approved", "disputed"]
    disputed.get_by_role("link", name="इस आपत्ति की शिकायत देखें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("शिकायत")
    assert page.url.rstrip("/").endswith(f"/complaints/{expenses[1]['complaint_id']}")
