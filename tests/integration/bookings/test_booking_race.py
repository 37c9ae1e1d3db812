"""One active booking per professional: of concurrent requests, exactly one wins.

The logic function is called from many threads (a Powertools resolver keeps the current event on
the module-level app, so handlers are not thread-safe, like one Lambda container); moto's
transactions are made atomic as DynamoDB's are (tests/integration/concurrency.py)."""

from __future__ import annotations

import pytest

from book import logic
from book.models import BookingIn
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import DomainError
from tests.integration import concurrency
from tests.integration.bookings.conftest import booking_body, bookings, matched, professional
from tests.integration.conftest import Api
from tests.integration.geo_seed import LUCKNOW, offset, seed_professional


def _outcomes(results: list[object]) -> list[object]:
    return sorted(
        (r.code if isinstance(r, DomainError) else "booked" if isinstance(r, logic.Created) else repr(r))
        for r in results
    )


def test_fifty_concurrent_bookings_of_one_professional_exactly_one_wins(
    api: Api, pro: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    concurrency.atomic_transactions(monkeypatch, parties=50)
    request = BookingIn.model_validate(booking_body())
    attempts = [
        (lambda i=i: logic.create_booking(Caller(f"citizen-{i}", frozenset()), request)) for i in range(50)
    ]

    results = concurrency.race(attempts)

    assert _outcomes(results) == ["booked"] + ["professional_unavailable"] * 49
    [winner] = [r for r in results if isinstance(r, logic.Created)]
    assert [b.id for b in bookings()] == [winner.booking.id]
    assert professional().active_booking_id == winner.booking.id
    assert matched(api) == []


def test_concurrent_nearest_bookings_spread_over_professionals_and_never_double_book(
    api: Api, aws: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three citizens race for the nearest of two professionals: the losers of the first claim
    move on to the next nearest; one of them gets it, the last one is told nobody is free."""
    seed_professional("pro_a", *offset(*LUCKNOW, 100, 0))
    seed_professional("pro_b", *offset(*LUCKNOW, 600, 0))
    concurrency.atomic_transactions(monkeypatch, parties=3)
    request = BookingIn.model_validate(booking_body(None))
    attempts = [
        (lambda i=i: logic.create_booking(Caller(f"citizen-{i}", frozenset()), request)) for i in range(3)
    ]

    results = concurrency.race(attempts)

    assert _outcomes(results) == ["booked", "booked", "professional_unavailable"]
    assigned = sorted(r.booking.professional_id for r in results if isinstance(r, logic.Created))
    assert assigned == ["pro_a", "pro_b"]
    assert matched(api) == []
