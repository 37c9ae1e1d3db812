"""An agency, in Hindi on a phone: registers, is approved by an officer, registers a worker who has
no smartphone (Aadhaar masked as typed), uploads the worker's ID proof, sends it for checking,
and follows the police verification."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from local.client import SAMPLE_PDF, journey
from tests.e2e.story import new_identity
from tests.e2e.web.conftest import Screens

pytestmark = pytest.mark.e2e


def test_agency_registers_a_worker_and_follows_the_verification(stack, person, screens: Screens):
    username, password = stack.new_user()
    owner = stack.signed_in(username, password)
    name = f"Gomti Services {uuid.uuid4().hex[:6]}"
    _, contact = new_identity()

    # The owner registers the agency: a wrong Udyam number first
    phone = person()
    page = phone.open()
    phone.sign_in(username, password)
    page.get_by_role("link", name="कारीगर के रूप में काम").click()
    page.get_by_role("link", name=re.compile("एजेंसी या ठेकेदार हैं")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("अपनी एजेंसी का पंजीकरण करें")
    page.get_by_label("एजेंसी का नाम").fill(name)
    page.get_by_label("उद्यम पंजीकरण नंबर").fill("UDYAM-12")
    page.get_by_label("ज़िला", exact=True).select_option(label="लखनऊ")
    page.get_by_label("संपर्क मोबाइल नंबर").fill(contact)
    page.get_by_role("button", name="एजेंसी का पंजीकरण करें").click()
    expect(page.get_by_text(re.compile("^गलती: उद्यम नंबर UDYAM-UP-12-0001234 की तरह लिखें"))).to_be_visible()
    screens.capture(page, "register-agency-error")
    page.get_by_label("उद्यम पंजीकरण नंबर").fill("udyam-up-12-0001234")
    page.get_by_role("button", name="एजेंसी का पंजीकरण करें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text(re.compile("^स्थिति:"))).to_have_text("स्थिति: मंज़ूरी बाकी")
    expect(page.get_by_role("link", name="कारीगर का पंजीकरण करें")).to_have_count(0)
    screens.capture(page, "agency-pending")

    # An officer approves it; the agency registers a worker on his behalf
    agency_id = owner.ok("GET", "/me")["agency_id"]
    stack.as_demo("officer").ok("POST", f"/agencies/{agency_id}/approve")
    page.reload()
    expect(page.get_by_text(re.compile("^स्थिति:"))).to_have_text("स्थिति: मंज़ूर")
    page.get_by_role("link", name="कारीगर का पंजीकरण करें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("कारीगर का पंजीकरण (एजेंसी की ओर से)")
    aadhaar, mobile = new_identity()
    page.get_by_label("पूरा नाम").fill("Ramu Prajapati")
    page.get_by_label("मोबाइल नंबर").fill(mobile)
    aadhaar_box = page.get_by_label("आधार नंबर")
    aadhaar_box.press_sequentially(aadhaar)
    expect(aadhaar_box).to_have_value(f"•••• •••• {aadhaar[-4:]}")
    page.get_by_label("प्लंबर", exact=True).check()
    page.get_by_label("प्लंबर: नल व लीकेज मरम्मत").check()
    page.get_by_label("आपका ज़िला").select_option(label="लखनऊ")
    page.get_by_label("ज़िला मुख्यालय").check()
    page.get_by_label("कोई प्रमाणपत्र नहीं").check()
    screens.capture(page, "register-worker")
    page.get_by_role("button", name="पंजीकरण करें").click()

    # His ID proof, then off for checking
    expect(page.get_by_role("heading", level=1)).to_have_text("अपने कागज़ अपलोड करें")
    page.get_by_label("पहचान पत्र: फ़ोटो लें या फ़ाइल चुनें").set_input_files(
        {"name": "aadhaar.pdf", "mimeType": "application/pdf", "buffer": SAMPLE_PDF}
    )
    page.get_by_role("button", name="पहचान पत्र अपलोड करें").click()
    id_proof = page.get_by_role("region", name=re.compile("^पहचान पत्र"))
    expect(id_proof.get_by_text("अपलोड हो गया")).to_be_visible()
    page.get_by_role("button", name="जाँच के लिए भेजें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ramu Prajapati")
    expect(page.get_by_text("कागज़ जाँच के लिए भेज दिए गए हैं")).to_be_visible()

    # The police answer clear: the page turns verified by itself
    professional_id = page.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    request_id = journey.police_request(stack.as_demo("officer"), professional_id)
    status = page.get_by_text(re.compile("^स्थिति:"))
    expect(status).to_have_text("स्थिति: पुलिस सत्यापन")
    screens.capture(page, "worker-police-pending")
    stack.police().answer(request_id, "clear", remarks="No record")
    expect(status).to_have_text("स्थिति: सत्यापित")

    # The agency's page lists him
    page.get_by_role("link", name="एजेंसी", exact=True).click()
    expect(page.get_by_role("link", name="Ramu Prajapati")).to_be_visible()
    assert owner.ok("GET", f"/agencies/{agency_id}")["professionals"] == 1
