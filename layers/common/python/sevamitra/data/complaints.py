"""The complaints repository. Opening a complaint is one transaction of three writes:

- the complaint itself (only if its id is new), in the sparse ``open_by_due`` index;
- the lock ``lock#<booking_id>#<kind>`` (only if absent): one unresolved complaint per booking and
  kind, so a citizen's complaint and the automatic one at completion cannot both open;
- the booking's ``complaint_ids`` (``ADD``), only if the booking exists.

Other write paths (a booking's completion) stage the same writes into THEIR transaction with
``add_open_complaint``; deciding a complaint must delete its lock in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from pynamodb.expressions.condition import Condition, size
from pynamodb.transactions import TransactWrite

from sevamitra.data import dynamo, outbox, pages
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import BookingModel, ComplaintModel
from sevamitra.domain.complaints import IGRS_OUTBOX_FLAG, OPEN_FLAG, Complaint, ComplaintKind, ComplaintStatus
from sevamitra.domain.events import DomainEvent
from sevamitra.edge.errors import Conflict, NotFound

# The key family of the locks (infra/access.py lets only decisions delete, and only these).
LOCK_PREFIX = "lock#"


def lock_id(booking_id: str, kind: ComplaintKind | str) -> str:
    return f"{LOCK_PREFIX}{booking_id}#{ComplaintKind(kind).value}"


def _to_item(complaint: Complaint) -> ComplaintModel:
    values = complaint.model_dump(mode="json", exclude={"version"}, exclude_none=True)
    # The list indexes' sort key (as bookings': ``<created_at>#<id>``, one total order).
    listed_at = f"{complaint.created_at}#{complaint.id}"
    return ComplaintModel(**values, open_flag=OPEN_FLAG, listed_at=listed_at)


def _to_domain(item: ComplaintModel) -> Complaint:
    values = item.to_simple_dict()
    values.pop("open_flag", None)
    values.pop("listed_at", None)
    return Complaint.model_validate(values)


def booking_actions(complaint: Complaint) -> list[Any]:
    """The update that lists ``complaint`` on its booking (``complaint_ids``)."""
    return [BookingModel.complaint_ids.add({complaint.id})]


def add_open_complaint(tx: TransactWrite, complaint: Complaint, *, update_booking: bool = True) -> None:
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
    item = dynamo.read("Complaint look-up", ComplaintModel, lock_id(booking_id, kind))
    return None if item is None else item.complaint_id


def open_complaint(complaint: Complaint, events: Sequence[DomainEvent] = ()) -> Complaint:
    """Open ``complaint`` (with ``events`` in the outbox), or ``Conflict("complaint_exists")``
    naming the complaint already open for that booking and kind."""

    def add(tx: TransactWrite) -> None:
        add_open_complaint(tx, complaint)
        outbox.add_events(tx, events, complaint.created_at)

    outcome = dynamo.transact("Opening the complaint", add)
    if outcome.done:
        return complaint
    if outcome.cancelled:
        existing = holder_of_lock(complaint.booking_id, complaint.kind)
        if existing:
            raise Conflict("complaint_exists", details=[{"complaint_id": existing}]) from outcome.error
    outcome.reraise()


def get_complaint(complaint_id: str) -> Complaint | None:
    if complaint_id.startswith(LOCK_PREFIX):
        return None
    item = dynamo.read("Complaint look-up", ComplaintModel, complaint_id)
    return None if item is None else _to_domain(item)


def load_complaint(complaint_id: str) -> Complaint:
    complaint = get_complaint(complaint_id)
    if complaint is None:
        raise NotFound(message="No complaint with that id.")
    return complaint


# --- lists ---------------------------------------------------------------------------------------

# The list indexes by name (``GET /complaints``): the logic chooses partitions, this reads them.
LIST_INDEXES = {
    "by_status": ComplaintModel.by_status,
    "by_district": ComplaintModel.by_district,
    "by_complainant": ComplaintModel.by_complainant,
    "by_professional": ComplaintModel.by_professional,
    "by_registrar": ComplaintModel.by_registrar,
    "by_agency": ComplaintModel.by_agency,
}


def list_complaints(
    partitions: Sequence[tuple[str, str]],
    *,
    status: str | None,
    kind: str | None,
    district: str | None,
    overdue_at: str | None,
    limit: int,
    state: Mapping[str, Any] | None,
) -> pages.Page[Complaint]:
    """Complaints in the union of ``partitions`` (``(index name, key value)``), newest first,
    filtered: ``overdue_at`` keeps the undecided ones (open or escalated) due at or before it."""
    undecided = ComplaintModel.status.is_in(ComplaintStatus.OPEN.value, ComplaintStatus.ESCALATED.value)
    conditions = {
        "status": ComplaintModel.status == status if status else (undecided if overdue_at else None),
        "kind": ComplaintModel.kind == kind if kind else None,
        "district": ComplaintModel.district == district if district else None,
        "due_by": ComplaintModel.due_by <= overdue_at if overdue_at else None,
    }
    return pages.newest_first(
        pages.partitions_of(LIST_INDEXES, partitions, conditions),
        limit,
        state,
        lambda raw: _to_domain(ComplaintModel.from_raw_data(raw)),
    )


# --- the booking a complaint is about -----------------------------------------------------------


class BookingFacts(NamedTuple):
    """What a complaint needs to know about its booking."""

    id: str
    status: str
    citizen_sub: str
    professional_id: str
    service_id: str
    fee_paise: int
    reason: str | None = None  # why an expired booking expired (not_started: a no-show)


def get_booking(booking_id: str) -> BookingFacts | None:
    item = dynamo.read("Booking look-up", BookingModel, booking_id)
    if item is None:
        return None
    return BookingFacts(
        id=item.id,
        status=item.status,
        citizen_sub=item.citizen_sub,
        professional_id=item.professional_id,
        service_id=item.service_id,
        fee_paise=int(item.fee_paise),
        reason=item.reason,
    )


# --- changes to an open complaint ---------------------------------------------------------------


def _detached(complaint_id: str) -> ComplaintModel:
    """A handle for a conditional update by key that increments the stored version (ADD 1)."""
    item = ComplaintModel(id=complaint_id)
    item.version = 0
    return item


def _update(complaint_id: str, actions: list[Any], condition: Condition, what: str) -> bool:
    """True when applied, False when ``condition`` did not hold."""
    return dynamo.conditional(
        what,
        lambda: _detached(complaint_id).update(
            actions=actions, condition=condition, add_version_condition=False
        ),
    )


def record_response(complaint: Complaint, response: dict[str, Any], now: str) -> bool:
    """The professional's one response, only while the complaint is open and not yet due."""
    return _update(
        complaint.id,
        [ComplaintModel.response.set(response), ComplaintModel.updated_at.set(now)],
        (ComplaintModel.status == ComplaintStatus.OPEN.value)
        & ComplaintModel.response.does_not_exist()
        & (ComplaintModel.due_by > now),
        "Recording the response",
    )


