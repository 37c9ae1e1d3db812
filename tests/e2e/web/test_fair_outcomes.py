"""Fair outcomes in the portal, in Hindi on a phone: materials claimed by the professional and
approved or disputed by the citizen; an assisted professional claiming their own account with
the code sent to their mobile; the appeal against a confirmed ban."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.story import near, new_identity, registration
from tests.e2e.web.conftest import LUCKNOW, Screens
from tests.e2e.web.given import TAP_REPAIR, booking_for, online_professional, unique_name, upheld_overcharge

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
    page = pro_page = worker.open()
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
    claims = page.get_by_role("listitem").filter(has_text=re.compile("^दावा"))
    washer, tape = claims.filter(has_text="नल का वॉशर"), claims.filter(has_text="टेप")
    washer.get_by_role("button", name=re.compile("^मंज़ूर करें: दावा [12]$")).click()
    expect(washer).to_contain_text("स्थिति: मंज़ूर")
    tape.get_by_role("button", name=re.compile("^आपत्ति करें: दावा [12]$")).click()
    expect(tape).to_contain_text("स्थिति: आपत्ति की गई")
    expect(page.get_by_role("button", name=re.compile("^(मंज़ूर|आपत्ति) करें"))).to_have_count(0)
    screens.capture(page, "decided")
    expenses = citizen.ok("GET", f"/bookings/{booked['id']}")["expenses"]
    status = {e["items"][0]["description"]: e["status"] for e in expenses}
    assert status == {"नल का वॉशर": "approved", "टेप": "disputed"}
    (complaint_id,) = [e["complaint_id"] for e in expenses if e["status"] == "disputed"]

    # The plumber is told what he may take in all (fee + the approved washer); once he has
    # taken it, the citizen's payment question counts the washer too
    expect(pro_page.get_by_text("ग्राहक के मंज़ूर किए सामान के साथ आप कुल ₹190 ले सकते हैं।")).to_be_visible()
    pro.ok("POST", f"/bookings/{booked['id']}/complete", {"amount_collected_paise": 19000})
    page.reload()
    expect(page.get_by_text(re.compile("मंज़ूर किए सामान के साथ कुल ₹190 बनता था"))).to_be_visible()
    tape.get_by_role("link", name="इस आपत्ति की शिकायत देखें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("शिकायत")
    assert page.url.rstrip("/").endswith(f"/complaints/{complaint_id}")


def test_an_assisted_worker_claims_his_own_account_with_the_code_his_agency_sent(
    stack, person, screens: Screens
):
    # Given an approved agency that registered a worker; the worker's own phone is his mobile
    owner_credentials = stack.new_user()
    owner = stack.signed_in(*owner_credentials)
    _, contact = new_identity()
    agency = {
        "name": f"Gomti Services {uuid.uuid4().hex[:6]}",
        "udyam_number": "UDYAM-UP-12-0001234",
        "district": "Lucknow",
        "contact_mobile": contact,
    }
    agency_id = owner.ok("POST", "/agencies", agency, status=201)["id"]
    stack.as_demo("officer").ok("POST", f"/agencies/{agency_id}/approve")
    username, password = stack.new_user()  # the pool's usernames are phone numbers
    mobile = username[-10:]
    aadhaar, _ = new_identity()
    body = {
        **registration(aadhaar, mobile, near(LUCKNOW, 900), TAP_REPAIR, name="Ramu Prajapati"),
        "on_behalf": True,
    }
    professional_id = owner.ok("POST", "/professionals", body, status=201)["id"]

    # The agency sends the code from the worker's page
    phone = person()
    page = phone.open()
    phone.sign_in(*owner_credentials)
    page.goto(f"{phone.portal_url}agency/professionals/{professional_id}")
    phones = stack.phones()
    before = len(phones.inbox(mobile))
    page.get_by_role("button", name="दावा कोड भेजें").click()
    sent = page.get_by_role("status").filter(has_text="कोड भेज दिया गया")
    expect(sent).to_contain_text(f"/pro/claim?id={professional_id}")
    screens.capture(page, "code-sent")
    sms = phones.wait_for(mobile, "Seva Mitra", after=before)
    found = re.search(r"\b(\d{6})\b", sms["body"])
    assert found, sms["body"]
    code = found.group(1)

    # The worker, signed in with that mobile, types a wrong code first: told in Hindi
    worker = person()
    page = worker.open()
    worker.sign_in(username, password)
    page.goto(f"{worker.portal_url}pro/claim?id={professional_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("अपना खाता लें")
    expect(page.get_by_label("आपकी पहचान संख्या")).to_have_value(professional_id)
    box = page.get_by_label("SMS में आया कोड")
    box.fill(f"{(int(code) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="खाता लें").click()
    expect(page.get_by_role("alert")).to_contain_text("यह कोड सही नहीं है या पुराना हो गया है।")
    screens.capture(page, "wrong-code")

    # A locked code (after 5 wrong ones) says to ask for a new one
    page.route(
        "**/claim",
        lambda route: route.fulfill(
            status=409,
            content_type="application/json",
            body='{"error": {"code": "claim_locked", "message": "Locked", "details": []}}',
        ),
    )
    page.get_by_role("button", name="खाता लें").click()
    expect(page.get_by_role("alert")).to_contain_text("बहुत बार गलत कोड डाला गया")
    page.unroute("**/claim")

    # The right code: the account is his own
    box.fill(code)
    page.get_by_role("button", name="खाता लें").click()
    expect(page.get_by_role("status").filter(has_text="अब यह खाता आपका अपना है")).to_be_visible()
    screens.capture(page, "claimed")
    assert stack.signed_in(username, password).ok("GET", "/me")["professional_id"] == professional_id
    page.get_by_role("link", name="कारीगर के रूप में काम पर जाएँ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ramu Prajapati")


def test_a_banned_professional_appeals_and_an_appellate_officer_overturns_the_ban(
    stack, person, screens: Screens
):
    # Given a confirmed ban (upheld by one officer, confirmed by another)
    credentials = stack.new_user()
    complaint, professional_id = upheld_overcharge(stack, credentials)
    url = f"complaints/{complaint['id']}"
    stack.as_demo("second_officer").ok("POST", f"/{url}/confirm-ban", {})

    # The professional reads the ban and appeals, once
    phone = person()
    page = phone.open()
    phone.sign_in(*credentials)
    page.goto(phone.portal_url + url)
    expect(page.get_by_text("स्थायी प्रतिबंध पक्का हुआ")).to_be_visible()
    send = page.get_by_role("button", name="अपील भेजें")
    send.click()
    expect(page.get_by_role("alert").get_by_role("link", name="अपील में अपनी बात लिखें")).to_be_visible()
    screens.capture(page, "appeal-error")
    page.get_by_label("आपकी अपील").fill("ग्राहक ने अपनी मर्ज़ी से ₹100 इनाम दिया था।")
    send.click()
    expect(page.get_by_text("अपील पर फ़ैसला बाकी है")).to_be_visible()
    expect(send).to_have_count(0)
    screens.capture(page, "appealed")

    # The appellate officer (who took no part) overturns it: the professional is reinstated
    appellate = person()
    page = appellate.open()
    appellate.sign_in(*stack.demo_credentials("appellate"))
    page.goto(appellate.portal_url + url)
    expect(page.get_by_text("ग्राहक ने अपनी मर्ज़ी से ₹100 इनाम दिया था।")).to_be_visible()
    screens.capture(page, "decide-appeal")
    page.get_by_label("अपील मंज़ूर करें", exact=False).check()
    page.get_by_label("टिप्पणी", exact=True).fill("ग्राहक ने लिखकर इनाम की बात मानी।")
    page.get_by_role("button", name="फ़ैसला दर्ज करें").click()
    expect(page.get_by_text("अपील मंज़ूर: प्रतिबंध हटा")).to_be_visible()
    expect(page.get_by_text("अपील पर प्रतिबंध हटाया गया")).to_be_visible()
    screens.capture(page, "overturned")
    assert stack.as_demo("officer").ok("GET", f"/professionals/{professional_id}")["status"] == "verified"
