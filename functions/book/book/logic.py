"""Booking rules: who may book whom, the claim on the professional, the lifecycle, the rating
and the expiry sweep. Handlers call exactly one of these per route; AWS access goes through
``sevamitra.data.bookings``, and the professional is read with ``snapshots.professional``.
Clocks, ids, codes, the search and the back-off sleep are passed in.

Every write can lose a race. A lost conditional write is answered by reading again: the new
state then decides (409 when the step no longer applies). A transaction conflict (another
transaction on the same item at that instant) is retried after a short, jittered pause; only
when that keeps happening is the answer 503 (retry-safe: nothing was written).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from pydantic import SecretStr

from book import helpline
from book.models import BookingIn
from book.settings import book_settings
from sevamitra.data import bookings as repo
from sevamitra.data import complaints as complaint_repo
from sevamitra.data import contacts, geo_index, snapshots
from sevamitra.data.bookings import Commit
from sevamitra.data.expenses import still_pending
from sevamitra.data.snapshots import ProfessionalSnapshot
from sevamitra.domain import access, geo, ratecard
from sevamitra.domain.bookings import (
    CANCELLABLE_STATUSES,
    CONTACT_STATUSES,
    MAX_START_ATTEMPTS,
    SCHEDULE_MAX_AHEAD,
    SCHEDULE_MIN_AHEAD,
    Booking,
    BookingStatus,
    CancelledBy,
    Engagement,
    Offer,
    OfferOutcome,
    Rating,
    conflicts,
    hash_start_code,
    hold_at,
    price,
    shown_start_code,
    slot,
    start_code_matches,
)
from sevamitra.domain.complaints import ComplaintKind, OpenedBy, new_complaint
from sevamitra.domain.events import Kind, booking_event, booking_requested, complaint_opened
from sevamitra.domain.expenses import allowed_paise, pending_ids
from sevamitra.domain.professionals import ProfessionalStatus, eligible
from sevamitra.domain.ratecard import Service
from sevamitra.domain.types import LatLng
from sevamitra.edge import cursors
from sevamitra.edge.auth import Caller, shown_mobile
from sevamitra.edge.errors import Conflict, DependencyFailed, Forbidden, NotFound, Unprocessable
from sevamitra.platform import bus
from sevamitra.platform.clock import Clock, IdFactory, iso, new_id, numeric_code, parse_iso, utc_now
from sevamitra.platform.observability import logger
from sevamitra.platform.settings import settings

MAX_CANDIDATES = 5
"""Nearest professionals tried, in order, when the nearest is taken between search and claim."""

MAX_COMMITS = 4
"""Writes tried per professional (or per transition) before giving up."""

BACKOFF_S = 0.05

Search = Callable[..., list[geo_index.Nearby]]
Sleep = Callable[[float], None]
CodeFactory = Callable[[], str]


def _pause(attempt: int, sleep: Sleep) -> None:
    sleep(BACKOFF_S * (2**attempt) * random.uniform(0.5, 1.5))


# --- creating a booking -----------------------------------------------------------------------


class Created(NamedTuple):
    booking: Booking
    start_code: str


def unavailable_reason(
    caller: Caller, professional: ProfessionalSnapshot, service_id: str, point: LatLng
) -> str | None:
    """Why this professional cannot take this booking now, or None."""
    if not eligible(professional):
        return "The professional is not available now (offline, busy or not verified)."
    if service_id not in professional.services:
        return "The professional does not offer this service."
    if geo.distance_m(point.lat, point.lng, professional.lat, professional.lng) > geo.SEARCH_RADIUS_M:
        return "The professional is farther than 3 km from the location."
    if access.is_manager(caller, professional):
        return "You cannot book a professional you manage."
    return None


class _Busy:
    """Every claim on one professional met a concurrent transaction."""


_BUSY = _Busy()


def create_booking(
    caller: Caller,
    request: BookingIn,
    *,
    now: Clock = utc_now,
    ids: IdFactory = new_id,
    codes: CodeFactory = numeric_code,
    search: Search | None = None,
    sleep: Sleep = time.sleep,
    accept_timeout_s: int | None = None,
    open_allowance: int | None = None,
    send_sms: helpline.SendSms | None = None,
) -> Created:
    """A ``requested`` booking holding its professional: the named one (404 unknown; 409
    ``professional_unavailable`` unless verified, online, free, offering the service and within
    3 km), or else the nearest eligible one, trying the next nearest when one is taken first.
    The caller may hold at most ``open_allowance`` bookings in ``requested`` (default from the
    settings: a citizen's, or an employer's); one more is 409 ``too_many_open_requests``. With
    ``for_mobile`` (helpline staff only) the booking is that mobile's citizen's, and its start
    code goes to them by SMS."""
    service = ratecard.get_service(request.service_id)
    owner = helpline.owner_of(caller, request.for_mobile)
    created = _create(
        owner, request, service, now, ids, codes, search, sleep, accept_timeout_s, open_allowance
    )
    if owner.booked_by is not None and owner.citizen.phone_number:
        helpline.send_start_code(
            created.booking, created.start_code, owner.citizen.phone_number, send=send_sms
        )
    return created


def _create(
    owner: helpline.Owner,
    request: BookingIn,
    service: Service,
    now: Clock,
    ids: IdFactory,
    codes: CodeFactory,
    search: Search | None,
    sleep: Sleep,
    accept_timeout_s: int | None,
    open_allowance: int | None,
) -> Created:
    caller = owner.citizen
    engagement = price(service, request.engagement.kind, request.engagement.days)
    scheduled_for = _scheduled_for(request, now())
    booking_id = ids("bkg")
    code = codes()
    draft = _Draft(
        caller=caller,
        service=service,
        engagement=engagement,
        point=request.location,
        booking_id=booking_id,
        start_code_hash=hash_start_code(booking_id, code),
        start_code=SecretStr(code),
        timeout_s=accept_timeout_s or settings().booking_accept_timeout_s,
        open_allowance=open_allowance or open_allowance_of(caller),
        address=request.address,
        auto_assigned=request.professional_id is None and scheduled_for is None,
        offer_timeout_s=book_settings().offer_timeout_s,
        scheduled_for=scheduled_for,
        reminder_lead_s=book_settings().reminder_lead_s,
        booked_by=owner.booked_by,
    )
    if request.professional_id is not None:
        claimed = _claim(draft, request.professional_id, named=True, now=now, sleep=sleep)
        if isinstance(claimed, Booking):
            return Created(claimed, code)
        raise DependencyFailed(message="The professional is being booked right now; it is safe to retry.")
    busy = False
    point = request.location
    for nearby in (search or geo_index.nearest)(service.id, point.lat, point.lng, MAX_CANDIDATES):
        claimed = _claim(draft, nearby.professional_id, named=False, now=now, sleep=sleep)
        if isinstance(claimed, Booking):
            return Created(claimed, code)
        busy = busy or claimed is _BUSY
    if busy:
        raise DependencyFailed(
            message="Professionals nearby are being booked right now; it is safe to retry."
        )
    raise Conflict("professional_unavailable", "No professional is available within 3 km right now.")


def _scheduled_for(request: BookingIn, moment: datetime) -> datetime | None:
    """The requested start, whole seconds in UTC; 422 unless 1 hour to 7 days ahead."""
    if request.scheduled_for is None:
        return None
    start = request.scheduled_for.astimezone(UTC).replace(microsecond=0)
    if not moment + SCHEDULE_MIN_AHEAD <= start <= moment + SCHEDULE_MAX_AHEAD:
        raise Unprocessable(
            "scheduled_for_out_of_range",
            "A booking can be scheduled from 1 hour to 7 days ahead.",
            details=[{"loc": ["body", "scheduled_for"], "msg": "must be 1 hour to 7 days ahead"}],
        )
    return start


def slot_conflict(
    draft_start: datetime, duration_minutes: int, professional: ProfessionalSnapshot
) -> str | None:
    """Why ``professional`` cannot take work starting at ``draft_start``: it would overlap (margins
    included) a scheduled booking they hold (docs/decisions.md, "Scheduled bookings: the hold rule")."""
    if conflicts(slot(draft_start, duration_minutes), professional.slots):
        return "The professional is booked for another job around that time."
    return None


def open_allowance_of(caller: Caller) -> int:
    """How many bookings ``caller`` may hold in ``requested`` at once."""
    config = book_settings()
    return config.max_open_requests_employer if caller.is_employer else config.max_open_requests_citizen


def _too_many_open_requests(allowance: int) -> Conflict:
    return Conflict(
        "too_many_open_requests",
        f"You already have {allowance} bookings waiting for a professional's answer. "
        "Wait for an answer, or cancel one, before booking again.",
        details=[{"open_requests_allowed": allowance}],
    )


class _Draft(NamedTuple):
    caller: Caller
    service: Service
    engagement: Engagement
    point: LatLng
    booking_id: str
    start_code_hash: str
    start_code: SecretStr
    timeout_s: int
    open_allowance: int
    address: str | None = None
    auto_assigned: bool = False
    offer_timeout_s: int = 600
    scheduled_for: datetime | None = None
    reminder_lead_s: int = 3600
    booked_by: str | None = None  # helpline staff booking for the caller (``book.helpline``)


def _claim(
    draft: _Draft, professional_id: str, *, named: bool, now: Clock, sleep: Sleep
) -> Booking | _Busy | None:
    """The booking once ``professional_id`` is claimed; None when they are not available (for a
    named professional: 404/409 instead); ``_BUSY`` when every attempt met a conflict; 409
    ``too_many_open_requests`` when the caller holds their allowance of open requests."""
    for attempt in range(MAX_COMMITS):
        state = snapshots.professional(professional_id)
        if state is None:
            if named:
                raise NotFound(message="No professional with that id.")
            return None
        moment = now()
        if draft.scheduled_for is None:
            reason = unavailable_reason(draft.caller, state, draft.service.id, draft.point)
        else:
            reason = _unschedulable_reason(draft.caller, state, draft.service.id, draft.point)
        reason = reason or slot_conflict(
            draft.scheduled_for or moment, draft.engagement.duration_minutes, state
        )
        if reason is not None:
            if named:
                raise Conflict("professional_unavailable", reason)
            return None
        booking = _new_booking(draft, state, moment)
        requested = [booking_requested(booking)]
        outcome = repo.create(booking, state, draft.open_allowance, requested)
        if outcome is Commit.LIMIT_REACHED:
            raise _too_many_open_requests(draft.open_allowance)
        if outcome is Commit.DONE:
            logger.info(
                "booking requested", extra={"booking_id": booking.id, "professional_id": professional_id}
            )
            bus.emit(requested)
            return booking
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
    return _BUSY


def _unschedulable_reason(
    caller: Caller, professional: ProfessionalSnapshot, service_id: str, point: LatLng
) -> str | None:
    """Why this professional cannot take a scheduled booking: as for now, except that being
    offline or on a booking now does not matter (the slot rule decides)."""
    if professional.status != ProfessionalStatus.VERIFIED or professional.engagement_id:
        return "The professional is not available (not verified, or on a full-time engagement)."
    free_now = professional._replace(
        subject=professional.subject._replace(online=True, active_booking_id=None)
    )
    return unavailable_reason(caller, free_now, service_id, point)


def _scheduled_fields(draft: _Draft) -> dict[str, object]:
    if draft.scheduled_for is None:
        return {}
    start = draft.scheduled_for
    return {
        "scheduled_for": iso(start),
        "held": False,
        "hold_at": iso(hold_at(start)),
        "reminder_at": iso(start - timedelta(seconds=draft.reminder_lead_s)),
        # The professional may accept any time before it starts.
        "expires_at": iso(start),
    }


def _new_booking(draft: _Draft, professional: ProfessionalSnapshot, moment: datetime) -> Booking:
    at = iso(moment)
    return Booking(
        id=draft.booking_id,
        status=BookingStatus.REQUESTED,
        citizen_sub=draft.caller.sub,
        citizen_mobile=draft.caller.mobile,
        professional_id=professional.id,
        registrar_sub=professional.registered_by,
        agency_id=professional.agency_id,
        service_id=draft.service.id,
        fee_paise=draft.engagement.fee_paise,
        duration_minutes=draft.engagement.duration_minutes,
        lat=draft.point.lat,
        lng=draft.point.lng,
        address=draft.address,
        engagement=draft.engagement,
        start_code_hash=draft.start_code_hash,
        start_code=draft.start_code,
        counted=True,
        expires_at=iso(moment + timedelta(seconds=draft.timeout_s)),
        created_at=at,
        updated_at=at,
        auto_assigned=draft.auto_assigned,
        offers=(Offer(professional_id=professional.id, outcome=OfferOutcome.PENDING, offered_at=at),),
        offer_due_at=iso(moment + timedelta(seconds=draft.offer_timeout_s)) if draft.auto_assigned else None,
        booked_by=draft.booked_by,
    ).model_copy(update=_scheduled_fields(draft))


# --- who may see and act ----------------------------------------------------------------------


CITIZEN = "citizen"
PROFESSIONAL = "professional"
HELPLINE = "helpline"  # the staff account that booked for the caller (``booked_by``)


class SmsReply(NamedTuple):
    """A reply SMS from a professional's registered mobile (``book.sms``): it speaks for that
    professional and no one else, through the same transitions and checks as the API routes."""

    professional_id: str


Actor = Caller | SmsReply


@dataclass(frozen=True)
class _Context:
    booking: Booking
    professional: ProfessionalSnapshot | None
    roles: frozenset[str] = field(default_factory=frozenset)


def _context(caller: Actor, booking_id: str) -> _Context:
    """The booking, its professional as stored now, and the caller's part in it (404 unknown)."""
    booking = repo.get_booking(booking_id)
    if booking is None:
        raise NotFound(message="No booking with that id.")
    state = snapshots.professional(booking.professional_id)
    roles = set()
    if isinstance(caller, SmsReply):
        if caller.professional_id == booking.professional_id:
            roles.add(PROFESSIONAL)
        return _Context(booking, state, frozenset(roles))
    if caller.sub == booking.citizen_sub:
        roles.add(CITIZEN)
    if booking.booked_by is not None and caller.sub == booking.booked_by and caller.is_helpline:
        roles.add(HELPLINE)
    if state is not None and access.is_manager(caller, state):
        roles.add(PROFESSIONAL)
    return _Context(booking, state, frozenset(roles))