def record_evidence(
    complaint_id: str, evidence_id: str, record: dict[str, Any], now: str, place: int
) -> bool:
    """Remember a requested evidence upload as the complaint's file number ``place`` (0-based),
    while the complaint is undecided and holds exactly ``place`` files: two uploads never share
    a place, so the files list in the order they were asked for. False when that no longer
    holds (the caller re-reads: decided meanwhile, or another upload took the place)."""
    undecided = ComplaintModel.status.is_in(ComplaintStatus.OPEN.value, ComplaintStatus.ESCALATED.value)
    if place:
        return _update(
            complaint_id,
            [ComplaintModel.evidence[evidence_id].set(record), ComplaintModel.updated_at.set(now)],
            undecided & (size(ComplaintModel.evidence) == place),
            "Recording the evidence",
        )
    # The first upload creates the map (a nested SET needs its parent).
    return _update(
        complaint_id,
        [ComplaintModel.evidence.set({evidence_id: record}), ComplaintModel.updated_at.set(now)],
        undecided & ComplaintModel.evidence.does_not_exist(),
        "Recording the evidence",
    )


def add_decision(
    tx: TransactWrite,
    complaint: Complaint,
    decision: dict[str, Any],
    *,
    condition: Condition | None = None,
    extra: Sequence[Any] = (),
) -> None:
    """Decide ``complaint`` in ``tx``: conditional on the status it was read with (so a decision
    and an escalation, or two decisions, cannot both apply) and ``condition``; its lock is deleted
    in the same transaction so a new complaint of that kind may open. A complaint whose IGRS event
    is still to be emitted keeps its place in the outbox (``escalation.emitted`` false)."""
    actions: list[Any] = [
        ComplaintModel.status.set(str(decision["outcome"])),
        ComplaintModel.decision.set(decision),
        ComplaintModel.updated_at.set(str(decision["at"])),
        *extra,
    ]
    if not pending_emit(complaint):
        actions.append(ComplaintModel.open_flag.remove())
    expected = ComplaintModel.status == complaint.status.value
    tx.update(
        _detached(complaint.id),
        actions=actions,
        condition=expected if condition is None else expected & condition,
        add_version_condition=False,
    )
    tx.delete(
        ComplaintModel(id=lock_id(complaint.booking_id, complaint.kind)),
        condition=(ComplaintModel.complaint_id == complaint.id) | ComplaintModel.id.does_not_exist(),
        add_version_condition=False,
    )


