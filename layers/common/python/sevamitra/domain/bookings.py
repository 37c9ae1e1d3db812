"""Bookings as the domain sees them: statuses, engagement kinds, pricing from the rate card, and
the start code.

A booking is ``requested`` (the professional is claimed), then ``accepted``, ``in_progress`` and
``completed``; or ``cancelled`` (by either participant, before work starts) or ``expired`` (not
accepted within ``BOOKING_ACCEPT_TIMEOUT_S``). The last three free the professional.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field, SecretStr

from sevamitra.domain.ratecard import Service
from sevamitra.domain.types import Model
from sevamitra.platform.clock import iso


class BookingStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


ACTIVE_STATUSES = frozenset({BookingStatus.REQUESTED, BookingStatus.ACCEPTED, BookingStatus.IN_PROGRESS})
CANCELLABLE_STATUSES = frozenset({BookingStatus.REQUESTED, BookingStatus.ACCEPTED})

# The value of ``awaiting`` while a booking waits for its professional: the hash key of the
# sparse ``awaiting_accept`` index that the expiry job queries by ``expires_at``.
AWAITING_ACCEPT = "requested"


class CancelledBy(StrEnum):
    """Who cancelled: the booking's citizen (an employer when the account books as one), its
    professional's side, or the system."""

    CITIZEN = "citizen"
    EMPLOYER = "employer"
    PROFESSIONAL = "professional"
    SYSTEM = "system"


# While a booking is in one of these, its two sides see each other's contact (API.md): from
# acceptance until the booking ends.
CONTACT_STATUSES = frozenset({BookingStatus.ACCEPTED, BookingStatus.IN_PROGRESS})


class EngagementKind(StrEnum):
    TASK = "task"
    DAILY_WAGE = "daily_wage"
    PIECE_RATE = "piece_rate"
    PART_TIME = "part_time"
    FULL_TIME = "full_time"
    CONTRACT = "contract"


MAX_DAYS = 365
# Billed once: the rate-card item is the whole job (a task) or the one piece (piece rate).
SINGLE_UNIT_KINDS = frozenset({EngagementKind.TASK, EngagementKind.PIECE_RATE})
# Billed per day: the rate-card item is one day's work, ``days`` of them (1..365).
# Daily wage defaults to one day; the longer engagements must say how many.
DAYS_REQUIRED_KINDS = frozenset({EngagementKind.PART_TIME, EngagementKind.FULL_TIME, EngagementKind.CONTRACT})


def engagement_days(kind: EngagementKind, days: int | None) -> int | None:
    """The days an engagement of ``kind`` covers, or ``ValueError`` explaining what is wrong."""
    if kind in SINGLE_UNIT_KINDS:
        if days is not None:
            raise ValueError(f"days does not apply to a {kind.value} engagement")
        return None
    if days is None:
        if kind in DAYS_REQUIRED_KINDS:
            raise ValueError(f"a {kind.value} engagement needs days (1..{MAX_DAYS})")
        return 1
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be 1..{MAX_DAYS}")
    return days


class Engagement(Model):
    """How the professional is engaged, and what the rate card charges for it."""

    model_config = ConfigDict(frozen=True)

    kind: EngagementKind = EngagementKind.TASK
    days: int | None = None
    unit_fee_paise: int
    unit_duration_minutes: int

    @property
    def units(self) -> int:
        return self.days or 1

    @property
    def fee_paise(self) -> int:
        return self.unit_fee_paise * self.units

    @property
    def duration_minutes(self) -> int:
        return self.unit_duration_minutes * self.units


def price(
    service: Service, kind: EngagementKind = EngagementKind.TASK, days: int | None = None
) -> Engagement:
    """The engagement priced from the rate card, never from the client: the service's fee and
    duration once, or per day for day-based engagements (integer paise, no rounding)."""
    return Engagement(
        kind=kind,
        days=engagement_days(kind, days),
        unit_fee_paise=service.fee_paise,
        unit_duration_minutes=service.duration_minutes,
    )


class Rating(Model):
    model_config = ConfigDict(frozen=True)

    stars: int = Field(ge=1, le=5)
    comment: str | None = None
    at: str


class OfferOutcome(StrEnum):
    DECLINED = "declined"
    TIMED_OUT = "timed_out"
    PENDING = "pending"
    ACCEPTED = "accepted"


class Offer(Model):
    """One professional a booking was offered to, and how that offer ended."""

    model_config = ConfigDict(frozen=True)

    professional_id: str
    outcome: OfferOutcome
    offered_at: str


class ExpiryReason(StrEnum):
    NOT_ACCEPTED = "not_accepted"
    NOT_STARTED = "not_started"


