"""Job rules: who may post, find, apply, offer, accept, record and dispute attendance, and see a
statement. Handlers call exactly one of these per route; AWS access goes through
``sevamitra.data.jobs`` (and the professionals' records through ``sevamitra.data.bookings``'
state reader, the one that carries the version a claim is conditional on).

Every write can lose a race: a lost conditional write is answered by reading again (the new
state decides: 409 when the step no longer applies); a transaction conflict is retried after a
short jittered pause, and only if that keeps happening is the answer 503 (nothing written).
Events go on the bus after the write commits; a failed publish is logged, never turned into an
error for a change that happened (a retry of the same request publishes the same event id again).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from jobs.models import AttendanceIn, DisputeIn, JobIn
from sevamitra.data import accounts, agencies, snapshots
from sevamitra.data import jobs as repo
from sevamitra.data.bookings import Commit
from sevamitra.data.snapshots import ProfessionalSnapshot
from sevamitra.domain import access, geo, job_events, ratecard, wages
from sevamitra.domain.events import DomainEvent, Kind
from sevamitra.domain.jobs import (
    DISPUTE_WINDOW,
    HOUSEHOLD_CATEGORIES,
    HOUSEHOLD_MAX_POSITIONS,
    Application,
    ApplicationStatus,
    Attendance,
    Dispute,
    Engagement,
    EngagementStatus,
    FieldProblem,
    Job,
    JobStatus,
    Offer,
    OfferStatus,
    Statement,
    Wage,
    engagement_id_for,
    floor_hours,
    month_days,
    post_problems,
    statement,
    working_hours,
)
from sevamitra.domain.professionals import ProfessionalStatus
from sevamitra.domain.wages import WageUnit
from sevamitra.edge import cursors
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict, DependencyFailed, DomainError, Forbidden, NotFound, Unprocessable
from sevamitra.platform import bus
from sevamitra.platform.clock import Clock, IdFactory, iso, new_id, parse_iso, utc_now
from sevamitra.platform.observability import logger

MAX_COMMITS = 4
BACKOFF_S = 0.05
# Calendar days are India's: an employer recording "today" at 00:30 in Lucknow is on the same day.
INDIA_OFFSET = timedelta(hours=5, minutes=30)
BANNED_STATUSES = frozenset({ProfessionalStatus.BANNED.value, "suspended"})

Sleep = Callable[[float], None]


def _pause(attempt: int, sleep: Sleep) -> None:
    sleep(BACKOFF_S * (2**attempt) * random.uniform(0.5, 1.5))


def india_today(now: datetime) -> date:
    return (now + INDIA_OFFSET).date()


def _busy() -> DependencyFailed:
    return DependencyFailed(message="The job is being changed right now; it is safe to retry.")


def _announce(event: DomainEvent) -> None:
    """Put ``event`` on the bus once its change has committed (``notify`` de-duplicates by id);
    a failure to publish is logged, never undoes the change."""
    try:
        bus.put_domain_events([event])
    except DomainError:
        logger.warning("event not published", extra={"event_id": event.event_id})


def _field_errors(problems: list[FieldProblem]) -> ValidationError:
    """Rules the request's schema cannot say, as 422 field errors at the fields they concern
    (with their Hindi messages, by type: sevamitra.edge.errors.FIELD_MESSAGES_HI)."""
    details = [
        InitErrorDetails(
            type=PydanticCustomError(p.type, p.message, p.context or None), loc=p.loc, input=None
        )
        for p in problems
    ]
    return ValidationError.from_exception_data("JobRules", details)


def rounded_100(distance: float) -> int:
    """A distance as shown to the other side: to the nearest 100 m (never exact)."""
    return round(distance / 100.0) * 100


# --- who acts -------------------------------------------------------------------------------------


def acting_professional(caller: Caller, professional_id: str | None) -> ProfessionalSnapshot:
    """The professional the caller acts for: the one named (the caller must manage it), else the
    caller's own (self-registered). 403 when the caller acts for none."""
    if professional_id is None:
        own = accounts.professional_id_of(caller.sub)
        if own is None:
            raise Forbidden("verified_professionals_only")
        professional_id = own
    state = snapshots.professional(professional_id)
    if state is None:
        raise NotFound(message="No professional with that id.")
    if not access.is_manager(caller, state):
        raise Forbidden("verified_professionals_only")
    return state


