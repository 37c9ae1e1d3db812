"""The complaints repository. Opening a complaint is one transaction of three writes:

- the complaint itself (only if its id is new), in the sparse ``open_by_due`` index;
- the lock ``lock#<booking_id>#<kind>`` (only if absent): one unresolved complaint per booking and
  kind, so a citizen's complaint and the automatic one at completion cannot both open;
- the booking's ``complaint_ids`` (``ADD``), only if the booking exists.

Other write paths (a booking's completion) stage the same writes into THEIR transaction with
``stage_open_complaint``; deciding a complaint must delete its lock in the same transaction.
"""

from __future__ import annotations

from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from sevamitra.complaints import OPEN_FLAG, Complaint, ComplaintKind
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import BookingModel, ComplaintModel
from sevamitra.errors import Conflict, NotFound
from sevamitra.settings import settings


def lock_id(booking_id: str, kind: ComplaintKind | str) -> str:
    return f"lock#{booking_id}#{ComplaintKind(kind).value}"


def _connection() -> Connection:
    return Connection(region=settings().aws_region)


def _to_item(complaint: Complaint) -> ComplaintModel:
    values = complaint.model_dump(mode="json", exclude={"version"}, exclude_none=True)
    return ComplaintModel(**values, open_flag=OPEN_FLAG)


def _to_domain(item: ComplaintModel) -> Complaint:
    values = item.to_simple_dict()
    values.pop("open_flag", None)
    return Complaint.model_validate(values)


def booking_actions(complaint: Complaint) -> list[Any]:
    """The update that lists ``complaint`` on its booking (``complaint_ids``)."""
    return [BookingModel.complaint_ids.add({complaint.id})]


def stage_open_complaint(tx: TransactWrite, complaint: Complaint, *, update_booking: bool = True) -> None:
    """Add the three writes that open ``complaint`` to ``tx`` (see the module docstring). The
    lock's refusal surfaces as a cancelled transaction; ``open_complaint`` explains it.

    A transaction may touch an item only once: a caller that updates the booking in the same
    transaction (completion) passes ``update_booking=False`` and adds ``booking_actions(...)`` to
    its own update of the booking."""
    tx.save(_to_item(complaint), condition=ComplaintModel.id.does_not_exist())
    tx.save(
        ComplaintModel(
            id=lock_id(complaint.booking_id, complaint.kind),
            complaint_id=complaint.id,
            booking_id=complaint.booking_id,
            kind=complaint.kind.value,
            created_at=complaint.created_at,
        ),
        condition=ComplaintModel.id.does_not_exist(),
    )
    if update_booking:
        tx.update(
            BookingModel(complaint.booking_id),
            actions=booking_actions(complaint),
            condition=BookingModel.id.exists(),
        )


def holder_of_lock(booking_id: str, kind: ComplaintKind | str) -> str | None:
    """The complaint holding the booking's lock for ``kind``, if any."""
    with dependency_errors("Complaint look-up"):
        try:
            item = ComplaintModel.get(lock_id(booking_id, kind), consistent_read=True)
        except ComplaintModel.DoesNotExist:
            return None
    return item.complaint_id


def open_complaint(complaint: Complaint) -> Complaint:
    """Open ``complaint``, or ``Conflict("complaint_exists")`` naming the complaint already open
    for that booking and kind."""
    with dependency_errors("Opening the complaint"):
        try:
            with TransactWrite(connection=_connection()) as tx:
                stage_open_complaint(tx, complaint)
        except TransactWriteError as exc:
            if exc.cause_response_code != "TransactionCanceledException":
                raise
            existing = holder_of_lock(complaint.booking_id, complaint.kind)
            if existing:
                raise Conflict("complaint_exists", details=[{"complaint_id": existing}]) from exc
            raise
    return complaint


def get_complaint(complaint_id: str) -> Complaint | None:
    if complaint_id.startswith("lock#"):
        return None
    with dependency_errors("Complaint look-up"):
        try:
            return _to_domain(ComplaintModel.get(complaint_id, consistent_read=True))
        except ComplaintModel.DoesNotExist:
            return None


def load_complaint(complaint_id: str) -> Complaint:
    complaint = get_complaint(complaint_id)
    if complaint is None:
        raise NotFound(message="No complaint with that id.")
    return complaint
