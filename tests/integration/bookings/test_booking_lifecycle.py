"""The booking lifecycle: accept, start with the citizen's code, complete (with the automatic
overcharge complaint), cancel, rate; every illegal step is 409 invalid_transition, and the
professional is back in /match when a booking ends."""

from __future__ import annotations

from unittest import mock

import pytest
from botocore.exceptions import ClientError

from sevamitra.data.models import BookingModel
from sevamitra.domain.bookings import MAX_START_ATTEMPTS
from tests.integration.bookings.conftest import (
    CITIZEN,
    EMPLOYER,
    FEE,
    PRO,
    accepted,
    act,
    booked,
    complaints,
    completed,
    in_progress,
    match_results,
    matched,
    professional,
    view,
)
from tests.integration.conftest import Api
from tests.integration.geo_seed import set_state


def status(api: Api, booking_id: str) -> str:
    return str(view(api, booking_id).body["status"])


def test_the_whole_journey_requested_accepted_in_progress_completed(api: Api, pro: str) -> None:
    created = booked(api)
    booking_id = created["id"]
    accept = act(api, booking_id, "accept", PRO)
    assert (accept.status, accept.body["status"]) == (200, "accepted")
    assert accept.body["accepted_at"]
    assert view(api, booking_id).body["start_attempts_left"] == MAX_START_ATTEMPTS
    start = act(api, booking_id, "start", PRO, {"start_code": created["start_code"]})
    assert (start.status, start.body["status"]) == (200, "in_progress")
    assert matched(api) == []
    done = act(api, booking_id, "complete", PRO, {"amount_collected_paise": FEE})
    assert (done.status, done.body["status"]) == (200, "completed")
    assert done.body["amount_collected_paise"] == FEE
    got = view(api, booking_id).body
    assert (got["status"], got["amount_collected_paise"], got["complaint_ids"]) == ("completed", FEE, [])
    assert complaints() == []


def test_accept_takes_the_booking_out_of_the_expiry_index(api: Api, pro: str) -> None:
    from sevamitra.data.models import BookingModel

    created = accepted(api)
    assert BookingModel.get(created["id"]).awaiting is None
    assert list(BookingModel.awaiting_accept.query("requested")) == []


def test_completion_frees_the_professional_back_into_match(api: Api, pro: str) -> None:
    completed(api)
    assert professional().active_booking_id is None
    assert matched(api) == ["pro_1"]


def test_completion_leaves_an_offline_professional_out_of_match(api: Api, pro: str) -> None:
    created = in_progress(api)
    from sevamitra.data.geo_index import IndexSubject

    set_state(IndexSubject.from_model(professional()), online=False)
    assert act(api, created["id"], "complete", PRO, {"amount_collected_paise": FEE}).status == 200
    assert professional().active_booking_id is None
    assert matched(api) == []


# --- start code -------------------------------------------------------------------------------


def test_a_wrong_start_code_is_422_and_counts(api: Api, pro: str) -> None:
    created = accepted(api)
    wrong = "000000" if created["start_code"] != "000000" else "111111"
    response = act(api, created["id"], "start", PRO, {"start_code": wrong})
    assert (response.status, response.error_code) == (422, "wrong_start_code")
    assert response.body["error"]["details"][0]["attempts_left"] == MAX_START_ATTEMPTS - 1
    assert status(api, created["id"]) == "accepted"
    assert view(api, created["id"]).body["start_attempts_left"] == MAX_START_ATTEMPTS - 1


def test_after_five_wrong_codes_even_the_right_one_is_refused(api: Api, pro: str) -> None:
    created = accepted(api)
    wrong = "000000" if created["start_code"] != "000000" else "111111"
    for left in range(MAX_START_ATTEMPTS - 1, -1, -1):
        response = act(api, created["id"], "start", PRO, {"start_code": wrong})
        assert (response.status, response.body["error"]["details"][0]["attempts_left"]) == (422, left)
    locked = act(api, created["id"], "start", PRO, {"start_code": created["start_code"]})
    assert (locked.status, locked.error_code) == (409, "start_code_locked")
    assert status(api, created["id"]) == "accepted"
    # The way out: cancel, which frees the professional.
    assert act(api, created["id"], "cancel", CITIZEN).status == 200
    assert matched(api) == ["pro_1"]


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", ""])
def test_a_malformed_start_code_is_422_validation_and_does_not_count(api: Api, pro: str, code: str) -> None:
    created = accepted(api)
    response = act(api, created["id"], "start", PRO, {"start_code": code})
    assert (response.status, response.error_code) == (422, "validation_error")
    assert view(api, created["id"]).body["start_attempts_left"] == MAX_START_ATTEMPTS


