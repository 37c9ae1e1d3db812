"""Bookings that don't strand people (issue 17): an auto-assigned booking moves on to the next
nearest professional never offered it when its professional declines or does not accept within
OFFER_TIMEOUT_S; an accepted booking never started expires (``not_started``) and frees them.

Three professionals offer the service at 100 m, 600 m and 1,200 m from the citizen."""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest

from book import logic, offers
from book.models import BookingIn
from sevamitra.data.models import BookingModel
from sevamitra.domain.events import DomainEvent
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import DomainError
from sevamitra.platform import bus
from sevamitra.platform.clock import parse_iso
from sevamitra.platform.settings import settings
from tests.integration import concurrency
from tests.integration.bookings.conftest import CITIZEN, act, booking_body, matched, professional, view
from tests.integration.conftest import Api, claims_for
from tests.integration.geo_seed import LUCKNOW, offset, seed_professional
from tests.oracle import invariants

A, B, C = "pro_a", "pro_b", "pro_c"
OFFER_TIMEOUT_S = 600  # the default (book settings)
START_GRACE_S = 7200


def claims(pid: str) -> dict:
    return claims_for(f"sub-{pid}")


PUBLISHED: list[DomainEvent] = []


@pytest.fixture(autouse=True)
def _published(monkeypatch: pytest.MonkeyPatch) -> None:
    PUBLISHED.clear()

    def put(events: list[DomainEvent]) -> list[str]:
        PUBLISHED.extend(events)
        return [e.event_id for e in events]

    monkeypatch.setattr(bus, "put_domain_events", put)


@pytest.fixture
def three(aws: object) -> None:
    seed_professional(A, *offset(*LUCKNOW, 100, 0))
    seed_professional(B, *offset(*LUCKNOW, 600, 0))
    seed_professional(C, *offset(*LUCKNOW, 1200, 0))


def nearest_booking(api: Api) -> dict:
    response = api("POST", "/bookings", claims=CITIZEN, body=booking_body(None))
    assert response.status == 201, response.body
    assert response.body["professional_id"] == A
    return dict(response.body)


def offers_of(api: Api, booking_id: str) -> list[tuple[str, str]]:
    return [(o["professional_id"], o["outcome"]) for o in view(api, booking_id).body["offers"]]


def published(booking_id: str) -> list[tuple[str, str | None]]:
    """The events published about the booking: (kind, professional id)."""
    return [(e.kind.value, e.professional_id) for e in PUBLISHED if e.booking_id == booking_id]


def no_violations() -> None:
    """The booking, index and outbox invariants (the seeded professionals have no identity items)."""
    dynamodb = boto3.resource("dynamodb", region_name=settings().aws_region)
    snap = invariants.snapshot(dynamodb, settings().table_prefix)
    assert invariants._geo_index(snap) + invariants._bookings(snap) + invariants._outbox(snap) == []


def test_a_decline_re_offers_the_booking_to_the_next_nearest_in_one_step(api: Api, three: None) -> None:
    booking = nearest_booking(api)

    declined = act(api, booking["id"], "decline", claims(A))

    assert declined.status == 200, declined.body
    assert (declined.body["status"], declined.body["professional_id"]) == ("requested", B)
    got = view(api, booking["id"]).body
    assert (got["status"], got["professional_id"], got["auto_assigned"]) == ("requested", B, True)
    assert offers_of(api, booking["id"]) == [(A, "declined"), (B, "pending")]
    assert professional(A).active_booking_id is None
    assert professional(B).active_booking_id == booking["id"]
    assert matched(api) == [A, C]  # the decliner is findable again, the new holder is not
    assert ("booking_requested", B) in published(booking["id"])
    assert act(api, booking["id"], "accept", claims(A)).status == 403  # no longer theirs
    accepted = act(api, booking["id"], "accept", claims(B))
    assert accepted.status == 200
    assert offers_of(api, booking["id"]) == [(A, "declined"), (B, "accepted")]
    no_violations()


