"""A professional, in Hindi on a phone: registers (Aadhaar masked as typed), uploads the ID proof
from the camera or files, follows verification, goes online, works a booking from request to
completion, answers a complaint and shows the QR code of the public card."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from local.client import SAMPLE_PDF, journey
from tests.e2e.story import near, new_identity
from tests.e2e.web.conftest import LUCKNOW, Screens
from tests.e2e.web.given import booking_for, online_professional, unique_name

pytestmark = pytest.mark.e2e


def test_professional_registers_is_verified_goes_online_and_completes_a_booking(
    stack, person, screens: Screens
):
    # Given an account, and a phone 400 m south of the middle of Lucknow
    username, password = stack.new_user()
    aadhaar, mobile = new_identity()
    workplace = near(LUCKNOW, -400)
    phone = person(location=workplace)
    page = phone.open()
    phone.sign_in(username, password)

    # She opens the professional's section and starts registering
    page.get_by_role("link", name="कारीगर के रूप में काम").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("सेवा मित्र पर काम पाएँ")
    screens.capture(page, "join")
    page.get_by_role("link", name="पंजीकरण शुरू करें").click()
    page.get_by_label("पूरा नाम").fill("Meena Kushwaha")
    page.get_by_label("मोबाइल नंबर").fill(f"{mobile[:5]} {mobile[5:]}")

    # The Aadhaar box masks all but the last four digits as they are typed; a wrong check digit first
    wrong = aadhaar[:-1] + str((int(aadhaar[-1]) + 1) % 10)
    aadhaar_box = page.get_by_label("आधार नंबर")
    aadhaar_box.press_sequentially(wrong)
    expect(aadhaar_box).to_have_value(f"•••• •••• {wrong[-4:]}")
    assert wrong not in page.content()

    page.get_by_label("प्लंबर", exact=True).check()
    page.get_by_label("प्लंबर: नल व लीकेज मरम्मत").check()
    page.get_by_label("आपका ज़िला").select_option(label="लखनऊ")
    page.get_by_label("फ़ोन से मेरी अभी की जगह").check()
    page.get_by_label("कोई प्रमाणपत्र नहीं").check()
    page.get_by_role("button", name="पंजीकरण करें").click()

    # The API refuses the number: the message is beside the field and in the summary at the top
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name=re.compile("यह आधार नंबर सही नहीं है"))).to_be_visible()
    expect(page.get_by_text(re.compile("^गलती: यह आधार नंबर सही नहीं है"))).to_be_visible()
    screens.capture(page, "register-error")
    aadhaar_box.fill("")
    aadhaar_box.press_sequentially(aadhaar)
    expect(aadhaar_box).to_have_value(f"•••• •••• {aadhaar[-4:]}")
    page.get_by_role("button", name="पंजीकरण करें").click()

    # Documents: the ID proof from the camera or files
    expect(page.get_by_role("heading", level=1)).to_have_text("अपने कागज़ अपलोड करें")
    id_proof = page.get_by_label("पहचान पत्र: फ़ोटो लें या फ़ाइल चुनें")
    expect(id_proof).to_have_attribute("accept", "application/pdf,image/jpeg,image/png")
    screens.capture(page, "documents")
    id_proof.set_input_files({"name": "aadhaar.pdf", "mimeType": "application/pdf", "buffer": SAMPLE_PDF})
    page.get_by_role("button", name="पहचान पत्र अपलोड करें").click()
    uploaded = page.get_by_role("region", name=re.compile("^पहचान पत्र"))
    expect(uploaded.get_by_text("अपलोड हो गया")).to_be_visible()
    page.get_by_role("button", name="जाँच के लिए भेजें").click()

    # She follows verification: the police answer clear, her page turns verified by itself
    expect(page.get_by_text("आपके कागज़ जाँच के लिए भेज दिए गए हैं")).to_be_visible()
    status = page.get_by_text(re.compile("^स्थिति:"))
    account = stack.signed_in(username, password)
    professional_id = str(account.ok("GET", "/me")["professional_id"])
    request_id = journey.police_request(stack.as_demo("officer"), professional_id)
    expect(status).to_have_text("स्थिति: पुलिस सत्यापन")
    screens.capture(page, "police-pending")
    stack.police().answer(request_id, "clear", remarks="No record")
    expect(status).to_have_text("स्थिति: सत्यापित")
    expect(page.get_by_role("listitem").filter(has_text="पुलिस का जवाब आया · कोई मामला नहीं")).to_be_visible()

    # She goes online from where she is
    page.get_by_label("हाँ, ऑनलाइन हूँ: पास के लोग मुझे बुक कर सकते हैं").check()
    page.get_by_label("फ़ोन से मेरी अभी की जगह लें").check()
    page.get_by_role("button", name="सहेजें").click()
    expect(page.get_by_text("आप ऑनलाइन हैं")).to_be_visible()
    screens.capture(page, "verified-online")

    # A citizen nearby books her; she opens the request (the link an SMS or the inbox carries)
    citizen = stack.signed_up()
    booked = booking_for(citizen, professional_id, workplace)
    page.goto(f"{phone.portal_url}pro/bookings/{booked['id']}")
    expect(status).to_have_text("स्थिति: स्वीकार का इंतज़ार")
    screens.capture(page, "request")
    page.get_by_role("button", name="स्वीकार करें").click()
    expect(status).to_have_text("स्थिति: स्वीकार हुई")

    # The start code: a wrong one is refused beside the field, the citizen's own starts the work
    wrong_code = "000000" if booked["start_code"] != "000000" else "111111"
    page.get_by_label("ग्राहक का शुरुआत कोड").fill(wrong_code)
    page.get_by_role("button", name="काम शुरू करें").click()
    expect(page.get_by_text(re.compile("^गलती: यह कोड सही नहीं है"))).to_be_visible()
    screens.capture(page, "start-code-error")
    page.get_by_label("ग्राहक का शुरुआत कोड").fill(booked["start_code"])
    page.get_by_role("button", name="काम शुरू करें").click()
    expect(status).to_have_text("स्थिति: काम चल रहा है")

    # She completes and says what she collected: the fixed fee, typed as people write it
    page.get_by_label("आपने कितने पैसे लिए?").fill("₹150")
    screens.capture(page, "complete")
    page.get_by_role("button", name="काम पूरा हुआ").click()
    expect(status).to_have_text("स्थिति: पूरा")
    assert citizen.ok("GET", f"/bookings/{booked['id']}")["amount_collected_paise"] == 15000

    # The citizen complains; she answers it
    complaint = citizen.ok(
        "POST",
        "/complaints",
        {"booking_id": booked["id"], "kind": "quality", "description": "Tap still drips."},
        status=201,
    )
    page.goto(f"{phone.portal_url}complaints/{complaint['id']}")
    expect(page.get_by_text("काम ठीक नहीं हुआ")).to_be_visible()
    page.get_by_label("आपका जवाब").fill("वॉशर बदल दिया था, कल फिर आकर देख लूँगी।")
    screens.capture(page, "respond")
    page.get_by_role("button", name="जवाब भेजें").click()
    expect(page.get_by_text("वॉशर बदल दिया था, कल फिर आकर देख लूँगी।")).to_be_visible()
    expect(page.get_by_label("आपका जवाब")).to_have_count(0)

    # Her ID card's QR code, for citizens to scan
    page.get_by_role("link", name="कारीगर के रूप में काम").click()
    page.get_by_role("link", name="मेरा पहचान पत्र (QR कोड)").click()
    expect(page.get_by_role("img", name="Meena Kushwaha के पहचान पत्र का QR कोड")).to_be_visible()
    expect(page.get_by_text(f"/app/card/{professional_id}")).to_be_visible()
    screens.capture(page, "id-card")


def test_professional_sees_her_requests_and_accepts_one(stack, person, screens: Screens):
    # Given a verified plumber online 3 km south, with a request from a citizen nearby
    where = near(LUCKNOW, -3000)
    credentials = stack.new_user()
    _, professional_id = online_professional(
        stack, name=unique_name("Kamla"), location=where, credentials=credentials
    )
    citizen = stack.signed_up()
    booked = booking_for(citizen, professional_id, where)

    # She finds it in her requests: the service, waiting for her, the fee
    phone = person(location=where)
    page = phone.open()
    phone.sign_in(*credentials)
    page.get_by_role("link", name="कारीगर के रूप में काम").click()
    page.get_by_role("link", name="आए हुए अनुरोध").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("आए हुए अनुरोध")
    item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="प्लंबर: नल व लीकेज मरम्मत"))
    expect(item).to_have_count(1)
    expect(item).to_contain_text("स्वीकार का इंतज़ार")
    expect(item).to_contain_text("₹150")
    screens.capture(page, "requests")

    # She opens and accepts it: now she sees the citizen's mobile to call
    item.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("काम का अनुरोध")
    expect(page.get_by_text("ग्राहक का मोबाइल")).to_have_count(0)
    page.get_by_role("button", name="स्वीकार करें").click()
    expect(page.get_by_text(re.compile("^स्थिति:"))).to_have_text("स्थिति: स्वीकार हुई")
    mobile = citizen.username.removeprefix("+91") if citizen.username else ""
    expect(page.get_by_role("link", name=mobile)).to_have_attribute("href", f"tel:+91{mobile}")
    assert citizen.ok("GET", f"/bookings/{booked['id']}")["status"] == "accepted"


def test_professional_declines_a_request(stack, person, screens: Screens):
    where = near(LUCKNOW, -3500)
    credentials = stack.new_user()
    _, professional_id = online_professional(
        stack, name=unique_name("Gopal"), location=where, credentials=credentials
    )
    citizen = stack.signed_up()
    booked = booking_for(citizen, professional_id, where)
    phone = person(location=where)
    page = phone.open()
    phone.sign_in(*credentials)
    page.goto(f"{phone.portal_url}pro/bookings/{booked['id']}")
    status = page.get_by_text(re.compile("^स्थिति:"))
    expect(status).to_have_text("स्थिति: स्वीकार का इंतज़ार")
    screens.capture(page, "request")
    page.get_by_role("button", name="मना करें").click()
    # She was chosen by name: her refusal ends the booking, and the citizen is told who ended it
    expect(status).to_have_text("स्थिति: रद्द")
    expect(page.get_by_role("button", name="स्वीकार करें")).to_have_count(0)
    screens.capture(page, "declined")
    seen = citizen.ok("GET", f"/bookings/{booked['id']}")
    assert (seen["status"], seen["cancelled_by"]) == ("cancelled", "professional")


def test_citizen_scans_the_card_and_sees_the_professional_is_verified(stack, person, screens: Screens):
    name = unique_name("Anil")
    _, professional_id = online_professional(stack, name=name, location=near(LUCKNOW, -4000))
    phone = person()
    page = phone.open(f"card/{professional_id}")  # what the QR code holds; no sign-in
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text("यह कारीगर पुलिस-सत्यापित है।")).to_be_visible()
    expect(page.get_by_text("प्लंबर: नल व लीकेज मरम्मत")).to_be_visible()
    expect(page.get_by_text("लखनऊ")).to_be_visible()
    expect(page.get_by_text("अभी रेटिंग नहीं")).to_be_visible()
    expect(page.get_by_role("button", name="साइन आउट")).to_have_count(0)
    screens.capture(page, "public-card")

    # A card that does not exist says so, in Hindi
    phone.open("card/pro_" + "0" * 32)
    expect(page.get_by_role("alert")).to_have_text("यह नहीं मिला।")
    screens.capture(page, "unknown-card")