class Booking(Model):
    model_config = ConfigDict(frozen=True)

    id: str
    status: BookingStatus
    citizen_sub: str
    # The citizen's mobile as their sign-in gave it (10 digits for an Indian number).
    citizen_mobile: str | None = None
    professional_id: str
    # Copied from the professional at booking time: who registered them and their agency.
    registrar_sub: str | None = None
    agency_id: str | None = None
    service_id: str
    fee_paise: int
    duration_minutes: int
    lat: float
    lng: float
    address: str | None = None
    engagement: Engagement
    start_code_hash: str
    start_code: SecretStr | None = Field(default=None, exclude=True, repr=False)
    """The code itself, for its citizen to see again (``GET /bookings/{id}``, an idempotent
    replay). Never dumped nor shown in a repr: only the bookings table holds it, not a log line,
    an event or another table (docs/decisions.md, "The start code lives on its booking only")."""
    start_attempts: int = 0
    # Counted in its citizen's open requests while ``requested`` (every booking made since that
    # limit exists): leaving ``requested`` takes it off the count in the same transaction.
    counted: bool = False
    expires_at: str
    complaint_ids: frozenset[str] = frozenset()
    rating: Rating | None = None
    amount_collected_paise: int | None = None
    # Expense claims by id (``sevamitra.domain.expenses``) and the citizen's payment record.
    expenses: dict[str, dict[str, Any]] | None = None
    payment: dict[str, Any] | None = None
    cancelled_by: str | None = None  # CancelledBy
    created_at: str
    updated_at: str
    accepted_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    cancelled_at: str | None = None
    expired_at: str | None = None
    # Re-offer (issue 17): made without a chosen professional, so a decline or an offer that is
    # not accepted in time moves it to the next nearest professional never offered it.
    auto_assigned: bool = False
    offers: tuple[Offer, ...] = ()
    offer_due_at: str | None = None  # the current offer times out then (auto-assigned only)
    start_due_at: str | None = None  # accepted but not started by then: expired, not_started
    reason: str | None = None  # why it expired: ExpiryReason
    # Scheduled bookings (``scheduled_for``, 1 hour to 7 days ahead): the professional holds the
    # slot (``slots`` on their record) and stays bookable by others until ``hold_at``, when the
    # booking claims them (``held``); reminders go to both sides at ``reminder_at``.
    scheduled_for: str | None = None
    held: bool = True  # the professional is claimed (an immediate booking is, from the start)
    hold_at: str | None = None
    reminder_at: str | None = None
    reminded: bool = False
    # Helpline booking (issue 17): the helpline staff account that booked on the caller's behalf
    # (the audit record of who booked); None when the citizen booked themselves.
    booked_by: str | None = None

    @property
    def offered_to(self) -> frozenset[str]:
        return frozenset(offer.professional_id for offer in self.offers)

    def with_offer_outcome(self, outcome: OfferOutcome) -> tuple[Offer, ...]:
        """``offers`` with the current (last, pending) offer given ``outcome``."""
        if not self.offers or self.offers[-1].outcome is not OfferOutcome.PENDING:
            return self.offers
        return (*self.offers[:-1], self.offers[-1].model_copy(update={"outcome": outcome}))


def next_due_at(booking: Booking) -> str | None:
    """When the timer sweep must next look at ``booking`` (the sparse ``timers`` index), or None:
    the current offer's timeout while an auto-assigned booking is requested, the start deadline
    while it is accepted, and for a scheduled booking still requested or accepted its reminder
    and the claim of its professional (``hold_at``). (Expiry of a requested booking has its own
    index, ``awaiting_accept``.)"""
    due: list[str] = []
    if booking.status is BookingStatus.REQUESTED and booking.auto_assigned and booking.offer_due_at:
        due.append(booking.offer_due_at)
    if booking.status is BookingStatus.ACCEPTED and booking.start_due_at:
        due.append(booking.start_due_at)
    if booking.status in CANCELLABLE_STATUSES and booking.scheduled_for:
        if not booking.reminded and booking.reminder_at:
            due.append(booking.reminder_at)
        if not booking.held and booking.hold_at:
            due.append(booking.hold_at)
    return min(due) if due else None


# --- scheduled bookings: the hold rule (docs/decisions.md) --------------------------------------

SCHEDULE_MIN_AHEAD = timedelta(hours=1)
SCHEDULE_MAX_AHEAD = timedelta(days=7)
TRAVEL_MARGIN = timedelta(minutes=30)
"""Kept free on either side of a booking's work: two bookings of one professional whose work,
each widened by this margin, would overlap cannot both be held."""


def slot(start: datetime, duration_minutes: int) -> tuple[str, str]:
    """The time a booking's work starting at ``start`` keeps its professional, margins included."""
    return iso(start - TRAVEL_MARGIN), iso(start + timedelta(minutes=duration_minutes) + TRAVEL_MARGIN)


def slot_text(window: tuple[str, str]) -> str:
    return f"{window[0]}/{window[1]}"


def conflicts(window: tuple[str, str], held: Mapping[str, str], *, ignore: str | None = None) -> list[str]:
    """Ids of the held slots (``booking id -> "from/to"``) that overlap ``window``."""
    found = []
    for booking_id, text in held.items():
        start, _, end = text.partition("/")
        if booking_id != ignore and start < window[1] and window[0] < end:
            found.append(booking_id)
    return sorted(found)


def hold_at(scheduled_for: datetime) -> datetime:
    """When a scheduled booking claims its professional (off the index, no other booking): the
    start of its slot. Until then others may book them for work that ends, margin included,
    before it."""
    return scheduled_for - TRAVEL_MARGIN


# --- the start code ---------------------------------------------------------------------------

MAX_START_ATTEMPTS = 5
"""Wrong start codes a booking tolerates; after that ``start`` is refused for good (cancel and
book again). Six digits and five tries: a guesser's chance is 1 in 200,000."""

_START_CODE_ITERATIONS = 20_000


def hash_start_code(booking_id: str, code: str) -> str:
    """PBKDF2-SHA256 of the code salted with the booking id: what ``start`` checks (its write is
    conditional on it). A six-digit code is guessable offline from a fast hash, so it is slow."""
    digest = hashlib.pbkdf2_hmac(
        "sha256", code.encode(), f"start:{booking_id}".encode(), _START_CODE_ITERATIONS
    )
    return digest.hex()


def start_code_matches(booking: Booking, code: str) -> bool:
    return hmac.compare_digest(hash_start_code(booking.id, code), booking.start_code_hash)


def shown_start_code(booking: Booking, *, to_citizen: bool) -> str | None:
    """The start code as ``GET /bookings/{id}`` shows it: to the booking's citizen only, and only
    while it can still be used (requested or accepted)."""
    if not to_citizen or booking.status not in CANCELLABLE_STATUSES or booking.start_code is None:
        return None
    return booking.start_code.get_secret_value()