def test_the_professional_never_sees_the_start_code(api: Api, pro: str) -> None:
    created = booked(api)
    code = created["start_code"]
    responses = [
        view(api, created["id"], PRO),
        act(api, created["id"], "accept", PRO),
        view(api, created["id"], PRO),
    ]
    responses.append(act(api, created["id"], "start", PRO, {"start_code": code}))
    responses.append(act(api, created["id"], "complete", PRO, {"amount_collected_paise": FEE}))
    for response in responses:
        assert response.status == 200
        assert "start_code" not in response.body
        assert code not in str(response.body)


# --- overcharge -------------------------------------------------------------------------------


def test_collecting_more_than_the_fee_opens_an_overcharge_complaint_listed_on_the_booking(
    api: Api, pro: str
) -> None:
    created = completed(api, amount=FEE + 5000)
    got = view(api, created["id"]).body
    [complaint] = complaints()
    assert got["complaint_ids"] == [complaint.id]
    assert complaint.kind == "overcharge"
    assert complaint.status == "open"
    assert complaint.opened_by == "system"
    assert complaint.complainant_sub == "citizen-1"
    assert complaint.professional_id == "pro_1"
    assert (complaint.amount_paid_paise, complaint.fee_paise) == (FEE + 5000, FEE)
    assert complaint.due_by > got["completed_at"]
    assert complaint.district == "Lucknow"
    # The professional is free again all the same: only an upheld complaint bans.
    assert matched(api) == ["pro_1"]


@pytest.mark.parametrize("amount", [FEE, FEE - 1, 0])
def test_collecting_the_fee_or_less_opens_no_complaint(api: Api, pro: str, amount: int) -> None:
    created = completed(api, amount=amount)
    assert view(api, created["id"]).body["complaint_ids"] == []
    assert complaints() == []


def test_an_overcharge_complaint_already_open_is_not_duplicated_at_completion(api: Api, pro: str) -> None:
    from sevamitra.data import complaints as complaint_repo
    from sevamitra.domain.complaints import ComplaintKind, new_complaint
    from sevamitra.platform.clock import utc_now

    created = in_progress(api)
    citizens = complaint_repo.open_complaint(
        new_complaint(
            booking_id=created["id"],
            professional_id="pro_1",
            complainant_sub="citizen-1",
            kind=ComplaintKind.OVERCHARGE,
            description="asked for more before finishing",
            fee_paise=FEE,
            sla_s=3600,
            now=utc_now(),
            amount_paid_paise=FEE + 1000,
        )
    )
    response = act(api, created["id"], "complete", PRO, {"amount_collected_paise": FEE + 1000})
    assert response.status == 200
    assert response.body["complaint_ids"] == [citizens.id]
    assert [c.id for c in complaints()] == [citizens.id]


@pytest.mark.parametrize("amount", [-1, 1.5, "100", None])
def test_an_invalid_amount_is_422(api: Api, pro: str, amount: object) -> None:
    created = in_progress(api)
    response = act(api, created["id"], "complete", PRO, {"amount_collected_paise": amount})
    assert (response.status, response.error_code) == (422, "validation_error")
    assert status(api, created["id"]) == "in_progress"


def test_a_failed_completion_writes_nothing_not_even_the_complaint(api: Api, pro: str) -> None:
    created = in_progress(api)
    error = ClientError({"Error": {"Code": "InternalServerError", "Message": "boom"}}, "TransactWriteItems")
    with mock.patch("pynamodb.connection.base.Connection.transact_write_items", side_effect=error):
        response = act(api, created["id"], "complete", PRO, {"amount_collected_paise": FEE * 2})
    assert (response.status, response.error_code) == (503, "dependency_unavailable")
    assert status(api, created["id"]) == "in_progress"
    assert complaints() == []
    assert professional().active_booking_id == created["id"]


# --- cancel -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["citizen", "professional"])
@pytest.mark.parametrize("stage", ["requested", "accepted"])
def test_either_participant_cancels_before_work_starts_and_the_professional_is_free(
    api: Api, pro: str, who: str, stage: str
) -> None:
    created = booked(api) if stage == "requested" else accepted(api)
    response = act(api, created["id"], "cancel", CITIZEN if who == "citizen" else PRO)
    assert (response.status, response.body["status"], response.body["cancelled_by"]) == (
        200,
        "cancelled",
        who,
    )
    assert professional().active_booking_id is None
    assert matched(api) == ["pro_1"]


