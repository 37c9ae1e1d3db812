"""Bookings that don't strand people, over HTTP on a local stack of its own with short clocks
(``OFFER_TIMEOUT_S``, ``START_GRACE_S``, the scheduler every second): a booking made without a
chosen professional declined by the route and by SMS moves on to the next nearest; an offer not
accepted in time moves on by itself (a late accept from the old holder is refused); an accepted
booking never started expires ``not_started``, the citizen is told, and may file a no-show."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from local.client import WAIT_S, journey, poll_until
from local.client.http import Account
from local.client.launch import LocalStackProcess
from local.client.sms import reference_in
from tests.e2e.conftest import START_TIMEOUT_S, STOP_TIMEOUT_S, Stack
from tests.e2e.story import go_online, near, new_identity, registration, somewhere_in_lucknow

SERVICE = "plumber_tap_leak_repair"
OFFER_TIMEOUT_S = 6
START_GRACE_S = 4
# A booking scheduled 3 hours and 20 s ahead is reminded of 30 s after it is made (after the test
# has accepted it and tried the slot), whatever the machine's load.
REMINDER_LEAD_S = 3 * 3600 - 10
SCHEDULED_AHEAD = timedelta(hours=3, seconds=20)
CLOCKS = {
    "OFFER_TIMEOUT_S": str(OFFER_TIMEOUT_S),
    "START_GRACE_S": str(START_GRACE_S),
    "REMINDER_LEAD_S": str(REMINDER_LEAD_S),
    "SCHEDULE_INTERVAL_S": "1",
}


@pytest.fixture(scope="module")
def short_clocks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    process = LocalStackProcess(
        Path(tmp_path_factory.mktemp("reoffer-stack")),
        env=CLOCKS,
        start_timeout_s=START_TIMEOUT_S,
        stop_timeout_s=STOP_TIMEOUT_S,
    )
    try:
        yield Stack(process.start())
    finally:
        assert process.stop() == 0, process.log()


class Pro:
    def __init__(self, account: Account, professional_id: str, mobile: str) -> None:
        self.account, self.id, self.mobile = account, professional_id, mobile


@pytest.fixture(scope="module")
def world(short_clocks: Stack) -> dict[str, Any]:
    """Three verified professionals online 100 m, 600 m and 1,200 m north of the citizen's point."""
    police, officer = short_clocks.police(), short_clocks.as_demo("officer")
    point = somewhere_in_lucknow()
    pros = []
    for north in (100, 600, 1200):
        account = short_clocks.signed_up()
        aadhaar, mobile = new_identity()
        where = near(point, north)
        pid = str(journey.register(account, registration(aadhaar, mobile, where, SERVICE))["id"])
        request_id = journey.submit_for_verification(account, officer, pid)
        journey.cleared(police, account, pid, request_id)
        go_online(account, pid, where)
        pros.append(Pro(account, pid, mobile))
    return {"point": point, "pros": pros}


def _offers(booking: dict[str, Any]) -> list[tuple[str, str]]:
    return [(o["professional_id"], o["outcome"]) for o in booking["offers"]]


def _book_nearest(stack: Stack, world: dict[str, Any]) -> tuple[Account, dict[str, Any]]:
    citizen = stack.signed_up()
    booking = citizen.ok("POST", "/bookings", {"service_id": SERVICE, "location": world["point"]}, status=201)
    assert booking["professional_id"] == world["pros"][0].id
    return citizen, dict(booking)


def test_declines_by_route_and_by_sms_move_the_booking_on_then_it_expires_not_started(
    short_clocks: Stack, world: dict[str, Any]
) -> None:
    a, b, c = world["pros"]
    phones = short_clocks.phones()
    seen_b = len(phones.inbox(b.mobile))
    citizen, booking = _book_nearest(short_clocks, world)
    bid = booking["id"]

    moved = a.account.ok("POST", f"/bookings/{bid}/decline")
    assert (moved["status"], moved["professional_id"]) == ("requested", b.id)
    request = phones.wait_for(b.mobile, "HAAN", after=seen_b)  # booking_requested to the new one
    assert phones.send(b.mobile, f"NA {reference_in(request['body'])}")["outcomes"] == ["declined"]
    got = citizen.ok("GET", f"/bookings/{bid}")
    assert got["professional_id"] == c.id
    assert _offers(got) == [(a.id, "declined"), (b.id, "declined"), (c.id, "pending")]
    assert a.account.call("POST", f"/bookings/{bid}/accept").status_code == 403

    accepted = c.account.ok("POST", f"/bookings/{bid}/accept")
    assert accepted["status"] == "accepted"

    def expired() -> dict[str, Any] | None:
        now = citizen.ok("GET", f"/bookings/{bid}")
        return now if now["status"] == "expired" else None

    ended = poll_until("the not-started expiry", expired, timeout_s=START_GRACE_S + 20)
    assert ended["reason"] == "not_started"
    assert _offers(ended)[-1] == (c.id, "accepted")

    def told() -> list[dict[str, Any]] | None:
        inbox = citizen.ok("GET", "/me/notifications")["notifications"]
        return [n for n in inbox if n["kind"] == "booking_expired" and n.get("booking_id") == bid] or None

    assert poll_until("the citizen's booking_expired", told)
    complaint = {"booking_id": bid, "kind": "no_show", "description": "Accepted, never came."}
    assert citizen.ok("POST", "/complaints", complaint, status=201)["status"] == "open"
    # Freed: c can be booked again by name.
    again = {"service_id": SERVICE, "location": world["point"], "professional_id": c.id}
    someone = short_clocks.signed_up()
    other = someone.ok("POST", "/bookings", again, status=201)
    declined = c.account.ok("POST", f"/bookings/{other['id']}/decline")  # chosen: the decline ends it
    assert (declined["status"], declined["cancelled_by"]) == ("cancelled", "professional")