def require_verified(state: ProfessionalSnapshot) -> None:
    if state.subject.status in BANNED_STATUSES:
        raise Forbidden("banned", "The professional is banned or suspended.")
    if state.subject.status != ProfessionalStatus.VERIFIED:
        raise Forbidden("verified_professionals_only", "The professional is not verified yet.")


def _load_job(job_id: str) -> Job:
    job = repo.get_job(job_id)
    if job is None:
        raise NotFound(message="No job with that id.")
    return job


def _require_poster(caller: Caller, job: Job) -> None:
    if caller.sub != job.poster_sub:
        raise Forbidden(message="Only the job's poster may do this.")


# --- posting --------------------------------------------------------------------------------------


def _may_post(caller: Caller, body: JobIn, category: str) -> None:
    """Employers and members of an approved agency post any work; other accounts (citizens)
    household work only."""
    if body.agency_id is not None:
        access.require_agency_member(caller, agencies.get_agency(body.agency_id))
        return
    if caller.is_employer:
        return
    if category not in HOUSEHOLD_CATEGORIES or body.positions > HOUSEHOLD_MAX_POSITIONS:
        raise Forbidden("household_work_only")


def post_job(caller: Caller, body: JobIn, *, now: Clock = utc_now, ids: IdFactory = new_id) -> Job:
    service = ratecard.get_service(body.service_id)
    _may_post(caller, body, service.category)
    moment = now()
    wage = Wage(paise=body.wage.paise, per=body.wage.per)
    starts_on = date.fromisoformat(body.starts_on)
    problems = post_problems(
        kind=body.kind,
        wage=wage,
        pieces_per_day=body.pieces_per_day,
        hours_per_day=body.hours_per_day,
        starts_on=starts_on,
        ends_on=date.fromisoformat(body.ends_on) if body.ends_on else None,
        today=india_today(moment),
    )
    if problems:
        raise _field_errors(problems)
    floor = wages.floor_for(
        service.skill,
        starts_on,
        wage.per,
        hours_per_day=floor_hours(body.kind, body.hours_per_day),
        pieces_per_day=body.pieces_per_day,
    )
    if not floor.current:
        logger.warning(
            "minimum wage file ends before the post starts: the last recorded floor applies",
            extra={"starts_on": body.starts_on, "period_ends": floor.effective_to.isoformat()},
        )
    if not floor.allows(wage.paise):
        raise Unprocessable("below_minimum_wage", details=[floor.details()])
    at = iso(moment)
    job = Job(
        id=ids("job"),
        status=JobStatus.OPEN,
        poster_sub=caller.sub,
        agency_id=body.agency_id,
        title=body.title,
        service_id=service.id,
        skill=service.skill.value,
        kind=body.kind,
        positions=body.positions,
        wage=wage,
        pieces_per_day=body.pieces_per_day,
        hours_per_day=working_hours(body.kind, body.hours_per_day),
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        lat=body.site.lat,
        lng=body.site.lng,
        district=body.district,
        floor={k: v for k, v in floor.details().items() if k != "loc"},
        created_at=at,
        updated_at=at,
    )
    repo.create_job(job)
    logger.info("job posted", extra={"job_id": job.id, "positions": job.positions})
    return job


def close_job(caller: Caller, job_id: str, *, now: Clock = utc_now) -> Job:
    for _ in range(MAX_COMMITS):
        job = _load_job(job_id)
        _require_poster(caller, job)
        if job.status is not JobStatus.OPEN:
            raise Conflict("invalid_transition", "Only an open job can be closed.")
        at = iso(now())
        if repo.close(job, at) is Commit.DONE:
            return job.model_copy(update={"status": JobStatus.CLOSED, "closed_at": at, "updated_at": at})
    raise _busy()


# --- finding and seeing jobs ----------------------------------------------------------------------


