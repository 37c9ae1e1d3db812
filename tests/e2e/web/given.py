"""What the journeys start from, made through the API as the other people in the story would:
a verified professional online near a point, a booking between two accounts."""

from __future__ import annotations

import random
import string
import time
from collections.abc import Callable
from typing import Any

from local.client import journey
from local.client.http import Account
from tests.e2e.conftest import Stack
from tests.e2e.story import go_online, near, new_identity, registration

TAP_REPAIR = "plumber_tap_leak_repair"  # ₹150, 30 minutes
TAP_REPAIR_FEE_PAISE = 15000
SAMPLE_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def unique_name(first: str) -> str:
    """A name no other test's professional has (letters only, as a person's name is)."""
    surname = random.choice(string.ascii_uppercase) + "".join(random.choices(string.ascii_lowercase, k=5))
    return f"{first} {surname}"


def online_professional(
    stack: Stack,
    *,
    name: str,
    location: dict[str, float],
    service: str = TAP_REPAIR,
    credentials: tuple[str, str] | None = None,
) -> tuple[Account, str]:
    """A professional registered, police-verified and online at ``location``: (their account, id).
    ``credentials``: the account to register with (to sign in as them in the browser too)."""
    police = stack.police()
    officer = stack.as_demo("officer")
    pro = stack.signed_in(*credentials) if credentials else stack.signed_up()
    aadhaar, mobile = new_identity()
    professional_id = str(
        journey.register(pro, registration(aadhaar, mobile, location, service, name=name))["id"]
    )
    request_id = journey.submit_for_verification(pro, officer, professional_id)
    journey.cleared(police, pro, professional_id, request_id)
    go_online(pro, professional_id, location)
    return pro, professional_id


def booking_for(
    citizen: Account, professional_id: str, location: dict[str, float], service: str = TAP_REPAIR
) -> dict[str, Any]:
    """A citizen books that professional: the booking as created (with its start code)."""
    return dict(
        citizen.ok(
            "POST",
            "/bookings",
            {"service_id": service, "location": near(location, 100), "professional_id": professional_id},
            status=201,
        )
    )


def wait_until(probe: Callable[[], Any], timeout_s: float = 15.0) -> Any:
    """``probe()`` once it answers something truthy (events reach the inbox asynchronously)."""
    deadline = time.monotonic() + timeout_s
    while True:
        answer = probe()
        if answer or time.monotonic() > deadline:
            assert answer, f"still nothing after {timeout_s}s"
            return answer
        time.sleep(0.3)


def upheld_overcharge(stack: Stack, credentials: tuple[str, str] | None = None) -> tuple[dict[str, Any], str]:
    """A plumber took ₹250 for a ₹150 repair, answered, and the demo officer upheld the complaint:
    (the complaint, the professional's id). ``credentials``: the plumber's account."""
    where = near({"lat": 26.8467, "lng": 80.9462}, 1500)  # Lucknow
    pro, professional_id = online_professional(
        stack, name=unique_name("Kallu"), location=where, credentials=credentials
    )
    citizen = stack.signed_up()
    booked = booking_for(citizen, professional_id, where)
    pro.ok("POST", f"/bookings/{booked['id']}/accept")
    pro.ok("POST", f"/bookings/{booked['id']}/start", {"start_code": booked["start_code"]})
    pro.ok("POST", f"/bookings/{booked['id']}/complete", {"amount_collected_paise": TAP_REPAIR_FEE_PAISE})
    paid = citizen.ok("POST", f"/bookings/{booked['id']}/payment", {"amount_paid_paise": 25000}, status=201)
    complaint_id = paid["complaint_id"]
    pro.ok("POST", f"/complaints/{complaint_id}/response", {"text": "She gave a tip."}, status=201)
    decision = {"decision": "upheld", "remarks": "The receipt shows ₹250."}
    complaint = stack.as_demo("officer").ok("POST", f"/complaints/{complaint_id}/resolve", decision)
    assert complaint["ban"]["status"] == "proposed"
    return dict(complaint), professional_id
