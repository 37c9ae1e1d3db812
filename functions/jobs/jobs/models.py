"""Request and response models of the jobs function."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictBool,
    StrictInt,
    StringConstraints,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from sevamitra.domain.districts import DistrictCode
from sevamitra.domain.jobs import (
    MAX_PIECES_PER_DAY,
    MAX_POSITIONS,
    Application,
    ApplicationStatus,
    Attendance,
    Engagement,
    EngagementStatus,
    Job,
    JobKind,
    JobStatus,
    Offer,
    OfferStatus,
    Statement,
)
from sevamitra.domain.ratecard import rate_card
from sevamitra.domain.types import EntityId, JsonSchemaExtra, LatLng, LongText, Model, ServiceId, ShortText
from sevamitra.domain.wages import NORMAL_DAY_HOURS, WageUnit


def _on_rate_card(service_id: str) -> str:
    if service_id not in rate_card():
        raise PydanticCustomError("unknown_service", "unknown service id: not on the rate card")
    return service_id


class _OnTheRateCard:
    """The document lists the rate card's ids (read when the schema is built, not at import)."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(core_schema), "enum": sorted(rate_card())}


KnownServiceId = Annotated[ServiceId, AfterValidator(_on_rate_card), _OnTheRateCard()]


def _calendar_day(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise PydanticCustomError("date_parsing", "not a calendar date (YYYY-MM-DD)") from exc
    return value


# A calendar day as ``YYYY-MM-DD`` (kept as text: the stored form). Not pydantic's ``date``, which
# also takes numbers as timestamps.
IsoDate = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"),
    AfterValidator(_calendar_day),
    JsonSchemaExtra({"format": "date"}),
]
Month = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
Cursor = Annotated[str, StringConstraints(min_length=1, max_length=1024)]
Paise = Annotated[StrictInt, Field(ge=1, le=10_000_000_00, description="Money in integer paise")]
Pieces = Annotated[StrictInt, Field(ge=0, le=MAX_PIECES_PER_DAY)]


# --- posts ------------------------------------------------------------------------------------------


class WageIn(Model):
    model_config = ConfigDict(extra="forbid")

    paise: Paise
    per: WageUnit = Field(description="day, month, or piece (piece_rate jobs, with pieces_per_day)")


class JobIn(Model):
    """A job post. The wage is checked against Uttar Pradesh's minimum wage for the service's skill
    category on ``starts_on`` (422 ``below_minimum_wage``, the floor in ``details``)."""

    model_config = ConfigDict(extra="forbid")

    title: ShortText
    service_id: KnownServiceId
    kind: JobKind
    positions: StrictInt = Field(ge=1, le=MAX_POSITIONS)
    wage: WageIn
    pieces_per_day: StrictInt | None = Field(
        default=None, ge=1, le=MAX_PIECES_PER_DAY, description="piece_rate: pieces a worker makes in a day"
    )
    starts_on: IsoDate = Field(description="From 62 days back (work under way) to a year ahead, Indian date")
    ends_on: IsoDate | None = Field(default=None, description="Required for contract; within 5 years")
    hours_per_day: StrictInt | None = Field(
        default=None,
        ge=1,
        le=NORMAL_DAY_HOURS,
        description="part_time: 1-6 (required; the floor is pro rata); full_time: 7-8; default 8",
    )
    site: LatLng
    district: DistrictCode
    agency_id: EntityId | None = Field(
        default=None, description="Post for this approved agency (the caller must be a member)"
    )


class WageOut(Model):
    paise: int
    per: WageUnit


class FloorOut(Model):
    """The minimum wage the post was checked against."""

    floor_paise: int
    per: WageUnit
    skill: str
    rate_skill: str
    monthly_floor_paise: int
    daily_floor_paise: int
    hours_per_day: int
    pieces_per_day: int | None = None
    effective_from: str
    effective_to: str
    rate_current: bool = Field(description="False: starts_on is past the last recorded period's end")
    source: str


class SiteOut(Model):
    lat: float
    lng: float


class OwnApplicationOut(Model):
    """The calling professional's application to the job: how it stands, and their offer."""

    status: ApplicationStatus
    applied_at: str
    offer_id: str | None = None


class JobOut(Model):
    id: str
    status: JobStatus
    title: str
    service_id: str
    skill: str
    kind: JobKind
    positions: int
    filled: int
    wage: WageOut
    pieces_per_day: int | None = None
    hours_per_day: int
    starts_on: str
    ends_on: str | None = None
    district: str
    site: SiteOut | None = Field(
        default=None, description="To the poster, officers and engaged professionals only"
    )
    distance_m: int | None = Field(
        default=None, description="To a professional: from their location, to the nearest 100 m"
    )
    floor: FloorOut | None = Field(default=None, description="To the poster and officers")
    created_at: str
    closed_at: str | None = None
    application: OwnApplicationOut | None = Field(
        default=None,
        description="GET /jobs/{id} to a professional who applied: their application and offer_id",
    )


class JobsOut(Model):
    jobs: list[JobOut]
    next_cursor: str | None = None