def test_an_offer_not_accepted_in_time_moves_on_and_the_late_accept_is_refused(
    short_clocks: Stack, world: dict[str, Any]
) -> None:
    a, b, _ = world["pros"]
    citizen, booking = _book_nearest(short_clocks, world)
    bid = booking["id"]

    def moved() -> dict[str, Any] | None:
        now = citizen.ok("GET", f"/bookings/{bid}")
        return now if now["professional_id"] != a.id else None

    got = poll_until("the offer's timeout", moved, timeout_s=OFFER_TIMEOUT_S + 20)
    assert (got["status"], got["professional_id"]) == ("requested", b.id)
    assert _offers(got) == [(a.id, "timed_out"), (b.id, "pending")]
    late = a.account.call("POST", f"/bookings/{bid}/accept")
    assert late.status_code == 403
    assert b.account.ok("POST", f"/bookings/{bid}/accept")["status"] == "accepted"
    b.account.ok("POST", f"/bookings/{bid}/start", {"start_code": booking["start_code"]})
    b.account.ok("POST", f"/bookings/{bid}/complete", {"amount_collected_paise": booking["fee_paise"]})


def test_a_scheduled_booking_keeps_the_professional_bookable_and_reminds_both_sides(
    short_clocks: Stack, world: dict[str, Any]
) -> None:
    _, _, c = world["pros"]
    phones = short_clocks.phones()
    citizen = short_clocks.signed_up()
    body = {"service_id": SERVICE, "location": world["point"], "professional_id": c.id}
    soon = datetime.now(UTC) + timedelta(minutes=30)
    refused = citizen.call("POST", "/bookings", {**body, "scheduled_for": soon.isoformat()})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "scheduled_for_out_of_range")

    seen = len(phones.inbox(c.mobile))
    when = (datetime.now(UTC) + SCHEDULED_AHEAD).replace(microsecond=0)
    booked = citizen.ok("POST", "/bookings", {**body, "scheduled_for": when.isoformat()}, status=201)
    assert c.account.ok("POST", f"/bookings/{booked['id']}/accept")["status"] == "accepted"
    # Bookable by others for work that ends before the slot: now, by name.
    other = short_clocks.signed_up().ok("POST", "/bookings", body, status=201)
    assert other["professional_id"] == c.id
    c.account.ok("POST", f"/bookings/{other['id']}/decline")
    # An overlapping second scheduled booking is refused.
    clash = short_clocks.signed_up().call("POST", "/bookings", {**body, "scheduled_for": when.isoformat()})
    assert (clash.status_code, clash.json()["error"]["code"]) == (409, "professional_unavailable")

    def reminded_by_sms() -> list[str] | None:  # in the professional's language (Hindi by default)
        bodies = [m["body"] for m in phones.inbox(c.mobile)[seen:]]
        return [b for b in bodies if "याद" in b or "reminder" in b] or None

    # The wait counts from when the reminder falls due (the stack's clock), not from now: the
    # steps above take longer on a loaded machine, and that must not eat the reminder's time.
    due_in = (when - timedelta(seconds=REMINDER_LEAD_S) - datetime.now(UTC)).total_seconds()
    assert poll_until("the professional's reminder SMS", reminded_by_sms, timeout_s=max(due_in, 0) + WAIT_S)

    def told() -> list[dict[str, Any]] | None:
        inbox = citizen.ok("GET", "/me/notifications")["notifications"]
        return [
            n for n in inbox if n["kind"] == "booking_reminder" and n.get("booking_id") == booked["id"]
        ] or None

    assert poll_until("the citizen's reminder", told)
    citizen.ok("POST", f"/bookings/{booked['id']}/cancel")