class JobView(NamedTuple):
    """A job as one caller may see it: the site only to its poster, officers and engaged
    professionals; a professional sees the distance from their location instead."""

    job: Job
    full: bool
    distance_m: int | None = None
    # The professional's own application (and through it their offer), to the professional only.
    application: Application | None = None


class JobsPage(NamedTuple):
    jobs: list[JobView]
    next_cursor: str | None


def _after(cursor_state: dict[str, Any] | None) -> tuple[float, str, int] | None:
    if cursor_state is None:
        return None
    try:
        return float(cursor_state["d"]), str(cursor_state["id"]), int(cursor_state["n"])
    except (KeyError, TypeError, ValueError) as exc:
        raise Unprocessable(cursors.INVALID_CURSOR) from exc


def find_jobs(
    caller: Caller,
    point: tuple[float, float],
    service: str | None,
    limit: int,
    cursor: str | None,
    professional_id: str | None,
) -> JobsPage:
    """Open jobs whose site is within 3 km of the point, nearest first (ties by id), for a
    verified professional. Pages continue after the last (distance, id) shown."""
    state = acting_professional(caller, professional_id)
    require_verified(state)
    lat, lng = point
    scope = cursors.scope_of("GET /jobs", caller.sub, state.subject.id, lat, lng, service or "")
    after = _after(cursors.decode(cursor, scope))
    seen = after[2] if after else 0
    hits = repo.nearest_open_jobs(service, lat, lng, seen + limit + 1)
    if after is not None:
        hits = [h for h in hits if (h.distance, h.entry.professional_id) > after[:2]]
    page, more = hits[:limit], len(hits) > limit
    found = repo.get_jobs([h.entry.professional_id for h in page])
    views = [
        JobView(found[h.entry.professional_id], full=False, distance_m=rounded_100(h.distance))
        for h in page
        if h.entry.professional_id in found and found[h.entry.professional_id].status is JobStatus.OPEN
    ]
    next_cursor = None
    if more and page:
        last = page[-1]
        next_cursor = cursors.encode(
            {"d": last.distance, "id": last.entry.professional_id, "n": seen + len(page)}, scope
        )
    return JobsPage(views, next_cursor)


def my_jobs(caller: Caller, limit: int, cursor: str | None) -> tuple[list[Job], str | None]:
    """The caller's own posts, newest first."""
    scope = cursors.scope_of("GET /me/jobs", caller.sub)
    items, last = repo.jobs_of_poster(caller.sub, limit, cursors.decode(cursor, scope))
    return items, cursors.encode(last, scope)


def view_job(caller: Caller, job_id: str, professional_id: str | None) -> JobView:
    """The poster and officers see all of it; a professional who applied, or a verified one within
    3 km of an open job, sees it without the site (engaged professionals with it)."""
    job = _load_job(job_id)
    if caller.sub == job.poster_sub or caller.is_officer:
        return JobView(job, full=True)
    state = acting_professional(caller, professional_id)
    distance = geo.distance_m(state.subject.lat, state.subject.lng, job.lat, job.lng)
    application = repo.get_application(job.id, state.subject.id)
    if application is not None:
        return JobView(
            job,
            full=application.status is ApplicationStatus.ENGAGED,
            distance_m=rounded_100(distance),
            application=application,
        )
    require_verified(state)
    if job.status is not JobStatus.OPEN or distance > geo.SEARCH_RADIUS_M:
        raise Forbidden(message="This job is not open to you: it is filled, closed or farther than 3 km.")
    return JobView(job, full=False, distance_m=rounded_100(distance))


# --- applications ---------------------------------------------------------------------------------


def apply(caller: Caller, job_id: str, professional_id: str | None, *, now: Clock = utc_now) -> Application:
    """A verified professional offering the job's service, within 3 km of its site, applies once."""
    job = _load_job(job_id)
    state = acting_professional(caller, professional_id)
    require_verified(state)
    if caller.sub == job.poster_sub:
        raise Forbidden(message="You cannot apply to your own job.")
    if job.status is not JobStatus.OPEN:
        raise Conflict("job_not_open")
    subject = state.subject
    if job.service_id not in subject.services:
        raise Conflict("service_not_offered", "The professional does not offer this job's service.")
    distance = geo.distance_m(subject.lat, subject.lng, job.lat, job.lng)
    if distance > geo.SEARCH_RADIUS_M:
        raise Conflict("job_too_far")
    at = iso(now())
    application = Application(
        job_id=job.id,
        professional_id=subject.id,
        name=subject.name,
        rating=subject.rating,
        distance_m=rounded_100(distance),
        status=ApplicationStatus.APPLIED,
        applied_by=caller.sub,
        applied_at=at,
        updated_at=at,
    )
    if not repo.add_application(application):
        raise Conflict("already_applied")
    _announce(job_events.job_application(job, application))
    return application