def test_a_booking_is_never_offered_twice_to_one_professional(api: Api, three: None) -> None:
    booking = nearest_booking(api)
    assert act(api, booking["id"], "decline", claims(A)).body["professional_id"] == B
    assert act(api, booking["id"], "decline", claims(B)).body["professional_id"] == C

    last = act(api, booking["id"], "decline", claims(C))  # A and B are free, but were offered

    assert (last.body["status"], last.body["cancelled_by"]) == ("cancelled", "professional")
    assert offers_of(api, booking["id"]) == [(A, "declined"), (B, "declined"), (C, "declined")]
    assert sorted(matched(api)) == [A, B, C]
    no_violations()


def test_a_chosen_professional_s_decline_ends_the_booking(api: Api, three: None) -> None:
    response = api("POST", "/bookings", claims=CITIZEN, body=booking_body(B))
    declined = act(api, response.body["id"], "decline", claims(B))
    assert (declined.body["status"], declined.body["cancelled_by"]) == ("cancelled", "professional")
    assert offers_of(api, response.body["id"]) == [(B, "declined")]
    assert view(api, response.body["id"]).body["auto_assigned"] is False
    assert professional(A).active_booking_id is None


def test_an_offer_not_accepted_in_time_moves_on(api: Api, three: None) -> None:
    booking = nearest_booking(api)
    created = parse_iso(view(api, booking["id"]).body["created_at"])

    early = offers.run_due(created + timedelta(seconds=OFFER_TIMEOUT_S - 1))
    assert early.reoffered == 0
    timers = offers.run_due(created + timedelta(seconds=OFFER_TIMEOUT_S))

    assert timers.reoffered == 1
    assert offers_of(api, booking["id"]) == [(A, "timed_out"), (B, "pending")]
    assert professional(A).active_booking_id is None
    assert offers.run_due(created + timedelta(seconds=OFFER_TIMEOUT_S)).reoffered == 0  # B's offer is new
    second = offers.run_due(created + timedelta(seconds=2 * OFFER_TIMEOUT_S))
    assert second.reoffered == 1
    assert offers_of(api, booking["id"]) == [(A, "timed_out"), (B, "timed_out"), (C, "pending")]
    no_violations()


def test_an_offer_with_nobody_else_to_go_to_stays_with_its_professional(api: Api, aws: object) -> None:
    seed_professional(A, *offset(*LUCKNOW, 100, 0))
    booking = nearest_booking(api)
    created = parse_iso(view(api, booking["id"]).body["created_at"])

    timers = offers.run_due(created + timedelta(seconds=OFFER_TIMEOUT_S))

    assert (timers.reoffered, timers.offers_lapsed) == (0, 1)
    assert view(api, booking["id"]).body["professional_id"] == A
    assert offers.run_due(created + timedelta(seconds=OFFER_TIMEOUT_S + 60)).offers_lapsed == 0  # once
    assert act(api, booking["id"], "accept", claims(A)).status == 200  # may still accept in time


def test_no_re_offer_once_the_half_hour_has_passed(api: Api, three: None) -> None:
    booking = nearest_booking(api)
    late = parse_iso(booking["expires_at"]) + timedelta(seconds=1)
    declined = logic.decline_booking(Caller("sub-pro_a", frozenset()), booking["id"], now=lambda: late)
    assert (declined.status, declined.cancelled_by) == ("cancelled", "professional")


def test_an_accepted_booking_never_started_expires_and_frees_the_professional(api: Api, three: None) -> None:
    booking = nearest_booking(api)
    assert act(api, booking["id"], "accept", claims(A)).status == 200
    accepted_at = parse_iso(view(api, booking["id"]).body["accepted_at"])

    assert offers.run_due(accepted_at + timedelta(seconds=START_GRACE_S - 1)).not_started == 0
    timers = offers.run_due(accepted_at + timedelta(seconds=START_GRACE_S))

    assert timers.not_started == 1
    got = view(api, booking["id"]).body
    assert (got["status"], got["reason"]) == ("expired", "not_started")
    assert professional(A).active_booking_id is None
    assert A in matched(api)
    assert ("booking_expired", A) in published(booking["id"])
    [expired] = [e for e in PUBLISHED if e.kind.value == "booking_expired"]
    assert (expired.citizen_sub, expired.facts["reason"]) == ("citizen-1", "not_started")
    complaint = api(
        "POST",
        "/complaints",
        claims=CITIZEN,
        body={"booking_id": booking["id"], "kind": "no_show", "description": "Never came."},
    )
    assert complaint.status == 201, complaint.body
    no_violations()


