"""Accounts, agencies and professionals: sign-up, documents, submission, profile, availability."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from register import availability, logic
from register.models import (
    AgencyIn,
    AgencyOut,
    DocumentRequestIn,
    DocumentUploadOut,
    MeOut,
    ProfessionalOut,
    RegisterProfessionalIn,
    SubmitOut,
)
from sevamitra.edge.api import make_resolver
from sevamitra.edge.handlers import (
    CallerDep,
    IdempotencyKey,
    PathId,
    accepted,
    accepted_as,
    created,
    created_as,
    idempotent_created,
)
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


@app.post("/agencies/<agency_id>/approve")
def approve_agency(agency_id: PathId, caller: CallerDep) -> AgencyOut:
    return AgencyOut.of(logic.approve_agency(caller, agency_id))


@app.post("/professionals", responses=created_as(ProfessionalOut))
def register_professional(
    body: RegisterProfessionalIn, caller: CallerDep, key: IdempotencyKey
) -> Response[ProfessionalOut]:
    registration = logic.reduce_identities(body)  # no raw Aadhaar or mobile number past this line
    return idempotent_created(
        key,
        "register_professional",
        caller,
        registration.fingerprint(),
        lambda: ProfessionalOut.of(logic.register_professional(caller, registration)),
    )


@app.get("/professionals/<professional_id>")
def get_professional(professional_id: PathId, caller: CallerDep) -> ProfessionalOut:
    professional = logic.professional_for_viewer(caller, professional_id)
    return ProfessionalOut.of(professional, for_officer=caller.is_officer)


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


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