def list_applications(
    caller: Caller, job_id: str, limit: int, cursor: str | None
) -> tuple[list[Application], str | None]:
    job = _load_job(job_id)
    _require_poster(caller, job)
    scope = cursors.scope_of("GET /jobs/{job_id}/applications", caller.sub, job.id)
    items, last = repo.applications_of(job.id, limit, cursors.decode(cursor, scope))
    return items, cursors.encode(last, scope)


# --- offers ---------------------------------------------------------------------------------------


def make_offer(
    caller: Caller, job_id: str, professional_id: str, *, now: Clock = utc_now, ids: IdFactory = new_id
) -> Offer:
    """The poster offers one of the job's positions to an applicant who is still verified (not
    banned or suspended) and, for full-time work, not held by another full-time engagement."""
    offer_id = ids("ofr")
    for _ in range(MAX_COMMITS):
        job = _load_job(job_id)
        _require_poster(caller, job)
        if job.status is not JobStatus.OPEN:
            raise Conflict("job_filled" if job.status is JobStatus.FILLED else "job_not_open")
        application = repo.get_application(job.id, professional_id)
        if application is None or application.status is not ApplicationStatus.APPLIED:
            raise Conflict("no_application")
        state = snapshots.professional(professional_id)
        if state is None:
            raise NotFound(message="No professional with that id.")
        if state.subject.status in BANNED_STATUSES:
            raise Forbidden("banned", "The professional is banned or suspended: no offer can be made.")
        if state.subject.status != ProfessionalStatus.VERIFIED:
            raise Conflict("professional_unavailable", "The professional is not verified.")
        if job.holds and state.subject.engagement_id:
            raise Conflict("already_engaged")
        at = iso(now())
        offer = Offer(
            id=offer_id,
            job_id=job.id,
            professional_id=professional_id,
            employer_sub=caller.sub,
            status=OfferStatus.PENDING,
            title=job.title,
            service_id=job.service_id,
            kind=job.kind,
            wage=job.wage,
            starts_on=job.starts_on,
            created_at=at,
        )
        if repo.add_offer(offer, at) is Commit.DONE:
            _announce(job_events.job_offer(offer))
            return offer
    raise _busy()


class OfferContext(NamedTuple):
    offer: Offer
    professional: ProfessionalSnapshot | None
    is_professional_side: bool


def _offer_context(caller: Caller, offer_id: str) -> OfferContext:
    offer = repo.get_offer(offer_id)
    if offer is None:
        raise NotFound(message="No offer with that id.")
    state = snapshots.professional(offer.professional_id)
    side = state is not None and access.is_manager(caller, state)
    return OfferContext(offer, state, side)


def view_offer(caller: Caller, offer_id: str) -> Offer:
    """The professional offered (and whoever manages them), the employer and officers. A pending
    offer of a job that is no longer open shows as ``lapsed``."""
    ctx = _offer_context(caller, offer_id)
    if not (ctx.is_professional_side or caller.sub == ctx.offer.employer_sub or caller.is_officer):
        raise Forbidden(
            message="Only the professional offered, the employer and officers may see this offer."
        )
    offer = ctx.offer
    if offer.status is OfferStatus.PENDING:
        job = repo.get_job(offer.job_id)
        if job is None or job.status is not JobStatus.OPEN:
            return offer.model_copy(update={"status": OfferStatus.LAPSED})
    return offer


def _require_professional_side(ctx: OfferContext) -> ProfessionalSnapshot:
    if not ctx.is_professional_side or ctx.professional is None:
        raise Forbidden(message="Only the professional offered (or whoever manages them) may answer.")
    return ctx.professional