def test_an_employers_cancellation_is_recorded_as_the_employers(api: Api, pro: str) -> None:
    created = booked(api, claims=EMPLOYER)
    response = act(api, created["id"], "cancel", EMPLOYER)
    assert (response.status, response.body["cancelled_by"]) == (200, "employer")
    assert BookingModel.get(created["id"]).cancelled_by == "employer"
    assert view(api, created["id"], EMPLOYER).body["cancelled_by"] == "employer"


# --- rating -----------------------------------------------------------------------------------


def test_the_citizen_rates_once_and_the_rating_shows_in_match(api: Api, pro: str) -> None:
    created = completed(api)
    assert match_results(api)[0]["rating"] is None
    response = act(api, created["id"], "rating", CITIZEN, {"stars": 4, "comment": "Quick and tidy"})
    assert response.status == 201
    assert response.body["rating"]["stars"] == 4
    assert response.body["rating"]["comment"] == "Quick and tidy"
    again = act(api, created["id"], "rating", CITIZEN, {"stars": 1})
    assert (again.status, again.error_code) == (409, "already_rated")
    assert again.body["error"]["message"] == "This booking has already been rated."
    in_hindi = api(
        "POST",
        f"/bookings/{created['id']}/rating",
        claims=CITIZEN,
        body={"stars": 1},
        headers={"Accept-Language": "hi"},
    )
    assert (in_hindi.status, in_hindi.error_code) == (409, "already_rated")
    assert in_hindi.body["error"]["message"] == "इस बुकिंग को पहले ही रेटिंग दी जा चुकी है।"
    item = professional()
    assert (item.rating_sum, item.rating_count) == (4, 1)
    assert match_results(api)[0]["rating"] == 4.0
    assert view(api, created["id"]).body["rating"]["stars"] == 4


def test_ratings_of_two_bookings_average_in_match(api: Api, pro: str) -> None:
    first = completed(api)
    act(api, first["id"], "rating", CITIZEN, {"stars": 5})
    second = completed(api)
    act(api, second["id"], "rating", CITIZEN, {"stars": 2})
    assert match_results(api)[0]["rating"] == 3.5


@pytest.mark.parametrize("body", [{"stars": 0}, {"stars": 6}, {"stars": "5"}, {}, {"stars": 3, "extra": 1}])
def test_invalid_ratings_are_422(api: Api, pro: str, body: dict) -> None:
    created = completed(api)
    response = act(api, created["id"], "rating", CITIZEN, body)
    assert (response.status, response.error_code) == (422, "validation_error")


# --- illegal transitions ----------------------------------------------------------------------

ACTIONS = {
    "accept": (PRO, None),
    "start": (PRO, "code"),
    "complete": (PRO, {"amount_collected_paise": FEE}),
    "cancel": (CITIZEN, None),
    "rating": (CITIZEN, {"stars": 5}),
}
LEGAL = {
    "requested": {"accept", "cancel"},
    "accepted": {"start", "cancel"},
    "in_progress": {"complete"},
    "completed": {"rating"},
    "cancelled": set(),
}


def _at(api: Api, stage: str) -> dict:
    if stage == "requested":
        return booked(api)
    if stage == "accepted":
        return accepted(api)
    if stage == "in_progress":
        return in_progress(api)
    if stage == "completed":
        return completed(api)
    created = booked(api)
    assert act(api, created["id"], "cancel", CITIZEN).status == 200
    return created


@pytest.mark.parametrize(
    ("stage", "action"),
    [(stage, action) for stage, legal in LEGAL.items() for action in ACTIONS if action not in legal],
)
def test_every_illegal_transition_is_409_invalid_transition(
    api: Api, pro: str, stage: str, action: str
) -> None:
    created = _at(api, stage)
    claims, body = ACTIONS[action]
    if body == "code":
        body = {"start_code": created["start_code"]}
    response = act(api, created["id"], action, claims, body)
    assert (response.status, response.error_code) == (409, "invalid_transition"), response.body
    assert status(api, created["id"]) == stage


def test_unknown_booking_is_404_for_every_route(api: Api, pro: str) -> None:
    assert view(api, "bkg_missing").status == 404
    for action, (claims, body) in ACTIONS.items():
        if body == "code":
            body = {"start_code": "123456"}
        assert act(api, "bkg_missing", action, claims, body).status == 404, action
