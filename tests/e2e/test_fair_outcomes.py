"""Separation of duties on a lifetime ban, over HTTP on the local stack (issue 18).

An overcharge upheld by one officer suspends the professional at once and cancels the booking
another citizen is waiting on (that citizen is told); an officer who is a party may not decide; the
ban needs a second officer; the professional appeals once and an appellate officer who took no
earlier part overturns it: verified again and off the registry.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Stack
from tests.e2e.story import (
    book,
    go_online,
    matched_ids,
    near,
    new_identity,
    somewhere_in_lucknow,
    status_of,
    step,
    verified_professional,
)

pytestmark = pytest.mark.e2e

SERVICE = "plumber_tap_leak_repair"


def test_suspension_four_eyes_and_an_appeal_that_reinstates(stack: Stack) -> None:
    pro, citizen, waiting_citizen = stack.signed_up(), stack.signed_up(), stack.signed_up()
    officer, second = stack.as_demo("officer"), stack.as_demo("second_officer")
    appellate, employer = stack.as_demo("appellate"), stack.as_demo("employer")
    aadhaar, _ = new_identity()
    home = somewhere_in_lucknow()
    pid = verified_professional(stack, pro, officer, aadhaar, near(home, 150), SERVICE)
    go_online(pro, pid, near(home, 150))

    # Completed above the fee: the overcharge complaint opens; then another citizen books him.
    booking = book(citizen, SERVICE, home, pid)
    step(pro, booking["id"], "accept")
    step(pro, booking["id"], "start", {"start_code": booking["start_code"]})
    done = step(pro, booking["id"], "complete", {"amount_collected_paise": booking["fee_paise"] + 5_000})
    [complaint_id] = done["complaint_ids"]
    waiting = book(waiting_citizen, SERVICE, home, pid)

    # The citizen who booked may be an officer too, but not the one who decides.
    decision = {"decision": "upheld", "remarks": "Receipt shows 50 rupees above the fee."}
    party = citizen.call("POST", f"/complaints/{complaint_id}/resolve", decision)
    assert party.status_code == 403  # not an officer at all
    # He answers first (API.md: no decision before respond_by unless the professional answered).
    pro.ok("POST", f"/complaints/{complaint_id}/response", {"text": "The switch cost 50 rupees."}, status=201)
    decided = officer.ok("POST", f"/complaints/{complaint_id}/resolve", decision)
    assert decided["ban"]["status"] == "proposed"

    # Suspended at once; the waiting booking is cancelled by the system
    assert status_of(officer, pid) == "suspended"
    assert pid not in matched_ids(citizen, SERVICE, home)
    cancelled = waiting_citizen.ok("GET", f"/bookings/{waiting['id']}")
    assert (cancelled["status"], cancelled["cancelled_by"]) == ("cancelled", "system")
    assert employer.ok("GET", f"/bans/check?aadhaar={aadhaar}") == {"banned": False}

    # Four eyes
    confirm = {"remarks": "Checked the receipt again."}
    same = officer.call("POST", f"/complaints/{complaint_id}/confirm-ban", confirm)
    assert (same.status_code, same.json()["error"]["code"]) == (403, "four_eyes_required")
    confirmed = second.ok("POST", f"/complaints/{complaint_id}/confirm-ban", confirm)
    assert confirmed["ban"]["status"] == "confirmed"
    assert status_of(officer, pid) == "banned"
    assert employer.ok("GET", f"/bans/check?aadhaar={aadhaar}")["banned"] is True

    # The appeal: once, decided by an appellate officer who took no earlier part
    appeal = pro.ok(
        "POST", f"/complaints/{complaint_id}/appeal", {"text": "The 50 were a washer."}, status=201
    )
    assert appeal["appeal"]["status"] == "pending"
    again = pro.call("POST", f"/complaints/{complaint_id}/appeal", {"text": "Again."})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_appealed")
    verdict = {"decision": "overturned", "remarks": "The washer's receipt is genuine."}
    not_appellate = second.call("POST", f"/complaints/{complaint_id}/appeal/decide", verdict)
    assert not_appellate.status_code == 403
    overturned = appellate.ok("POST", f"/complaints/{complaint_id}/appeal/decide", verdict)
    assert (overturned["appeal"]["status"], overturned["ban"]["status"]) == ("overturned", "overturned")
    assert status_of(officer, pid) == "verified"
    assert employer.ok("GET", f"/bans/check?aadhaar={aadhaar}") == {"banned": False}
    go_online(pro, pid, near(home, 150))
    assert pid in matched_ids(citizen, SERVICE, home)

    trail = officer.ok("GET", f"/professionals/{pid}/audit")
    assert [e["action"] for e in trail["entries"]][-6:] == [
        "complaint_upheld", "suspended", "banned", "appeal_filed", "appeal_overturned", "reinstated",
    ]  # fmt: skip
    assert trail["chain_valid"] is True
