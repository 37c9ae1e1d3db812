"""Jobs as the domain sees them: posts, applications, offers, engagements and attendance, the
rules of a post, and the monthly wage statement. Pure: no AWS.

A post is ``open`` until every position is filled (``filled``) or its poster closes it
(``closed``). A verified professional applies once; the poster offers to an applicant; the offer
is accepted (an engagement, one position filled: never more engagements than positions) or
declined, or it lapses when the job fills or closes first. Attendance is the employer's record of
each day; the worker may dispute an entry within ``DISPUTE_WINDOW`` of its recording; the
statement is computed from recorded attendance at the posted wage only.

Part-time (``part_time``) means at most ``PART_TIME_MAX_HOURS`` hours a day: the professional
stays findable for on-demand bookings (the rest of the day is theirs) and may hold several
part-time engagements. Full-time (``full_time``, 7-8 hours a day) holds the professional: from
acceptance until the engagement ends they are out of the match index and cannot be booked or
take a second full-time engagement. Daily-wage, piece-rate and contract engagements do not hold.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from math import ceil
from typing import Any, NamedTuple

from pydantic import ConfigDict

from sevamitra.domain.types import Model
from sevamitra.domain.wages import NORMAL_DAY_HOURS, WageUnit


class JobKind(StrEnum):
    DAILY_WAGE = "daily_wage"
    PIECE_RATE = "piece_rate"
    PART_TIME = "part_time"
    FULL_TIME = "full_time"
    CONTRACT = "contract"


class JobStatus(StrEnum):
    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"


class ApplicationStatus(StrEnum):
    APPLIED = "applied"
    OFFERED = "offered"
    ENGAGED = "engaged"
    DECLINED = "declined"  # the professional declined the offer (or it lapsed)


class OfferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LAPSED = "lapsed"  # the job filled or closed before the professional accepted


class EngagementStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


MAX_POSITIONS = 500
# Citizens post household work only: these rate-card categories, a household's few positions.
HOUSEHOLD_CATEGORIES = frozenset({"cook", "aaya", "driver", "tutor"})
HOUSEHOLD_MAX_POSITIONS = 5
# A post may start up to this many days back (work already under way, registered to be paid
# properly) and at most a year ahead; it spans at most five years.
BACKDATE_DAYS = 62
MAX_LEAD_DAYS = 365
MAX_SPAN_DAYS = 5 * 366
MAX_PIECES_PER_DAY = 10_000
PART_TIME_MAX_HOURS = 6
FULL_TIME_MIN_HOURS = 7
# Kinds whose engagement takes the professional out of on-demand matching while it lasts.
HOLDING_KINDS = frozenset({JobKind.FULL_TIME})
DISPUTE_WINDOW = timedelta(days=7)
# A monthly wage is owed for this many days' attendance in a month (the daily rate's divisor).
DAYS_PER_MONTH = 26
# Where the job site index keeps every open job, whatever its service (discovery without
# ``service``): a partition key prefix no service id can take.
ANY_SERVICE = "*"


class Wage(Model):
    model_config = ConfigDict(frozen=True)

    paise: int
    per: WageUnit


class FieldProblem(NamedTuple):
    """A rule of a post broken by one field: turned into a 422 field error by the caller."""

    loc: tuple[str, ...]
    type: str
    message: str
    context: dict[str, Any] | None = None


def post_problems(
    *,
    kind: JobKind,
    wage: Wage,
    pieces_per_day: int | None,
    hours_per_day: int | None,
    starts_on: date,
    ends_on: date | None,
    today: date,
) -> list[FieldProblem]:
    """What is wrong with a post's terms (empty: nothing), before the wage floor."""
    problems = []
    body = ("body",)
    if kind is JobKind.PIECE_RATE:
        if wage.per is not WageUnit.PIECE:
            problems.append(
                FieldProblem((*body, "wage", "per"), "piece_rate_per_piece", "a piece rate is paid per piece")
            )
        if pieces_per_day is None:
            problems.append(
                FieldProblem(
                    (*body, "pieces_per_day"), "pieces_per_day_required", "a piece rate needs pieces_per_day"
                )
            )
    else:
        if wage.per is WageUnit.PIECE:
            problems.append(
                FieldProblem(
                    (*body, "wage", "per"),
                    "piece_wage_needs_piece_rate",
                    "only a piece_rate job is paid per piece",
                )
            )
        if pieces_per_day is not None:
            problems.append(
                FieldProblem(
                    (*body, "pieces_per_day"),
                    "pieces_per_day_not_allowed",
                    "pieces_per_day is for piece_rate jobs",
                )
            )
    if kind is JobKind.PART_TIME and (hours_per_day is None or hours_per_day > PART_TIME_MAX_HOURS):
        problems.append(
            FieldProblem(
                (*body, "hours_per_day"),
                "part_time_hours",
                "part-time work is 1 to {max_hours} hours a day",
                {"max_hours": PART_TIME_MAX_HOURS},
            )
        )
    if kind is JobKind.FULL_TIME and hours_per_day is not None and hours_per_day < FULL_TIME_MIN_HOURS:
        problems.append(
            FieldProblem(
                (*body, "hours_per_day"),
                "full_time_hours",
                "full-time work is {min_hours} to {max_hours} hours a day",
                {"min_hours": FULL_TIME_MIN_HOURS, "max_hours": NORMAL_DAY_HOURS},
            )
        )
    if starts_on < today - timedelta(days=BACKDATE_DAYS) or starts_on > today + timedelta(days=MAX_LEAD_DAYS):
        problems.append(
            FieldProblem(
                (*body, "starts_on"),
                "starts_on_out_of_range",
                "starts_on must be between {earliest} and {latest}",
                {
                    "earliest": (today - timedelta(days=BACKDATE_DAYS)).isoformat(),
                    "latest": (today + timedelta(days=MAX_LEAD_DAYS)).isoformat(),
                },
            )
        )
    if kind is JobKind.CONTRACT and ends_on is None:
        problems.append(FieldProblem((*body, "ends_on"), "ends_on_required", "a contract needs ends_on"))
    if ends_on is not None and not starts_on <= ends_on <= starts_on + timedelta(days=MAX_SPAN_DAYS):
        problems.append(
            FieldProblem(
                (*body, "ends_on"),
                "ends_on_out_of_range",
                "ends_on must be on or after starts_on and within {max_days} days of it",
                {"max_days": MAX_SPAN_DAYS},
            )
        )
    return problems


