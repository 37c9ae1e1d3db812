"""Bookings that don't strand people (issue 17): the re-offer of an auto-assigned booking, and
the timers the minute sweep runs (``book.expiry``): an offer not accepted within
``OFFER_TIMEOUT_S`` moves on, an accepted booking not started within ``START_GRACE_S`` expires
(``reason: not_started``) and frees its professional.

A re-offer is ONE transaction (``sevamitra.data.bookings.reoffer``): the booking moves to the
next nearest eligible professional never offered it, conditional on still being ``requested``
with the professional it was read with; the old holder is freed and re-indexed, the new one
claimed. A late accept by the old holder is conditional on the same two facts, so exactly one of
the two commits. The next professional is found with the match index query
(``geo_index.nearest``), as ``POST /bookings`` finds the first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from book.logic import MAX_CANDIDATES, MAX_COMMITS, Search, Sleep, _pause, unavailable_reason
from book.settings import book_settings
from sevamitra.data import bookings as repo
from sevamitra.data import geo_index, snapshots
from sevamitra.data.bookings import Commit
from sevamitra.data.snapshots import ProfessionalSnapshot
from sevamitra.domain.bookings import Booking, BookingStatus, ExpiryReason, Offer, OfferOutcome
from sevamitra.domain.events import Kind, booking_event
from sevamitra.domain.types import LatLng
from sevamitra.edge.auth import Caller
from sevamitra.platform import bus
from sevamitra.platform.clock import Clock, iso, utc_now
from sevamitra.platform.observability import logger


class Reoffer(NamedTuple):
    """What a re-offer did: ``booking`` as re-offered, or None; ``stale`` when the booking (or
    its holder) changed since it was read, so the caller must read again and decide anew."""

    booking: Booking | None
    stale: bool = False


def _moved_on(booking: Booking) -> bool:
    current = repo.get_booking(booking.id)
    return (
        current is None
        or current.status is not BookingStatus.REQUESTED
        or current.professional_id != booking.professional_id
    )


def reoffer(
    booking: Booking,
    holder: ProfessionalSnapshot | None,
    outcome: OfferOutcome,
    *,
    now: Clock = utc_now,
    sleep: Sleep = time.sleep,
    search: Search | None = None,
    offer_timeout_s: int | None = None,
) -> Reoffer:
    """Offer ``booking`` (``requested``, auto-assigned, held by ``holder`` as read) to the next
    nearest eligible professional it was never offered to, recording ``outcome`` for the current
    offer. ``Reoffer(None)`` when nobody else can take it or its ``expires_at`` has passed."""
    moment = now()
    at = iso(moment)
    if at >= booking.expires_at:
        return Reoffer(None)
    timeout_s = offer_timeout_s or book_settings().offer_timeout_s
    citizen = Caller(booking.citizen_sub, frozenset())
    point = LatLng(lat=booking.lat, lng=booking.lng)
    offered = booking.offered_to
    limit = MAX_CANDIDATES + len(offered)
    for nearby in (search or geo_index.nearest)(booking.service_id, booking.lat, booking.lng, limit):
        if nearby.professional_id in offered:
            continue
        for attempt in range(MAX_COMMITS):
            state = snapshots.professional(nearby.professional_id)
            if state is None or unavailable_reason(citizen, state, booking.service_id, point) is not None:
                break
            after = booking.model_copy(
                update={
                    "professional_id": state.id,
                    "registrar_sub": state.registered_by,
                    "agency_id": state.agency_id,
                    "offers": (
                        *booking.with_offer_outcome(outcome),
                        Offer(professional_id=state.id, outcome=OfferOutcome.PENDING, offered_at=at),
                    ),
                    "offer_due_at": iso(moment + timedelta(seconds=timeout_s)),
                    "updated_at": at,
                }
            )
            events = [booking_event(Kind.BOOKING_REQUESTED, after, at, expires_at=after.expires_at)]
            result = repo.reoffer(booking, after, holder, state, at, events)
            if result is Commit.DONE:
                logger.info(
                    "booking re-offered",
                    extra={
                        "booking_id": booking.id,
                        "from_professional_id": booking.professional_id,
                        "professional_id": state.id,
                        "outcome": outcome.value,
                    },
                )
                bus.emit(events)
                return Reoffer(after)
            if _moved_on(booking):
                return Reoffer(None, stale=True)
            if holder is not None:
                again = snapshots.professional(holder.id)
                if again is None or again.version != holder.version:
                    return Reoffer(None, stale=True)
            if result is Commit.CONFLICT:
                _pause(attempt, sleep)
    return Reoffer(None)


# --- the timers -------------------------------------------------------------------------------


@dataclass
class Timers:
    reoffered: int = 0
    offers_lapsed: int = 0  # timed out with nobody else to offer to: left with its professional
    not_started: int = 0
    reminded: int = 0
    held: int = 0  # scheduled bookings whose slot came near: their professional claimed
    skipped: int = 0  # changed meanwhile, or still contended (the next sweep retries)


def run_due(now: datetime, *, sleep: Sleep = time.sleep, search: Search | None = None) -> Timers:
    """Every booking whose timer is due (the sparse ``timers`` index): a scheduled booking's
    reminder goes out and its professional is claimed when its slot comes near; an offer past
    its timeout is re-offered; an accepted booking past its start deadline expires. Idempotent:
    each step is conditional on the state it was decided on; a booking that moved on is skipped."""
    at = iso(now)
    timers = Timers()
    for booking_id in repo.due_timers(at):
        booking = repo.get_booking(booking_id)
        if booking is None:
            continue
        if (
            booking.scheduled_for
            and not booking.reminded
            and booking.reminder_at
            and booking.reminder_at <= at
        ):
            _remind(booking, at, timers)
            booking = repo.get_booking(booking_id) or booking
        if booking.scheduled_for and not booking.held and booking.hold_at and booking.hold_at <= at:
            _hold(booking, at, timers)
            booking = repo.get_booking(booking_id) or booking
        if booking.status is BookingStatus.REQUESTED and booking.offer_due_at and booking.offer_due_at <= at:
            _time_out_offer(booking, now, sleep, search, timers)
        elif booking.status is BookingStatus.ACCEPTED and booking.start_due_at and booking.start_due_at <= at:
            if _expire_not_started(booking, at, sleep):
                timers.not_started += 1
            else:
                timers.skipped += 1
    return timers


def _remind(booking: Booking, at: str, timers: Timers) -> None:
    """One ``booking_reminder`` to both sides, REMINDER_LEAD_S before a scheduled booking."""
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.ACCEPTED):
        return
    reminded = booking.model_copy(update={"reminded": True, "updated_at": at})
    events = [booking_event(Kind.BOOKING_REMINDER, booking, at, scheduled_for=booking.scheduled_for)]
    if repo.remind(booking, reminded, at, events) is Commit.DONE:
        bus.emit(events)
        timers.reminded += 1
    else:
        timers.skipped += 1


def _hold(booking: Booking, at: str, timers: Timers) -> None:
    """The slot comes near: the booking claims its professional (off the index). While they are
    still on another booking (one that overran) it waits for the next sweep."""
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.ACCEPTED):
        return
    state = snapshots.professional(booking.professional_id)
    if state is None or (state.active_booking_id and state.active_booking_id != booking.id):
        timers.skipped += 1
        return
    held = booking.model_copy(update={"held": True, "updated_at": at})
    if repo.hold(booking, held, state, at) is Commit.DONE:
        logger.info("scheduled booking holds its professional", extra={"booking_id": booking.id})
        timers.held += 1
    else:
        timers.skipped += 1


def _time_out_offer(
    booking: Booking, now: datetime, sleep: Sleep, search: Search | None, timers: Timers
) -> None:
    holder = snapshots.professional(booking.professional_id)
    moved = reoffer(booking, holder, OfferOutcome.TIMED_OUT, now=lambda: now, sleep=sleep, search=search)
    if moved.booking is not None:
        timers.reoffered += 1
        return
    if moved.stale:
        timers.skipped += 1
        return
    # Nobody else to offer it to: the professional may still accept until expires_at.
    lapsed = booking.model_copy(update={"offer_due_at": None, "updated_at": iso(now)})
    if repo.clear_offer_timer(booking, lapsed, iso(now)) is Commit.DONE:
        timers.offers_lapsed += 1
    else:
        timers.skipped += 1


def _expire_not_started(booking: Booking, at: str, sleep: Sleep) -> bool:
    """accepted -> expired (``not_started``), freeing the professional in the same transaction;
    the citizen hears of it (``booking_expired``) and may then complain of a no-show."""
    for attempt in range(MAX_COMMITS):
        state = snapshots.professional(booking.professional_id)
        expired = booking.model_copy(
            update={
                "status": BookingStatus.EXPIRED,
                "expired_at": at,
                "updated_at": at,
                "reason": ExpiryReason.NOT_STARTED.value,
            }
        )
        events = [booking_event(Kind.BOOKING_EXPIRED, expired, at, reason=ExpiryReason.NOT_STARTED.value)]
        outcome = repo.finish(
            booking, BookingStatus.EXPIRED, at, state, events=events, reason=ExpiryReason.NOT_STARTED.value
        )
        if outcome is Commit.DONE:
            bus.emit(events)
            return True
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
            continue
        current = repo.get_booking(booking.id)
        if current is None or current.status is not BookingStatus.ACCEPTED:
            return False  # started or cancelled meanwhile
        booking = current
    logger.warning("not-started booking not expired in this sweep", extra={"booking_id": booking.id})
    return False
