"""Officers and employers, in Hindi on a phone: the verification queue, a professional's record
and audit trail, deciding a complaint after reading both sides; the ban check."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.story import near, new_identity
from tests.e2e.web.conftest import LUCKNOW, Screens
from tests.e2e.web.given import (
    TAP_REPAIR_FEE_PAISE,
    booking_for,
    online_professional,
    unique_name,
    upheld_overcharge,
)

pytestmark = pytest.mark.e2e


def test_officer_reviews_the_verification_queue_and_decides_a_complaint(stack, person, screens: Screens):
    # Given a finished booking the citizen complained about, and the professional's answer
    where = near(LUCKNOW, 1200)
    pro, _ = online_professional(stack, name=unique_name("Dinesh"), location=where)
    citizen = stack.signed_up()
    professional_id = str(pro.ok("GET", "/me")["professional_id"])
    booked = booking_for(citizen, professional_id, where)
    pro.ok("POST", f"/bookings/{booked['id']}/accept")
    pro.ok("POST", f"/bookings/{booked['id']}/start", {"start_code": booked["start_code"]})
    pro.ok("POST", f"/bookings/{booked['id']}/complete", {"amount_collected_paise": TAP_REPAIR_FEE_PAISE})
    complaint = citizen.ok(
        "POST",
        "/complaints",
        {"booking_id": booked["id"], "kind": "misconduct", "description": "Came two hours late and shouted."},
        status=201,
    )
    pro.ok(
        "POST", f"/complaints/{complaint['id']}/response", {"text": "Traffic jam; I called her."}, status=201
    )

    # The officer signs in and opens the queues
    phone = person()
    page = phone.open()
    phone.sign_in(*stack.demo_credentials("officer"))
    page.get_by_role("link", name="अधिकारी").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("अधिकारी: काम की सूचियाँ")
    queue = page.get_by_role("heading", name="पुलिस सत्यापन के इंतज़ार में")
    expect(queue).to_be_visible()
    request_link = page.get_by_role("link", name="लखनऊ: सत्यापन अनुरोध").first
    expect(request_link).to_be_visible()
    screens.capture(page, "queues")

    # A professional waiting for the police: the record, its history, the audit trail checked
    page.goto(
        f"{phone.portal_url}officer/professionals/{stack.outputs['DemoProfessionals']['police_pending']}"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Sunita Devi")
    expect(page.get_by_text(re.compile("^स्थिति:"))).to_have_text("स्थिति: पुलिस सत्यापन")
    expect(page.get_by_text("ऑडिट ट्रेल की जाँच: कोई छेड़छाड़ नहीं")).to_be_visible()
    screens.capture(page, "professional")

    # The complaint: both sides, then the decision
    page.goto(f"{phone.portal_url}complaints/{complaint['id']}")
    expect(page.get_by_text("बुरा बर्ताव")).to_be_visible()
    expect(page.get_by_text("Came two hours late and shouted.")).to_be_visible()
    expect(page.get_by_text("Traffic jam; I called her.")).to_be_visible()
    page.get_by_role("button", name="फ़ैसला दर्ज करें").click()
    expect(page.get_by_role("alert").get_by_role("link", name="फ़ैसला चुनें")).to_be_visible()
    screens.capture(page, "decide-error")
    page.get_by_label("शिकायत खारिज करें").check()
    page.get_by_label("टिप्पणी").fill("देरी की वजह ठीक है, ग्राहक को फ़ोन किया था।")
    screens.capture(page, "decide")
    page.get_by_role("button", name="फ़ैसला दर्ज करें").click()
    expect(page.get_by_text(re.compile("^स्थिति:"))).to_have_text("स्थिति: खारिज")
    expect(page.get_by_text("देरी की वजह ठीक है, ग्राहक को फ़ोन किया था।")).to_be_visible()
    assert citizen.ok("GET", f"/complaints/{complaint['id']}")["status"] == "dismissed"


def test_employer_checks_the_ban_registry(stack, person, screens: Screens):
    _, mobile = new_identity()
    phone = person()
    page = phone.open()
    phone.sign_in(*stack.demo_credentials("employer"))
    page.get_by_role("link", name="प्रतिबंध जाँच").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("प्रतिबंध जाँच")
    page.get_by_label("मोबाइल नंबर", exact=True).check()
    page.get_by_role("textbox", name="मोबाइल नंबर").fill(mobile)
    page.get_by_role("button", name="जाँचें").click()
    expect(page.get_by_text("कोई प्रतिबंध नहीं मिला")).to_be_visible()
    screens.capture(page, "ban-check")


def test_officer_approves_an_agency(stack, person, screens: Screens):
    # Given an agency that registered today and waits for approval
    owner = stack.signed_up()
    name = f"Gomti Services {uuid.uuid4().hex[:6]}"
    _, mobile = new_identity()
    body = {
        "name": name,
        "udyam_number": "UDYAM-UP-12-0001234",
        "district": "Lucknow",
        "contact_mobile": mobile,
    }
    agency_id = owner.ok("POST", "/agencies", body, status=201)["id"]

    # The officer finds it in the queue, with its district in Hindi, and approves it
    phone = person()
    page = phone.open()
    phone.sign_in(*stack.demo_credentials("officer"))
    page.get_by_role("link", name="अधिकारी").click()
    expect(page.get_by_role("heading", name="मंज़ूरी के लिए एजेंसियाँ")).to_be_visible()
    card = page.get_by_role("listitem").filter(has_text=name)
    expect(card).to_contain_text("लखनऊ")
    screens.capture(page, "agencies")
    card.get_by_role("button", name=f"{name} को मंज़ूर करें").click()
    expect(card).to_have_count(0)
    assert owner.ok("GET", f"/agencies/{agency_id}")["status"] == "approved"


def test_a_second_officer_confirms_a_ban(stack, person, screens: Screens):
    # Given an upheld overcharge: the plumber suspended and the ban proposed
    complaint, professional_id = upheld_overcharge(stack)
    url = f"complaints/{complaint['id']}"

    # The officer who upheld it sees the proposal but may not confirm it himself
    phone = person()
    page = phone.open()
    phone.sign_in(*stack.demo_credentials("officer"))
    page.goto(phone.portal_url + url)
    expect(page.get_by_text(re.compile("^स्थिति:"))).to_have_text("स्थिति: सही पाई गई")
    expect(page.get_by_text("कारीगर निलंबित है; स्थायी प्रतिबंध प्रस्तावित है", exact=False)).to_be_visible()
    # The complaint the payment record opened says why in Hindi, not in the system's English note.
    expect(page.get_by_text("सेवा मित्र ने यह शिकायत अपने आप खोली", exact=False)).to_be_visible()
    expect(page.get_by_text("paise", exact=False)).to_have_count(0)
    confirm = page.get_by_role("button", name="स्थायी प्रतिबंध पक्का करें")
    confirm.click()
    expect(page.get_by_role("alert")).to_contain_text(
        "जिस अधिकारी ने शिकायत पर फ़ैसला किया, वह प्रतिबंध की पुष्टि नहीं कर सकता।"
    )
    screens.capture(page, "four-eyes")

    # A party to the case is refused too, in Hindi (the API's 403 conflict_of_interest)
    page.route(
        "**/confirm-ban",
        lambda route: route.fulfill(
            status=403,
            content_type="application/json",
            body='{"error": {"code": "conflict_of_interest", "message": "You are a party", "details": []}}',
        ),
    )
    confirm.click()
    expect(page.get_by_role("alert")).to_contain_text("इस मामले से आपका जुड़ाव है")
    page.unroute("**/confirm-ban")

    # The second officer confirms: the ban is final, the appeal deadline shown
    second = person()
    page = second.open()
    second.sign_in(*stack.demo_credentials("second_officer"))
    page.goto(second.portal_url + url)
    screens.capture(page, "confirm")
    page.get_by_label("पुष्टि पर टिप्पणी").fill("रसीद दोबारा जाँची।")
    page.get_by_role("button", name="स्थायी प्रतिबंध पक्का करें").click()
    expect(page.get_by_text("स्थायी प्रतिबंध पक्का हुआ")).to_be_visible()
    expect(page.get_by_text("अपील की आखिरी तारीख")).to_be_visible()
    expect(page.get_by_role("button", name="स्थायी प्रतिबंध पक्का करें")).to_have_count(0)
    screens.capture(page, "confirmed")
    assert stack.as_demo("officer").ok("GET", f"/professionals/{professional_id}")["status"] == "banned"
