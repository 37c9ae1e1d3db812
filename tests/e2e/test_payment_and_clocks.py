"""Fair outcomes over HTTP on the local stack (API.md, "Fair outcomes"): expenses approved by the
citizen are part of what may be collected; the citizen's payment record opens an overcharge
complaint on its own word; no decision before ``respond_by`` (a few seconds here,
``SHORT_CLOCKS``) unless the professional answered."""

from __future__ import annotations

import time
from typing import Any

from local.client import journey
from local.client.http import Account
from sevamitra.platform.clock import parse_iso
from tests.e2e.conftest import Stack
from tests.e2e.story import go_online, new_identity, registration, somewhere_in_lucknow

SERVICE = "plumber_tap_leak_repair"
PIPE = {"description": "PVC pipe, 2 m", "amount_paise": 10_000}


def _in_progress(stack: Stack) -> tuple[Account, Account, dict[str, Any]]:
    """A verified professional's booking, started: (citizen, professional, booking)."""
    police, officer = stack.police(), stack.as_demo("officer")
    pro, citizen = stack.signed_up(), stack.signed_up()
    aadhaar, mobile = new_identity()
    point = somewhere_in_lucknow()
    pid = str(journey.register(pro, registration(aadhaar, mobile, point, SERVICE))["id"])
    journey.cleared(police, pro, pid, journey.submit_for_verification(pro, officer, pid))
    go_online(pro, pid, point)
    booking = citizen.ok(
        "POST", "/bookings", {"service_id": SERVICE, "location": point, "professional_id": pid}, status=201
    )
    pro.ok("POST", f"/bookings/{booking['id']}/accept")
    pro.ok("POST", f"/bookings/{booking['id']}/start", {"start_code": booking["start_code"]})
    return citizen, pro, dict(booking)


def test_approved_expenses_are_allowed_and_the_citizens_record_catches_the_rest(stack: Stack) -> None:
    citizen, pro, booking = _in_progress(stack)
    bid, fee = booking["id"], booking["fee_paise"]
    claimed = pro.ok("POST", f"/bookings/{bid}/expenses", {"items": [PIPE]}, status=201)
    assert claimed["status"] == "pending_approval"
    assert citizen.ok("POST", f"/bookings/{bid}/expenses/{claimed['id']}/approve")["status"] == "approved"
    done = pro.ok("POST", f"/bookings/{bid}/complete", {"amount_collected_paise": fee + PIPE["amount_paise"]})
    assert done["complaint_ids"] == []  # the fee plus the approved pipe

    paid = citizen.ok(
        "POST",
        f"/bookings/{bid}/payment",
        {"amount_paid_paise": fee + PIPE["amount_paise"] + 5_000},
        status=201,
    )
    assert paid["allowed_paise"] == fee + PIPE["amount_paise"]
    assert paid["complaint_id"]
    shown = citizen.ok("GET", f"/bookings/{bid}")
    assert shown["complaint_ids"] == [paid["complaint_id"]]
    assert [e["status"] for e in shown["expenses"]] == ["approved"]
    again = citizen.call("POST", f"/bookings/{bid}/payment", {"amount_paid_paise": fee})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "payment_already_recorded")


def test_no_decision_before_respond_by_unless_the_professional_answered(local_only: Stack) -> None:
    citizen, pro, booking = _in_progress(local_only)
    officer = local_only.as_demo("officer")
    bid = booking["id"]
    claimed = pro.ok("POST", f"/bookings/{bid}/expenses", {"items": [PIPE]}, status=201)
    disputed = citizen.ok("POST", f"/bookings/{bid}/expenses/{claimed['id']}/dispute")
    complaint = officer.ok("GET", f"/complaints/{disputed['complaint_id']}")
    respond_by = parse_iso(complaint["respond_by"])
    assert (respond_by - parse_iso(complaint["created_at"])).total_seconds() <= 10  # SHORT_CLOCKS

    decision = {"decision": "dismissed", "remarks": "The pipe was needed."}
    early = officer.call("POST", f"/complaints/{complaint['id']}/resolve", decision)
    assert (early.status_code, early.json()["error"]["code"]) == (409, "response_window_open")

    assert early.json()["error"]["details"] == [{"respond_by": complaint["respond_by"]}]
    while time.time() <= respond_by.timestamp():
        time.sleep(0.2)
    decided = officer.ok("POST", f"/complaints/{complaint['id']}/resolve", decision)
    assert decided["status"] == "dismissed"