def _require(ctx: _Context, *roles: str) -> None:
    if not ctx.roles.intersection(roles):
        who = " or ".join(roles)
        raise Forbidden(message=f"Only the booking's {who} may do this.")


def _invalid(message: str | None = None) -> Conflict:
    return Conflict("invalid_transition", message)


def _attempts_left(booking: Booking) -> int | None:
    if booking.status is not BookingStatus.ACCEPTED:
        return None
    return max(0, MAX_START_ATTEMPTS - booking.start_attempts)


class ProfessionalContact(NamedTuple):
    name: str
    mobile: str | None
    rating: float | None


class BookingView(NamedTuple):
    """A booking as one caller may see it: the other side's contact (and, for the professional,
    the citizen's address) only while the booking is accepted or in progress."""

    booking: Booking
    attempts_left: int | None
    professional: ProfessionalContact | None = None  # for the booking's citizen
    citizen_mobile: str | None = None  # for the professional's side
    address: str | None = None  # the citizen's own, or the professional's side's while in contact
    in_contact_as_professional: bool = False
    start_code: str | None = None  # for the booking's citizen while the code can be used
    # Download links of the expense receipts: the citizen (who approves or disputes them), the
    # professional's side and officers; not helpline staff, who answer no claim (decisions.md).
    sees_receipt_files: bool = False


