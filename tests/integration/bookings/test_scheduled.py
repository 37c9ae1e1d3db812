"""Scheduled bookings (issue 17): ``scheduled_for`` 1 hour to 7 days ahead; the professional
holds the slot (margins included) and stays bookable by others for work that ends before it;
two overlapping slots are never both held; a reminder goes to both sides REMINDER_LEAD_S
before; when the slot comes near the booking claims its professional; an accepted scheduled
booking not started within START_GRACE_S of its time expires ``not_started``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from book import logic, offers
from book.models import BookingIn
from sevamitra.domain.events import DomainEvent
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import DomainError
from sevamitra.platform import bus
from sevamitra.platform.clock import iso, parse_iso
from sevamitra.platform.settings import settings
from tests.integration import concurrency
from tests.integration.bookings.conftest import (
    CITIZEN,
    OTHER_CITIZEN,
    PRO,
    act,
    book,
    booking_body,
    matched,
    professional,
    view,
)
from tests.integration.conftest import Api
from tests.oracle import invariants

PUBLISHED: list[DomainEvent] = []
DURATION = 45  # electrician_fan_installation


@pytest.fixture(autouse=True)
def _published(monkeypatch: pytest.MonkeyPatch) -> None:
    PUBLISHED.clear()

    def put(events: list[DomainEvent]) -> list[str]:
        PUBLISHED.extend(events)
        return [e.event_id for e in events]

    monkeypatch.setattr(bus, "put_domain_events", put)


def ahead(**delta: float) -> str:
    return iso(datetime.now(UTC) + timedelta(**delta))


def scheduled(api: Api, when: str, claims: dict = CITIZEN, professional_id: str | None = "pro_1") -> dict:
    response = book(api, claims, professional_id=professional_id, scheduled_for=when)
    assert response.status == 201, response.body
    return dict(response.body)


def no_violations() -> None:
    dynamodb = boto3.resource("dynamodb", region_name=settings().aws_region)
    snap = invariants.snapshot(dynamodb, settings().table_prefix)
    assert invariants._geo_index(snap) + invariants._bookings(snap) + invariants._offers(snap) == []


@pytest.mark.parametrize("when", [{"minutes": 30}, {"days": 8}, {"hours": -2}])
def test_a_time_outside_1_hour_to_7_days_ahead_is_422(api: Api, pro: str, when: dict) -> None:
    refused = book(api, scheduled_for=ahead(**when))
    assert (refused.status, refused.error_code) == (422, "scheduled_for_out_of_range")
    assert refused.body["error"]["details"][0]["loc"] == ["body", "scheduled_for"]
    assert book(api, scheduled_for="2026-12-30T10:00:00").status == 422  # no zone


def test_a_scheduled_professional_stays_bookable_until_the_slot_comes_near(api: Api, pro: str) -> None:
    when = ahead(days=1)
    created = scheduled(api, when)
    got = view(api, created["id"]).body
    assert (got["status"], got["scheduled_for"], got["expires_at"]) == ("requested", when, when)
    assert professional().active_booking_id is None
    assert matched(api) == ["pro_1"]  # bookable by others now

    # An immediate booking that would end (margins included) after the slot starts is refused...
    request = BookingIn.model_validate(booking_body())
    near = parse_iso(when) - timedelta(minutes=60)
    with pytest.raises(DomainError) as refused:
        logic.create_booking(Caller("citizen-3", frozenset()), request, now=lambda: near)
    assert refused.value.code == "professional_unavailable"
    # ...one that ends in time is not.
    now_booking = book(api, OTHER_CITIZEN)
    assert now_booking.status == 201
    assert professional().active_booking_id == now_booking.body["id"]
    no_violations()


def test_two_overlapping_slots_are_never_both_held(api: Api, pro: str) -> None:
    when = parse_iso(ahead(days=2))
    scheduled(api, iso(when))
    overlapping = book(api, OTHER_CITIZEN, scheduled_for=iso(when + timedelta(minutes=DURATION + 50)))
    assert (overlapping.status, overlapping.error_code) == (409, "professional_unavailable")
    first_id = next(iter(professional().slots.as_dict()))
    later = scheduled(api, iso(when + timedelta(minutes=DURATION + 60)), OTHER_CITIZEN)
    assert sorted(professional().slots.as_dict()) == sorted([first_id, later["id"]])
    no_violations()


def test_concurrent_overlapping_schedules_exactly_one_wins(
    api: Api, pro: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    concurrency.atomic_transactions(monkeypatch, parties=4)
    when = parse_iso(ahead(days=3))
    requests = [
        BookingIn.model_validate(booking_body(scheduled_for=iso(when + timedelta(minutes=10 * i))))
        for i in range(4)
    ]
    results = concurrency.race(
        [
            (lambda i=i: logic.create_booking(Caller(f"citizen-{i}", frozenset()), requests[i]))
            for i in range(4)
        ]
    )
    assert sum(isinstance(r, logic.Created) for r in results) == 1, results
    assert all(
        isinstance(r, logic.Created) or getattr(r, "code", None) == "professional_unavailable"
        for r in results
    )
    assert len(professional().slots.as_dict()) == 1
    no_violations()


def test_the_reminder_then_the_hold_then_start(api: Api, pro: str) -> None:
    when = parse_iso(ahead(days=1))
    created = scheduled(api, iso(when))
    assert act(api, created["id"], "accept", PRO).status == 200  # any time before it
    assert act(api, created["id"], "start", PRO, {"start_code": created["start_code"]}).status == 409

    assert offers.run_due(when - timedelta(seconds=3601)).reminded == 0
    assert offers.run_due(when - timedelta(seconds=3600)).reminded == 1
    assert offers.run_due(when - timedelta(seconds=3500)).reminded == 0  # once
    reminders = [e for e in PUBLISHED if e.kind.value == "booking_reminder"]
    assert [(e.booking_id, e.facts["scheduled_for"]) for e in reminders] == [(created["id"], iso(when))]
    assert matched(api) == ["pro_1"]

    assert offers.run_due(when - timedelta(minutes=30)).held == 1
    assert professional().active_booking_id == created["id"]
    assert matched(api) == []
    started = act(api, created["id"], "start", PRO, {"start_code": created["start_code"]})
    assert started.status == 200
    done = act(api, created["id"], "complete", PRO, {"amount_collected_paise": created["fee_paise"]})
    assert done.status == 200
    assert professional().active_booking_id is None
    assert not professional().slots
    no_violations()


def test_an_accepted_scheduled_booking_never_started_expires_after_its_time(api: Api, pro: str) -> None:
    when = parse_iso(ahead(days=1))
    created = scheduled(api, iso(when))
    assert act(api, created["id"], "accept", PRO).status == 200
    offers.run_due(when - timedelta(minutes=30))
    assert offers.run_due(when + timedelta(seconds=7199)).not_started == 0
    assert offers.run_due(when + timedelta(seconds=7200)).not_started == 1
    got = view(api, created["id"]).body
    assert (got["status"], got["reason"]) == ("expired", "not_started")
    assert professional().active_booking_id is None
    assert not professional().slots
    assert matched(api) == ["pro_1"]
    no_violations()


def test_cancelling_a_scheduled_booking_frees_its_slot(api: Api, pro: str) -> None:
    created = scheduled(api, ahead(days=1))
    assert act(api, created["id"], "cancel", CITIZEN).status == 200
    assert not professional().slots
    assert matched(api) == ["pro_1"]
    no_violations()


def test_a_requested_scheduled_booking_expires_at_its_time_and_frees_the_slot(api: Api, pro: str) -> None:
    when = parse_iso(ahead(hours=2))
    created = scheduled(api, iso(when))
    assert logic.expire_due(when).expired == 1
    assert view(api, created["id"]).body["status"] == "expired"
    assert not professional().slots
    no_violations()
