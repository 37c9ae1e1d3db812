"""Expenses and the citizen's payment record (API.md, "Fair outcomes"): materials are claimed
while the work is in progress and approved or disputed by the citizen; what may be collected is
the fee plus the approved claims; the citizen's own record of what they paid opens an overcharge
complaint on its own word, whatever the professional declared."""

from __future__ import annotations

from typing import Any

import pytest

from book import expenses as logic
from sevamitra.domain.expenses import MAX_EXPENSES, MAX_ITEMS, ExpenseStatus
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict
from tests.integration.bookings.conftest import (
    CITIZEN,
    FEE,
    OTHER_CITIZEN,
    PRO,
    act,
    complaints,
    completed,
    in_progress,
    view,
)
from tests.integration.concurrency import atomic_transactions, race
from tests.integration.conftest import Api, ApiResponse

PIPE = {"description": "PVC pipe, 2 m", "amount_paise": 10_000}


def claim(api: Api, booking_id: str, *items: dict[str, Any], claims: dict | None = PRO) -> ApiResponse:
    return act(api, booking_id, "expenses", claims, {"items": list(items or [PIPE])})


def answer(
    api: Api, booking_id: str, expense_id: str, verb: str, claims: dict | None = CITIZEN
) -> ApiResponse:
    return api("POST", f"/bookings/{booking_id}/expenses/{expense_id}/{verb}", claims=claims, body={})


def pay(api: Api, booking_id: str, amount: int, claims: dict | None = CITIZEN) -> ApiResponse:
    return act(api, booking_id, "payment", claims, {"amount_paid_paise": amount})


def complete(api: Api, booking_id: str, amount: int) -> ApiResponse:
    return act(api, booking_id, "complete", PRO, {"amount_collected_paise": amount})


def test_a_claim_is_pending_until_the_citizen_approves_and_the_booking_shows_it(api: Api, pro: str) -> None:
    booking_id = in_progress(api)["id"]
    claimed = claim(api, booking_id, PIPE, {"description": "Tape", "amount_paise": 500})
    assert claimed.status == 201, claimed.body
    assert (claimed.body["status"], claimed.body["total_paise"]) == ("pending_approval", 10_500)

    approved = answer(api, booking_id, claimed.body["id"], "approve")
    assert (approved.status, approved.body["status"]) == (200, "approved")
    [shown] = view(api, booking_id).body["expenses"]
    assert (shown["id"], shown["status"], shown["total_paise"]) == (claimed.body["id"], "approved", 10_500)
    assert [i["description"] for i in shown["items"]] == ["PVC pipe, 2 m", "Tape"]
    assert (answer(api, booking_id, claimed.body["id"], "dispute").error_code) == "already_decided"


def test_collecting_the_fee_plus_approved_expenses_is_no_overcharge(api: Api, pro: str) -> None:
    booking_id = in_progress(api)["id"]
    answer(api, booking_id, claim(api, booking_id).body["id"], "approve")
    done = complete(api, booking_id, FEE + PIPE["amount_paise"])
    assert (done.status, done.body["complaint_ids"]) == (200, [])
    assert complaints() == []


def test_collecting_a_claim_the_citizen_has_not_approved_is_an_overcharge(api: Api, pro: str) -> None:
    booking_id = in_progress(api)["id"]
    claim(api, booking_id)  # still pending at completion
    done = complete(api, booking_id, FEE + PIPE["amount_paise"])
    [complaint] = complaints()
    assert done.body["complaint_ids"] == [complaint.id]
    assert (complaint.kind, complaint.opened_by) == ("overcharge", "system")


def test_a_disputed_claim_opens_an_overcharge_complaint_in_the_same_write(api: Api, pro: str) -> None:
    booking_id = in_progress(api)["id"]
    expense_id = claim(api, booking_id).body["id"]
    disputed = answer(api, booking_id, expense_id, "dispute")
    assert disputed.status == 200, disputed.body
    [complaint] = complaints()
    assert (disputed.body["status"], disputed.body["complaint_id"]) == ("disputed", complaint.id)
    assert (complaint.kind, complaint.professional_id, complaint.complainant_sub) == (
        "overcharge",
        "pro_1",
        "citizen-1",
    )
    assert complaint.respond_by is not None
    shown = view(api, booking_id).body
    assert shown["complaint_ids"] == [complaint.id]
    assert shown["expenses"][0]["complaint_id"] == complaint.id


def test_only_the_assigned_professional_claims_and_only_while_in_progress(api: Api, pro: str) -> None:
    booking_id = in_progress(api)["id"]
    assert claim(api, booking_id, claims=CITIZEN).status == 403
    expense_id = claim(api, booking_id).body["id"]
    assert answer(api, booking_id, expense_id, "approve", claims=PRO).status == 403
    assert answer(api, booking_id, expense_id, "approve", claims=OTHER_CITIZEN).status == 403
    assert answer(api, booking_id, "exp_nope", "approve").status == 404
    complete(api, booking_id, FEE)
    late = claim(api, booking_id)
    assert (late.status, late.error_code) == (409, "invalid_transition")


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"description": "Pipe", "amount_paise": 0}],
        [{"description": "Pipe", "amount_paise": -5}],
        [{"description": "Pipe", "amount_paise": 1.5}],
        [{"description": "   ", "amount_paise": 100}],
        [{"description": "x" * 201, "amount_paise": 100}],
        [{"description": "Pipe", "amount_paise": 100, "extra": 1}],
        [PIPE] * (MAX_ITEMS + 1),
    ],
    ids=["no-items", "zero", "negative", "fraction", "blank", "long", "extra-field", "too-many-items"],
)
def test_a_bad_claim_is_422_and_writes_nothing(api: Api, pro: str, items: list[dict[str, Any]]) -> None:
    booking_id = in_progress(api)["id"]
    response = act(api, booking_id, "expenses", PRO, {"items": items})
    assert (response.status, response.error_code) == (422, "validation_error")
    assert view(api, booking_id).body["expenses"] == []