def view_booking(caller: Caller, booking_id: str) -> BookingView:
    """The booking for its citizen, its professional and officers; 403 for anyone else. Only
    the citizen sees the start code (never whoever acts for the professional), and only while
    the booking is requested or accepted."""
    ctx = _context(caller, booking_id)
    if not ctx.roles and not caller.is_officer:
        raise Forbidden(message="Only the booking's participants and officers may see it.")
    booking = ctx.booking
    in_contact = booking.status in CONTACT_STATUSES
    professional = None
    if CITIZEN in ctx.roles and in_contact and ctx.professional is not None:
        pro = ctx.professional
        mobile = shown_mobile(contacts.unseal(pro.mobile_sealed)) if pro.mobile_sealed else None
        professional = ProfessionalContact(name=pro.name, mobile=mobile, rating=pro.rating)
    as_professional = PROFESSIONAL in ctx.roles and in_contact
    address = booking.address if ctx.roles & {CITIZEN, HELPLINE} or as_professional else None
    return BookingView(
        booking=booking,
        attempts_left=_attempts_left(booking),
        professional=professional,
        citizen_mobile=booking.citizen_mobile if as_professional else None,
        address=address,
        in_contact_as_professional=as_professional,
        start_code=shown_start_code(booking, to_citizen=ctx.roles == {CITIZEN}),
        sees_receipt_files=bool(ctx.roles & {CITIZEN, PROFESSIONAL}) or caller.is_officer,
    )


