"""The sanctions an upheld overcharge brings, in the order of separation of duties
(docs/decisions.md, "Four eyes on a lifetime ban"): the deciding officer's suspension (in
``logic.resolve``, with the waiting bookings it cancels), a second officer's confirmation of the
ban, and the follow-up that cancels bookings a decision's transaction had no room for."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from complaint import duties
from sevamitra.data import audit, bans, snapshots
from sevamitra.data import complaints as repo
from sevamitra.domain.audit import AuditAction, next_entry
from sevamitra.domain.bookings import CancelledBy
from sevamitra.domain.complaints import Complaint, ComplaintKind, ComplaintStatus
from sevamitra.domain.events import DomainEvent, Kind, ban_confirmed, banned, event_id
from sevamitra.domain.professionals import ProfessionalStatus
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict, DependencyFailed, Throttled
from sevamitra.platform import bus
from sevamitra.platform.clock import Clock, iso, parse_iso, utc_now
from sevamitra.platform.observability import logger

SANCTIONED = frozenset({ProfessionalStatus.SUSPENDED.value, ProfessionalStatus.BANNED.value})
# A decision's transaction holds the complaint, its lock, the professional, their geo entries
# (one per service), two audit entries and the outbox events: well under DynamoDB's 100 items
# with this many cancelled bookings (2 items and an event each). A professional holds one
# active booking at a time, so more is never expected; any beyond are cancelled right after
# the commit by ``cancel_waiting_bookings`` (idempotent: each is conditional on its status).
CANCEL_IN_DECISION = 20
APPEAL_WINDOW = timedelta(days=30)
ATTEMPTS = 5


def cancelled_event(booking: bans.WaitingBooking, at: str) -> DomainEvent:
    """The citizen hears that their booking was cancelled by the system (as ``booking_event``
    names a booking's cancellation: once per booking)."""
    return DomainEvent(
        event_id=event_id(Kind.BOOKING_CANCELLED, booking.id),
        kind=Kind.BOOKING_CANCELLED,
        at=at,
        booking_id=booking.id,
        professional_id=booking.professional_id,
        citizen_sub=booking.citizen_sub,
        facts={
            "service_id": booking.service_id,
            "fee_paise": booking.fee_paise,
            "cancelled_by": CancelledBy.SYSTEM.value,
        },
    )


def cancel_waiting_bookings(professional_id: str, *, clock: Clock = utc_now) -> int:
    """Cancel the waiting bookings a suspended or banned professional still has (normally none:
    the decision's transaction cancelled them). Idempotent; returns how many it cancelled."""
    cancelled = 0
    for booking in bans.waiting_bookings(professional_id):
        target = snapshots.professional(professional_id)
        if target is None or target.status not in SANCTIONED:
            return cancelled
        at = iso(clock())
        events = [cancelled_event(booking, at)]
        if bans.commit(
            "Cancelling a suspended professional's booking",
            partial(bans.add_followup_cancellation, booking=booking, target=target, at=at),
            (),
            events,
            at,
        ):
            bus.emit(events)
            cancelled += 1
    return cancelled


def cancel_leftovers(professional_id: str, *, clock: Clock = utc_now) -> None:
    """``cancel_waiting_bookings`` after a committed step, which it must not turn into an error:
    a failure is logged and the next step (the ban's confirmation) runs it again."""
    try:
        cancel_waiting_bookings(professional_id, clock=clock)
    except (DependencyFailed, Throttled):
        logger.warning("waiting bookings left to cancel", extra={"professional_id": professional_id})


def appeal_deadline(confirmed_at: str) -> str:
    return iso(parse_iso(confirmed_at) + APPEAL_WINDOW)


def _why_not_confirmable(complaint: Complaint) -> Conflict:
    status = (complaint.ban or {}).get("status")
    if status is not None and status != bans.PROPOSED:
        return Conflict("already_confirmed", details=[{"ban": status}])
    return Conflict(
        "no_ban_proposed",
        "Only an upheld overcharge complaint that suspended the professional proposes a ban.",
    )


def confirm_ban(
    caller: Caller, complaint_id: str, remarks: str | None, *, clock: Clock = utc_now
) -> Complaint:
    """The second officer's confirmation of the ban an upheld overcharge proposed: not the officer
    who upheld it (403 ``four_eyes_required``), no party to the complaint (403
    ``conflict_of_interest``); once (409 ``already_confirmed``). The professional becomes
    ``banned`` and both identities go on the registry in one transaction with the audit entry and
    the ``ban_confirmed`` event. Of two officers confirming at once exactly one wins."""
    caller.require_officer()
    complaint = repo.load_complaint(complaint_id)
    proposed_by = (complaint.ban or {}).get("proposed_by")
    duties.require_other_officer(caller, proposed_by, (complaint.decision or {}).get("by"))
    duties.require_no_conflict(caller, complaint)
    for _ in range(ATTEMPTS):
        if (
            complaint.kind is not ComplaintKind.OVERCHARGE
            or complaint.status is not ComplaintStatus.UPHELD
            or (complaint.ban or {}).get("status") != bans.PROPOSED
        ):
            raise _why_not_confirmable(complaint)
        target = snapshots.professional(complaint.professional_id)
        if target is None or target.status != ProfessionalStatus.SUSPENDED:
            raise Conflict("invalid_transition", "The professional is not suspended.")
        at = iso(clock())
        confirmation = {
            "status": bans.CONFIRMED,
            "confirmed_by": caller.sub,
            "confirmed_at": at,
            "appeal_by": appeal_deadline(at),
        }
        if remarks:
            confirmation["confirm_remarks"] = remarks
        entry = next_entry(
            audit.head(target.id),
            subject=target.id,
            at=at,
            actor=caller.sub,
            action=AuditAction.BANNED,
            evidence={
                "complaint_id": complaint.id,
                "registry": ["aadhaar", "mobile"],
                "permanent": True,
                "proposed_by": proposed_by,
                "remarks": remarks or (complaint.decision or {}).get("remarks"),
            },
        )
        # ``banned`` (the status, inbox only) and ``ban_confirmed`` (the SMS: it also tells of the
        # appeal window), so one SMS says both.
        events = [
            banned(target.id, complaint.id, at),
            ban_confirmed(target.id, complaint.id, at, confirmation["appeal_by"]),
        ]
        if bans.commit(
            "Confirming the ban",
            partial(bans.add_ban, complaint=complaint, confirmation=confirmation, target=target),
            [entry],
            events,
            at,
        ):
            logger.info("ban confirmed", extra={"complaint_id": complaint.id})
            bus.emit(events)
            if (complaint.ban or {}).get("cancelled_bookings") and len(
                (complaint.ban or {})["cancelled_bookings"]
            ) >= CANCEL_IN_DECISION:
                cancel_leftovers(target.id, clock=clock)
            return complaint.model_copy(
                update={"ban": {**(complaint.ban or {}), **confirmation}, "updated_at": at}
            )
        complaint = repo.load_complaint(complaint_id)
    raise DependencyFailed(message="The case is changing too often to confirm now; it is safe to retry.")