class Accepted(NamedTuple):
    offer: Offer
    engagement: Engagement


def _lapse(offer: Offer, job: Job, at: str) -> Conflict:
    """The job filled or closed before this acceptance: the offer lapses; the 409 says why."""
    if repo.end_offer(offer, OfferStatus.LAPSED, at) is Commit.DONE:
        _announce(job_events.offer_answered(Kind.JOB_OFFER_LAPSED, offer, at))
    return Conflict("job_filled" if job.status is JobStatus.FILLED else "job_not_open")


def accept_offer(
    caller: Caller, offer_id: str, *, now: Clock = utc_now, sleep: Sleep = time.sleep
) -> Accepted:
    """The offer becomes an engagement, taking one of the job's positions (one transaction: never
    more engagements than positions; of racing accepts for the last position one wins, the others
    get 409 ``job_filled``). A full-time engagement takes the professional out of on-demand
    matching in the same transaction."""
    for attempt in range(MAX_COMMITS):
        ctx = _offer_context(caller, offer_id)
        state = _require_professional_side(ctx)
        offer = ctx.offer
        if offer.status is OfferStatus.ACCEPTED and offer.engagement_id:
            engagement = repo.get_engagement(offer.engagement_id)
            if engagement is not None:
                return Accepted(offer, engagement)  # a retried accept: the same answer
        if offer.status is not OfferStatus.PENDING:
            raise Conflict("invalid_transition", f"The offer is {offer.status.value}.")
        job = _load_job(offer.job_id)
        at = iso(now())
        if job.status is not JobStatus.OPEN or job.filled >= job.positions:
            raise _lapse(offer, job, at)
        require_verified(state)
        if job.holds and state.subject.engagement_id:
            raise Conflict("already_engaged")
        engagement = Engagement(
            id=engagement_id_for(offer.id),
            job_id=job.id,
            offer_id=offer.id,
            professional_id=offer.professional_id,
            employer_sub=job.poster_sub,
            service_id=job.service_id,
            title=job.title,
            kind=job.kind,
            wage=job.wage,
            pieces_per_day=job.pieces_per_day,
            hours_per_day=job.hours_per_day,
            starts_on=job.starts_on,
            ends_on=job.ends_on,
            status=EngagementStatus.ACTIVE,
            holds_professional=job.holds,
            district=job.district,
            created_at=at,
        )
        outcome = repo.accept(offer, job, engagement, state, at)
        if outcome is Commit.DONE:
            accepted = offer.model_copy(
                update={"status": OfferStatus.ACCEPTED, "decided_at": at, "engagement_id": engagement.id}
            )
            logger.info("offer accepted", extra={"offer_id": offer.id, "engagement_id": engagement.id})
            _announce(job_events.offer_answered(Kind.JOB_OFFER_ACCEPTED, accepted, at, engagement.id))
            if job.filled + 1 >= job.positions:
                _announce(job_events.job_filled(job, at))
            return Accepted(accepted, engagement)
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
    raise _busy()


def decline_offer(caller: Caller, offer_id: str, *, now: Clock = utc_now) -> Offer:
    for _ in range(MAX_COMMITS):
        ctx = _offer_context(caller, offer_id)
        _require_professional_side(ctx)
        offer = ctx.offer
        if offer.status is OfferStatus.DECLINED:
            return offer
        if offer.status is not OfferStatus.PENDING:
            raise Conflict("invalid_transition", f"The offer is {offer.status.value}.")
        at = iso(now())
        if repo.end_offer(offer, OfferStatus.DECLINED, at) is Commit.DONE:
            declined = offer.model_copy(update={"status": OfferStatus.DECLINED, "decided_at": at})
            _announce(job_events.offer_answered(Kind.JOB_OFFER_DECLINED, declined, at))
            return declined
    raise _busy()


# --- engagements ----------------------------------------------------------------------------------

EMPLOYER = "employer"
PROFESSIONAL = "professional"


class EngagementContext(NamedTuple):
    engagement: Engagement
    professional: ProfessionalSnapshot | None
    roles: frozenset[str]