def created_start_code(caller: Caller, booking_id: str) -> str:
    """The start code of a booking ``caller`` created, for a replay of its ``POST /bookings``
    (the idempotency store never holds it): the replay repeats the first answer whatever the
    booking's status now."""
    booking = repo.get_booking(booking_id)
    mine = booking is not None and caller.sub in (booking.citizen_sub, booking.booked_by)
    if booking is None or not mine or booking.start_code is None:
        raise NotFound(message="No booking with that id.")
    return booking.start_code.get_secret_value()


# --- lists ------------------------------------------------------------------------------------

LIST_ROUTE = "GET /bookings"


class BookingPage(NamedTuple):
    bookings: list[Booking]
    next_cursor: str | None


def list_bookings(
    caller: Caller,
    *,
    role: str,
    status: str | None,
    professional_id: str | None,
    limit: int,
    cursor: str | None,
    acting: Callable[[Caller], access.ActsFor] = access.acts_for,
) -> BookingPage:
    """``citizen``: the bookings the caller made. ``professional``: the bookings of every
    professional the caller acts for (``access.acts_for``), or of ``professional_id`` alone (404
    unknown, 403 unless the caller manages them). Newest first, one page."""
    if role == CITIZEN:
        partitions: tuple[tuple[str, str], ...] = (("by_citizen", caller.sub),)
        narrowed_to = professional_id
    elif role == HELPLINE:
        if not caller.is_helpline:
            raise Forbidden(message="Only helpline staff may list the bookings they made.")
        partitions, narrowed_to = (("by_booker", caller.sub),), professional_id
    elif professional_id is not None:
        state = snapshots.professional(professional_id)
        if state is None:
            raise NotFound(message="No professional with that id.")
        access.require_manager(caller, state)
        partitions, narrowed_to = (("by_professional", professional_id),), None
    else:
        partitions, narrowed_to = acting(caller).partitions(), None
    scope = cursors.scope_of(LIST_ROUTE, caller.sub, role, status, professional_id, *partitions)
    page = repo.list_bookings(
        partitions,
        status=status,
        professional_id=narrowed_to,
        limit=limit,
        state=cursors.decode(cursor, scope),
    )
    return BookingPage(page.items, cursors.encode(page.state, scope))


