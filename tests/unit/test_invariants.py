"""The invariant checker finds what it is there to find: the fault and load tests rely on it
reporting nothing for a consistent store, which a checker that looked at nothing would also do."""

from __future__ import annotations

import json
from typing import Any

from tests.oracle.invariants import Snapshot, violations


def snapshot(
    professionals: list[dict[str, Any]],
    bookings: list[dict[str, Any]],
    complaints: tuple[dict[str, Any], ...] = (),
    locks: dict[str, dict[str, Any]] | None = None,
) -> Snapshot:
    identities = {
        f"{kind}#{kind[0]}-{pro['id']}": {"professional_id": pro["id"]}
        for pro in professionals
        for kind in ("aadhaar", "mobile")
    }
    return Snapshot(
        professionals={pro["id"]: pro for pro in professionals},
        identities=identities,
        geo={},
        bookings={b["id"]: b for b in bookings},
        complaints={c["id"]: c for c in complaints},
        locks=locks or {},
        verifications={},
        audit={},
    )


def professional(pid: str, active_booking_id: str | None = None) -> dict[str, Any]:
    """Verified, offline (so no index entries), with its identities claimed."""
    return {
        "id": pid,
        "status": "verified",
        "aadhaar_hash": f"a-{pid}",
        "mobile_hash": f"m-{pid}",
        "active_booking_id": active_booking_id,
    }


def booking(bid: str, status: str, pid: str = "pro_1", complaint_ids: tuple[str, ...] = ()) -> dict[str, Any]:
    item = {"id": bid, "status": status, "professional_id": pid, "complaint_ids": list(complaint_ids)}
    return {**item, "awaiting": "1"} if status == "requested" else item


def complaint(cid: str, status: str, booking_id: str = "b1") -> dict[str, Any]:
    item: dict[str, Any] = {"id": cid, "status": status, "kind": "behaviour", "booking_id": booking_id}
    if status == "open":
        item["open_flag"] = "open"
    if status in ("upheld", "dismissed"):
        item["decision"] = {"outcome": status}
    return item


LOCK = "lock#b1#behaviour"


def test_a_consistent_booking_and_complaint_have_no_violations() -> None:
    snap = snapshot(
        [professional("pro_1", active_booking_id="b1")],
        [booking("b1", "accepted", complaint_ids=("c1",))],
        (complaint("c1", "open"),),
        {LOCK: {"complaint_id": "c1"}},
    )
    assert violations(snap) == []


def test_two_active_bookings_and_a_stale_pointer_are_reported() -> None:
    snap = snapshot(
        [professional("pro_1", active_booking_id="b1"), professional("pro_2", active_booking_id="b9")],
        [booking("b1", "accepted"), booking("b2", "requested"), booking("b9", "completed", "pro_2")],
    )
    assert violations(snap) == [
        "professional pro_1: 2 active bookings at once ['b1', 'b2']",
        "professional pro_2: points at active booking b9, which is completed",
    ]


def test_a_lock_held_by_a_decided_complaint_is_reported() -> None:
    snap = snapshot(
        [professional("pro_1")],
        [booking("b1", "completed", complaint_ids=("c1",))],
        (complaint("c1", "dismissed"),),
        {LOCK: {"complaint_id": "c1"}},
    )
    assert violations(snap) == [f"lock {LOCK}: points at undecided complaint c1, which is dismissed"]


def _requested(bid: str, pid: str, sub: str) -> dict[str, Any]:
    return {**booking(bid, "requested", pid), "citizen_sub": sub, "counted": True}


def test_open_request_counters_that_match_the_bookings_have_no_violations() -> None:
    snap = snapshot(
        [professional("pro_1", active_booking_id="b1"), professional("pro_2", active_booking_id="b2")],
        [
            _requested("b1", "pro_1", "citizen-1"),
            _requested("b2", "pro_2", "citizen-1"),
            booking("b3", "expired"),
        ],
    )
    snap.open_requests = {"citizen-1": {"account_sub": "citizen-1", "requested": 2}}
    assert violations(snap) == []


def test_an_open_request_counter_that_drifted_from_the_bookings_is_reported() -> None:
    snap = snapshot(
        [professional("pro_1", active_booking_id="b1")],
        [_requested("b1", "pro_1", "citizen-1"), {**booking("b2", "cancelled", "pro_2"), "counted": True}],
    )
    snap.open_requests = {
        "citizen-1": {"account_sub": "citizen-1", "requested": 2},
        "citizen-2": {"account_sub": "citizen-2", "requested": 1},
    }
    assert violations(snap) == [
        "account citizen-1: open requests counted 2, but 1 requested",
        "account citizen-2: open requests counted 1, but 0 requested",
    ]


def test_a_requested_booking_missing_from_its_counter_is_reported() -> None:
    snap = snapshot([professional("pro_1", active_booking_id="b1")], [_requested("b1", "pro_1", "citizen-1")])
    assert violations(snap) == ["account citizen-1: open requests counted 0, but 1 requested"]


def _with_outbox(snap: Snapshot, *events: dict[str, Any]) -> Snapshot:
    snap.outbox = {e["event_id"]: {"event_id": e["event_id"], "detail": json.dumps(e)} for e in events}
    return snap


def test_an_outbox_event_must_announce_a_change_the_tables_hold():
    snap = snapshot([professional("pro_1", "b1")], [booking("b1", "requested")])
    accepted = {"event_id": "booking_accepted:b1", "kind": "booking_accepted", "booking_id": "b1"}
    requested = {"event_id": "booking_requested:b1:pro_1", "kind": "booking_requested", "booking_id": "b1"}
    assert violations(_with_outbox(snap, requested)) == []
    assert violations(_with_outbox(snap, accepted)) == [
        "outbox booking_accepted:b1: its booking is requested"
    ]
    ghost = {"event_id": "booking_requested:b9:pro_1", "kind": "booking_requested", "booking_id": "b9"}
    assert violations(_with_outbox(snap, ghost)) == ["outbox booking_requested:b9:pro_1: its booking is None"]
    banned = {"event_id": "banned:pro_1", "kind": "banned", "professional_id": "pro_1"}
    assert violations(_with_outbox(snap, banned)) == ["outbox banned:pro_1: its professional is not banned"]


def test_an_event_announcing_an_earlier_status_is_fine_once_the_booking_moved_on():
    snap = snapshot([professional("pro_1")], [booking("b1", "completed")])
    accepted = {"event_id": "booking_accepted:b1", "kind": "booking_accepted", "booking_id": "b1"}
    assert violations(_with_outbox(snap, accepted)) == []