def _engagement_context(caller: Caller, engagement_id: str) -> EngagementContext:
    engagement = repo.get_engagement(engagement_id)
    if engagement is None:
        raise NotFound(message="No engagement with that id.")
    state = snapshots.professional(engagement.professional_id)
    roles = set()
    if caller.sub == engagement.employer_sub:
        roles.add(EMPLOYER)
    if state is not None and access.is_manager(caller, state):
        roles.add(PROFESSIONAL)
    return EngagementContext(engagement, state, frozenset(roles))


def _require(
    ctx: EngagementContext, *roles: str, officers: bool = False, caller: Caller | None = None
) -> None:
    if ctx.roles.intersection(roles) or (officers and caller is not None and caller.is_officer):
        return
    raise Forbidden(message=f"Only the engagement's {' or '.join(roles)} may do this.")


def view_engagement(caller: Caller, engagement_id: str) -> Engagement:
    ctx = _engagement_context(caller, engagement_id)
    _require(ctx, EMPLOYER, PROFESSIONAL, officers=True, caller=caller)
    return ctx.engagement


def list_engagements(
    caller: Caller, role: str, professional_id: str | None, limit: int, cursor: str | None
) -> tuple[list[Engagement], str | None]:
    """``employer``: the engagements the caller employs; ``professional``: those of the
    professional the caller acts for (their own, or ``professional_id`` they manage)."""
    if role == EMPLOYER:
        scope = cursors.scope_of("GET /engagements", caller.sub, role)
        items, last = repo.engagements_of_employer(caller.sub, limit, cursors.decode(cursor, scope))
        return items, cursors.encode(last, scope)
    state = acting_professional(caller, professional_id)
    scope = cursors.scope_of("GET /engagements", caller.sub, role, state.subject.id)
    items, last = repo.engagements_of_professional(state.subject.id, limit, cursors.decode(cursor, scope))
    return items, cursors.encode(last, scope)


def end_engagement(
    caller: Caller, engagement_id: str, *, now: Clock = utc_now, sleep: Sleep = time.sleep
) -> Engagement:
    """Either side ends an active engagement; a full-time one frees the professional for on-demand
    work again (back in the match index, when online and otherwise eligible) in its transaction."""
    for attempt in range(MAX_COMMITS):
        ctx = _engagement_context(caller, engagement_id)
        _require(ctx, EMPLOYER, PROFESSIONAL)
        engagement = ctx.engagement
        if engagement.status is not EngagementStatus.ACTIVE:
            raise Conflict("invalid_transition", "The engagement has already ended.")
        by = EMPLOYER if EMPLOYER in ctx.roles else PROFESSIONAL
        at = iso(now())
        outcome = repo.end_engagement(engagement, at, by, ctx.professional)
        if outcome is Commit.DONE:
            ended = engagement.model_copy(
                update={"status": EngagementStatus.ENDED, "ended_at": at, "ended_by": by}
            )
            _announce(job_events.engagement_ended(ended, at, by))
            return ended
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
    raise _busy()


# --- attendance and the statement -----------------------------------------------------------------


def _day_in(engagement: Engagement, day: date, today: date) -> bool:
    """Within the engagement: from ``starts_on`` to the earliest of today, ``ends_on`` and the day
    it ended (days before an end can still be recorded after it)."""
    last = today
    if engagement.ends_on:
        last = min(last, date.fromisoformat(engagement.ends_on))
    if engagement.ended_at:
        last = min(last, india_today(parse_iso(engagement.ended_at)))
    return date.fromisoformat(engagement.starts_on) <= day <= last


