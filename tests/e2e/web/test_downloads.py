"""Downloads in the portal (issue 18), in Hindi on a phone: the officer who decides a complaint
downloads the photo the citizen uploaded; the citizen downloads the receipt the professional
attached to a claim for materials. Each link saves exactly the bytes that were uploaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from local.client.uploads import upload
from tests.e2e.story import near
from tests.e2e.web.conftest import LUCKNOW, Screens
from tests.e2e.web.given import SAMPLE_PNG, booking_for, online_professional, unique_name

pytestmark = pytest.mark.e2e

RECEIPT_PDF = b"%PDF-1.4\n% the hardware shop's bill for a tap washer\n%%EOF\n"


def _job_with_a_receipt(stack: Any, credentials: tuple[str, str]) -> tuple[Any, Any, dict[str, Any]]:
    """A tap repair in progress, with a claim for a washer whose receipt (a PDF) is uploaded:
    (the plumber's account, the citizen's account, the booking)."""
    where = near(LUCKNOW, 2600)
    pro, professional_id = online_professional(stack, name=unique_name("Pappu"), location=where)
    citizen = stack.signed_in(*credentials)
    booked = booking_for(citizen, professional_id, where)
    pro.ok("POST", f"/bookings/{booked['id']}/accept")
    pro.ok("POST", f"/bookings/{booked['id']}/start", {"start_code": booked["start_code"]})
    washer = {"items": [{"description": "नल का वॉशर", "amount_paise": 4000}]}
    expense = pro.ok("POST", f"/bookings/{booked['id']}/expenses", washer, status=201)["id"]
    asked = pro.ok(
        "POST",
        f"/bookings/{booked['id']}/expenses/{expense}/receipts",
        {"content_type": "application/pdf"},
        status=201,
    )
    upload(asked["upload"], RECEIPT_PDF, filename="bill.pdf", content_type="application/pdf")
    return pro, citizen, booked


def _downloaded(page: Page, link_name: str) -> bytes:
    link = page.get_by_role("link", name=link_name)
    expect(link).to_be_visible()
    with page.expect_download() as started:
        link.click()
    return Path(started.value.path()).read_bytes()


def test_the_officer_downloads_the_photo_the_citizen_uploaded_with_the_complaint(
    stack, person, screens: Screens
):
    # Given a complaint about a finished repair, with a photo the citizen uploaded and a second
    # file asked for but never sent
    pro, citizen, booked = _job_with_a_receipt(stack, stack.new_user())
    pro.ok("POST", f"/bookings/{booked['id']}/complete", {"amount_collected_paise": 15000})
    complaint = {"booking_id": booked["id"], "kind": "quality", "description": "नल अब भी टपकता है।"}
    complaint_id = citizen.ok("POST", "/complaints", complaint, status=201)["id"]
    photo = {"content_type": "image/png", "size_bytes": len(SAMPLE_PNG)}
    asked = citizen.ok("POST", f"/complaints/{complaint_id}/evidence", photo, status=201)
    upload(asked["upload"], SAMPLE_PNG, filename="tap.png", content_type="image/png")
    citizen.ok("POST", f"/complaints/{complaint_id}/evidence", photo, status=201)

    # When the officer opens the complaint on his phone
    phone = person()
    page = phone.open()
    phone.sign_in(*stack.demo_credentials("officer"))
    page.goto(f"{phone.portal_url}complaints/{complaint_id}")
    expect(page.get_by_role("heading", name="सबूत की फ़ाइलें")).to_be_visible()
    expect(page.get_by_text("अभी अपलोड नहीं हुई")).to_be_visible()  # the file never sent
    screens.capture(page, "complaint-files")

    # Then the photo's link downloads exactly what the citizen uploaded, and the receipt's the bill
    assert _downloaded(page, "डाउनलोड करें: फ़ाइल 1") == SAMPLE_PNG
    assert _downloaded(page, "डाउनलोड करें: रसीद 1") == RECEIPT_PDF
    expect(page.get_by_role("link", name="डाउनलोड करें: फ़ाइल 2")).to_have_count(0)


def test_the_citizen_downloads_the_receipt_before_answering_the_claim(stack, person, screens: Screens):
    credentials = stack.new_user()
    _pro, _citizen, booked = _job_with_a_receipt(stack, credentials)

    phone = person()
    page = phone.open()
    phone.sign_in(*credentials)
    page.goto(f"{phone.portal_url}bookings/{booked['id']}")
    expect(page.get_by_role("heading", name="सामान का खर्च")).to_be_visible()
    screens.capture(page, "booking-receipt")

    assert _downloaded(page, "डाउनलोड करें: दावा 1 की रसीद 1") == RECEIPT_PDF
