"""Expense claims and the citizen's payment record, on the booking item (``BookingModel.expenses``
and ``payment``). Every write is conditional on the state it was decided on:

- a claim is added only while the booking is ``in_progress``, under a new id, below the limit;
- a receipt is added to a claim only while the claim is ``pending_approval``, below the limit;
- a claim is decided (approved or disputed) only while it is still ``pending_approval``; a
  dispute opens its ``overcharge`` complaint (and lock) in the same transaction;
- the payment is recorded once, only while the booking is ``completed`` and while every claim
  read as pending is still pending (the approved sum it was compared with cannot have moved);
  an overcharge complaint opens in the same transaction.

Writes that can lose a race return a ``Commit``; the caller re-reads and decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.condition import Condition, size
from pynamodb.transactions import TransactWrite

from sevamitra.data import complaints as complaint_repo
from sevamitra.data import dynamo, outbox
from sevamitra.data.bookings import Commit, _transact
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import BookingModel
from sevamitra.domain.bookings import Booking, BookingStatus
from sevamitra.domain.complaints import Complaint
from sevamitra.domain.events import DomainEvent
from sevamitra.domain.expenses import ExpenseStatus, receipts_of


def still_pending(expense_ids: Sequence[str]) -> Condition | None:
    """The condition that each of ``expense_ids`` is still awaiting the citizen's answer."""
    condition: Condition | None = None
    for expense_id in expense_ids:
        pending = BookingModel.expenses[expense_id]["status"] == ExpenseStatus.PENDING_APPROVAL.value
        condition = pending if condition is None else condition & pending
    return condition


def add_expense(
    booking_id: str,
    expense_id: str,
    record: dict[str, Any],
    now: str,
    limit: int,
    events: Sequence[DomainEvent] = (),
) -> bool:
    """Add the claim while the booking is in progress and holds fewer than ``limit`` claims, with
    ``events`` (the citizen's ``expense_claimed``) in the outbox, in one transaction; False when
    that no longer holds (the caller re-reads to say why)."""
    in_progress = BookingModel.status == BookingStatus.IN_PROGRESS.value

    def commit(actions: list[Any], condition: Condition) -> bool:
        def add(tx: TransactWrite) -> None:
            tx.update(BookingModel(booking_id), actions=actions, condition=condition)
            outbox.add_events(tx, events, now)

        outcome = dynamo.transact("Recording the expense", add)
        if outcome.done:
            return True
        if outcome.cancelled and (outcome.condition_failed or outcome.conflict):
            return False
        outcome.reraise()

    if commit(
        [BookingModel.expenses[expense_id].set(record), BookingModel.updated_at.set(now)],
        in_progress
        & BookingModel.expenses.exists()
        & BookingModel.expenses[expense_id].does_not_exist()
        & (size(BookingModel.expenses) < limit),
    ):
        return True
    # The first claim creates the map (a nested SET needs its parent).
    return commit(
        [BookingModel.expenses.set({expense_id: record}), BookingModel.updated_at.set(now)],
        in_progress & BookingModel.expenses.does_not_exist(),
    )


def receipts(booking_id: str) -> list[dict[str, Any]]:
    """The receipts on the booking's expense claims (``receipts_of``), none for an unknown one.
    Only ``expenses`` is read (a projection): the caller wants the receipts, not the booking."""
    with dependency_errors("Reading the receipts"):
        try:
            item = BookingModel.get(booking_id, consistent_read=True, attributes_to_get=["expenses"])
        except DoesNotExist:
            return []
    return receipts_of(item.to_simple_dict().get("expenses"))


def add_receipt(
    booking_id: str, expense_id: str, receipt_id: str, record: dict[str, Any], now: str, place: int
) -> bool:
    """Remember a receipt upload as the claim's receipt number ``place`` (0-based), while the
    claim is pending and holds exactly ``place`` receipts: two uploads never share a place, and
    the caller's limit, checked on the count it read, holds in the write. False when that no
    longer holds (the caller re-reads to say why)."""
    claim = BookingModel.expenses[expense_id]
    pending = claim["status"] == ExpenseStatus.PENDING_APPROVAL.value
    if place:
        return dynamo.conditional(
            "Recording the receipt",
            lambda: BookingModel(booking_id).update(
                actions=[claim["receipts"][receipt_id].set(record), BookingModel.updated_at.set(now)],
                condition=pending & (size(claim["receipts"]) == place),
            ),
        )
    # The first receipt creates the claim's map (a nested SET needs its parent).
    return dynamo.conditional(
        "Recording the receipt",
        lambda: BookingModel(booking_id).update(
            actions=[claim["receipts"].set({receipt_id: record}), BookingModel.updated_at.set(now)],
            condition=pending & claim["receipts"].does_not_exist(),
        ),
    )


def decide_expense(
    booking: Booking,
    expense_id: str,
    status: ExpenseStatus,
    now: str,
    *,
    complaint: Complaint | None = None,
    complaint_id: str | None = None,
    events: Sequence[DomainEvent] = (),
) -> Commit:
    """pending_approval -> ``status``, once. A dispute names its complaint (``complaint_id``):
    ``complaint`` when it opens here (with its lock, in this transaction), or the overcharge
    complaint already open for the booking."""
    claim = BookingModel.expenses[expense_id]
    actions: list[Any] = [
        claim["status"].set(status.value),
        claim["decided_at"].set(now),
        BookingModel.updated_at.set(now),
    ]
    if complaint_id is not None:
        actions.append(claim["complaint_id"].set(complaint_id))
    if complaint is not None:
        actions += complaint_repo.booking_actions(complaint)

    def stage(tx: TransactWrite) -> None:
        tx.update(
            BookingModel(booking.id),
            actions=actions,
            condition=claim["status"] == ExpenseStatus.PENDING_APPROVAL.value,
        )
        if complaint is not None:
            complaint_repo.add_open_complaint(tx, complaint, update_booking=False)
        outbox.add_events(tx, events, now)

    return _transact("Deciding the expense", stage)


def record_payment(
    booking: Booking,
    payment: dict[str, Any],
    now: str,
    *,
    pending: Sequence[str],
    complaint: Complaint | None = None,
    events: Sequence[DomainEvent] = (),
) -> Commit:
    """The citizen's one payment record on a completed booking, with ``complaint`` (an
    overcharge) opened in the same transaction; conditional on the claims in ``pending``
    still awaiting an answer."""
    actions: list[Any] = [BookingModel.payment.set(payment), BookingModel.updated_at.set(now)]
    if complaint is not None:
        actions += complaint_repo.booking_actions(complaint)
    condition = (BookingModel.status == BookingStatus.COMPLETED.value) & BookingModel.payment.does_not_exist()
    unchanged = still_pending(pending)
    if unchanged is not None:
        condition = condition & unchanged

    def stage(tx: TransactWrite) -> None:
        tx.update(BookingModel(booking.id), actions=actions, condition=condition)
        if complaint is not None:
            complaint_repo.add_open_complaint(tx, complaint, update_booking=False)
        outbox.add_events(tx, events, now)

    return _transact("Recording the payment", stage)
