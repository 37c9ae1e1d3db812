"""Complaints, officer decisions, bans and the ban check, a professional's audit trail, and IGRS's
signed callback. (The scheduled IGRS escalation is ``complaint.escalation``, the delivery to IGRS
``complaint.igrs_delivery``, the audit anchoring ``complaint.anchoring``.)"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaint import appeals, logic, sanctions
from complaint.igrs_callback import igrs_signature, record_callback
from complaint.models import (
    AppealDecisionIn,
    AppealIn,
    AppealOut,
    AuditOut,
    BanCheckOut,
    ComplaintCreatedOut,
    ComplaintIn,
    ComplaintKindIn,
    ComplaintListOut,
    ComplaintOut,
    ComplaintStatusIn,
    ComplaintSummaryOut,
    ConfirmBanIn,
    EvidenceIn,
    EvidenceUploadOut,
    IgrsCallbackIn,
    IgrsCallbackOut,
    ResolveIn,
    ResponseIn,
    ResponseOut,
)
from sevamitra.domain.districts import DistrictCode
from sevamitra.domain.types import Aadhaar, EntityId, Mobile
from sevamitra.edge.api import make_resolver
from sevamitra.edge.handlers import CallerDep, IdempotencyKey, PathId, created, created_as, idempotent_created
from sevamitra.edge.paging import DEFAULT_LIMIT, PageCursor, PageLimit
from sevamitra.platform.observability import logger, metrics

# IGRS's callback carries no token: its signature is checked before routing (complaint.igrs_callback).
app = make_resolver(before_routing=igrs_signature)


@app.post("/complaints", responses=created_as(ComplaintCreatedOut))
def open_complaint(
    body: ComplaintIn, caller: CallerDep, key: IdempotencyKey
) -> Response[ComplaintCreatedOut]:
    return idempotent_created(
        key,
        "open_complaint",
        caller,
        body,
        lambda: ComplaintCreatedOut.of(logic.open_complaint(caller, body)),
    )


@app.get("/complaints")
def list_complaints(
    caller: CallerDep,
    status: Annotated[ComplaintStatusIn | None, Query()] = None,
    district: Annotated[
        DistrictCode | None, Query(description="A district code or its English or Hindi name")
    ] = None,
    kind: Annotated[ComplaintKindIn | None, Query()] = None,
    overdue: Annotated[
        bool,
        Query(description="true: only complaints still undecided (open or escalated) past due_by"),
    ] = False,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
) -> ComplaintListOut:
    page = logic.list_complaints(
        caller,
        status=status,
        district=district,
        kind=kind,
        overdue=overdue,
        limit=limit,
        cursor=cursor,
    )
    return ComplaintListOut(
        complaints=[ComplaintSummaryOut.of(c) for c in page.complaints], next_cursor=page.next_cursor
    )


@app.get("/complaints/<complaint_id>")
def get_complaint(complaint_id: PathId, caller: CallerDep) -> ComplaintOut:
    complaint = logic.complaint_for_viewer(caller, complaint_id)
    receipts = logic.booking_receipts(complaint)
    links = logic.evidence_links(complaint, receipts)
    return ComplaintOut.of(complaint, receipts=receipts, links=links)


@app.post("/complaints/<complaint_id>/response", responses=created_as(ResponseOut))
def respond(complaint_id: PathId, body: ResponseIn, caller: CallerDep) -> Response[ResponseOut]:
    return created(ResponseOut.of(logic.respond(caller, complaint_id, body.text)))


@app.post("/complaints/<complaint_id>/evidence", responses=created_as(EvidenceUploadOut))
def request_evidence_upload(
    complaint_id: PathId, body: EvidenceIn, caller: CallerDep
) -> Response[EvidenceUploadOut]:
    return created(EvidenceUploadOut.of(logic.request_evidence_upload(caller, complaint_id, body)))


@app.post("/complaints/<complaint_id>/resolve")
def resolve(complaint_id: PathId, body: ResolveIn, caller: CallerDep) -> ComplaintOut:
    return ComplaintOut.of(logic.resolve(caller, complaint_id, body.decision, body.remarks))


@app.get("/bans/check")
def ban_check(
    caller: CallerDep,
    aadhaar: Annotated[Aadhaar | None, Query()] = None,
    mobile: Annotated[Mobile | None, Query()] = None,
    professional_id: Annotated[
        EntityId | None, Query(description="A registered professional's identity (a job applicant's)")
    ] = None,
) -> BanCheckOut:
    ban = logic.ban_check(caller, aadhaar=aadhaar, mobile=mobile, professional_id=professional_id)
    if ban is None:
        return BanCheckOut(banned=False)
    return BanCheckOut(
        banned=True,
        name=ban.name,
        banned_at=ban.banned_at,
        reason=ban.reason,
        professional_id=ban.professional_id,
    )


@app.get("/professionals/<professional_id>/audit")
def audit_trail(professional_id: PathId, caller: CallerDep) -> AuditOut:
    return AuditOut.of(professional_id, *logic.audit_trail(caller, professional_id))


@app.post("/igrs/callback")
def igrs_callback(body: IgrsCallbackIn) -> IgrsCallbackOut:
    return record_callback(body)


@app.post("/complaints/<complaint_id>/confirm-ban")
def confirm_ban(complaint_id: PathId, caller: CallerDep, body: ConfirmBanIn | None = None) -> ComplaintOut:
    return ComplaintOut.of(sanctions.confirm_ban(caller, complaint_id, body.remarks if body else None))


@app.post("/complaints/<complaint_id>/appeal", responses=created_as(AppealOut))
def appeal(complaint_id: PathId, body: AppealIn, caller: CallerDep) -> Response[AppealOut]:
    return created(AppealOut.of(appeals.file_appeal(caller, complaint_id, body.text)))


@app.post("/complaints/<complaint_id>/appeal/decide")
def decide_appeal(complaint_id: PathId, body: AppealDecisionIn, caller: CallerDep) -> ComplaintOut:
    return ComplaintOut.of(appeals.decide_appeal(caller, complaint_id, body.decision, body.remarks))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
