"""Jobs: posts, discovery within 3 km, applications, offers, engagements, attendance and the
monthly wage statement."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response, content_types
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
from sevamitra.edge import idempotency
from sevamitra.edge.api import make_resolver
from sevamitra.edge.auth import Caller, caller_from_event
from sevamitra.platform.observability import logger, metrics

app = make_resolver()

PathId = Annotated[EntityId, Path()]
Limit = Annotated[int, Query(ge=1, le=100)]
OptionalCursor = Annotated[Cursor | None, Query()]
ActingFor = Annotated[EntityId | None, Query(description="The professional acted for (default: your own)")]


def _caller(*query: str) -> Caller:
    """The signed-in caller; a query parameter other than ``query`` is a 422 (as an extra body
    field is), never silently ignored."""
    caller = caller_from_event(app.current_event.raw_event)
    logic.only_query(set(app.current_event.query_string_parameters or {}), set(query))
    return caller


def _created(body: dict) -> Response:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=body)


def _key() -> str | None:
    return idempotency.header_key(dict(app.current_event.headers or {}))


def _created_doc(model: type) -> dict:
    return {201: {"description": "Created", "content": {"application/json": {"model": model}}}}


@app.post("/jobs", responses=_created_doc(JobOut))
def post_job(body: JobIn) -> Response[JobOut]:
    caller = _caller()
    scope = {"sub": caller.sub, "body": body.model_dump(mode="json")}

    def produce() -> dict:
        return job_out(logic.post_job(caller, body), full=True).model_dump(mode="json")

    return _created(idempotency.run_once(_key(), "create_job", scope, produce))


@app.get("/jobs")
def find_jobs(
    lat: Annotated[float, Query(allow_inf_nan=False, json_schema_extra=LAT_IN_SERVICE_AREA)],
    lng: Annotated[float, Query(allow_inf_nan=False, json_schema_extra=LNG_IN_SERVICE_AREA)],
    service: Annotated[KnownServiceId | None, Query()] = None,
    limit: Limit = 20,
    cursor: OptionalCursor = None,
    professional_id: ActingFor = None,
) -> JobsOut:
    caller = _caller("lat", "lng", "service", "limit", "cursor", "professional_id")
    page = logic.find_jobs(caller, (lat, lng), service, limit, cursor, professional_id)
    jobs = [job_out(view.job, full=view.full, distance_m=view.distance_m) for view in page.jobs]
    return JobsOut(jobs=jobs, next_cursor=page.next_cursor)


@app.get("/me/jobs")
def my_jobs(limit: Limit = 20, cursor: OptionalCursor = None) -> JobsOut:
    items, next_cursor = logic.my_jobs(_caller("limit", "cursor"), limit, cursor)
    return JobsOut(jobs=[job_out(job, full=True) for job in items], next_cursor=next_cursor)


@app.get("/jobs/<job_id>")
def get_job(job_id: PathId, professional_id: ActingFor = None) -> JobOut:
    view = logic.view_job(_caller("professional_id"), job_id, professional_id)
    return job_out(view.job, full=view.full, distance_m=view.distance_m)


@app.post("/jobs/<job_id>/close")
def close_job(job_id: PathId) -> JobOut:
    return job_out(logic.close_job(_caller(), job_id), full=True)


@app.post("/jobs/<job_id>/applications", responses=_created_doc(ApplicationOut))
def apply(job_id: PathId, body: ApplyIn) -> Response[ApplicationOut]:
    caller = _caller()
    scope = {"sub": caller.sub, "body": {"job_id": job_id, **body.model_dump(mode="json")}}

    def produce() -> dict:
        return application_out(logic.apply(caller, job_id, body.professional_id)).model_dump(mode="json")

    return _created(idempotency.run_once(_key(), "apply_to_job", scope, produce))


@app.get("/jobs/<job_id>/applications")
def list_applications(job_id: PathId, limit: Limit = 20, cursor: OptionalCursor = None) -> ApplicationsOut:
    items, next_cursor = logic.list_applications(_caller("limit", "cursor"), job_id, limit, cursor)
    return ApplicationsOut(applications=[application_out(a) for a in items], next_cursor=next_cursor)


@app.post("/jobs/<job_id>/offers", responses=_created_doc(OfferOut))
def make_offer(job_id: PathId, body: OfferIn) -> Response[OfferOut]:
    caller = _caller()
    scope = {"sub": caller.sub, "body": {"job_id": job_id, **body.model_dump(mode="json")}}

    def produce() -> dict:
        return offer_out(logic.make_offer(caller, job_id, body.professional_id)).model_dump(mode="json")

    return _created(idempotency.run_once(_key(), "make_offer", scope, produce))


@app.get("/offers/<offer_id>")
def get_offer(offer_id: PathId) -> OfferOut:
    return offer_out(logic.view_offer(_caller(), offer_id))


@app.post("/offers/<offer_id>/accept")
def accept_offer(offer_id: PathId) -> OfferOut:
    return offer_out(logic.accept_offer(_caller(), offer_id).offer)


@app.post("/offers/<offer_id>/decline")
def decline_offer(offer_id: PathId) -> OfferOut:
    return offer_out(logic.decline_offer(_caller(), offer_id))


@app.get("/engagements")
def list_engagements(
    role: Annotated[Literal["employer", "professional"], Query()] = "employer",
    professional_id: ActingFor = None,
    limit: Limit = 20,
    cursor: OptionalCursor = None,
) -> EngagementsOut:
    caller = _caller("role", "professional_id", "limit", "cursor")
    items, next_cursor = logic.list_engagements(caller, role, professional_id, limit, cursor)
    return EngagementsOut(engagements=[engagement_out(e) for e in items], next_cursor=next_cursor)


@app.get("/engagements/<engagement_id>")
def get_engagement(engagement_id: PathId) -> EngagementOut:
    return engagement_out(logic.view_engagement(_caller(), engagement_id))


@app.post("/engagements/<engagement_id>/attendance", responses=_created_doc(AttendanceOut))
def record_attendance(engagement_id: PathId, body: AttendanceIn) -> Response[AttendanceOut]:
    entry = logic.record_attendance(_caller(), engagement_id, body)
    return _created(AttendanceOut.of(entry).model_dump(mode="json"))


@app.post("/engagements/<engagement_id>/attendance/<date>/dispute", responses=_created_doc(AttendanceOut))
def dispute_attendance(
    engagement_id: PathId, date: Annotated[IsoDate, Path()], body: DisputeIn
) -> Response[AttendanceOut]:
    entry = logic.dispute_attendance(_caller(), engagement_id, date, body)
    return _created(AttendanceOut.of(entry).model_dump(mode="json"))


@app.get("/engagements/<engagement_id>/statement")
def statement(engagement_id: PathId, month: Annotated[Month, Query()]) -> StatementOut:
    engagement, computed = logic.month_statement(_caller("month"), engagement_id, month)
    return statement_out(engagement, computed)


@app.post("/engagements/<engagement_id>/end")
def end_engagement(engagement_id: PathId) -> EngagementOut:
    return engagement_out(logic.end_engagement(_caller(), engagement_id))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
