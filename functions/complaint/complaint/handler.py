"""Complaints, officer decisions, bans and the ban check, and a professional's audit trail.
(The scheduled IGRS escalation is ``complaint.escalation``.)"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaint import logic
from complaint.models import (
    AuditOut,
    BanCheckOut,
    ComplaintCreatedOut,
    ComplaintIn,
    ComplaintOut,
    EvidenceIn,
    EvidenceUploadOut,
    PresignedPost,
    ResolveIn,
    ResponseIn,
    ResponseOut,
)
from sevamitra.domain.types import Aadhaar, EntityId, Mobile
from sevamitra.edge import idempotency
from sevamitra.edge.api import make_resolver
from sevamitra.edge.auth import Caller, caller_from_event
from sevamitra.platform.observability import logger, metrics

app = make_resolver()

PathId = Annotated[EntityId, Path()]


def _caller() -> Caller:
    return caller_from_event(app.current_event.raw_event)


def _created(body: dict) -> Response:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=body)


def _responses(model: type) -> dict:
    return {201: {"description": "Created", "content": {"application/json": {"model": model}}}}


@app.post("/complaints", responses=_responses(ComplaintCreatedOut))
def open_complaint(body: ComplaintIn) -> Response[ComplaintCreatedOut]:
    caller = _caller()
    key = idempotency.header_key(dict(app.current_event.headers or {}))
    result = idempotency.run_once(
        key,
        "open_complaint",
        {"sub": caller.sub, "body": body.model_dump(mode="json")},
        lambda: ComplaintCreatedOut.model_validate(
            logic.open_complaint(caller, body).model_dump(mode="json")
        ).model_dump(mode="json"),
    )
    return _created(result)


@app.get("/complaints/<complaint_id>")
def get_complaint(complaint_id: PathId) -> ComplaintOut:
    return ComplaintOut.of(logic.complaint_for_viewer(_caller(), complaint_id))


@app.post("/complaints/<complaint_id>/response", responses=_responses(ResponseOut))
def respond(complaint_id: PathId, body: ResponseIn) -> Response[ResponseOut]:
    complaint = logic.respond(_caller(), complaint_id, body.text)
    return _created(ResponseOut(complaint_id=complaint.id, response=complaint.response or {}).model_dump())


@app.post("/complaints/<complaint_id>/evidence", responses=_responses(EvidenceUploadOut))
def request_evidence_upload(complaint_id: PathId, body: EvidenceIn) -> Response[EvidenceUploadOut]:
    upload = logic.request_evidence_upload(_caller(), complaint_id, body)
    out = EvidenceUploadOut(
        evidence_id=upload.evidence_id,
        upload=PresignedPost.model_validate(upload.post),
        expires_at=upload.expires_at,
    )
    return _created(out.model_dump(mode="json"))


@app.post("/complaints/<complaint_id>/resolve")
def resolve(complaint_id: PathId, body: ResolveIn) -> ComplaintOut:
    return ComplaintOut.of(logic.resolve(_caller(), complaint_id, body.decision, body.remarks))


@app.get("/bans/check")
def ban_check(
    aadhaar: Annotated[Aadhaar | None, Query()] = None,
    mobile: Annotated[Mobile | None, Query()] = None,
    professional_id: Annotated[
        EntityId | None, Query(description="A registered professional's identity (a job applicant's)")
    ] = None,
) -> BanCheckOut:
    banned = logic.ban_check(_caller(), aadhaar=aadhaar, mobile=mobile, professional_id=professional_id)
    return BanCheckOut(banned=banned)


@app.get("/professionals/<professional_id>/audit")
def audit_trail(professional_id: PathId) -> AuditOut:
    entries, check = logic.audit_trail(_caller(), professional_id)
    return AuditOut(
        professional_id=professional_id, entries=entries, chain_valid=check.valid, broken_at=check.broken_at
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
