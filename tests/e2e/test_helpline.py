"""A caller without a smartphone books through the helpline, over HTTP on the local stack (issue
17; API.md "Bookings that don't strand people"): staff book for the caller's mobile, the caller
gets the start code and the booking's news by SMS, staff see the booking among their own and may
not complain for the caller."""

from __future__ import annotations

import pytest

from local.client import poll_until
from tests.e2e.conftest import Stack
from tests.e2e.story import go_online, near, new_identity, somewhere_in_lucknow, step, verified_professional

pytestmark = pytest.mark.e2e

SERVICE = "plumber_tap_leak_repair"


def test_a_helpline_booking_is_lived_by_sms(local_only: Stack) -> None:
    staff, officer, pro = (
        local_only.as_demo("helpline"),
        local_only.as_demo("officer"),
        local_only.signed_up(),
    )
    phones = local_only.phones()
    home = somewhere_in_lucknow()
    pid = verified_professional(local_only, pro, officer, new_identity()[0], near(home, 150), SERVICE)
    go_online(pro, pid, near(home, 150))
    caller = new_identity()[1]

    wish = {"service_id": SERVICE, "location": home, "professional_id": pid, "for_mobile": caller}
    booked = staff.ok("POST", "/bookings", wish, status=201)
    # The caller's phone gets the start code, the one thing they must say to the professional.
    phones.wait_for(caller, booked["start_code"])
    assert booked["id"] in [b["id"] for b in staff.ok("GET", "/bookings?role=helpline")["bookings"]]

    # The professional accepts: the caller hears of it by SMS, not in an app they do not have.
    sent_before = len(phones.inbox(caller))
    step(pro, booked["id"], "accept")
    poll_until("the acceptance SMS", lambda: len(phones.inbox(caller)) > sent_before or None)

    # Staff book for callers; they do not complain in a caller's name.
    complaint = {"booking_id": booked["id"], "kind": "quality", "description": "Not fixed."}
    assert staff.call("POST", "/complaints", complaint).status_code == 403
    staff.ok("POST", f"/bookings/{booked['id']}/cancel")