def test_a_started_booking_does_not_expire(api: Api, three: None) -> None:
    booking = nearest_booking(api)
    assert act(api, booking["id"], "accept", claims(A)).status == 200
    assert act(api, booking["id"], "start", claims(A), {"start_code": booking["start_code"]}).status == 200
    accepted_at = parse_iso(view(api, booking["id"]).body["accepted_at"])
    assert list(BookingModel.timers.query("due")) == []  # started: off the timers index
    assert offers.run_due(accepted_at + timedelta(seconds=START_GRACE_S)).not_started == 0
    assert view(api, booking["id"]).body["status"] == "in_progress"
    no_violations()


def test_a_no_show_complaint_needs_a_booking_that_was_accepted(api: Api, three: None) -> None:
    booking = nearest_booking(api)
    logic.expire_due(parse_iso(booking["expires_at"]))
    complaint = api(
        "POST",
        "/complaints",
        claims=CITIZEN,
        body={"booking_id": booking["id"], "kind": "no_show", "description": "Nobody answered."},
    )
    assert (complaint.status, complaint.error_code) == (409, "complaint_not_allowed")


@pytest.mark.parametrize("round_", range(3))
def test_a_late_accept_racing_the_re_offer_exactly_one_wins(
    api: Api, three: None, monkeypatch: pytest.MonkeyPatch, round_: int
) -> None:
    booking = nearest_booking(api)
    due = parse_iso(view(api, booking["id"]).body["created_at"]) + timedelta(seconds=OFFER_TIMEOUT_S)
    concurrency.atomic_transactions(monkeypatch, parties=2)

    accept, sweep = concurrency.race(
        [
            lambda: logic.accept_booking(Caller("sub-pro_a", frozenset()), booking["id"], now=lambda: due),
            lambda: offers.run_due(due),
        ]
    )

    got = view(api, booking["id"]).body
    if isinstance(accept, DomainError):  # the re-offer won
        assert accept.status in (403, 409)
        assert isinstance(sweep, offers.Timers)
        assert sweep.reoffered == 1
        assert (got["status"], got["professional_id"]) == ("requested", B)
        assert offers_of(api, booking["id"]) == [(A, "timed_out"), (B, "pending")]
        assert professional(A).active_booking_id is None
        assert professional(B).active_booking_id == booking["id"]
    else:  # the accept won
        assert isinstance(sweep, offers.Timers)
        assert sweep.reoffered == 0
        assert (got["status"], got["professional_id"]) == ("accepted", A)
        assert offers_of(api, booking["id"]) == [(A, "accepted")]
        assert professional(A).active_booking_id == booking["id"]
        assert professional(B).active_booking_id is None
    no_violations()


def test_a_decline_racing_the_timeout_re_offers_once(
    api: Api, three: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    booking = nearest_booking(api)
    due = parse_iso(view(api, booking["id"]).body["created_at"]) + timedelta(seconds=OFFER_TIMEOUT_S)
    concurrency.atomic_transactions(monkeypatch, parties=2)

    declined, sweep = concurrency.race(
        [
            lambda: logic.decline_booking(Caller("sub-pro_a", frozenset()), booking["id"], now=lambda: due),
            lambda: offers.run_due(due),
        ]
    )

    got = view(api, booking["id"]).body
    assert (got["status"], got["professional_id"]) == ("requested", B), (declined, sweep)
    assert [pid for pid, _ in offers_of(api, booking["id"])] == [A, B]
    assert professional(B).active_booking_id == booking["id"]
    assert professional(C).active_booking_id is None
    no_violations()


def test_the_request_body_cannot_set_offers(api: Api, three: None) -> None:
    with pytest.raises(ValueError, match="offers"):
        BookingIn.model_validate(booking_body(None, offers=[]))
