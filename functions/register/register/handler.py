"""Accounts, agencies and professionals: sign-up, documents, submission, profile, availability."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from register import availability, claims, logic
from register.models import (
    AgencyDetailOut,
    AgencyIn,
    AgencyListOut,
    AgencyOut,
    AgencySummaryOut,
    DocumentRequestIn,
    DocumentUploadOut,
    MeOut,
    ProfessionalCardOut,
    ProfessionalOut,
    RegisterProfessionalIn,
    SubmitOut,
)
from sevamitra.edge.api import make_resolver
from sevamitra.edge.handlers import (
    CallerDep,
    IdempotencyKey,
    Links,
    PathId,
    accepted,
    accepted_as,
    created,
    created_as,
    idempotent_created,
)
from sevamitra.edge.paging import DEFAULT_LIMIT, PageCursor, PageLimit
from sevamitra.platform.observability import logger, metrics

app = make_resolver()


@app.get("/me")
def me(caller: CallerDep) -> MeOut:
    return MeOut.of(logic.me(caller))


@app.post("/agencies", responses=created_as(AgencyOut))
def create_agency(body: AgencyIn, caller: CallerDep, key: IdempotencyKey) -> Response[AgencyOut]:
    return idempotent_created(
        key, "create_agency", caller, body.pii_free(), lambda: AgencyOut.of(logic.create_agency(caller, body))
    )


@app.get("/agencies")
def list_agencies(
    caller: CallerDep,
    status: Annotated[Literal["pending_approval", "approved"] | None, Query()] = None,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
) -> AgencyListOut:
    page = logic.list_agencies(caller, status=status, limit=limit, cursor=cursor)
    return AgencyListOut(
        agencies=[AgencySummaryOut.of(a) for a in page.agencies], next_cursor=page.next_cursor
    )


@app.get("/agencies/<agency_id>")
def get_agency(agency_id: PathId, caller: CallerDep) -> AgencyDetailOut:
    details = logic.agency_for_viewer(caller, agency_id)
    return AgencyDetailOut.of(details.agency, details.professionals)


@app.post("/agencies/<agency_id>/approve")
def approve_agency(agency_id: PathId, caller: CallerDep) -> AgencyOut:
    return AgencyOut.of(logic.approve_agency(caller, agency_id))


@app.post("/professionals", responses=created_as(ProfessionalOut))
def register_professional(
    body: RegisterProfessionalIn, caller: CallerDep, key: IdempotencyKey, links: Links
) -> Response[ProfessionalOut]:
    registration = logic.reduce_identities(body)  # no raw Aadhaar or mobile number past this line
    return idempotent_created(
        key,
        "register_professional",
        caller,
        registration.fingerprint(),
        lambda: ProfessionalOut.of(logic.register_professional(caller, registration), links=links),
    )


@app.get("/professionals/<professional_id>")
def get_professional(professional_id: PathId, caller: CallerDep, links: Links) -> ProfessionalOut:
    professional = logic.professional_for_viewer(caller, professional_id)
    return ProfessionalOut.of(professional, links=links, for_officer=caller.is_officer)


@app.get("/professionals/<professional_id>/card")
def professional_card(professional_id: PathId) -> ProfessionalCardOut:
    """Public (no sign-in): what the QR code on a professional's ID card opens."""
    return ProfessionalCardOut.of(logic.professional_card(professional_id))


@app.post("/professionals/<professional_id>/documents", responses=created_as(DocumentUploadOut))
def request_document_upload(
    professional_id: PathId, body: DocumentRequestIn, caller: CallerDep
) -> Response[DocumentUploadOut]:
    return created(DocumentUploadOut.of(logic.request_document_upload(caller, professional_id, body)))


@app.post("/professionals/<professional_id>/submit", responses=accepted_as(SubmitOut))
def submit(professional_id: PathId, caller: CallerDep) -> Response[SubmitOut]:
    return accepted(SubmitOut(status=logic.submit_for_verification(caller, professional_id).status))


@app.put("/professionals/<professional_id>/availability")
def put_availability(
    professional_id: PathId, body: availability.AvailabilityIn, caller: CallerDep
) -> availability.AvailabilityOut:
    return availability.set_availability(professional_id, caller, body)


@app.post("/professionals/<professional_id>/claim-code", responses=created_as(claims.ClaimCodeOut))
def send_claim_code(professional_id: PathId, caller: CallerDep) -> Response[claims.ClaimCodeOut]:
    return created(claims.send_claim_code(caller, professional_id))


@app.post("/professionals/<professional_id>/claim")
def claim_professional(professional_id: PathId, body: claims.ClaimIn, caller: CallerDep) -> claims.ClaimOut:
    return claims.claim(caller, professional_id, body)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
