"""Everyone sees their own work, over HTTP on the local stack, in English and in Hindi.

A professional finds the request waiting for him in his list (no id passed by hand); once he
accepts, he and the citizen have each other's contact (and he the address), until the job ends.
An officer finds a new agency in the pending list and approves it from there; a citizen follows
the QR code's link to a professional's public card. Forged cursors and a second rating are
refused with messages in the caller's language.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from local.client.http import Account
from tests.e2e.conftest import Stack
from tests.e2e.story import (
    book,
    complain,
    go_online,
    near,
    new_identity,
    registration,
    somewhere_in_lucknow,
    step,
    verified_professional,
)

pytestmark = pytest.mark.e2e

SERVICE = "plumber_tap_leak_repair"
ADDRESS = "मकान 14, गली 2, शिव मंदिर के पास, अलीगंज"
HINDI = {"Accept-Language": "hi"}


def every_page(account: Account, path: str, limit: int = 20) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    separator = "&" if "?" in path else "?"
    for _ in range(200):
        query = f"{path}{separator}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = account.ok("GET", query)
        items += next(value for key, value in body.items() if key != "next_cursor")
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError(f"{path}: the pages never ended")


def test_a_professional_finds_his_waiting_request_and_both_sides_reach_each_other(stack: Stack) -> None:
    pro, citizen, officer = stack.signed_up(), stack.signed_up(), stack.as_demo("officer")
    aadhaar, _ = new_identity()
    home = somewhere_in_lucknow()
    pid = verified_professional(stack, pro, officer, aadhaar, near(home, 150), SERVICE)
    go_online(pro, pid, near(home, 150))
    booking = citizen.ok(
        "POST",
        "/bookings",
        {"service_id": SERVICE, "location": home, "professional_id": pid, "address": ADDRESS},
        status=201,
    )

    # His list shows the request waiting for him; hers shows what she booked.
    waiting = pro.ok("GET", "/bookings?role=professional&status=requested")["bookings"]
    assert [(b["id"], b["status"]) for b in waiting] == [(booking["id"], "requested")]
    assert [b["id"] for b in citizen.ok("GET", "/bookings")["bookings"]] == [booking["id"]]

    # Before he accepts: no contacts either way, no address for him.
    before = pro.ok("GET", f"/bookings/{waiting[0]['id']}")
    assert not {"citizen", "address"} & set(before)
    assert "professional" not in citizen.ok("GET", f"/bookings/{booking['id']}")

    step(pro, booking["id"], "accept")
    assert citizen.username
    seen_by_pro = pro.ok("GET", f"/bookings/{booking['id']}")
    assert seen_by_pro["citizen"] == {"mobile": citizen.username.removeprefix("+91")}
    assert seen_by_pro["address"] == ADDRESS
    seen_by_citizen = citizen.ok("GET", f"/bookings/{booking['id']}")
    profile = pro.ok("GET", f"/professionals/{pid}")
    contact = seen_by_citizen["professional"]
    assert (contact["name"], contact["mobile"][-4:]) == ("Suresh Yadav", profile["mobile_last4"])
    assert "mobile" not in profile  # his own profile keeps showing the last 4 only

    step(pro, booking["id"], "start", {"start_code": booking["start_code"]})
    step(pro, booking["id"], "complete", {"amount_collected_paise": booking["fee_paise"]})
    assert not {"citizen", "address"} & set(pro.ok("GET", f"/bookings/{booking['id']}"))
    assert "professional" not in citizen.ok("GET", f"/bookings/{booking['id']}")
    done = pro.ok("GET", "/bookings?role=professional&status=completed")["bookings"]
    assert [b["id"] for b in done] == [booking["id"]]

    # Rated once; the second time, told so in English and in Hindi.
    citizen.ok("POST", f"/bookings/{booking['id']}/rating", {"stars": 5}, status=201)
    again = citizen.call("POST", f"/bookings/{booking['id']}/rating", {"stars": 4})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_rated")
    assert again.json()["error"]["message"] == "This booking has already been rated."
    hindi = citizen.call("POST", f"/bookings/{booking['id']}/rating", {"stars": 4}, headers=HINDI)
    assert hindi.json()["error"]["message"] == "इस बुकिंग को पहले ही रेटिंग दी जा चुकी है।"

    # The QR code's link: the public card, without signing in, with nothing personal on it.
    card_url = profile["card_url"]
    assert card_url == f"{stack.api_url}/professionals/{pid}/card"
    card = requests.get(card_url, timeout=10)
    assert card.status_code == 200, card.text
    assert card.json() == {
        "id": pid,
        "name": "Suresh Yadav",
        "status": "verified",
        "services": [SERVICE],
        "district": "lucknow",
        "verified_at": card.json()["verified_at"],
        "rating": 5.0,
    }
    # Outside the random id and the time, which may hold any four digits by chance.
    personal = card.text.replace(pid, "<id>").replace(card.json()["verified_at"], "<at>")
    assert contact["mobile"] not in personal
    assert aadhaar[-4:] not in personal


def test_an_officer_approves_an_agency_found_in_the_pending_list(stack: Stack) -> None:
    owner, officer = stack.signed_up(), stack.as_demo("officer")
    name = f"Gomti Services {uuid.uuid4().hex[:6]}"
    _, mobile = new_identity()
    body = {
        "name": name,
        "udyam_number": "UDYAM-UP-12-0001234",
        "district": "Lucknow",
        "contact_mobile": mobile,
    }
    owner.ok("POST", "/agencies", body, status=201)

    pending = every_page(officer, "/agencies?status=pending_approval", limit=50)
    (found,) = [agency for agency in pending if agency["name"] == name]
    officer.ok("POST", f"/agencies/{found['id']}/approve")
    assert found["id"] not in [a["id"] for a in every_page(officer, "/agencies?status=pending_approval")]
    seen = owner.ok("GET", f"/agencies/{found['id']}")
    assert (seen["status"], seen["members"], seen["professionals"]) == ("approved", 1, 0)

    # The owner registers a worker for the agency: counted, and his bookings are the owner's work.
    aadhaar, worker_mobile = new_identity()
    home = somewhere_in_lucknow()
    worker = {**registration(aadhaar, worker_mobile, home, SERVICE, name="Ramu"), "on_behalf": True}
    owner.ok("POST", "/professionals", worker, status=201)
    assert officer.ok("GET", f"/agencies/{found['id']}")["professionals"] == 1

    # Only officers list agencies: refused in the caller's language.
    refused = owner.call("GET", "/agencies", headers=HINDI)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    assert refused.json()["error"]["message"] == "आपको यह करने की अनुमति नहीं है।"


def test_the_lists_refuse_cursors_they_did_not_issue_in_both_languages(stack: Stack) -> None:
    citizen, officer = stack.signed_up(), stack.as_demo("officer")
    for account, path in (
        (citizen, "/bookings"),
        (citizen, "/complaints"),
        (officer, "/complaints"),
        (officer, "/agencies"),
        (officer, "/verification/requests"),
    ):
        english = account.call("GET", f"{path}?cursor=bm90LW91cnM.AAAAAAAAAAAAAAAAAAAAAA")
        assert (english.status_code, english.json()["error"]["code"]) == (422, "invalid_cursor"), path
        assert english.json()["error"]["message"].startswith("This page cursor is not valid here")
        hindi = account.call("GET", f"{path}?cursor=bm90LW91cnM.AAAAAAAAAAAAAAAAAAAAAA", headers=HINDI)
        assert hindi.json()["error"]["message"] == "यह पेज कर्सर यहाँ मान्य नहीं है; पहले पेज से फिर शुरू करें।"
    # An officer's real cursor is the officer's alone.
    cursor = officer.ok("GET", "/complaints?limit=1")["next_cursor"]
    if cursor:
        borrowed = citizen.call("GET", f"/complaints?limit=1&cursor={cursor}")
        assert (borrowed.status_code, borrowed.json()["error"]["code"]) == (422, "invalid_cursor")


def test_complaints_are_listed_for_the_complainant_the_professional_and_officers(stack: Stack) -> None:
    pro, citizen, officer = stack.signed_up(), stack.signed_up(), stack.as_demo("officer")
    aadhaar, _ = new_identity()
    home = somewhere_in_lucknow()
    pid = verified_professional(stack, pro, officer, aadhaar, near(home, 100), SERVICE)
    go_online(pro, pid, near(home, 100))
    booking = book(citizen, SERVICE, home, pid)
    step(pro, booking["id"], "accept")
    complaint = complain(citizen, booking["id"])
    assert [c["id"] for c in citizen.ok("GET", "/complaints")["complaints"]] == [complaint["id"]]
    assert [c["id"] for c in pro.ok("GET", "/complaints")["complaints"]] == [complaint["id"]]
    open_now = officer.ok("GET", "/complaints?status=open&kind=misconduct&district=Lucknow&limit=100")
    assert complaint["id"] in [c["id"] for c in open_now["complaints"]]
    assert stack.signed_up().ok("GET", "/complaints") == {"complaints": [], "next_cursor": None}