# --- transitions ------------------------------------------------------------------------------


def accept_booking(
    caller: Actor, booking_id: str, *, now: Clock = utc_now, sleep: Sleep = time.sleep
) -> Booking:
    """requested -> accepted by the professional it is offered to now (a professional whose
    offer moved on is no longer the booking's: 403). From then it must start within
    ``START_GRACE_S`` or it expires (``not_started``)."""
    conflicts = 0
    for attempt in range(MAX_COMMITS):
        ctx = _context(caller, booking_id)
        _require(ctx, PROFESSIONAL)
        moment = now()
        at = iso(moment)
        if ctx.booking.status is not BookingStatus.REQUESTED:
            raise _invalid()
        if at >= ctx.booking.expires_at:
            raise _invalid("The booking was not accepted in time.")
        accepted = ctx.booking.model_copy(
            update={
                "status": BookingStatus.ACCEPTED,
                "accepted_at": at,
                "updated_at": at,
                "offers": ctx.booking.with_offer_outcome(OfferOutcome.ACCEPTED),
                "start_due_at": iso(
                    (parse_iso(ctx.booking.scheduled_for) if ctx.booking.scheduled_for else moment)
                    + timedelta(seconds=book_settings().start_grace_s)
                ),
            }
        )
        events = [booking_event(Kind.BOOKING_ACCEPTED, accepted, at)]
        outcome = repo.accept(ctx.booking, at, events, accepted=accepted)
        if outcome is Commit.DONE:
            bus.emit(events)
            return accepted
        if outcome is Commit.CONFLICT:
            conflicts += 1
            _pause(attempt, sleep)
    raise _gave_up() if conflicts else _invalid()


