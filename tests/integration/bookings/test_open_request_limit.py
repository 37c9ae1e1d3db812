"""One account cannot hold a whole area's professionals: a citizen holds at most 3 bookings in
``requested`` at once (an employer 25), counted in the same transactions that create bookings
and move them out of ``requested``, so that it holds under concurrency too."""

from __future__ import annotations

from unittest import mock

import pytest

from book import logic
from book.models import BookingIn
from book.settings import BookSettings
from sevamitra.data.models import BookingModel, OpenRequestsModel
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import MESSAGES, DomainError
from sevamitra.platform.clock import parse_iso
from tests.integration import concurrency
from tests.integration.bookings.conftest import (
    CITIZEN,
    EMPLOYER,
    OTHER_CITIZEN,
    act,
    book,
    booking_body,
    bookings,
    matched,
    professional,
)
from tests.integration.conftest import Api, claims_for
from tests.integration.geo_seed import LUCKNOW, offset, seed_professional


def _seed(count: int) -> list[str]:
    """``count`` verified, online professionals within 3 km (pro_00, pro_01, ...)."""
    ids = [f"pro_{i:02d}" for i in range(count)]
    for i, pid in enumerate(ids):
        seed_professional(pid, *offset(*LUCKNOW, 100 + 20 * i, 0))
    return ids


def _open_count(sub: str) -> int:
    try:
        return int(OpenRequestsModel.get(sub, consistent_read=True).requested)
    except OpenRequestsModel.DoesNotExist:
        return 0


def _book_all(api: Api, claims: dict, ids: list[str]) -> list[str]:
    made = []
    for pid in ids:
        response = book(api, claims, professional_id=pid)
        assert response.status == 201, response.body
        made.append(response.body["id"])
    return made


def test_a_citizens_fourth_open_request_is_409_and_claims_nobody(api: Api, aws: object) -> None:
    first, second, third, fourth = _seed(4)
    _book_all(api, CITIZEN, [first, second, third])

    refused = book(api, professional_id=fourth)
    nearest = book(api, professional_id=None)

    assert (refused.status, refused.error_code) == (409, "too_many_open_requests")
    assert refused.body["error"]["details"] == [{"open_requests_allowed": 3}]
    assert (nearest.status, nearest.error_code) == (409, "too_many_open_requests")
    assert len(bookings()) == 3
    assert professional(fourth).active_booking_id is None
    assert fourth in matched(api)
    assert _open_count(CITIZEN["sub"]) == 3


def test_the_refusal_speaks_hindi(api: Api, aws: object) -> None:
    ids = _seed(4)
    _book_all(api, CITIZEN, ids[:3])

    refused = book(api, professional_id=ids[3], headers={"Accept-Language": "hi"})

    assert refused.error_code == "too_many_open_requests"
    assert refused.body["error"]["message"] == MESSAGES["too_many_open_requests"][1]


def test_another_citizen_is_not_held_back(api: Api, aws: object) -> None:
    ids = _seed(4)
    _book_all(api, CITIZEN, ids[:3])
    assert book(api, OTHER_CITIZEN, professional_id=ids[3]).status == 201


def test_an_employer_may_hold_25_open_requests_and_no_more(api: Api, aws: object) -> None:
    ids = _seed(26)
    _book_all(api, EMPLOYER, ids[:25])

    refused = book(api, EMPLOYER, professional_id=ids[25])

    assert (refused.status, refused.error_code) == (409, "too_many_open_requests")
    assert refused.body["error"]["details"] == [{"open_requests_allowed": 25}]
    assert _open_count(EMPLOYER["sub"]) == 25


def test_the_allowances_come_from_the_settings(api: Api, aws: object) -> None:
    ids = _seed(3)
    configured = BookSettings(MAX_OPEN_REQUESTS_CITIZEN="1", MAX_OPEN_REQUESTS_EMPLOYER="2")
    with mock.patch.object(logic, "book_settings", return_value=configured):
        assert book(api, CITIZEN, professional_id=ids[0]).status == 201
        assert book(api, CITIZEN, professional_id=ids[1]).error_code == "too_many_open_requests"
        assert book(api, EMPLOYER, professional_id=ids[1]).status == 201
        assert book(api, EMPLOYER, professional_id=ids[2]).status == 201
        assert _open_count(EMPLOYER["sub"]) == 2


def _accept(api: Api, booking_id: str, pid: str) -> None:
    assert act(api, booking_id, "accept", claims_for(f"sub-{pid}")).status == 200


def _cancel(api: Api, booking_id: str, pid: str) -> None:
    assert act(api, booking_id, "cancel", CITIZEN).status == 200


