"""The scheduled expiry: a booking still ``requested`` at ``expires_at`` becomes ``expired`` and
frees its professional; found through the sparse awaiting_accept index; safe to repeat."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest

from book import logic
from local.lambdas import run_entry
from local.scheduler import scheduled_event
from sevamitra.data import bookings as repo
from sevamitra.data.models import BookingModel
from sevamitra.edge.routes import BOOKING_EXPIRY, SCHEDULED_JOBS
from sevamitra.platform.clock import parse_iso
from tests.integration.bookings.conftest import (
    CITIZEN,
    PRO,
    accepted,
    act,
    booked,
    matched,
    professional,
    view,
)
from tests.integration.conftest import Api, claims_for
from tests.integration.geo_seed import LUCKNOW, offset, seed_professional


def _after_expiry(created: dict) -> object:
    return parse_iso(created["expires_at"]) + timedelta(seconds=1)


def test_a_requested_booking_past_its_time_expires_and_frees_the_professional(api: Api, pro: str) -> None:
    created = booked(api)
    assert matched(api) == []

    sweep = logic.expire_due(_after_expiry(created))

    assert (sweep.expired, sweep.skipped) == (1, 0)
    got = view(api, created["id"]).body
    assert got["status"] == "expired"
    assert got["expired_at"]
    assert professional().active_booking_id is None
    assert matched(api) == ["pro_1"]
    assert list(BookingModel.awaiting_accept.query("requested")) == []


def test_a_booking_not_yet_due_is_left_alone(api: Api, pro: str) -> None:
    created = booked(api)
    sweep = logic.expire_due(parse_iso(created["expires_at"]) - timedelta(seconds=1))
    assert sweep.expired == 0
    assert view(api, created["id"]).body["status"] == "requested"
    assert matched(api) == []


def test_a_booking_due_exactly_now_expires(api: Api, pro: str) -> None:
    created = booked(api)
    assert logic.expire_due(parse_iso(created["expires_at"])).expired == 1


def test_an_accepted_booking_never_expires(api: Api, pro: str) -> None:
    created = accepted(api)
    assert logic.expire_due(_after_expiry(created)).expired == 0
    assert view(api, created["id"]).body["status"] == "accepted"


def test_a_second_sweep_changes_nothing(api: Api, pro: str) -> None:
    created = booked(api)
    logic.expire_due(_after_expiry(created))
    assert logic.expire_due(_after_expiry(created)).expired == 0
    assert view(api, created["id"]).body["status"] == "expired"


def test_a_booking_accepted_after_the_index_was_read_is_skipped_not_failed(api: Api, pro: str) -> None:
    created = accepted(api)
    with mock.patch.object(repo, "due_for_expiry", return_value=iter([created["id"]])):
        sweep = logic.expire_due(_after_expiry(created))
    assert (sweep.expired, sweep.skipped) == (0, 1)
    assert view(api, created["id"]).body["status"] == "accepted"
    assert professional().active_booking_id == created["id"]


def test_a_booking_accepted_while_its_expiry_is_being_written_stays_accepted(api: Api, pro: str) -> None:
    """The sweep read the booking as requested; the professional accepts before its transaction:
    the transaction's condition fails, the re-read sees accepted, and the booking is skipped."""
    created = booked(api)
    real_get = repo.get_booking
    reads = {"n": 0}

    def get_then_accept(booking_id: str) -> object:
        booking = real_get(booking_id)
        reads["n"] += 1
        if reads["n"] == 1:
            assert act(api, created["id"], "accept", PRO).status == 200
        return booking

    moment = parse_iso(created["expires_at"]) - timedelta(seconds=5)
    with mock.patch.object(repo, "get_booking", side_effect=get_then_accept):
        # Due by the sweep's clock, but not by the accept's (the real clock): both "happen".
        sweep = logic.expire_due(moment + timedelta(seconds=10))
    assert (sweep.expired, sweep.skipped) == (0, 1)
    assert view(api, created["id"]).body["status"] == "accepted"


def test_accepting_after_expires_at_but_before_the_sweep_is_409(api: Api, pro: str) -> None:
    from sevamitra.edge.auth import Caller
    from sevamitra.edge.errors import Conflict

    created = booked(api)
    with pytest.raises(Conflict) as refused:
        logic.accept_booking(
            Caller("sub-pro_1", frozenset()), created["id"], now=lambda: _after_expiry(created)
        )
    assert refused.value.code == "invalid_transition"
    assert view(api, created["id"]).body["status"] == "requested"


def test_expiry_of_many_bookings_frees_each_professional(api: Api, aws: object) -> None:
    ids = []
    for n in range(12):
        seed_professional(f"pro_{n + 10}", *offset(*LUCKNOW, 100 + 10 * n, 0))
        response = api(
            "POST",
            "/bookings",
            claims=claims_for(f"citizen-{n}"),
            body={
                "service_id": "electrician_fan_installation",
                "location": {"lat": LUCKNOW[0], "lng": LUCKNOW[1]},
            },
        )
        ids.append(response.body)
    assert matched(api) == []
    sweep = logic.expire_due(_after_expiry(ids[-1]))
    assert sweep.expired == 12
    assert len(matched(api)) == 12


def test_the_scheduled_entry_runs_the_sweep_on_a_scheduled_event(api: Api, pro: str) -> None:
    created = booked(api)
    assert BOOKING_EXPIRY in SCHEDULED_JOBS
    assert BOOKING_EXPIRY.every_minutes == 1
    event = scheduled_event(BOOKING_EXPIRY, "ap-south-1", "sevamitra-test-", _after_expiry(created))
    with mock.patch("book.expiry.utc_now", return_value=_after_expiry(created)):
        result = run_entry(BOOKING_EXPIRY.entry, event)
    assert result == {
        "expired": 1,
        "skipped": 0,
        "reoffered": 0,
        "offers_lapsed": 0,
        "not_started": 0,
        "reminded": 0,
        "held": 0,
        "timers_skipped": 0,
    }
    assert view(api, created["id"], CITIZEN).body["status"] == "expired"
    assert matched(api) == ["pro_1"]


@pytest.mark.parametrize("timeout_s", [1])
def test_a_short_accept_timeout_sets_expires_at(api: Api, pro: str, timeout_s: int) -> None:
    from book.models import BookingIn
    from sevamitra.edge.auth import Caller
    from tests.integration.bookings.conftest import booking_body

    created = logic.create_booking(
        Caller("citizen-1", frozenset()), BookingIn.model_validate(booking_body()), accept_timeout_s=timeout_s
    )
    booking = created.booking
    assert (parse_iso(booking.expires_at) - parse_iso(booking.created_at)).total_seconds() == timeout_s
    assert logic.expire_due(parse_iso(booking.expires_at)).expired == 1