def start_booking(caller: Caller, booking_id: str, start_code: str, *, now: Clock = utc_now) -> Booking:
    """accepted -> in_progress with the citizen's code. A wrong code is 422 and counts; after
    ``MAX_START_ATTEMPTS`` wrong codes the booking can no longer start (409 ``start_code_locked``)."""
    for _ in range(MAX_COMMITS):
        ctx = _context(caller, booking_id)
        _require(ctx, PROFESSIONAL)
        booking = ctx.booking
        at = iso(now())
        if booking.status is not BookingStatus.ACCEPTED:
            raise _invalid()
        if booking.start_attempts >= MAX_START_ATTEMPTS:
            raise Conflict("start_code_locked")
        if not booking.held:
            raise _invalid(f"A scheduled booking can start from {booking.hold_at}.")
        if not start_code_matches(booking, start_code):
            attempts = repo.record_wrong_start_code(booking, MAX_START_ATTEMPTS, at)
            if attempts is None:
                continue  # started, cancelled or locked meanwhile: read again
            raise Unprocessable(
                "wrong_start_code",
                details=[{"loc": ["body", "start_code"], "attempts_left": MAX_START_ATTEMPTS - attempts}],
            )
        started = booking.model_copy(
            update={"status": BookingStatus.IN_PROGRESS, "started_at": at, "updated_at": at}
        )
        events = [booking_event(Kind.BOOKING_STARTED, started, at)]
        if repo.start(booking, MAX_START_ATTEMPTS, at, events) is Commit.DONE:
            bus.emit(events)
            return started
    raise _invalid()