def working_hours(kind: JobKind, hours_per_day: int | None) -> int:
    """The hours a day the floor is for: as posted, a normal day when not said."""
    return hours_per_day if hours_per_day is not None else NORMAL_DAY_HOURS


def floor_hours(kind: JobKind, hours_per_day: int | None) -> int:
    """Only part-time work is held to a floor pro rata for its hours; any other kind is owed the
    full day's rate (a worker engaged for a day is owed a normal day's wage)."""
    return working_hours(kind, hours_per_day) if kind is JobKind.PART_TIME else NORMAL_DAY_HOURS


# --- records ------------------------------------------------------------------------------------


class Job(Model):
    model_config = ConfigDict(frozen=True)

    id: str
    status: JobStatus
    poster_sub: str
    agency_id: str | None = None
    title: str
    service_id: str
    skill: str
    kind: JobKind
    positions: int
    filled: int = 0
    wage: Wage
    pieces_per_day: int | None = None
    hours_per_day: int
    starts_on: str
    ends_on: str | None = None
    lat: float
    lng: float
    district: str
    floor: dict[str, Any]
    created_at: str
    updated_at: str
    closed_at: str | None = None

    @property
    def holds(self) -> bool:
        return self.kind in HOLDING_KINDS


class Application(Model):
    model_config = ConfigDict(frozen=True)

    job_id: str
    professional_id: str
    name: str
    rating: float | None = None
    distance_m: int
    status: ApplicationStatus
    applied_by: str
    applied_at: str
    offer_id: str | None = None
    updated_at: str


class Offer(Model):
    model_config = ConfigDict(frozen=True)

    id: str
    job_id: str
    professional_id: str
    employer_sub: str
    status: OfferStatus
    title: str
    service_id: str
    kind: JobKind
    wage: Wage
    starts_on: str
    created_at: str
    decided_at: str | None = None
    engagement_id: str | None = None


class Engagement(Model):
    model_config = ConfigDict(frozen=True)

    id: str
    job_id: str
    offer_id: str
    professional_id: str
    employer_sub: str
    service_id: str
    title: str
    kind: JobKind
    wage: Wage
    pieces_per_day: int | None = None
    hours_per_day: int
    starts_on: str
    ends_on: str | None = None
    status: EngagementStatus
    holds_professional: bool
    district: str
    created_at: str
    ended_at: str | None = None
    ended_by: str | None = None


class Dispute(Model):
    model_config = ConfigDict(frozen=True)

    reason: str
    present: bool | None = None
    pieces: int | None = None
    by: str
    at: str


class Attendance(Model):
    model_config = ConfigDict(frozen=True)

    engagement_id: str
    date: str
    present: bool
    pieces: int | None = None
    recorded_by: str
    recorded_at: str
    dispute_by: str
    dispute: Dispute | None = None


def engagement_id_for(offer_id: str) -> str:
    """An offer becomes at most one engagement: its id follows from the offer's."""
    return "eng_" + offer_id.split("_", 1)[-1]


# --- the statement ---------------------------------------------------------------------------


def month_days(month: str) -> tuple[str, str]:
    """The first and last ``YYYY-MM-DD`` of ``YYYY-MM``."""
    year, number = (int(part) for part in month.split("-"))
    last = calendar.monthrange(year, number)[1]
    return f"{month}-01", f"{month}-{last:02d}"


def wage_due_paise(wage: Wage, days_present: int, pieces: int) -> int:
    """What recorded attendance earns at the posted wage: days x the daily wage, pieces x the
    piece rate, or the monthly wage pro rata for days present out of ``DAYS_PER_MONTH`` (at most
    the whole month's wage), rounded up to the paisa."""
    if wage.per is WageUnit.DAY:
        return wage.paise * days_present
    if wage.per is WageUnit.PIECE:
        return wage.paise * pieces
    return min(wage.paise, ceil(Fraction(wage.paise * days_present, DAYS_PER_MONTH)))


class Statement(NamedTuple):
    month: str
    days_present: int
    days_absent: int
    pieces: int
    wage_due_paise: int
    disputed: list[Attendance]
    days: list[Attendance]


def statement(engagement: Engagement, month: str, entries: list[Attendance]) -> Statement:
    """The month's wage statement from the employer's recorded attendance only; disputed days
    count as recorded and are listed for whoever settles them."""
    present = [e for e in entries if e.present]
    pieces = sum(e.pieces or 0 for e in present)
    return Statement(
        month=month,
        days_present=len(present),
        days_absent=len(entries) - len(present),
        pieces=pieces,
        wage_due_paise=wage_due_paise(engagement.wage, len(present), pieces),
        disputed=[e for e in entries if e.dispute is not None],
        days=sorted(entries, key=lambda e: e.date),
    )
