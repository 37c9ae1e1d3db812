"""Domain events: what happened, to which aggregate, for whoever must hear of it (``notify``).

Each event has a fixed ``kind`` (API.md, "Notifications") and a deterministic ``event_id`` made
of the kind, the aggregate and the transition that produced it, so a re-published event (the
outbox sweep, a retried workflow step) is recognisably the same one and sends nothing twice.

Events carry ids and the few facts a message needs (a fee, an amount, a deadline); never a start
code, an Aadhaar number or a mobile number. Whoever renders a message looks the rest up.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, Field

from sevamitra.domain.types import Model

if TYPE_CHECKING:
    from sevamitra.domain.bookings import Booking
    from sevamitra.domain.complaints import Complaint

# EventBridge ``source`` of every domain event; the ``detail-type`` is the kind.
SOURCE = "sevamitra.events"


class Kind(StrEnum):
    BOOKING_REQUESTED = "booking_requested"
    BOOKING_ACCEPTED = "booking_accepted"
    BOOKING_EXPIRED = "booking_expired"
    BOOKING_CANCELLED = "booking_cancelled"
    BOOKING_STARTED = "booking_started"
    BOOKING_COMPLETED = "booking_completed"
    COMPLAINT_OPENED = "complaint_opened"
    COMPLAINT_DECIDED = "complaint_decided"
    VERIFICATION_DECIDED = "verification_decided"
    SUSPENDED = "suspended"
    BANNED = "banned"
    BAN_CONFIRMED = "ban_confirmed"
    PROFESSIONAL_AVAILABLE = "professional_available"
    JOB_OFFER = "job_offer"
    # The jobs function's (``sevamitra.domain.job_events``): API.md names only job_offer; the
    # rest tell the employer (and, where it concerns them, the worker) how a post is going.
    JOB_APPLICATION = "job_application"
    JOB_OFFER_ACCEPTED = "job_offer_accepted"
    JOB_OFFER_DECLINED = "job_offer_declined"
    JOB_OFFER_LAPSED = "job_offer_lapsed"
    JOB_FILLED = "job_filled"
    ATTENDANCE_DISPUTED = "attendance_disputed"
    ENGAGEMENT_ENDED = "engagement_ended"
    # Beyond API.md's names: a scheduled booking's reminder, REMINDER_LEAD_S before it, to both.
    BOOKING_REMINDER = "booking_reminder"
    # Beyond API.md's names: the officers' queues (issue 15), each to the queue's feed: a
    # professional submitted for verification, an upheld overcharge's ban awaiting a second
    # officer, a complaint escalated past ``due_by`` (officers of the district), an appeal filed
    # (the appellate authority). ``complaint_opened`` reaches the district's officers too.
    VERIFICATION_SUBMITTED = "verification_submitted"
    BAN_PROPOSED = "ban_proposed"
    COMPLAINT_ESCALATED = "complaint_escalated"
    APPEAL_FILED = "appeal_filed"
    # Beyond API.md's names (issue 18): IGRS's word on an escalated complaint, to both sides; a
    # professional's claim for materials, to the citizen who must approve or dispute it.
    IGRS_STATUS = "igrs_status"
    EXPENSE_CLAIMED = "expense_claimed"


Fact = str | int | bool | None


class DomainEvent(Model):
    """One event as it travels (the EventBridge ``detail``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str
    kind: Kind
    at: str
    booking_id: str | None = None
    complaint_id: str | None = None
    job_id: str | None = None
    professional_id: str | None = None
    # The account on the citizen's side (who booked, who complained, who set a match alert).
    citizen_sub: str | None = None
    facts: dict[str, Fact] = Field(default_factory=dict)

    def detail(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


def event_id(kind: Kind, *parts: str) -> str:
    """``<kind>:<aggregate>[:<transition>]``: the same transition always gets the same id."""
    return ":".join((kind.value, *parts))


def booking_event(kind: Kind, booking: Booking, at: str, **facts: Fact) -> DomainEvent:
    """An event of ``booking``'s lifecycle. Every booking transition happens once, so the booking
    id names it; a request names its professional too (a booking re-offered to another
    professional is a new request)."""
    parts = [booking.id]
    if kind is Kind.BOOKING_REQUESTED:
        parts.append(booking.professional_id)
    return DomainEvent(
        event_id=event_id(kind, *parts),
        kind=kind,
        at=at,
        booking_id=booking.id,
        professional_id=booking.professional_id,
        citizen_sub=booking.citizen_sub,
        facts={
            "service_id": booking.service_id,
            "fee_paise": booking.fee_paise,
            **_helpline(booking),
            **facts,
        },
    )


def _helpline(booking: Booking) -> dict[str, Fact]:
    """``by_helpline``: booked by the helpline for a caller without the app, whose updates go by
    SMS (notify's ``caller`` audience)."""
    return {"by_helpline": True} if booking.booked_by else {}


def booking_requested(booking: Booking) -> DomainEvent:
    return booking_event(Kind.BOOKING_REQUESTED, booking, booking.created_at, expires_at=booking.expires_at)


def complaint_opened(complaint: Complaint) -> DomainEvent:
    """To the professional: what is alleged, and until when they should respond (the complaint's
    ``respond_by``; ``due_by`` for a complaint opened before that window existed)."""
    return DomainEvent(
        event_id=event_id(Kind.COMPLAINT_OPENED, complaint.id),
        kind=Kind.COMPLAINT_OPENED,
        at=complaint.created_at,
        booking_id=complaint.booking_id,
        complaint_id=complaint.id,
        professional_id=complaint.professional_id,
        citizen_sub=complaint.complainant_sub,
        facts={
            "complaint_kind": complaint.kind.value,
            "respond_by": complaint.respond_by or complaint.due_by,
            "opened_by": complaint.opened_by.value,
            # The officers of the district hear of it too (their queue; notify's feeds).
            **({"district": complaint.district} if complaint.district else {}),
        },
    )


def complaint_decided(complaint: Complaint, outcome: str, at: str) -> DomainEvent:
    return DomainEvent(
        event_id=event_id(Kind.COMPLAINT_DECIDED, complaint.id),
        kind=Kind.COMPLAINT_DECIDED,
        at=at,
        booking_id=complaint.booking_id,
        complaint_id=complaint.id,
        professional_id=complaint.professional_id,
        citizen_sub=complaint.complainant_sub,
        facts={"complaint_kind": complaint.kind.value, "outcome": outcome},
    )


def banned(professional_id: str, complaint_id: str, at: str) -> DomainEvent:
    """A professional is banned once; the complaint that banned them is named."""
    return DomainEvent(
        event_id=event_id(Kind.BANNED, professional_id),
        kind=Kind.BANNED,
        at=at,
        complaint_id=complaint_id,
        professional_id=professional_id,
    )


def verification_decided(professional_id: str, request_id: str, outcome: str, at: str) -> DomainEvent:
    """One decision per police request (a resubmission makes a new request)."""
    return DomainEvent(
        event_id=event_id(Kind.VERIFICATION_DECIDED, professional_id, request_id),
        kind=Kind.VERIFICATION_DECIDED,
        at=at,
        professional_id=professional_id,
        facts={"outcome": outcome},
    )


def suspended(professional_id: str, complaint_id: str, at: str) -> DomainEvent:
    """An upheld overcharge suspends the professional at once (the ban is proposed); one per
    complaint."""
    return DomainEvent(
        event_id=event_id(Kind.SUSPENDED, professional_id, complaint_id),
        kind=Kind.SUSPENDED,
        at=at,
        complaint_id=complaint_id,
        professional_id=professional_id,
    )


def ban_confirmed(professional_id: str, complaint_id: str, at: str, appeal_by: str) -> DomainEvent:
    """A second officer confirmed the ban; the professional may appeal until ``appeal_by``."""
    return DomainEvent(
        event_id=event_id(Kind.BAN_CONFIRMED, professional_id, complaint_id),
        kind=Kind.BAN_CONFIRMED,
        at=at,
        complaint_id=complaint_id,
        professional_id=professional_id,
        facts={"appeal_by": appeal_by},
    )


# --- the officers' queues (issue 15) -----------------------------------------------------------


def verification_submitted(professional_id: str, submission: int, district: str, at: str) -> DomainEvent:
    """A professional's submission number ``submission``, for the officers of their district."""
    return DomainEvent(
        event_id=event_id(Kind.VERIFICATION_SUBMITTED, professional_id, str(submission)),
        kind=Kind.VERIFICATION_SUBMITTED,
        at=at,
        professional_id=professional_id,
        facts={"district": district},
    )


def _complaint_facts(complaint: Complaint) -> dict[str, Fact]:
    facts: dict[str, Fact] = {"complaint_kind": complaint.kind.value}
    if complaint.district:
        facts["district"] = complaint.district
    return facts


def ban_proposed(complaint: Complaint, at: str) -> DomainEvent:
    """An upheld overcharge proposed a ban that a second officer of the district must confirm
    (four eyes): once per complaint."""
    return DomainEvent(
        event_id=event_id(Kind.BAN_PROPOSED, complaint.id),
        kind=Kind.BAN_PROPOSED,
        at=at,
        booking_id=complaint.booking_id,
        complaint_id=complaint.id,
        professional_id=complaint.professional_id,
        facts=_complaint_facts(complaint),
    )


def complaint_escalated(complaint: Complaint, at: str) -> DomainEvent:
    """A complaint still open at ``due_by`` went to IGRS: once per complaint."""
    return DomainEvent(
        event_id=event_id(Kind.COMPLAINT_ESCALATED, complaint.id),
        kind=Kind.COMPLAINT_ESCALATED,
        at=at,
        booking_id=complaint.booking_id,
        complaint_id=complaint.id,
        professional_id=complaint.professional_id,
        facts={**_complaint_facts(complaint), "due_by": complaint.due_by},
    )


def appeal_filed(complaint: Complaint, at: str) -> DomainEvent:
    """The professional appealed the confirmed ban (once per complaint): the appellate queue."""
    return DomainEvent(
        event_id=event_id(Kind.APPEAL_FILED, complaint.id),
        kind=Kind.APPEAL_FILED,
        at=at,
        complaint_id=complaint.id,
        professional_id=complaint.professional_id,
        facts=_complaint_facts(complaint),
    )


# --- issue 18's notification gaps --------------------------------------------------------------

# IGRS's remarks travel in the event cut to this many characters (a message quotes them short),
# any run of digits long enough to be a phone or Aadhaar number masked: free text from outside.
IGRS_REMARKS_CHARS = 100
_NUMBER_LIKE = re.compile(r"\d[\d \-]{4,}\d")


def short_remarks(remarks: str) -> str:
    return _NUMBER_LIKE.sub("***", remarks.strip())[:IGRS_REMARKS_CHARS]


def igrs_status(complaint: Complaint, status: str, remarks: str | None, at: str) -> DomainEvent:
    """IGRS changed the escalation's status: both sides hear it (once per status)."""
    facts: dict[str, Fact] = {**_complaint_facts(complaint), "igrs_status": status}
    if remarks:
        facts["igrs_remarks"] = short_remarks(remarks)
    return DomainEvent(
        event_id=event_id(Kind.IGRS_STATUS, complaint.id, status),
        kind=Kind.IGRS_STATUS,
        at=at,
        booking_id=complaint.booking_id,
        complaint_id=complaint.id,
        professional_id=complaint.professional_id,
        citizen_sub=complaint.complainant_sub,
        facts=facts,
    )


def expense_claimed(booking: Booking, expense_id: str, total_paise: int, at: str) -> DomainEvent:
    """The professional claimed materials (expense ``expense_id``): the booking's citizen must
    approve or dispute it. Once per claim."""
    event = booking_event(
        Kind.EXPENSE_CLAIMED, booking, at, expense_id=expense_id, expenses_paise=total_paise
    )
    return event.model_copy(update={"event_id": event_id(Kind.EXPENSE_CLAIMED, booking.id, expense_id)})
