"""Suspension, the permanent ban and reinstatement: the only code that makes a professional
``suspended`` or ``banned``, or takes them back, and that writes the ban registry.

Separation of duties (docs/decisions.md): an upheld overcharge suspends at once and proposes the
ban; a second officer confirms it; an appeal may overturn it. Each step is ONE transaction with
the complaint it rests on, so none can be staged without it:

- ``add_suspension``: the complaint becomes ``upheld`` with ``ban.status = proposed``
  (conditional: still in the status it was read with, kind ``overcharge``, about this
  professional) and its lock is deleted; the professional becomes ``suspended`` (conditional:
  the version read); their geo index entries leave (``add_index_changes``); their ``requested``
  and ``accepted`` bookings are cancelled by the ``system`` (each conditional on the status read;
  a requested one leaves its citizen's open requests). An ``in_progress`` booking is left to its
  lifecycle.
- ``add_ban``: ``ban.status`` proposed -> confirmed on the upheld overcharge; the professional
  ``suspended`` -> ``banned`` and offline; ``ban#aadhaar#<hash>`` and ``ban#mobile#<hash>`` go on
  the registry, which registration checks in its own transaction.
- ``add_reinstatement``: the pending appeal is decided ``overturned``, ``ban.status`` confirmed
  -> overturned; the professional ``banned`` -> the status they had before the suspension,
  offline (back in the index when they go online); both registry entries deleted (only if they
  name this professional).

If any condition fails nothing is written. ``commit`` runs one of these with the audit entries
and the outbox events of the step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from pynamodb.transactions import TransactWrite

from sevamitra.data import audit, dynamo, geo_index, outbox
from sevamitra.data.complaints import add_decision
from sevamitra.data.errors import dependency_errors
from sevamitra.data.identities import IdentityKind, ban_pk
from sevamitra.data.models import (
    BookingModel,
    ComplaintModel,
    IdentityModel,
    OpenRequestsModel,
    ProfessionalModel,
)
from sevamitra.data.snapshots import ProfessionalSnapshot
from sevamitra.domain.audit import AuditEntry
from sevamitra.domain.bookings import BookingStatus, CancelledBy
from sevamitra.domain.complaints import Complaint, ComplaintKind, ComplaintStatus
from sevamitra.domain.events import DomainEvent
from sevamitra.domain.professionals import ProfessionalStatus

PROPOSED, CONFIRMED, OVERTURNED = "proposed", "confirmed", "overturned"
PENDING = "pending"
# The bookings a suspension cancels: waiting for the professional, or accepted and not begun.
WAITING = (BookingStatus.REQUESTED, BookingStatus.ACCEPTED)
SANCTIONED = (ProfessionalStatus.SUSPENDED, ProfessionalStatus.BANNED)


class WaitingBooking(NamedTuple):
    """What cancelling a waiting booking needs of it (and its citizen's notice)."""

    id: str
    status: BookingStatus
    citizen_sub: str
    professional_id: str
    service_id: str
    fee_paise: int
    counted: bool


def waiting_bookings(professional_id: str) -> Iterator[WaitingBooking]:
    """The professional's ``requested`` and ``accepted`` bookings (their list index, filtered;
    each read again consistently, as the cancellation is conditional on the status read)."""
    with dependency_errors("Listing the professional's bookings"):
        ids = [
            str(item.id)
            for item in BookingModel.by_professional.query(
                professional_id, filter_condition=BookingModel.status.is_in(*(s.value for s in WAITING))
            )
        ]
    for booking_id in ids:
        item = dynamo.read("Booking look-up", BookingModel, booking_id)
        if item is None or item.status not in WAITING or item.professional_id != professional_id:
            continue
        yield WaitingBooking(
            id=item.id,
            status=BookingStatus(item.status),
            citizen_sub=item.citizen_sub,
            professional_id=item.professional_id,
            service_id=item.service_id,
            fee_paise=int(item.fee_paise),
            counted=bool(item.counted),
        )


def _require_overcharge(complaint: Complaint, target: ProfessionalSnapshot) -> None:
    if complaint.kind is not ComplaintKind.OVERCHARGE:
        raise ValueError("only an upheld overcharge complaint bans")
    if complaint.professional_id != target.id:
        raise ValueError("the complaint is about another professional")


def add_cancellation(tx: TransactWrite, booking: WaitingBooking, at: str) -> None:
    """Cancel ``booking`` by the system, from the status it was read in."""
    tx.update(
        BookingModel(booking.id),
        actions=[
            BookingModel.status.set(BookingStatus.CANCELLED.value),
            BookingModel.awaiting.remove(),
            BookingModel.cancelled_at.set(at),
            BookingModel.cancelled_by.set(CancelledBy.SYSTEM.value),
            BookingModel.updated_at.set(at),
        ],
        condition=BookingModel.status == booking.status.value,
    )
    if booking.status is BookingStatus.REQUESTED and booking.counted:
        tx.update(OpenRequestsModel(booking.citizen_sub), actions=[OpenRequestsModel.requested.add(-1)])


def add_suspension(
    tx: TransactWrite,
    complaint: Complaint,
    decision: dict[str, Any],
    ban: dict[str, Any],
    target: ProfessionalSnapshot,
    bookings: Sequence[WaitingBooking] = (),
) -> None:
    """Decide ``complaint`` upheld with the ban proposed (``ban``, the complaint's ban record),
    suspend ``target`` and cancel ``bookings`` in ``tx`` (see the module docstring)."""
    _require_overcharge(complaint, target)
    if decision.get("outcome") != ComplaintStatus.UPHELD:
        raise ValueError("only an upheld overcharge complaint bans")
    at = str(decision["at"])
    add_decision(
        tx,
        complaint,
        decision,
        condition=(ComplaintModel.kind == ComplaintKind.OVERCHARGE.value)
        & (ComplaintModel.professional_id == target.id),
        extra=[ComplaintModel.ban.set(ban)],
    )
    actions: list[Any] = [
        ProfessionalModel.status.set(ProfessionalStatus.SUSPENDED.value),
        ProfessionalModel.updated_at.set(at),
    ]
    after = target.subject._replace(status=ProfessionalStatus.SUSPENDED.value)
    if target.active_booking_id in {b.id for b in bookings}:
        actions.append(ProfessionalModel.active_booking_id.remove())
        after = after._replace(active_booking_id=None)
    tx.update(
        target.versioned(),
        actions=actions,
        condition=ProfessionalModel.status.is_in(
            *(
                s.value
                for s in ProfessionalStatus
                if s not in (ProfessionalStatus.SUSPENDED, ProfessionalStatus.BANNED)
            )
        ),
    )
    geo_index.add_index_changes(tx, target.subject, after)
    for booking in bookings:
        add_cancellation(tx, booking, at)


def add_ban(
    tx: TransactWrite, complaint: Complaint, confirmation: dict[str, Any], target: ProfessionalSnapshot
) -> None:
    """Confirm the ban ``complaint`` (an upheld overcharge, as read) proposed and ban ``target``
    (the professional as read, with its version) in ``tx`` (see the module docstring)."""
    _require_overcharge(complaint, target)
    if complaint.status is not ComplaintStatus.UPHELD or (complaint.ban or {}).get("status") != PROPOSED:
        raise ValueError("only an upheld overcharge complaint bans")
    at = str(confirmation["confirmed_at"])
    tx.update(
        _complaint_handle(complaint.id),
        actions=[
            *(ComplaintModel.ban[key].set(value) for key, value in confirmation.items()),
            ComplaintModel.updated_at.set(at),
        ],
        condition=(ComplaintModel.status == ComplaintStatus.UPHELD.value)
        & (ComplaintModel.ban["status"] == PROPOSED)
        & (ComplaintModel.professional_id == target.id),
        add_version_condition=False,
    )
    tx.update(
        target.versioned(),
        actions=[
            ProfessionalModel.status.set(ProfessionalStatus.BANNED.value),
            ProfessionalModel.online.set(False),
            ProfessionalModel.updated_at.set(at),
        ],
        condition=ProfessionalModel.status == ProfessionalStatus.SUSPENDED.value,
    )
    after = target.subject._replace(status=ProfessionalStatus.BANNED.value, online=False)
    geo_index.add_index_changes(tx, target.subject, after)
    for kind, digest in (
        (IdentityKind.AADHAAR, target.aadhaar_hash),
        (IdentityKind.MOBILE, target.mobile_hash),
    ):
        tx.save(
            IdentityModel(
                pk=ban_pk(kind, digest),
                professional_id=target.id,
                created_at=at,
                reason=f"complaint:{complaint.id}",
            )
        )


def add_appeal(tx: TransactWrite, complaint: Complaint, appeal: dict[str, Any], filed_after: str) -> None:
    """The professional's one appeal against a confirmed ban, filed no earlier than
    ``filed_after`` (the window's opening) and only while none exists."""
    tx.update(
        _complaint_handle(complaint.id),
        actions=[ComplaintModel.appeal.set(appeal), ComplaintModel.updated_at.set(str(appeal["at"]))],
        condition=(ComplaintModel.ban["status"] == CONFIRMED)
        & (ComplaintModel.ban["confirmed_at"] >= filed_after)
        & ComplaintModel.appeal.does_not_exist(),
        add_version_condition=False,
    )


def add_appeal_decision(tx: TransactWrite, complaint: Complaint, decision: dict[str, Any]) -> None:
    """Decide the pending appeal (``upheld``: the ban stands; nothing else changes)."""
    tx.update(
        _complaint_handle(complaint.id),
        actions=[
            *(ComplaintModel.appeal[key].set(value) for key, value in decision.items()),
            ComplaintModel.updated_at.set(str(decision["decided_at"])),
        ],
        condition=(ComplaintModel.appeal["status"] == PENDING) & (ComplaintModel.ban["status"] == CONFIRMED),
        add_version_condition=False,
    )


def add_reinstatement(
    tx: TransactWrite, complaint: Complaint, decision: dict[str, Any], target: ProfessionalSnapshot
) -> None:
    """Overturn the ban on appeal: the appeal decided, ``ban.status`` overturned, the professional
    back to the status they had before the suspension (and the index if eligible), and both
    registry entries deleted (see the module docstring)."""
    _require_overcharge(complaint, target)
    at = str(decision["decided_at"])
    tx.update(
        _complaint_handle(complaint.id),
        actions=[
            *(ComplaintModel.appeal[key].set(value) for key, value in decision.items()),
            ComplaintModel.ban["status"].set(OVERTURNED),
            ComplaintModel.ban["overturned_at"].set(at),
            ComplaintModel.updated_at.set(at),
        ],
        condition=(ComplaintModel.appeal["status"] == PENDING)
        & (ComplaintModel.ban["status"] == CONFIRMED)
        & (ComplaintModel.professional_id == target.id),
        add_version_condition=False,
    )
    restored = str((complaint.ban or {}).get("status_before") or ProfessionalStatus.VERIFIED.value)
    # Reinstated offline (as the ban left them): they come back into matching by going online
    # themselves, so this transaction never writes the index (docs/decisions.md).
    tx.update(
        target.versioned(),
        actions=[
            ProfessionalModel.status.set(restored),
            ProfessionalModel.online.set(False),
            ProfessionalModel.updated_at.set(at),
        ],
        condition=ProfessionalModel.status == ProfessionalStatus.BANNED.value,
    )
    geo_index.add_index_changes(tx, target.subject, target.subject._replace(status=restored, online=False))
    for kind, digest in (
        (IdentityKind.AADHAAR, target.aadhaar_hash),
        (IdentityKind.MOBILE, target.mobile_hash),
    ):
        tx.delete(
            IdentityModel(pk=ban_pk(kind, digest)),
            condition=IdentityModel.professional_id == target.id,
        )


def _identities(target: ProfessionalSnapshot) -> tuple[tuple[IdentityKind, str], ...]:
    return ((IdentityKind.AADHAAR, target.aadhaar_hash), (IdentityKind.MOBILE, target.mobile_hash))


def _complaint_handle(complaint_id: str) -> ComplaintModel:
    item = ComplaintModel(id=complaint_id)
    item.version = 0
    return item


def commit(
    what: str,
    stage: Callable[[TransactWrite], None],
    entries: Sequence[AuditEntry],
    events: Sequence[DomainEvent],
    at: str,
) -> bool:
    """One step as one transaction: ``stage``'s writes, the audit ``entries`` and the outbox
    ``events``. False when a condition failed or a concurrent transaction met it (nothing was
    written: the caller re-reads and judges again)."""

    def add(tx: TransactWrite) -> None:
        stage(tx)
        for entry in entries:
            audit.add_entry(tx, entry)
        outbox.add_events(tx, events, at)

    outcome = dynamo.transact(what, add)
    if outcome.done:
        return True
    if outcome.cancelled and (outcome.condition_failed or outcome.conflict):
        return False
    outcome.reraise()


def add_followup_cancellation(
    tx: TransactWrite, booking: WaitingBooking, target: ProfessionalSnapshot, at: str
) -> None:
    """Cancel one waiting booking of a suspended or banned ``target`` (``add_cancellation``),
    freeing them if they hold it."""
    add_cancellation(tx, booking, at)
    if target.active_booking_id == booking.id:
        tx.update(
            target.versioned(),
            actions=[ProfessionalModel.active_booking_id.remove()],
            condition=ProfessionalModel.status.is_in(*(s.value for s in SANCTIONED)),
        )