def record_attendance(
    caller: Caller, engagement_id: str, body: AttendanceIn, *, now: Clock = utc_now
) -> Attendance:
    """The employer records a day (once) within the engagement's dates, not ahead of today (and,
    once it has ended, not after its end: the last days are still recorded after an end);
    piece-rate work records the pieces of a day present. The worker may dispute the entry for
    ``DISPUTE_WINDOW`` after it is recorded."""
    ctx = _engagement_context(caller, engagement_id)
    _require(ctx, EMPLOYER)
    engagement = ctx.engagement
    moment = now()
    problems = []
    if not _day_in(engagement, date.fromisoformat(body.date), india_today(moment)):
        problems.append(
            FieldProblem(
                ("body", "date"), "attendance_date_out_of_range", "the day is outside the engagement or ahead"
            )
        )
    by_piece = engagement.wage.per is WageUnit.PIECE and body.present
    if by_piece and body.pieces is None:
        problems.append(
            FieldProblem(("body", "pieces"), "pieces_required", "pieces are required for piece-rate work")
        )
    if not by_piece and body.pieces is not None:
        problems.append(
            FieldProblem(("body", "pieces"), "pieces_not_allowed", "pieces are for a piece-rate day present")
        )
    if problems:
        raise _field_errors(problems)
    entry = Attendance(
        engagement_id=engagement.id,
        date=body.date,
        present=body.present,
        pieces=body.pieces,
        recorded_by=caller.sub,
        recorded_at=iso(moment),
        dispute_by=iso(moment + DISPUTE_WINDOW),
    )
    if not repo.add_attendance(entry):
        raise Conflict("attendance_exists")
    return entry


def dispute_attendance(
    caller: Caller, engagement_id: str, day: str, body: DisputeIn, *, now: Clock = utc_now
) -> Attendance:
    """The worker's side disputes a recorded day, once, within 7 days of its recording."""
    ctx = _engagement_context(caller, engagement_id)
    _require(ctx, PROFESSIONAL)
    for _ in range(MAX_COMMITS):
        entry = repo.get_attendance(ctx.engagement.id, day)
        if entry is None:
            raise NotFound(message="No attendance is recorded for that day.")
        if entry.dispute is not None:
            raise Conflict("already_disputed")
        at = iso(now())
        if at >= entry.dispute_by:
            raise Conflict("dispute_window_closed")
        dispute = Dispute(reason=body.reason, present=body.present, pieces=body.pieces, by=caller.sub, at=at)
        if repo.add_dispute(entry, dispute):
            disputed = entry.model_copy(update={"dispute": dispute})
            _announce(job_events.attendance_disputed(ctx.engagement, disputed))
            return disputed
    raise _busy()


def month_statement(caller: Caller, engagement_id: str, month: str) -> tuple[Engagement, Statement]:
    """Both sides and officers: the month's wage from recorded attendance at the posted wage."""
    ctx = _engagement_context(caller, engagement_id)
    _require(ctx, EMPLOYER, PROFESSIONAL, officers=True, caller=caller)
    first, last = month_days(month)
    entries = repo.attendance_between(ctx.engagement.id, first, last)
    return ctx.engagement, statement(ctx.engagement, month, entries)


# --- the sweep ------------------------------------------------------------------------------------

SYSTEM = "system"


class Sweep(NamedTuple):
    ended: int
    skipped: int  # ended meanwhile, or still contended (the next sweep retries)


def end_due(now: datetime, *, sleep: Sleep = time.sleep) -> Sweep:
    """Every active engagement whose ``ends_on`` (an Indian calendar day) has passed ends, one
    transaction each, freeing a professional it holds; found through the sparse ``ending`` index.
    Idempotent: an engagement ended meanwhile is skipped."""
    today = india_today(now).isoformat()
    at = iso(now)
    ended = skipped = 0
    for engagement_id in repo.due_to_end(today):
        if _end_one(engagement_id, today, at, sleep):
            ended += 1
        else:
            skipped += 1
    return Sweep(ended, skipped)


def _end_one(engagement_id: str, today: str, at: str, sleep: Sleep) -> bool:
    for attempt in range(MAX_COMMITS):
        engagement = repo.get_engagement(engagement_id)
        if engagement is None or engagement.status is not EngagementStatus.ACTIVE:
            return False
        if engagement.ends_on is None or engagement.ends_on >= today:
            return False
        state = snapshots.professional(engagement.professional_id)
        outcome = repo.end_engagement(engagement, at, SYSTEM, state)
        if outcome is Commit.DONE:
            _announce(job_events.engagement_ended(engagement, at, SYSTEM))
            return True
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
    logger.warning(
        "engagement not ended in this sweep; the next one retries", extra={"engagement_id": engagement_id}
    )
    return False
