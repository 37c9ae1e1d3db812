"""POST /bookings: fee and duration from the rate card, the named or the nearest professional,
the 3 km rule, engagement kinds, and Idempotency-Key."""

from __future__ import annotations

from unittest import mock

import pytest

from sevamitra.data import geo_index
from sevamitra.data.geo_index import Nearby
from sevamitra.domain.bookings import hash_start_code
from tests.integration.bookings.conftest import (
    CITIZEN,
    DURATION,
    EMPLOYER,
    FEE,
    PRO,
    book,
    booked,
    bookings,
    matched,
    professional,
    view,
)
from tests.integration.conftest import Api, claims_for
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional, set_state


def test_booking_a_named_professional_is_201_requested_with_the_rate_card_fee(api: Api, pro: str) -> None:
    response = book(api)
    assert response.status == 201, response.body
    body = response.body
    assert body["status"] == "requested"
    assert body["professional_id"] == "pro_1"
    assert (body["fee_paise"], body["duration_minutes"]) == (FEE, DURATION)
    assert body["engagement"] == {
        "kind": "task",
        "days": None,
        "unit_fee_paise": FEE,
        "unit_duration_minutes": DURATION,
    }
    assert body["start_code"].isdigit()
    assert len(body["start_code"]) == 6
    assert body["expires_at"].endswith("Z")
    assert professional().active_booking_id == body["id"]


def test_the_booking_holds_its_start_code_and_the_slow_hash_that_start_checks(api: Api, pro: str) -> None:
    # The bookings table is the code's one owner (GET /bookings/{id} shows it to the citizen
    # again); that no other table, log or event holds it: test_start_code_secrecy.py.
    created = booked(api)
    [item] = bookings()
    assert item.start_code == created["start_code"]
    assert item.start_code_hash == hash_start_code(created["id"], created["start_code"])


def test_booking_expires_after_the_accept_timeout(api: Api, pro: str) -> None:
    from sevamitra.platform.clock import parse_iso

    [item] = [booked(api)]
    stored = bookings()[0]
    assert (parse_iso(item["expires_at"]) - parse_iso(stored.created_at)).total_seconds() == 1800
    assert stored.awaiting == "requested"


def test_a_booked_professional_leaves_matching(api: Api, pro: str) -> None:
    assert matched(api) == ["pro_1"]
    booked(api)
    assert matched(api) == []


def test_employers_book_too(api: Api, pro: str) -> None:
    assert book(api, claims=EMPLOYER).status == 201


def test_without_token_is_401(api: Api, pro: str) -> None:
    assert book(api, claims=None).status == 401


def test_a_client_sent_fee_is_rejected_with_422_and_books_nothing(api: Api, pro: str) -> None:
    response = book(api, fee_paise=1)
    assert (response.status, response.error_code) == (422, "validation_error")
    assert ["body", "fee_paise"] in [d["loc"] for d in response.body["error"]["details"]]
    assert bookings() == []
    assert professional().active_booking_id is None


def test_unknown_service_is_404(api: Api, pro: str) -> None:
    response = book(api, service_id="no_such_service")
    assert (response.status, response.error_code) == (404, "unknown_service")


def test_unknown_professional_is_404(api: Api, pro: str) -> None:
    assert book(api, professional_id="pro_missing").status == 404


@pytest.mark.parametrize(
    "change",
    [
        {"online": False},
        {"status": "police_pending"},
        {"status": "banned"},
        {"active_booking_id": "bkg_other"},
    ],
    ids=["offline", "unverified", "banned", "busy"],
)
def test_a_named_professional_who_is_not_available_is_409(api: Api, aws: object, change: dict) -> None:
    set_state(seed_professional("pro_1", *offset(*LUCKNOW, 100, 0)), **change)
    response = book(api)
    assert (response.status, response.error_code) == (409, "professional_unavailable")
    assert bookings() == []


def test_a_named_professional_farther_than_3_km_is_409(api: Api, aws: object) -> None:
    seed_professional("pro_1", *offset(*LUCKNOW, 3_050, 0))
    response = book(api)
    assert (response.status, response.error_code) == (409, "professional_unavailable")
    assert professional().active_booking_id is None


def test_a_named_professional_just_inside_3_km_is_booked(api: Api, aws: object) -> None:
    seed_professional("pro_1", *offset(*LUCKNOW, 2_990, 0))
    assert book(api).status == 201


def test_a_named_professional_who_does_not_offer_the_service_is_409(api: Api, aws: object) -> None:
    seed_professional("pro_1", *offset(*LUCKNOW, 100, 0), services=("plumber_tap_leak_repair",))
    assert book(api).error_code == "professional_unavailable"


def test_a_professional_cannot_book_themself(api: Api, pro: str) -> None:
    response = book(api, claims=PRO)
    assert (response.status, response.error_code) == (409, "professional_unavailable")


def test_a_point_outside_uttar_pradesh_is_422(api: Api, pro: str) -> None:
    response = book(api, location={"lat": 19.07, "lng": 72.87})
    assert (response.status, response.error_code) == (422, "out_of_service_area")


# --- nearest ----------------------------------------------------------------------------------


