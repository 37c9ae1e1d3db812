"""A citizen, in Hindi on a phone, from nothing to a rated job and a complaint with evidence."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from local.client.cognito import new_credentials
from tests.e2e.story import near
from tests.e2e.web.conftest import LUCKNOW, Screens
from tests.e2e.web.given import (
    SAMPLE_PNG,
    TAP_REPAIR_FEE_PAISE,
    booking_for,
    online_professional,
    unique_name,
    wait_until,
)

pytestmark = pytest.mark.e2e


def test_citizen_signs_up_finds_a_plumber_books_follows_rates_and_complains(stack, person, screens: Screens):
    # Given a verified plumber, online 300 m from the middle of Lucknow
    name = unique_name("Prakash")
    pro, _ = online_professional(stack, name=name, location=near(LUCKNOW, 300))
    citizen = person(location=near(LUCKNOW, -200))
    page = citizen.open()
    screens.capture(page, "home")

    # She creates an account with her mobile number (a wrong number first)
    mobile, password = new_credentials("97")
    page.get_by_role("link", name="साइन इन").click()
    page.get_by_role("link", name="मोबाइल नंबर से नया खाता बनाएँ").click()
    expect(page.get_by_label("मोबाइल नंबर")).to_have_attribute("autocomplete", "username")
    expect(page.get_by_label("मोबाइल नंबर")).to_have_attribute("type", "tel")
    expect(page.get_by_label("नया पासवर्ड")).to_have_attribute("autocomplete", "new-password")
    page.get_by_label("मोबाइल नंबर").fill("12345")
    page.get_by_role("button", name="खाता बनाएँ").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("कुछ ठीक करना है")
    expect(summary.get_by_role("link", name=re.compile("10 अंकों का मोबाइल नंबर"))).to_be_visible()
    screens.capture(page, "sign-up-error")
    page.get_by_role("button", name="English").click()  # the problems follow the language
    expect(summary.get_by_role("link", name=re.compile("Enter a 10-digit mobile number"))).to_be_visible()
    page.get_by_role("button", name="हिन्दी").click()
    page.get_by_label("मोबाइल नंबर").fill(mobile.removeprefix("+91"))
    page.get_by_label("नया पासवर्ड").fill(password)
    page.get_by_role("button", name="खाता बनाएँ").click()
    expect(page.get_by_label("SMS वाला कोड")).to_have_attribute("autocomplete", "one-time-code")
    screens.capture(page, "confirm-code")
    page.get_by_label("SMS वाला कोड").fill("123456")  # the emulator takes any code
    page.get_by_role("button", name="पक्का करें").click()
    expect(page.get_by_role("button", name="साइन आउट")).to_be_visible()

    # She searches in her own words and picks the service: fee and time fixed
    page.get_by_role("searchbox", name="काम खोजें").fill("नल")
    page.get_by_role("button", name="खोजें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("“नल” के लिए काम")
    tap = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="प्लंबर: नल व लीकेज मरम्मत"))
    expect(tap).to_contain_text("फ़ीस ₹150 · लगभग 30 मिनट")
    screens.capture(page, "services")
    tap.get_by_role("link").click()

    # Her phone's location first, then the map-free way: district and landmark
    expect(page.get_by_role("heading", level=1)).to_have_text("काम कहाँ करवाना है?")
    screens.capture(page, "location")
    page.get_by_role("button", name="फ़ोन से मेरी अभी की जगह लें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("आपके पास के कारीगर")
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.get_by_role("link", name="जगह बदलें").click()
    page.get_by_label("ज़िला").select_option(label="लखनऊ")
    page.get_by_label("मोहल्ला या पास की पहचान की जगह").fill("हज़रतगंज, हनुमान मंदिर के पास")
    page.get_by_role("button", name="आगे बढ़ें").click()

    # Nearby professionals: name, rating, fee, distance band
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=name))
    expect(card).to_contain_text("नए कारीगर (अभी रेटिंग नहीं)")
    expect(card).to_contain_text("500 मीटर से कम दूर")
    expect(card).to_contain_text("फ़ीस ₹150")
    screens.capture(page, "professionals")
    card.get_by_role("link", name=f"{name} को बुक करें").click()

    # She checks and books; the start code is hers, shown once
    expect(page.get_by_role("heading", level=1)).to_have_text("बुकिंग जाँचें")
    expect(page.get_by_text("हज़रतगंज, हनुमान मंदिर के पास, लखनऊ")).to_be_visible()
    screens.capture(page, "check-booking")
    page.get_by_role("button", name="बुकिंग पक्की करें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("आपकी बुकिंग")
    status = page.get_by_text(re.compile("^स्थिति:"))
    expect(status).to_have_text("स्थिति: स्वीकार का इंतज़ार")
    start_code = re.sub(
        r"\D",
        "",
        page.get_by_role("region", name="आपका शुरुआत कोड").get_by_role("paragraph").first.inner_text(),
    )
    assert len(start_code) == 6
    booking_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    screens.capture(page, "booking-requested")

    # The professional accepts, starts with her code and completes: she sees it live
    pro.ok("POST", f"/bookings/{booking_id}/accept")
    expect(status).to_have_text("स्थिति: स्वीकार हुई")
    screens.capture(page, "booking-accepted")
    pro.ok("POST", f"/bookings/{booking_id}/start", {"start_code": start_code})
    expect(status).to_have_text("स्थिति: काम चल रहा है")
    pro.ok("POST", f"/bookings/{booking_id}/complete", {"amount_collected_paise": TAP_REPAIR_FEE_PAISE})
    expect(status).to_have_text("स्थिति: पूरा")
    screens.capture(page, "booking-completed")

    # She rates the work
    page.get_by_role("link", name="कारीगर को रेटिंग दें").click()
    page.get_by_label("5 स्टार: बहुत अच्छा").check()
    page.get_by_label("कुछ कहना चाहें तो लिखें").fill("समय पर आए, अच्छा काम किया।")
    screens.capture(page, "rate")
    page.get_by_role("button", name="रेटिंग भेजें").click()
    expect(page.get_by_text("रेटिंग के लिए धन्यवाद")).to_be_visible()
    expect(page.get_by_text("★ 5.0 / 5")).to_be_visible()

    # ...and complains about the quality, with a photo as evidence
    page.get_by_role("link", name="शिकायत करें").click()
    page.get_by_label("काम ठीक नहीं हुआ").check()
    page.get_by_label("पूरी बात लिखें").fill("नल फिर से टपकने लगा।")
    evidence = page.get_by_label("सबूत: रसीद या फ़ोटो (ज़रूरी नहीं)")
    expect(evidence).to_have_attribute("accept", "application/pdf,image/jpeg,image/png")
    evidence.set_input_files({"name": "tap.png", "mimeType": "image/png", "buffer": SAMPLE_PNG})
    screens.capture(page, "complain")
    page.get_by_role("button", name="शिकायत भेजें").click()
    expect(page.get_by_text("आपकी शिकायत दर्ज हो गई है")).to_be_visible()
    expect(page.get_by_text(re.compile("^स्थिति:"))).to_have_text("स्थिति: खुली")
    expect(page.get_by_text("1 फ़ाइल")).to_be_visible()
    screens.capture(page, "complaint")


def test_citizen_lists_her_bookings(stack, person, screens: Screens):
    # Given a plumber online 2 km north, and a citizen with no bookings yet
    where = near(LUCKNOW, 2000)
    _, professional_id = online_professional(stack, name=unique_name("Ramesh"), location=where)
    username, password = stack.new_user()
    phone = person(location=where)
    page = phone.open()
    phone.sign_in(username, password)
    page.get_by_role("link", name="मेरी बुकिंग").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("मेरी बुकिंग")
    expect(page.get_by_text("अभी कुछ नहीं है।")).to_be_visible()

    # She books (on another device); her list shows it: the service, its status and fee
    booked = booking_for(stack.signed_in(username, password), professional_id, where)
    page.reload()
    item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="प्लंबर: नल व लीकेज मरम्मत"))
    expect(item).to_have_count(1)
    expect(item).to_contain_text("स्वीकार का इंतज़ार")
    expect(item).to_contain_text("₹150")
    screens.capture(page, "my-bookings")
    item.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("आपकी बुकिंग")
    assert page.url.rstrip("/").endswith(f"/bookings/{booked['id']}")


def test_citizen_sees_the_professionals_contact_after_acceptance(stack, person, screens: Screens):
    # Given her booking of a plumber 2.5 km north, not yet accepted: no phone number on it
    where = near(LUCKNOW, 2500)
    name = unique_name("Suresh")
    pro, professional_id = online_professional(stack, name=name, location=where)
    username, password = stack.new_user()
    citizen = stack.signed_in(username, password)
    booked = booking_for(citizen, professional_id, where)
    phone = person(location=where)
    page = phone.open()
    phone.sign_in(username, password)
    page.goto(f"{phone.portal_url}bookings/{booked['id']}")
    status = page.get_by_text(re.compile("^स्थिति:"))
    expect(status).to_have_text("स्थिति: स्वीकार का इंतज़ार")
    expect(page.get_by_text("कारीगर का मोबाइल")).to_have_count(0)

    # The plumber accepts: his name and mobile appear, the number a link that dials him
    pro.ok("POST", f"/bookings/{booked['id']}/accept")
    expect(status).to_have_text("स्थिति: स्वीकार हुई")
    mobile = citizen.ok("GET", f"/bookings/{booked['id']}")["professional"]["mobile"]
    assert re.fullmatch(r"[6-9]\d{9}", mobile)
    call = page.get_by_role("link", name=mobile)
    expect(call).to_have_attribute("href", f"tel:+91{mobile}")
    expect(page.get_by_text(name, exact=True)).to_be_visible()
    screens.capture(page, "contact")

    # Once the work is done the number is gone again
    pro.ok("POST", f"/bookings/{booked['id']}/start", {"start_code": booked["start_code"]})
    pro.ok("POST", f"/bookings/{booked['id']}/complete", {"amount_collected_paise": TAP_REPAIR_FEE_PAISE})
    expect(status).to_have_text("स्थिति: पूरा")
    expect(page.get_by_role("link", name=mobile)).to_have_count(0)


def test_citizen_says_what_she_paid_and_an_overcharge_opens_a_complaint(stack, person, screens: Screens):
    # Given her finished tap repair (fixed fee ₹150); the plumber declared the fee
    where = near(LUCKNOW, 1800)
    pro, professional_id = online_professional(stack, name=unique_name("Ramesh"), location=where)
    username, password = stack.new_user()
    citizen = stack.signed_in(username, password)
    booked = booking_for(citizen, professional_id, where)
    pro.ok("POST", f"/bookings/{booked['id']}/accept")
    pro.ok("POST", f"/bookings/{booked['id']}/start", {"start_code": booked["start_code"]})
    pro.ok("POST", f"/bookings/{booked['id']}/complete", {"amount_collected_paise": TAP_REPAIR_FEE_PAISE})

    phone = person(location=where)
    page = phone.open()
    phone.sign_in(username, password)
    page.goto(f"{phone.portal_url}bookings/{booked['id']}")
    amount = page.get_by_label("आपने कारीगर को कुल कितने पैसे दिए?")
    expect(amount).to_be_visible()
    expect(page.get_by_text("तय फ़ीस ₹150 थी।", exact=False)).to_be_visible()

    # Nothing written: the field says what to write, in Hindi
    page.get_by_role("button", name="बताएँ").click()
    expect(page.get_by_text(re.compile("रुपये में रकम लिखें, जैसे 300"))).to_be_visible()
    screens.capture(page, "payment-error")

    # She paid ₹250: thanked, told an overcharge complaint opened, with a link to it
    amount.fill("250")
    screens.capture(page, "payment")
    page.get_by_role("button", name="बताएँ").click()
    thanks = page.get_by_role("status").filter(has_text="धन्यवाद, हमने दर्ज कर लिया")
    expect(thanks).to_contain_text("यह तय फ़ीस से ज़्यादा है, इसलिए शिकायत अपने-आप दर्ज हो गई है।")
    recorded = citizen.ok("GET", f"/bookings/{booked['id']}")
    assert recorded["payment"]["amount_paid_paise"] == 25000
    (complaint_id,) = recorded["complaint_ids"]
    screens.capture(page, "payment-recorded")

    # The page now shows what she said she paid, no form to say it twice
    expect(page.get_by_text("आपके अनुसार दिए गए पैसे")).to_be_visible()
    expect(amount).to_have_count(0)
    thanks.get_by_role("link", name="शिकायत देखें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("शिकायत")
    assert page.url.rstrip("/").endswith(f"/complaints/{complaint_id}")
    expect(page.get_by_text("तय फ़ीस से ज़्यादा पैसे लिए")).to_be_visible()
    expect(page.get_by_text("₹250")).to_be_visible()


def test_everyone_reads_their_inbox_in_hindi_and_chooses_the_language_of_notifications(
    stack, person, screens: Screens
):
    # Given a citizen whose booking was just accepted (the inbox has one notification)
    where = near(LUCKNOW, 3000)
    name = unique_name("Mohan")
    pro, professional_id = online_professional(stack, name=name, location=where)
    username, password = stack.new_user()
    citizen = stack.signed_in(username, password)
    booked = booking_for(citizen, professional_id, where)
    pro.ok("POST", f"/bookings/{booked['id']}/accept")
    wait_until(lambda: citizen.ok("GET", "/me/notifications")["notifications"])

    # The header says one is new; the inbox shows it in Hindi and leads to the booking
    phone = person(location=where)
    page = phone.open()
    phone.sign_in(username, password)
    inbox = page.get_by_role("link", name=re.compile("^सूचनाएँ"))
    expect(inbox).to_have_text("सूचनाएँ 1 नई")
    inbox.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("सूचनाएँ")
    item = page.get_by_role("listitem").filter(has_text="बुकिंग स्वीकार हुई")
    expect(item).to_contain_text(f"{name} ने आपकी बुकिंग स्वीकार की")
    expect(item).to_contain_text("नई")
    expect(inbox).to_have_text("सूचनाएँ")  # opened: nothing new any more
    screens.capture(page, "inbox")
    item.get_by_role("link", name="बुकिंग देखें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("आपकी बुकिंग")
    page.go_back()

    # Hindi is the default; she chooses English and no SMS, saved to her account
    expect(page.get_by_label("हिन्दी", exact=True)).to_be_checked()
    expect(page.get_by_label("हाँ, SMS भेजें")).to_be_checked()
    page.get_by_label("English", exact=True).check()
    page.get_by_label("नहीं, सिर्फ़ ऐप में").check()
    page.get_by_role("button", name="सेटिंग सहेजें").click()
    expect(page.get_by_role("status").filter(has_text="सेटिंग सहेज ली गई")).to_be_visible()
    assert citizen.ok("GET", "/me")["preferences"] == {"language": "en", "sms": False}

    # The next notification comes in English
    pro.ok("POST", f"/bookings/{booked['id']}/start", {"start_code": booked["start_code"]})
    wait_until(lambda: len(citizen.ok("GET", "/me/notifications")["notifications"]) > 1)
    page.reload()
    expect(page.get_by_role("listitem").filter(has_text="Work started")).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile("^सूचनाएँ"))).to_have_text("सूचनाएँ")


def test_a_refused_preference_is_shown_in_hindi_beside_the_field(stack, person):
    phone = person()
    page = phone.open()
    phone.sign_in(*stack.new_user())
    page.route(
        "**/me/preferences",
        lambda route: route.fulfill(
            status=422,
            content_type="application/json",
            body='{"error": {"code": "validation_error", "message": "Invalid input", '
            '"details": [{"loc": ["body", "language"], "msg": "bad", "type": "enum"}]}}',
        ),
    )
    page.get_by_role("link", name=re.compile("^सूचनाएँ")).click()
    page.get_by_role("button", name="सेटिंग सहेजें").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("कुछ ठीक करना है")
    expect(page.get_by_text(re.compile("^गलती: यह जानकारी सही नहीं है"))).to_be_visible()