def test_claims_per_booking_are_limited(api: Api, pro: str) -> None:
    booking_id = in_progress(api)["id"]
    for _ in range(MAX_EXPENSES):
        assert claim(api, booking_id).status == 201
    refused = claim(api, booking_id)
    assert (refused.status, refused.error_code) == (409, "too_many_expenses")
    assert len(view(api, booking_id).body["expenses"]) == MAX_EXPENSES


# --- the citizen's payment record ----------------------------------------------------------------


def test_a_cheat_who_declares_the_fee_is_caught_by_the_citizens_record(api: Api, pro: str) -> None:
    booking_id = completed(api, amount=FEE)["id"]  # declared: the fee, nothing more
    assert complaints() == []

    paid = pay(api, booking_id, FEE + 5_000)

    assert paid.status == 201, paid.body
    [complaint] = complaints()
    assert paid.body["complaint_id"] == complaint.id
    assert (paid.body["amount_paid_paise"], paid.body["allowed_paise"]) == (FEE + 5_000, FEE)
    assert (complaint.kind, complaint.opened_by, complaint.amount_paid_paise) == (
        "overcharge",
        "system",
        FEE + 5_000,
    )
    shown = view(api, booking_id).body
    assert shown["complaint_ids"] == [complaint.id]
    assert shown["payment"]["amount_paid_paise"] == FEE + 5_000


def test_paying_the_fee_plus_approved_expenses_opens_nothing(api: Api, pro: str) -> None:
    booking_id = in_progress(api)["id"]
    answer(api, booking_id, claim(api, booking_id).body["id"], "approve")
    complete(api, booking_id, FEE)
    paid = pay(api, booking_id, FEE + PIPE["amount_paise"])
    assert (paid.status, paid.body["complaint_id"]) == (201, None)
    assert complaints() == []


def test_payment_is_once_by_the_citizen_after_completion(api: Api, pro: str) -> None:
    booking_id = in_progress(api)["id"]
    early = pay(api, booking_id, FEE)
    assert (early.status, early.error_code) == (409, "invalid_transition")
    complete(api, booking_id, FEE)
    assert pay(api, booking_id, FEE, claims=PRO).status == 403
    assert pay(api, booking_id, FEE, claims=OTHER_CITIZEN).status == 403
    assert pay(api, booking_id, FEE).status == 201
    again = pay(api, booking_id, FEE + 10_000)
    assert (again.status, again.error_code) == (409, "payment_already_recorded")
    assert complaints() == []
    for bad in (-1, 1.5, "100", None):
        assert pay(api, booking_id, bad).status == 422  # type: ignore[arg-type]


def test_an_overcharge_already_open_is_named_not_duplicated(api: Api, pro: str) -> None:
    booking_id = completed(api, amount=FEE + 1_000)["id"]  # opened at completion
    [opened] = complaints()
    paid = pay(api, booking_id, FEE + 3_000)
    assert paid.body["complaint_id"] == opened.id
    assert [c.id for c in complaints()] == [opened.id]


def test_of_two_concurrent_payments_exactly_one_is_recorded(
    api: Api, pro: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    booking_id = completed(api, amount=FEE)["id"]
    atomic_transactions(monkeypatch, parties=2)
    citizen = Caller("citizen-1", frozenset())

    def paying(amount: int) -> str:
        try:
            logic.record_payment(citizen, booking_id, amount)
        except Conflict as exc:
            return exc.code
        return "recorded"

    outcomes = race([lambda: paying(FEE + 9_000), lambda: paying(FEE)])
    assert sorted(outcomes) == ["payment_already_recorded", "recorded"], outcomes
    recorded = view(api, booking_id).body["payment"]["amount_paid_paise"]
    assert len(complaints()) == (1 if recorded > FEE else 0)


def test_an_approval_racing_the_payment_never_leaves_a_stale_comparison(
    api: Api, pro: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The payment is compared with the approved sum it read; the claim it read as pending must
    still be pending when it writes (or it re-reads): both orders end consistent."""
    booking_id = in_progress(api)["id"]
    expense_id = claim(api, booking_id).body["id"]
    complete(api, booking_id, FEE)
    citizen = Caller("citizen-1", frozenset())
    atomic_transactions(monkeypatch, parties=2)
    race(
        [
            lambda: logic.decide_expense(citizen, booking_id, expense_id, ExpenseStatus.APPROVED),
            lambda: logic.record_payment(citizen, booking_id, FEE + PIPE["amount_paise"]),
        ]
    )
    shown = view(api, booking_id).body
    assert shown["expenses"][0]["status"] == "approved"
    opened = complaints()
    # Paid exactly fee + the claim: an overcharge only if the payment was compared before the approval.
    assert shown["payment"].get("complaint_id") == (opened[0].id if opened else None)
