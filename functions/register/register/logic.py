"""Registration rules: who may register whom, identities reduced at the edge, documents and
submission. Handlers call exactly one of these per route; AWS access goes through
``sevamitra.data`` and is passed in where tests need to fake it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from register.models import AgencyIn, DocumentRequestIn, RegisterProfessionalIn
from register.settings import register_settings
from sevamitra.data import accounts, agencies, contacts, documents, notifications, uploads, workflows
from sevamitra.data import professionals as repo
from sevamitra.domain import access
from sevamitra.domain.documents import DocumentKind, DocumentRecord, document_key, required_kinds
from sevamitra.domain.events import verification_submitted
from sevamitra.domain.professionals import (
    Agency,
    AgencyStatus,
    Professional,
    ProfessionalStatus,
    Qualification,
    Verification,
    VerificationEvent,
    VerificationStage,
    history_entry,
)
from sevamitra.edge import cursors, pii
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict, DomainError, Forbidden, NotFound
from sevamitra.platform import bus
from sevamitra.platform.clock import Clock, IdFactory, iso, new_id, utc_now
from sevamitra.platform.observability import logger

# --- the caller's account ---------------------------------------------------------------------


class Me(NamedTuple):
    caller: Caller
    professional_id: str | None  # the professional the account is (self-registration)
    agency_id: str | None  # the agency the account belongs to
    preferences: notifications.Preferences  # the language and channels of its notifications


def me(caller: Caller) -> Me:
    return Me(
        caller,
        accounts.professional_id_of(caller.sub),
        accounts.agency_id_of(caller.sub),
        notifications.get_preferences(caller.sub),
    )


# --- registration -----------------------------------------------------------------------------


class Registration(NamedTuple):
    """A registration request with its identities already reduced: no raw number past this point."""

    request: dict[str, Any]  # the request without aadhaar/mobile
    aadhaar: pii.Identity
    mobile: pii.Identity
    # The number itself, sealed with the contacts key (SMS go to it); None: no SMS can reach them.
    mobile_sealed: str | None = None

    def fingerprint(self) -> dict[str, Any]:
        """What makes two requests "the same" for ``Idempotency-Key`` (hashes, not numbers)."""
        return {**self.request, "aadhaar": self.aadhaar.hash, "mobile": self.mobile.hash}


def reduce_identities(body: RegisterProfessionalIn) -> Registration:
    """The only place the raw Aadhaar and mobile numbers are read (HMAC + last 4; the mobile
    also sealed, so that SMS can reach it)."""
    return Registration(
        request=body.pii_free(),
        aadhaar=pii.aadhaar_identity(body.aadhaar),
        mobile=pii.mobile_identity(body.mobile),
        mobile_sealed=contacts.seal(pii.e164(body.mobile), register_settings().contacts_key_id),
    )


def _acting_agency(caller: Caller, agency_id: str | None, agency_of: access.AgencyLoader) -> str | None:
    """For ``on_behalf``: the agency the professional will belong to (None for an officer acting
    alone). Members act for their approved agency; officers may, too, for any approved agency."""
    if agency_id is None:
        if caller.is_officer:
            return None
        agency_id = accounts.agency_id_of(caller.sub)
    agency = agency_of(agency_id) if agency_id else None
    if caller.is_officer and agency is not None and agency.is_approved:
        return agency.id
    return access.require_agency_member(caller, agency).id


def register_professional(
    caller: Caller,
    registration: Registration,
    *,
    clock: Clock = utc_now,
    ids: IdFactory = new_id,
    agency_of: access.AgencyLoader = agencies.get_agency,
) -> Professional:
    """A new professional in ``pending_documents``. Self-registration makes the caller the
    professional (``account_sub``); ``on_behalf`` is for approved agencies' members and officers,
    who then manage the professional (``registered_by``). One transaction claims the identities
    and checks the ban registry (see ``repo.create_professional``)."""
    request = registration.request
    on_behalf = bool(request.get("on_behalf"))
    agency_id = _acting_agency(caller, request.get("agency_id"), agency_of) if on_behalf else None
    now = iso(clock())
    qualification = request.get("qualification")
    professional = Professional(
        id=ids("pro"),
        status=ProfessionalStatus.PENDING_DOCUMENTS,
        name=request["name"],
        account_sub=None if on_behalf else caller.sub,
        registered_by=caller.sub,
        agency_id=agency_id,
        aadhaar_hash=registration.aadhaar.hash,
        aadhaar_last4=registration.aadhaar.last4,
        mobile_hash=registration.mobile.hash,
        mobile_last4=registration.mobile.last4,
        mobile_sealed=registration.mobile_sealed,
        services=list(request["services"]),
        lat=request["location"]["lat"],
        lng=request["location"]["lng"],
        district=request["district"],
        qualification=Qualification.model_validate(qualification) if qualification else None,
        verification=Verification(
            stage=VerificationStage.REGISTERED,
            history=[VerificationEvent.model_validate(history_entry(VerificationStage.REGISTERED, now))],
        ),
        created_at=now,
        updated_at=now,
    )
    repo.create_professional(professional)
    logger.info(
        "professional registered",
        extra={"professional_id": professional.id, "on_behalf": on_behalf, "agency_id": agency_id},
    )
    return professional


def professional_for_viewer(caller: Caller, professional_id: str) -> Professional:
    """404 for an unknown id (whoever asks), then 403 unless the caller may view it."""
    professional = repo.load_professional(professional_id)
    access.require_viewer(caller, professional)
    return professional


# --- agencies ---------------------------------------------------------------------------------


def create_agency(
    caller: Caller, body: AgencyIn, *, clock: Clock = utc_now, ids: IdFactory = new_id
) -> Agency:
    now = iso(clock())
    mobile = pii.mobile_identity(body.contact_mobile)
    agency = Agency(
        id=ids("agy"),
        name=body.name,
        udyam_number=body.udyam_number,
        district=body.district,
        contact_mobile_hash=mobile.hash,
        contact_mobile_last4=mobile.last4,
        status=AgencyStatus.PENDING_APPROVAL,
        owner_sub=caller.sub,
        members=frozenset({caller.sub}),
        created_at=now,
        updated_at=now,
    )
    agencies.create_agency(agency)
    return agency


AGENCY_LIST_ROUTE = "GET /agencies"


class AgencyPage(NamedTuple):
    agencies: list[Agency]
    next_cursor: str | None


def list_agencies(caller: Caller, *, status: str | None, limit: int, cursor: str | None) -> AgencyPage:
    """Officers: agencies in ``status`` (or every status), newest first, one page."""
    caller.require_officer()
    statuses = (status,) if status else tuple(s.value for s in AgencyStatus)
    scope = cursors.scope_of(AGENCY_LIST_ROUTE, caller.sub, *statuses)
    page = agencies.list_agencies(statuses, limit=limit, state=cursors.decode(cursor, scope))
    return AgencyPage(page.items, cursors.encode(page.state, scope))


class AgencyDetails(NamedTuple):
    agency: Agency
    professionals: int


def agency_for_viewer(caller: Caller, agency_id: str) -> AgencyDetails:
    """404 for an unknown id (whoever asks), then 403 unless an officer or one of its members
    (approved or not: an owner sees their agency while it waits for approval)."""
    agency = agencies.get_agency(agency_id)
    if agency is None:
        raise NotFound(message="No agency with that id.")
    if not (caller.is_officer or caller.sub in agency.members):
        raise Forbidden(message="Only officers and the agency's members may see it.")
    return AgencyDetails(agency, repo.count_of_agency(agency.id))


def professional_card(professional_id: str) -> Professional:
    """Anyone, without signing in: the professional behind a QR code (404 unknown)."""
    return repo.load_professional(professional_id)


def approve_agency(caller: Caller, agency_id: str, *, clock: Clock = utc_now) -> Agency:
    caller.require_officer()
    return agencies.approve_agency(agency_id, caller.sub, iso(clock()))


# --- documents --------------------------------------------------------------------------------


class DocumentUpload(NamedTuple):
    record: DocumentRecord
    kind: DocumentKind
    form: uploads.UploadForm


def request_document_upload(
    caller: Caller,
    professional_id: str,
    body: DocumentRequestIn,
    *,
    clock: Clock = utc_now,
    ids: IdFactory = new_id,
    presign: Callable[..., uploads.UploadForm] = uploads.presign,
) -> DocumentUpload:
    """A presigned POST for one document, recorded as the latest of its kind. Only while the
    professional is collecting documents: once submitted, the documents are the ones the check
    reads and the decision names, so 409 ``documents_locked`` (until a failed check sends the
    professional back to ``pending_documents``). The record is written on that same condition."""
    professional = repo.load_professional(professional_id)
    access.require_manager(caller, professional)
    if professional.status is not ProfessionalStatus.PENDING_DOCUMENTS:
        raise Conflict("documents_locked")
    moment = clock()
    document_id = ids("doc")
    key = document_key(professional.id, body.kind, document_id)
    form = presign(key, body.content_type.value, now=moment)
    record = DocumentRecord(
        document_id=document_id,
        key=key,
        content_type=body.content_type,
        size_bytes=body.size_bytes,
        requested_at=iso(moment),
    )
    repo.record_document_request(professional.id, record, body.kind)
    return DocumentUpload(record, body.kind, form)


# --- submission -------------------------------------------------------------------------------


def submit_for_verification(
    caller: Caller,
    professional_id: str,
    *,
    clock: Clock = utc_now,
    exists: Callable[[str], bool] = documents.object_exists,
    start: Callable[[str, int], str] = workflows.start_verification,
    started: Callable[[str, int], bool] = workflows.verification_started,
) -> Professional:
    """pending_documents -> verification_pending and the workflow's execution, or nothing.

    The status changes first (conditionally, so racing submits cannot both pass), then the
    execution ``<id>-<n>`` starts. If the start fails, the status is reverted and the caller gets
    503. Should the revert fail too, the professional stays ``verification_pending`` with no
    execution: a retried submit notices the missing execution and starts it."""
    professional = repo.load_professional(professional_id)
    access.require_manager(caller, professional)
    submissions = professional.verification.submissions
    if professional.status is ProfessionalStatus.VERIFICATION_PENDING and submissions:
        if started(professional.id, submissions):
            raise Conflict("invalid_transition", message="Already submitted for verification.")
        start(professional.id, submissions)
        return professional
    if professional.status is not ProfessionalStatus.PENDING_DOCUMENTS:
        raise Conflict("invalid_transition")

    uploaded = {kind: record for kind, record in professional.documents.items() if exists(record.key)}
    missing = [kind for kind in required_kinds(professional.services) if kind not in uploaded]
    if missing:
        raise Conflict("documents_missing", details=[{"kind": kind.value} for kind in missing])

    now = iso(clock())
    submission = submissions + 1
    # The officers of the professional's district hear of it (their queue), once the workflow runs.
    events = [verification_submitted(professional.id, submission, professional.district, now)]
    updated = repo.begin_submission(professional, submission, uploaded, now, events)
    try:
        start(professional.id, submission)
    except DomainError:
        try:
            repo.revert_submission(
                professional, submission, iso(clock()), [event.event_id for event in events]
            )
        except DomainError:
            logger.exception(
                "submission left without a workflow; a retried submit starts it",
                extra={"professional_id": professional.id, "submission": submission},
            )
        raise
    bus.emit(events)
    logger.info(
        "submitted for verification", extra={"professional_id": professional.id, "submission": submission}
    )
    return updated
