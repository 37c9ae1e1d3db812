"""The whole story over HTTP, as the apps and the police system live it.

A citizen signs up and registers as a professional, uploads an ID proof and submits; the police
answer clear through a signed callback; the professional goes online and is found within 3 km.
Another citizen books, gives the start code; the professional accepts, starts, and completes, but
collects more than the fixed fee. The citizen rates the work and complains; completion has already
opened the overcharge complaint, and the API names it. The professional responds; an officer
upholds the complaint (suspended at once), a second officer confirms the ban, and the
professional is banned for good: gone from matching, on the ban
registry employers check, and refused when registering again with the same Aadhaar.

Runs against the local stack the e2e conftest starts, or a deployed stack (``SEVA_OUTPUTS``).
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Stack
from tests.e2e.story import (
    book,
    go_online,
    matched,
    matched_ids,
    near,
    new_identity,
    registration,
    somewhere_in_lucknow,
    status_of,
    step,
    verified_professional,
)
from tests.stories import CLEARED_HISTORY

pytestmark = pytest.mark.e2e

SERVICE = "plumber_tap_leak_repair"


def test_from_registration_to_a_permanent_ban_for_overcharging(stack: Stack) -> None:
    pro, citizen = stack.signed_up(), stack.signed_up()
    officer, employer = stack.as_demo("officer"), stack.as_demo("employer")
    aadhaar, _ = new_identity()
    home = somewhere_in_lucknow()
    workshop = near(home, 150)

    # Registered, documents, submitted, cleared by the police: verified, with the history to show it
    pid = verified_professional(stack, pro, officer, aadhaar, workshop, SERVICE)
    profile = pro.ok("GET", f"/professionals/{pid}")
    assert [(e["stage"], e.get("outcome")) for e in profile["verification"]["history"]] == CLEARED_HISTORY
    assert "case_refs" not in profile["verification"]  # officers only
    assert employer.ok("GET", f"/bans/check?aadhaar={aadhaar}") == {"banned": False}

    # Online: found within 3 km, at the rate card's fee
    go_online(pro, pid, workshop)
    found = [r for r in matched(citizen, SERVICE, home) if r["professional_id"] == pid]
    assert found, "the verified online professional is not in /match"
    assert 0 < found[0]["distance_m"] < 3000

    # Booked: the fee is the rate card's, the professional is no longer offered to others
    booking = book(citizen, SERVICE, home, pid)
    assert booking["fee_paise"] == found[0]["fee_paise"]
    code, bid = booking["start_code"], booking["id"]
    assert pid not in matched_ids(citizen, SERVICE, home)
    seen_by_pro = pro.call("GET", f"/bookings/{bid}")
    assert seen_by_pro.status_code == 200
    assert code not in seen_by_pro.text  # only the citizen has the code

    # Accepted, started with the citizen's code (a wrong one is refused), completed above the fee
    assert step(pro, bid, "accept")["status"] == "accepted"
    wrong = pro.call(
        "POST", f"/bookings/{bid}/start", {"start_code": "000000" if code != "000000" else "111111"}
    )
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (422, "wrong_start_code")
    assert step(pro, bid, "start", {"start_code": code})["status"] == "in_progress"
    overcharged = booking["fee_paise"] + 10_000
    completed = step(pro, bid, "complete", {"amount_collected_paise": overcharged})
    assert completed["status"] == "completed"
    [automatic] = completed["complaint_ids"]  # collecting above the fee opened a complaint

    # Rated; free again, so back in /match with the rating
    citizen.ok("POST", f"/bookings/{bid}/rating", {"stars": 1, "comment": "Asked for more"}, status=201)
    again = [r for r in matched(citizen, SERVICE, home) if r["professional_id"] == pid]
    assert again, "the professional is not back in /match after completing"
    assert again[0]["rating"] == 1.0

    # The citizen's own complaint meets the automatic one, and is told which it is
    duplicate = citizen.call(
        "POST",
        "/complaints",
        {
            "booking_id": bid,
            "kind": "overcharge",
            "amount_paid_paise": overcharged,
            "description": "Asked for 100 rupees more than the fixed fee.",
        },
    )
    assert duplicate.status_code == 409, duplicate.text
    assert duplicate.json()["error"]["code"] == "complaint_exists"
    assert duplicate.json()["error"]["details"] == [{"complaint_id": automatic}]
    assert citizen.ok("GET", f"/bookings/{bid}")["complaint_ids"] == [automatic]

    # The professional responds; the officer sees both sides and upholds
    pro.ok("POST", f"/complaints/{automatic}/response", {"text": "The tap needed a new washer."}, status=201)
    seen = officer.ok("GET", f"/complaints/{automatic}")
    assert (seen["status"], seen["response"]["text"]) == ("open", "The tap needed a new washer.")
    decided = officer.ok(
        "POST",
        f"/complaints/{automatic}/resolve",
        {"decision": "upheld", "remarks": "Receipt shows 100 extra."},
    )
    assert decided["status"] == "upheld"
    # Suspended at once; the lifetime ban needs a second officer (four eyes)
    assert status_of(officer, pid) == "suspended"
    assert pid not in matched_ids(citizen, SERVICE, home)
    confirm = {"remarks": "Receipt checked again."}
    same = officer.call("POST", f"/complaints/{automatic}/confirm-ban", confirm)
    assert (same.status_code, same.json()["error"]["code"]) == (403, "four_eyes_required")
    confirmed = stack.as_demo("second_officer").ok("POST", f"/complaints/{automatic}/confirm-ban", confirm)

    # Banned for good: gone from matching, on the registry, refused re-registration, decided once
    assert status_of(officer, pid) == "banned"
    assert pid not in matched_ids(citizen, SERVICE, home)
    assert employer.ok("GET", f"/bans/check?aadhaar={aadhaar}") == {
        "banned": True,
        "name": "Suresh Yadav",
        "banned_at": confirmed["ban"]["confirmed_at"],
        "reason": "overcharge",
        "professional_id": pid,
    }
    _, other_mobile = new_identity()
    refused = stack.signed_up().call(
        "POST", "/professionals", registration(aadhaar, other_mobile, home, SERVICE)
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "banned")
    trail = officer.ok("GET", f"/professionals/{pid}/audit")
    assert [e["action"] for e in trail["entries"]] == ["verified", "complaint_upheld", "suspended", "banned"]
    assert trail["chain_valid"] is True
    twice = officer.call(
        "POST", f"/complaints/{automatic}/resolve", {"decision": "dismissed", "remarks": "x"}
    )
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "already_decided")


def test_a_verified_professional_has_an_audit_trail_only_officers_read(stack: Stack) -> None:
    pro, officer, employer = stack.signed_up(), stack.as_demo("officer"), stack.as_demo("employer")
    aadhaar, _ = new_identity()

    pid = verified_professional(stack, pro, officer, aadhaar, somewhere_in_lucknow(), SERVICE)

    trail = officer.ok("GET", f"/professionals/{pid}/audit")
    assert [(e["action"], e["actor"]) for e in trail["entries"]] == [("verified", "police")]
    assert trail["chain_valid"] is True
    assert pro.call("GET", f"/professionals/{pid}/audit").status_code == 403
    assert employer.ok("GET", f"/bans/check?aadhaar={aadhaar}") == {"banned": False}
    assert stack.account(pro.token).call("GET", f"/bans/check?aadhaar={aadhaar}").status_code == 403
    assert officer.call("GET", "/complaints/cmp_unknown").status_code == 404