def _cancel_by_professional(api: Api, booking_id: str, pid: str) -> None:
    assert act(api, booking_id, "cancel", claims_for(f"sub-{pid}")).status == 200


def _expire(api: Api, booking_id: str, pid: str) -> None:
    # Only this one is due (the others were made in the same second: same expires_at).
    BookingModel(booking_id).update(actions=[BookingModel.expires_at.set("2001-01-01T00:00:00Z")])
    assert logic.expire_due(parse_iso("2001-01-01T00:00:01Z")).expired == 1


@pytest.mark.parametrize(
    "leave", [_accept, _cancel, _cancel_by_professional, _expire], ids=lambda f: f.__name__.strip("_")
)
def test_a_booking_leaving_requested_frees_its_slot(api: Api, aws: object, leave) -> None:
    ids = _seed(5)
    made = _book_all(api, CITIZEN, ids[:3])

    leave(api, made[0], ids[0])

    assert _open_count(CITIZEN["sub"]) == 2
    assert book(api, professional_id=ids[3]).status == 201
    assert book(api, professional_id=ids[4]).error_code == "too_many_open_requests"


def test_cancelling_an_accepted_booking_does_not_free_a_slot_twice(api: Api, aws: object) -> None:
    ids = _seed(5)
    made = _book_all(api, CITIZEN, ids[:3])
    _accept(api, made[0], ids[0])

    _cancel(api, made[0], ids[0])

    assert _open_count(CITIZEN["sub"]) == 2
    assert book(api, professional_id=ids[3]).status == 201
    assert book(api, professional_id=ids[4]).error_code == "too_many_open_requests"


def test_a_second_expiry_sweep_frees_nothing_more(api: Api, aws: object) -> None:
    ids = _seed(2)
    [made, _] = _book_all(api, CITIZEN, ids)
    BookingModel(made).update(actions=[BookingModel.expires_at.set("2001-01-01T00:00:00Z")])
    due = parse_iso("2001-01-01T00:00:01Z")
    assert logic.expire_due(due).expired == 1
    assert logic.expire_due(due).expired == 0
    assert _open_count(CITIZEN["sub"]) == 1


def test_an_idempotent_replay_is_not_counted_twice(api: Api, aws: object) -> None:
    ids = _seed(4)
    headers = {"Idempotency-Key": "same-request"}
    first = book(api, professional_id=ids[0], headers=headers)
    replay = book(api, professional_id=ids[0], headers=headers)

    assert (first.status, replay.status) == (201, 201)
    assert replay.body["id"] == first.body["id"]
    assert _open_count(CITIZEN["sub"]) == 1
    _book_all(api, CITIZEN, ids[1:3])
    assert book(api, professional_id=ids[3]).error_code == "too_many_open_requests"


def test_a_booking_made_before_the_count_existed_never_makes_it_negative(api: Api, aws: object) -> None:
    """Bookings stored before the limit carry no ``counted`` mark: leaving ``requested`` must not
    take them off a count they were never on (which would give the citizen a slot for good)."""
    [pid] = _seed(1)
    [made] = _book_all(api, CITIZEN, [pid])
    BookingModel(made).update(actions=[BookingModel.counted.remove()])
    OpenRequestsModel(CITIZEN["sub"]).update(actions=[OpenRequestsModel.requested.set(0)])

    _cancel(api, made, pid)

    assert _open_count(CITIZEN["sub"]) == 0


def test_parallel_requests_of_one_citizen_book_exactly_three(
    api: Api, aws: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight requests at once for eight free professionals: every racer reads before any writes
    (the barrier), so a count-then-write limit would let all eight through."""
    ids = _seed(8)
    concurrency.atomic_transactions(monkeypatch, parties=len(ids))
    caller = Caller(CITIZEN["sub"], frozenset())
    attempts = [
        (lambda pid=pid: logic.create_booking(caller, BookingIn.model_validate(booking_body(pid))))
        for pid in ids
    ]

    results = concurrency.race(attempts)

    outcomes = sorted(
        "booked" if isinstance(r, logic.Created) else r.code if isinstance(r, DomainError) else repr(r)
        for r in results
    )
    assert outcomes == ["booked"] * 3 + ["too_many_open_requests"] * 5
    assert len(bookings()) == 3
    assert _open_count(CITIZEN["sub"]) == 3
    booked_pros = {r.booking.professional_id for r in results if isinstance(r, logic.Created)}
    assert {pid for pid in ids if professional(pid).active_booking_id} == booked_pros