def complete_booking(
    caller: Caller,
    booking_id: str,
    amount_collected_paise: int,
    *,
    now: Clock = utc_now,
    sleep: Sleep = time.sleep,
    complaint_sla_s: int | None = None,
) -> Booking:
    """in_progress -> completed, recording what was collected; the professional is free again.
    Above the fee plus the approved expenses (claims still pending do not count, and must stay
    pending until the write), an ``overcharge`` complaint for the citizen opens in the same transaction
    (unless one is already open for this booking)."""
    for attempt in range(MAX_COMMITS):
        ctx = _context(caller, booking_id)
        _require(ctx, PROFESSIONAL)
        booking = ctx.booking
        if booking.status is not BookingStatus.IN_PROGRESS:
            raise _invalid()
        moment = now()
        at = iso(moment)
        complaint = None
        allowed = allowed_paise(booking.fee_paise, booking.expenses)
        if amount_collected_paise > allowed and not complaint_repo.holder_of_lock(
            booking.id, ComplaintKind.OVERCHARGE
        ):
            complaint = new_complaint(
                booking_id=booking.id,
                professional_id=booking.professional_id,
                complainant_sub=booking.citizen_sub,
                kind=ComplaintKind.OVERCHARGE,
                description=(
                    f"Reported at completion: {amount_collected_paise} paise collected against the "
                    f"fixed fee of {booking.fee_paise} paise"
                    + (
                        f" and {allowed - booking.fee_paise} paise of approved expenses."
                        if allowed > booking.fee_paise
                        else "."
                    )
                ),
                fee_paise=booking.fee_paise,
                sla_s=complaint_sla_s or settings().complaint_sla_s,
                now=moment,
                opened_by=OpenedBy.SYSTEM,
                amount_paid_paise=amount_collected_paise,
                district=ctx.professional.district if ctx.professional else None,
                registrar_sub=ctx.professional.registered_by if ctx.professional else None,
                agency_id=ctx.professional.agency_id if ctx.professional else None,
                respond_s=settings().complaint_response_s,
            )
        events = [
            booking_event(Kind.BOOKING_COMPLETED, booking, at, amount_collected_paise=amount_collected_paise),
            *([complaint_opened(complaint)] if complaint is not None else []),
        ]
        outcome = repo.finish(
            booking,
            BookingStatus.COMPLETED,
            at,
            ctx.professional,
            amount_collected_paise=amount_collected_paise,
            complaint=complaint,
            events=events,
            condition=still_pending(pending_ids(booking.expenses)),
        )
        if outcome is Commit.DONE:
            if complaint is not None:
                logger.info(
                    "overcharge complaint opened at completion",
                    extra={"booking_id": booking.id, "complaint_id": complaint.id},
                )
            bus.emit(events)
            return booking.model_copy(
                update={
                    "status": BookingStatus.COMPLETED,
                    "amount_collected_paise": amount_collected_paise,
                    "completed_at": at,
                    "updated_at": at,
                    "complaint_ids": booking.complaint_ids | ({complaint.id} if complaint else set()),
                }
            )
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
    raise _gave_up()


def cancel_booking(
    caller: Actor, booking_id: str, *, now: Clock = utc_now, sleep: Sleep = time.sleep
) -> Booking:
    """Either participant (or the helpline staff who booked it, for the caller), before work
    starts; the professional is free again."""
    for attempt in range(MAX_COMMITS):
        ctx = _context(caller, booking_id)
        _require(ctx, CITIZEN, PROFESSIONAL, HELPLINE)
        booking = ctx.booking
        if booking.status not in CANCELLABLE_STATUSES:
            raise _invalid()
        by = _canceller(caller, ctx).value
        outcome, cancelled = _cancel(ctx, by, now=now)
        if outcome is Commit.DONE:
            return cancelled
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
    raise _gave_up()


def _canceller(caller: Actor, ctx: _Context) -> CancelledBy:
    """The booking's own account cancels as the citizen, or as the employer it books as."""
    if CITIZEN in ctx.roles and isinstance(caller, Caller):
        return CancelledBy.EMPLOYER if caller.is_employer else CancelledBy.CITIZEN
    if HELPLINE in ctx.roles and PROFESSIONAL not in ctx.roles:
        return CancelledBy.CITIZEN  # on the caller's behalf: ``booked_by`` says who asked
    return CancelledBy.PROFESSIONAL


def decline_booking(
    caller: Actor, booking_id: str, *, now: Clock = utc_now, sleep: Sleep = time.sleep
) -> Booking:
    """The assigned professional turns down a ``requested`` booking (``POST /bookings/{id}/
    decline`` or an ``NA <ref>`` SMS). A booking made without a chosen professional is re-offered
    to the next nearest eligible professional never offered it (``book.offers``), in one
    transaction that frees the decliner. A booking for a chosen professional, or one nobody else
    can take before ``expires_at``, ends (``cancelled``, ``cancelled_by: professional``) and frees
    them."""
    from book import offers  # the re-offer path: imported where it is used

    for attempt in range(MAX_COMMITS):
        ctx = _context(caller, booking_id)
        _require(ctx, PROFESSIONAL)
        if ctx.booking.status is not BookingStatus.REQUESTED:
            raise _invalid("Only a booking still waiting for its professional can be declined.")
        if ctx.booking.auto_assigned:
            moved = offers.reoffer(ctx.booking, ctx.professional, OfferOutcome.DECLINED, now=now, sleep=sleep)
            if moved.booking is not None:
                return moved.booking
            if moved.stale:
                continue  # accepted, cancelled or re-offered meanwhile: read again
        outcome, declined = _cancel(ctx, CancelledBy.PROFESSIONAL.value, now=now, declined=True)
        if outcome is Commit.DONE:
            logger.info("booking declined", extra={"booking_id": booking_id})
            return declined
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
    raise _gave_up()


