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


# --- jobs ---------------------------------------------------------------------------------------


def _job(filled: int, status: str, positions: int = 2) -> dict[str, Any]:
    # Far from any site entry: an open job is expected to have its two site entries.
    return {"id": "job_1", "status": status, "filled": filled, "positions": positions,
            "service_id": "mason_brick_wall_repair_per_sqm", "lat": 26.85, "lng": 80.95}  # fmt: skip


def _engagement(eid: str, pid: str, *, active: bool = True, holds: bool = True) -> dict[str, Any]:
    return {"id": eid, "job_id": "job_1", "offer_id": f"ofr_{eid}", "professional_id": pid,
            "status": "active" if active else "ended", "holds_professional": holds}  # fmt: skip


def _offers(*eids: str) -> dict[str, dict[str, Any]]:
    return {f"ofr_{e}": {"id": f"ofr_{e}", "status": "accepted", "engagement_id": e} for e in eids}


def _with_jobs(
    job: dict[str, Any], engagements: list[dict[str, Any]], holders: dict[str, str | None]
) -> Snapshot:
    snap = snapshot([{**professional(pid), "engagement_id": held} for pid, held in holders.items()], [])
    snap.jobs = {job["id"]: job}
    snap.engagements = {e["id"]: e for e in engagements}
    snap.offers = _offers(*snap.engagements)
    return snap


def test_a_filled_job_with_its_engagements_and_holders_has_no_violations() -> None:
    snap = _with_jobs(
        _job(2, "filled"),
        [_engagement("e1", "pro_1"), _engagement("e2", "pro_2")],
        {"pro_1": "e1", "pro_2": "e2"},
    )
    assert violations(snap) == []


def test_an_over_filled_job_is_reported() -> None:
    engagements = [_engagement(f"e{i}", f"pro_{i}", holds=False) for i in range(3)]
    snap = _with_jobs(_job(3, "filled"), engagements, {f"pro_{i}": None for i in range(3)})
    assert "job job_1: over-filled, 3 of 2 positions" in violations(snap)


def test_a_counter_that_disagrees_with_the_engagements_and_an_open_job_without_sites_are_reported() -> None:
    snap = _with_jobs(_job(1, "open"), [], {})
    found = violations(snap)
    assert "job job_1: filled=1 but 0 engagements" in found
    assert any(v.startswith("job sites: open job job_1 has no") for v in found)


def test_a_professional_held_by_two_full_time_engagements_or_an_ended_one_is_reported() -> None:
    snap = _with_jobs(
        _job(2, "filled"), [_engagement("e1", "pro_1"), _engagement("e2", "pro_1")], {"pro_1": "e1"}
    )
    assert violations(snap) == ["professional pro_1: 2 full-time engagements at once ['e1', 'e2']"]
    ended = _with_jobs(
        _job(1, "open", positions=3), [_engagement("e1", "pro_1", active=False)], {"pro_1": "e1"}
    )
    ended.job_sites = {}
    assert "professional pro_1: points at full-time engagement e1, which is ended" in violations(ended)


# --- offers (issue 17) -------------------------------------------------------------------------


def offer(pid: str, outcome: str) -> dict[str, Any]:
    return {"professional_id": pid, "outcome": outcome, "offered_at": "2026-12-01T10:00:00Z"}


def test_a_re_offered_booking_with_its_history_has_no_violations() -> None:
    reoffered = {
        **booking("b1", "requested", "pro_2"),
        "offers": [offer("pro_1", "declined"), offer("pro_2", "pending")],
    }
    snap = snapshot([professional("pro_1"), professional("pro_2", active_booking_id="b1")], [reoffered])
    assert violations(snap) == []


def test_a_booking_offered_twice_to_one_professional_is_reported() -> None:
    item = {
        **booking("b1", "requested", "pro_1"),
        "offers": [offer("pro_1", "timed_out"), offer("pro_2", "declined"), offer("pro_1", "pending")],
    }
    snap = snapshot([professional("pro_1", active_booking_id="b1"), professional("pro_2")], [item])
    assert violations(snap) == ["booking b1: offered more than once to ['pro_1']"]


def test_a_professional_with_two_live_offers_is_reported() -> None:
    first = {**booking("b1", "requested", "pro_1"), "offers": [offer("pro_1", "pending")]}
    second = {**booking("b2", "requested", "pro_1"), "offers": [offer("pro_1", "pending")]}
    snap = snapshot([professional("pro_1", active_booking_id="b1")], [first, second])
    found = violations(snap)
    assert "professional pro_1: 2 live offers at once ['b1', 'b2']" in found


def test_a_live_offer_to_someone_other_than_the_holder_is_reported() -> None:
    item = {
        **booking("b1", "requested", "pro_1"),
        "offers": [offer("pro_1", "declined"), offer("pro_2", "pending")],
    }
    snap = snapshot([professional("pro_1", active_booking_id="b1"), professional("pro_2")], [item])
    assert violations(snap) == ["booking b1: offered to pro_2 but held by pro_1"]


def test_a_finished_booking_left_on_the_timers_index_and_a_bad_not_started_are_reported() -> None:
    ended = {**booking("b1", "cancelled"), "timer": "due"}
    never_accepted = {**booking("b2", "expired"), "reason": "not_started"}
    snap = snapshot([professional("pro_1")], [ended, never_accepted])
    assert violations(snap) == [
        "booking b1: cancelled but still on the timers index",
        "booking b2: not_started but expired, accepted_at=None",
    ]


def test_an_accepted_booking_may_expire_not_started_after_it_was_acknowledged() -> None:
    from tests.oracle.invariants import Acknowledged

    expired = {**booking("b1", "expired", "pro_2"), "reason": "not_started", "accepted_at": "t",
               "offers": [offer("pro_1", "declined"), offer("pro_2", "accepted")]}  # fmt: skip
    acknowledged = Acknowledged()
    acknowledged.created("b1", "pro_1")
    acknowledged.moved("b1", "accepted")
    snap = snapshot([professional("pro_1"), professional("pro_2")], [expired])
    assert violations(snap, acknowledged) == []


def test_scheduled_bookings_hold_slots_that_never_overlap() -> None:
    later = {**booking("b2", "accepted", "pro_1"), "scheduled_for": "2026-12-02T10:00:00Z", "held": False}
    pro = {
        **professional("pro_1", active_booking_id="b1"),
        "slots": {"b2": "2026-12-02T09:30:00Z/2026-12-02T11:15:00Z"},
    }
    assert violations(snapshot([pro], [booking("b1", "accepted"), later])) == []

    third = {**booking("b3", "requested", "pro_1"), "scheduled_for": "2026-12-02T11:00:00Z", "held": False}
    pro["slots"] = {**pro["slots"], "b3": "2026-12-02T10:30:00Z/2026-12-02T12:15:00Z"}
    assert violations(snapshot([pro], [booking("b1", "accepted"), later, third])) == [
        "professional pro_1: overlapping slots"
    ]
    pro["slots"] = {}
    assert violations(snapshot([pro], [booking("b1", "accepted"), later])) == [
        "professional pro_1: slots [], scheduled bookings ['b2']"
    ]
