"""Jobs: posts, discovery within 3 km, applications, offers, engagements, attendance and the
monthly wage statement."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from jobs import logic
from jobs.models import (
    ApplicationOut,
    ApplicationsOut,
    ApplyIn,
    AttendanceIn,
    AttendanceOut,
    Cursor,
    DisputeIn,
    EngagementOut,
    EngagementsOut,
    IsoDate,
    JobIn,
    JobOut,
    JobsOut,
    KnownServiceId,
    Month,
    OfferIn,
    OfferOut,
    StatementOut,
    application_out,
    engagement_out,
    job_out,
    offer_out,
    statement_out,
)
from sevamitra.domain.types import LAT_IN_SERVICE_AREA, LNG_IN_SERVICE_AREA, EntityId
from sevamitra.edge.api import make_resolver
from sevamitra.edge.handlers import CallerDep, IdempotencyKey, PathId, created, created_as, idempotent_created
from sevamitra.platform.observability import logger, metrics

app = make_resolver()

Limit = Annotated[int, Query(ge=1, le=100)]
OptionalCursor = Annotated[Cursor | None, Query()]
ActingFor = Annotated[EntityId | None, Query(description="The professional acted for (default: your own)")]


@app.post("/jobs", responses=created_as(JobOut))
def post_job(body: JobIn, caller: CallerDep, key: IdempotencyKey) -> Response[JobOut]:
    return idempotent_created(
        key, "create_job", caller, body, lambda: job_out(logic.post_job(caller, body), full=True)
    )


@app.get("/jobs")
def find_jobs(
    caller: CallerDep,
    lat: Annotated[float, Query(allow_inf_nan=False, json_schema_extra=LAT_IN_SERVICE_AREA)],
    lng: Annotated[float, Query(allow_inf_nan=False, json_schema_extra=LNG_IN_SERVICE_AREA)],
    service: Annotated[KnownServiceId | None, Query()] = None,
    limit: Limit = 20,
    cursor: OptionalCursor = None,
    professional_id: ActingFor = None,
) -> JobsOut:
    page = logic.find_jobs(caller, (lat, lng), service, limit, cursor, professional_id)
    jobs = [job_out(view.job, full=view.full, distance_m=view.distance_m) for view in page.jobs]
    return JobsOut(jobs=jobs, next_cursor=page.next_cursor)


@app.get("/me/jobs")
def my_jobs(
    caller: CallerDep,
    limit: Limit = 20,
    cursor: OptionalCursor = None,
) -> JobsOut:
    items, next_cursor = logic.my_jobs(caller, limit, cursor)
    return JobsOut(jobs=[job_out(job, full=True) for job in items], next_cursor=next_cursor)


@app.get("/jobs/<job_id>")
def get_job(
    job_id: PathId,
    caller: CallerDep,
    professional_id: ActingFor = None,
) -> JobOut:
    view = logic.view_job(caller, job_id, professional_id)
    return job_out(view.job, full=view.full, distance_m=view.distance_m, application=view.application)


@app.post("/jobs/<job_id>/close")
def close_job(job_id: PathId, caller: CallerDep) -> JobOut:
    return job_out(logic.close_job(caller, job_id), full=True)


@app.post("/jobs/<job_id>/applications", responses=created_as(ApplicationOut))
def apply(job_id: PathId, body: ApplyIn, caller: CallerDep, key: IdempotencyKey) -> Response[ApplicationOut]:
    return idempotent_created(
        key,
        "apply_to_job",
        caller,
        {"job_id": job_id, **body.model_dump(mode="json")},
        lambda: application_out(logic.apply(caller, job_id, body.professional_id)),
    )


@app.get("/jobs/<job_id>/applications")
def list_applications(
    job_id: PathId,
    caller: CallerDep,
    limit: Limit = 20,
    cursor: OptionalCursor = None,
) -> ApplicationsOut:
    items, next_cursor = logic.list_applications(caller, job_id, limit, cursor)
    return ApplicationsOut(applications=[application_out(a) for a in items], next_cursor=next_cursor)


@app.post("/jobs/<job_id>/offers", responses=created_as(OfferOut))
def make_offer(job_id: PathId, body: OfferIn, caller: CallerDep, key: IdempotencyKey) -> Response[OfferOut]:
    return idempotent_created(
        key,
        "make_offer",
        caller,
        {"job_id": job_id, **body.model_dump(mode="json")},
        lambda: offer_out(logic.make_offer(caller, job_id, body.professional_id)),
    )


@app.get("/offers/<offer_id>")
def get_offer(offer_id: PathId, caller: CallerDep) -> OfferOut:
    return offer_out(logic.view_offer(caller, offer_id))


@app.post("/offers/<offer_id>/accept")
def accept_offer(offer_id: PathId, caller: CallerDep) -> OfferOut:
    return offer_out(logic.accept_offer(caller, offer_id).offer)


@app.post("/offers/<offer_id>/decline")
def decline_offer(offer_id: PathId, caller: CallerDep) -> OfferOut:
    return offer_out(logic.decline_offer(caller, offer_id))


@app.get("/engagements")
def list_engagements(
    caller: CallerDep,
    role: Annotated[Literal["employer", "professional"], Query()] = "employer",
    professional_id: ActingFor = None,
    limit: Limit = 20,
    cursor: OptionalCursor = None,
) -> EngagementsOut:
    items, next_cursor = logic.list_engagements(caller, role, professional_id, limit, cursor)
    return EngagementsOut(engagements=[engagement_out(e) for e in items], next_cursor=next_cursor)


@app.get("/engagements/<engagement_id>")
def get_engagement(engagement_id: PathId, caller: CallerDep) -> EngagementOut:
    return engagement_out(logic.view_engagement(caller, engagement_id))


@app.post("/engagements/<engagement_id>/attendance", responses=created_as(AttendanceOut))
def record_attendance(
    engagement_id: PathId, body: AttendanceIn, caller: CallerDep
) -> Response[AttendanceOut]:
    return created(AttendanceOut.of(logic.record_attendance(caller, engagement_id, body)))


@app.post("/engagements/<engagement_id>/attendance/<date>/dispute", responses=created_as(AttendanceOut))
def dispute_attendance(
    engagement_id: PathId, date: Annotated[IsoDate, Path()], body: DisputeIn, caller: CallerDep
) -> Response[AttendanceOut]:
    return created(AttendanceOut.of(logic.dispute_attendance(caller, engagement_id, date, body)))


@app.get("/engagements/<engagement_id>/statement")
def statement(
    engagement_id: PathId,
    month: Annotated[Month, Query()],
    caller: CallerDep,
) -> StatementOut:
    engagement, computed = logic.month_statement(caller, engagement_id, month)
    return statement_out(engagement, computed)


@app.post("/engagements/<engagement_id>/end")
def end_engagement(engagement_id: PathId, caller: CallerDep) -> EngagementOut:
    return engagement_out(logic.end_engagement(caller, engagement_id))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