def _cancel(ctx: _Context, by: str, *, now: Clock, declined: bool = False) -> tuple[Commit, Booking]:
    """End ``ctx.booking`` as cancelled by ``by``: the outcome, and the booking as written."""
    booking = ctx.booking
    at = iso(now())
    cancelled = booking.model_copy(
        update={
            "status": BookingStatus.CANCELLED,
            "cancelled_at": at,
            "cancelled_by": by,
            "updated_at": at,
            "offers": booking.with_offer_outcome(OfferOutcome.DECLINED) if declined else booking.offers,
        }
    )
    facts: dict[str, str | bool] = {"cancelled_by": by}
    if declined:
        facts["declined"] = True
    events = [booking_event(Kind.BOOKING_CANCELLED, cancelled, at, **facts)]
    outcome = repo.finish(
        booking,
        BookingStatus.CANCELLED,
        at,
        ctx.professional,
        cancelled_by=by,
        events=events,
        offers=cancelled if declined else None,
    )
    if outcome is Commit.DONE:
        bus.emit(events)
    return outcome, cancelled


def rate_booking(
    caller: Caller,
    booking_id: str,
    stars: int,
    comment: str | None,
    *,
    now: Clock = utc_now,
    sleep: Sleep = time.sleep,
) -> tuple[Booking, Rating]:
    """The citizen's one rating of a completed booking, added to the professional's rating."""
    for attempt in range(MAX_COMMITS):
        ctx = _context(caller, booking_id)
        _require(ctx, CITIZEN)
        booking = ctx.booking
        if booking.status is not BookingStatus.COMPLETED:
            raise _invalid("Only a completed booking can be rated.")
        if booking.rating is not None:
            raise Conflict("already_rated")
        rating = Rating(stars=stars, comment=comment, at=iso(now()))
        outcome = repo.rate(booking, rating, ctx.professional, rating.at)
        if outcome is Commit.DONE:
            return booking.model_copy(update={"rating": rating, "updated_at": rating.at}), rating
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
    raise _gave_up()


def _gave_up() -> DependencyFailed:
    return DependencyFailed(message="The booking is being changed right now; it is safe to retry.")


# --- the expiry sweep -------------------------------------------------------------------------


@dataclass
class Sweep:
    expired: int = 0
    skipped: int = 0  # accepted or cancelled meanwhile, or still contended (the next sweep retries)


def expire_due(now: datetime, *, sleep: Sleep = time.sleep) -> Sweep:
    """Every booking still ``requested`` at its ``expires_at`` becomes ``expired`` and frees its
    professional, one transaction each; found through the sparse ``awaiting_accept`` index.
    Idempotent: a booking accepted (or already expired) meanwhile is skipped."""
    at = iso(now)
    sweep = Sweep()
    for booking_id in repo.due_for_expiry(at):
        if _expire(booking_id, at, sleep):
            sweep.expired += 1
        else:
            sweep.skipped += 1
    return sweep


def _expire(booking_id: str, at: str, sleep: Sleep) -> bool:
    for attempt in range(MAX_COMMITS):
        booking = repo.get_booking(booking_id)
        if booking is None or booking.status is not BookingStatus.REQUESTED or booking.expires_at > at:
            return False
        state = snapshots.professional(booking.professional_id)
        expired = booking.model_copy(
            update={"status": BookingStatus.EXPIRED, "expired_at": at, "updated_at": at}
        )
        events = [booking_event(Kind.BOOKING_EXPIRED, expired, at)]
        outcome = repo.finish(booking, BookingStatus.EXPIRED, at, state, events=events)
        if outcome is Commit.DONE:
            bus.emit(events)
            return True
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
    logger.warning(
        "booking not expired in this sweep; the next one retries", extra={"booking_id": booking_id}
    )
    return False
