"""Accounts, agencies and professionals: sign-up, documents, submission, profile."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from register import availability, logic
from register.models import (
    AgencyIn,
    AgencyOut,
    DocumentRequestIn,
    DocumentUploadOut,
    MeOut,
    PreferencesOut,
    PresignedPost,
    ProfessionalOut,
    RegisterProfessionalIn,
    SubmitOut,
)
from sevamitra.data import accounts, notifications
from sevamitra.domain.types import EntityId
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


@app.get("/me")
def me() -> MeOut:
    caller = _caller()
    preferences = notifications.get_preferences(caller.sub)
    return MeOut(
        sub=caller.sub,
        roles=caller.roles,
        professional_id=accounts.professional_id_of(caller.sub),
        agency_id=accounts.agency_id_of(caller.sub),
        preferences=PreferencesOut(language=preferences.language, sms=preferences.sms),
    )


@app.post(
    "/agencies",
    responses={201: {"description": "Created", "content": {"application/json": {"model": AgencyOut}}}},
)
def create_agency(body: AgencyIn) -> Response[AgencyOut]:
    caller = _caller()
    key = idempotency.header_key(dict(app.current_event.headers or {}))
    scope = {"sub": caller.sub, "body": body.model_dump(mode="json", exclude={"contact_mobile"})}
    result = idempotency.run_once(
        key,
        "create_agency",
        scope,
        lambda: AgencyOut.model_validate(logic.create_agency(caller, body).model_dump()).model_dump(
            mode="json"
        ),
    )
    return _created(result)


@app.post("/agencies/<agency_id>/approve")
def approve_agency(agency_id: PathId) -> AgencyOut:
    return AgencyOut.model_validate(logic.approve_agency(_caller(), agency_id).model_dump())


@app.post(
    "/professionals",
    responses={201: {"description": "Created", "content": {"application/json": {"model": ProfessionalOut}}}},
)
def register_professional(body: RegisterProfessionalIn) -> Response[ProfessionalOut]:
    caller = _caller()
    registration = logic.reduce_identities(body)
    key = idempotency.header_key(dict(app.current_event.headers or {}))
    scope = {"sub": caller.sub, "body": registration.fingerprint()}
    result = idempotency.run_once(
        key,
        "register_professional",
        scope,
        lambda: ProfessionalOut.of(logic.register_professional(caller, registration)).model_dump(mode="json"),
    )
    return _created(result)


@app.get("/professionals/<professional_id>")
def get_professional(professional_id: PathId) -> ProfessionalOut:
    caller = _caller()
    professional = logic.professional_for_viewer(caller, professional_id)
    return ProfessionalOut.of(professional, for_officer=caller.is_officer)


@app.post(
    "/professionals/<professional_id>/documents",
    responses={
        201: {"description": "Created", "content": {"application/json": {"model": DocumentUploadOut}}}
    },
)
def request_document_upload(professional_id: PathId, body: DocumentRequestIn) -> Response[DocumentUploadOut]:
    upload = logic.request_document_upload(_caller(), professional_id, body)
    out = DocumentUploadOut(
        document_id=upload.record.document_id,
        kind=upload.kind,
        upload=PresignedPost.model_validate(upload.post),
        expires_at=upload.expires_at,
    )
    return _created(out.model_dump(mode="json"))


@app.post(
    "/professionals/<professional_id>/submit",
    responses={202: {"description": "Accepted", "content": {"application/json": {"model": SubmitOut}}}},
)
def submit(professional_id: PathId) -> Response[SubmitOut]:
    professional = logic.submit_for_verification(_caller(), professional_id)
    return Response(
        status_code=202,
        content_type=content_types.APPLICATION_JSON,
        body=SubmitOut(status=professional.status),
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)


@app.put("/professionals/<professional_id>/availability")
def put_availability(
    professional_id: PathId, body: availability.AvailabilityIn
) -> availability.AvailabilityOut:
    return availability.set_availability(professional_id, _caller(), body)