def test_without_a_professional_the_nearest_eligible_one_is_assigned(api: Api, aws: object) -> None:
    seed_professional("pro_far", *offset(*LUCKNOW, 900, 0))
    seed_professional("pro_near", *offset(*LUCKNOW, 0, 300))
    seed_professional("pro_offline", *offset(*LUCKNOW, 50, 0), online=False)
    first = book(api, professional_id=None)
    second = book(api, claims=claims_for("citizen-2"), professional_id=None)
    third = book(api, claims=claims_for("citizen-3"), professional_id=None)
    assert (first.body["professional_id"], second.body["professional_id"]) == ("pro_near", "pro_far")
    assert (third.status, third.error_code) == (409, "professional_unavailable")


def test_nobody_within_3_km_is_409(api: Api, aws: object) -> None:
    seed_professional("pro_1", *offset(*LUCKNOW, 3_100, 0))
    response = book(api, professional_id=None)
    assert (response.status, response.error_code) == (409, "professional_unavailable")


def test_a_stale_nearest_candidate_is_skipped_for_the_next(api: Api, aws: object) -> None:
    """The search saw pro_busy free, but it was booked before the claim: the next nearest wins."""
    seed_professional("pro_busy", *offset(*LUCKNOW, 50, 0), active_booking_id="bkg_x")
    seed_professional("pro_next", *offset(*LUCKNOW, 400, 0))
    stale = [Nearby("pro_busy", "Name", 50, None), Nearby("pro_next", "Name", 400, None)]
    with mock.patch.object(geo_index, "nearest", return_value=stale):
        response = book(api, professional_id=None)
    assert response.status == 201, response.body
    assert response.body["professional_id"] == "pro_next"


# --- engagements ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("engagement", "units"),
    [
        ({"kind": "task"}, 1),
        ({"kind": "piece_rate"}, 1),
        ({"kind": "daily_wage"}, 1),
        ({"kind": "daily_wage", "days": 6}, 6),
        ({"kind": "part_time", "days": 20}, 20),
        ({"kind": "full_time", "days": 26}, 26),
        ({"kind": "contract", "days": 365}, 365),
    ],
)
def test_every_engagement_kind_is_priced_from_the_rate_card(
    api: Api, pro: str, engagement: dict, units: int
) -> None:
    response = book(api, engagement=engagement)
    assert response.status == 201, response.body
    assert response.body["fee_paise"] == FEE * units
    assert response.body["duration_minutes"] == DURATION * units
    assert response.body["engagement"]["kind"] == engagement["kind"]
    got = view(api, response.body["id"]).body
    assert (got["fee_paise"], got["engagement"]["kind"]) == (FEE * units, engagement["kind"])


@pytest.mark.parametrize(
    "engagement",
    [
        {"kind": "task", "days": 2},
        {"kind": "piece_rate", "days": 1},
        {"kind": "part_time"},
        {"kind": "contract", "days": 0},
        {"kind": "full_time", "days": 366},
        {"kind": "daily_wage", "days": "3"},
        {"kind": "daily_wage", "days": True},
        {"kind": "monthly"},
        {"kind": "task", "fee_paise": 100},
    ],
)
def test_invalid_engagements_are_422(api: Api, pro: str, engagement: dict) -> None:
    response = book(api, engagement=engagement)
    assert (response.status, response.error_code) == (422, "validation_error")
    assert bookings() == []


# --- Idempotency-Key --------------------------------------------------------------------------


def test_a_retry_with_the_same_key_and_body_returns_the_first_booking_and_books_nothing_new(
    api: Api, pro: str
) -> None:
    headers = {"Idempotency-Key": "book-1"}
    first = book(api, headers=headers)
    retry = book(api, headers=headers)
    assert first.status == retry.status == 201
    assert retry.body == first.body
    assert len(bookings()) == 1


def test_the_same_key_with_another_body_is_422_and_books_nothing(api: Api, pro: str) -> None:
    headers = {"Idempotency-Key": "book-2"}
    assert book(api, headers=headers).status == 201
    other = book(api, headers=headers, engagement={"kind": "daily_wage", "days": 2})
    assert (other.status, other.error_code) == (422, "idempotency_key_reused")
    assert len(bookings()) == 1


def test_the_same_key_from_another_caller_is_another_request(api: Api, pro: str) -> None:
    headers = {"Idempotency-Key": "shared"}
    assert book(api, headers=headers).status == 201
    other = book(api, claims=claims_for("citizen-9"), headers=headers)
    assert (other.status, other.error_code) == (409, "professional_unavailable")


def test_a_refused_booking_stores_nothing_so_a_retry_runs_again(api: Api, aws: object) -> None:
    subject = seed_professional("pro_1", *offset(*LUCKNOW, 100, 0), online=False)
    headers = {"Idempotency-Key": "book-3"}
    assert book(api, headers=headers).status == 409
    set_state(subject, online=True)
    assert book(api, headers=headers).status == 201


def test_booking_leaves_the_citizen_a_requested_booking_to_see(api: Api, pro: str) -> None:
    created = booked(api)
    got = view(api, created["id"], CITIZEN)
    assert got.status == 200
    assert got.body["status"] == "requested"
    assert got.body["start_code"] == created["start_code"]  # API.md, second wave: a lost code is found again
    assert got.body["complaint_ids"] == []
    assert got.body["service_id"] == SERVICE