class ApplyIn(Model):
    model_config = ConfigDict(extra="forbid")

    professional_id: EntityId | None = Field(
        default=None, description="The professional applying (default: the caller's own)"
    )


class ApplicationOut(Model):
    job_id: str
    professional_id: str
    name: str
    rating: float | None = None
    distance_m: int = Field(description="From the professional's location to the site, nearest 100 m")
    status: ApplicationStatus
    applied_at: str
    offer_id: str | None = None
    ban_check: str = Field(
        description="The ban registry's answer for the applicant's identity (employers, officers)"
    )


class ApplicationsOut(Model):
    applications: list[ApplicationOut]
    next_cursor: str | None = None


# --- offers -----------------------------------------------------------------------------------------


class OfferIn(Model):
    model_config = ConfigDict(extra="forbid")

    professional_id: EntityId


class OfferOut(Model):
    id: str
    status: OfferStatus
    job_id: str
    professional_id: str
    title: str
    service_id: str
    kind: JobKind
    wage: WageOut
    starts_on: str
    created_at: str
    decided_at: str | None = None
    engagement_id: str | None = None


# --- engagements and attendance ---------------------------------------------------------------------


class EngagementOut(Model):
    id: str
    status: EngagementStatus
    job_id: str
    offer_id: str
    professional_id: str
    title: str
    service_id: str
    kind: JobKind
    wage: WageOut
    pieces_per_day: int | None = None
    hours_per_day: int
    starts_on: str
    ends_on: str | None = None
    district: str
    holds_professional: bool = Field(
        description="Full-time: the professional is out of on-demand matching while it is active"
    )
    created_at: str
    ended_at: str | None = None
    ended_by: str | None = None


class EngagementsOut(Model):
    engagements: list[EngagementOut]
    next_cursor: str | None = None


class AttendanceIn(Model):
    model_config = ConfigDict(extra="forbid")

    date: IsoDate
    present: StrictBool
    pieces: Pieces | None = Field(default=None, description="Piece-rate work: pieces made that day")


class DisputeIn(Model):
    model_config = ConfigDict(extra="forbid")

    reason: LongText
    present: StrictBool | None = Field(default=None, description="What the worker says of the day")
    pieces: Pieces | None = None


class DisputeOut(Model):
    reason: str
    present: bool | None = None
    pieces: int | None = None
    at: str


class AttendanceOut(Model):
    engagement_id: str
    date: str
    present: bool
    pieces: int | None = None
    recorded_at: str
    dispute_by: str = Field(description="The worker may dispute the entry until then (7 days)")
    dispute: DisputeOut | None = None

    @classmethod
    def of(cls, entry: Attendance) -> AttendanceOut:
        values: dict[str, Any] = entry.model_dump(exclude={"recorded_by", "dispute"})
        if entry.dispute is not None:
            values["dispute"] = DisputeOut.model_validate(entry.dispute.model_dump(exclude={"by"}))
        return cls.model_validate(values)


class StatementOut(Model):
    engagement_id: str
    month: str
    wage: WageOut
    days_present: int
    days_absent: int
    pieces: int
    wage_due_paise: int = Field(description="From recorded attendance at the posted wage only")
    disputed_days: int
    days: list[AttendanceOut]


# --- from the domain ----------------------------------------------------------------------------


_OWN_APPLICATION = {"status", "applied_at", "offer_id"}


def job_out(
    job: Job, *, full: bool, distance_m: int | None = None, application: Application | None = None
) -> JobOut:
    """``full``: with the site and the floor (the poster, officers; the site to engaged workers).
    ``application``: the calling professional's own."""
    values = job.model_dump(exclude={"lat", "lng", "floor", "poster_sub", "agency_id", "updated_at"})
    return JobOut.model_validate(
        {
            **values,
            "site": SiteOut(lat=job.lat, lng=job.lng) if full else None,
            "floor": FloorOut.model_validate(job.floor) if full and job.floor else None,
            "distance_m": distance_m,
            "application": (
                OwnApplicationOut.model_validate(application.model_dump(include=_OWN_APPLICATION))
                if application is not None
                else None
            ),
        }
    )


def application_out(application: Application) -> ApplicationOut:
    values = application.model_dump(exclude={"applied_by", "updated_at"})
    return ApplicationOut.model_validate(
        {**values, "ban_check": f"/bans/check?professional_id={application.professional_id}"}
    )


def offer_out(offer: Offer) -> OfferOut:
    return OfferOut.model_validate(offer.model_dump(exclude={"employer_sub"}))


def engagement_out(engagement: Engagement) -> EngagementOut:
    return EngagementOut.model_validate(engagement.model_dump(exclude={"employer_sub"}))


def statement_out(engagement: Engagement, statement: Statement) -> StatementOut:
    return StatementOut(
        engagement_id=engagement.id,
        month=statement.month,
        wage=WageOut.model_validate(engagement.wage.model_dump()),
        days_present=statement.days_present,
        days_absent=statement.days_absent,
        pieces=statement.pieces,
        wage_due_paise=statement.wage_due_paise,
        disputed_days=len(statement.disputed),
        days=[AttendanceOut.of(entry) for entry in statement.days],
    )