# --- escalation to IGRS ---------------------------------------------------------------------------


def pending_emit(complaint: Complaint) -> bool:
    return bool(complaint.escalation) and not (complaint.escalation or {}).get("emitted")


def overdue_ids(now: str) -> Iterator[str]:
    """Open complaints with ``due_by <= now`` (the sparse ``open_by_due`` index; pynamodb pages)."""
    with dependency_errors("Listing overdue complaints"):
        for item in ComplaintModel.open_by_due.query(OPEN_FLAG, ComplaintModel.due_by <= now):
            yield str(item.id)


def unemitted_ids() -> Iterator[str]:
    """Escalated complaints whose IGRS event has not been confirmed yet (the outbox partition)."""
    with dependency_errors("Listing pending escalations"):
        for item in ComplaintModel.open_by_due.query(IGRS_OUTBOX_FLAG):
            yield str(item.id)


def record_escalation(
    complaint: Complaint, escalation: dict[str, Any], now: str, events: Sequence[DomainEvent] = ()
) -> bool:
    """open -> escalated, once: the complaint leaves the open partition for the outbox partition
    of ``open_by_due`` until its event is confirmed, with ``events`` (the officers'
    ``complaint_escalated``) in the outbox, in one transaction. False if it is no longer open."""

    def add(tx: TransactWrite) -> None:
        tx.update(
            _detached(complaint.id),
            actions=[
                ComplaintModel.status.set(ComplaintStatus.ESCALATED.value),
                ComplaintModel.escalation.set(escalation),
                ComplaintModel.open_flag.set(IGRS_OUTBOX_FLAG),
                ComplaintModel.updated_at.set(now),
            ],
            condition=(ComplaintModel.status == ComplaintStatus.OPEN.value)
            & (ComplaintModel.open_flag == OPEN_FLAG)
            & (ComplaintModel.due_by <= now),
            add_version_condition=False,
        )
        outbox.add_events(tx, events, now)

    outcome = dynamo.transact("Escalating the complaint", add)
    if outcome.done:
        return True
    if outcome.condition_failed or outcome.conflict:  # decided meanwhile, or the next run's
        return False
    outcome.reraise()


def record_emitted(complaint_id: str, event_id: str | None, now: str) -> bool:
    """The IGRS event went out: mark it and leave the outbox. False if already marked."""
    actions: list[Any] = [
        ComplaintModel.escalation["emitted"].set(True),
        ComplaintModel.escalation["emitted_at"].set(now),
        ComplaintModel.open_flag.remove(),
    ]
    if event_id:
        actions.append(ComplaintModel.escalation["igrs_event_id"].set(event_id))
    return _update(
        complaint_id,
        actions,
        (ComplaintModel.open_flag == IGRS_OUTBOX_FLAG) & (ComplaintModel.escalation["emitted"] == False),  # noqa: E712
        "Recording the IGRS event",
    )
