"""Professionals and agencies as the domain sees them: statuses, documents, verification.

Every function that reads or changes a professional uses these names; the pynamodb items behind
them stay in ``sevamitra.data``. Registration writes the ``verification`` map when a professional
registers and submits; the verification workflow moves it on; ``GET /professionals/{id}`` shows it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from pydantic import ConfigDict, Field

from sevamitra.domain.documents import CheckedDocument, DocumentKind, DocumentRecord, FailedDocument
from sevamitra.domain.types import Model
from sevamitra.platform.clock import iso


class ProfessionalStatus(StrEnum):
    PENDING_DOCUMENTS = "pending_documents"
    VERIFICATION_PENDING = "verification_pending"
    POLICE_PENDING = "police_pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    BANNED = "banned"
    # An upheld overcharge suspends at once; a second officer confirms the ban (or an appeal
    # reinstates). Not ``verified``, so out of matching and booking like a ban.
    SUSPENDED = "suspended"


class Bookable(Protocol):
    """What decides whether a professional can be found and booked (any view of the record)."""

    @property
    def status(self) -> str: ...

    @property
    def online(self) -> bool: ...

    @property
    def active_booking_id(self) -> str | None: ...

    @property
    def engagement_id(self) -> str | None: ...


def eligible(professional: Bookable) -> bool:
    """Findable by ``/match`` and free to book: verified (a banned professional's status is
    ``banned``), online, not on an active booking and not held by a full-time engagement
    (``sevamitra.domain.jobs``). The geo index holds exactly these."""
    return (
        professional.status == ProfessionalStatus.VERIFIED
        and professional.online
        and not professional.active_booking_id
        and not professional.engagement_id
    )


class AgencyStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"


class QualificationKind(StrEnum):
    DIPLOMA = "diploma"
    DEGREE = "degree"
    ITI = "iti"
    CERTIFICATE = "certificate"
    NONE = "none"


class Qualification(Model):
    model_config = ConfigDict(frozen=True)

    kind: QualificationKind
    title: str | None = None


class VerificationStage(StrEnum):
    REGISTERED = "registered"  # registration created the professional
    SUBMITTED = "submitted"  # registration's submit; the workflow's execution started
    DOCUMENT_CHECK = "document_check"  # outcome passed | failed (with the failed kinds)
    POLICE_REQUESTED = "police_requested"
    ESCALATED = "escalated"  # the police did not answer in time; still waiting
    POLICE_ANSWERED = "police_answered"  # outcome clear | adverse
    DECISION = "decision"  # outcome verified | rejected
    VERIFICATION_FAILED = "verification_failed"  # a step failed; outcome is the error name


class VerificationEvent(Model):
    """One ``history`` entry. Stages may add their own keys (the failed document kinds, the
    request id, the escalation number): kept in storage, not shown by the API."""

    model_config = ConfigDict(frozen=True, extra="allow")

    stage: str
    at: str
    outcome: str | None = None


def history_entry(
    stage: VerificationStage, at: datetime | str, outcome: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A history entry as stored (``{"stage", "at", "outcome"?, ...}``): every writer uses this."""
    moment = at if isinstance(at, str) else iso(at)
    event = VerificationEvent.model_validate(
        {**extra, "stage": stage.value, "at": moment, "outcome": outcome}
    )
    return event.model_dump(mode="json", exclude_none=True)


class Verification(Model):
    """The professional's ``verification`` map: where they are in verification and how they got
    there. ``submissions`` counts submits: the Step Functions execution of submission ``n`` is
    named ``<professional_id>-<n>``. The workflow adds the police request it waits on, its
    escalations, the documents a failed check refused, the exact object versions the last check
    read (``checked_documents``: what the decision is about), and the police result (with any
    case references, shown to officers only)."""

    model_config = ConfigDict(frozen=True)

    stage: str
    history: list[VerificationEvent] = Field(default_factory=list)
    submissions: int = 0
    request_id: str | None = None
    escalations: int = 0
    failed_documents: list[FailedDocument] = Field(default_factory=list)
    checked_documents: list[CheckedDocument] = Field(default_factory=list)
    result: str | None = None
    case_refs: list[str] = Field(default_factory=list)


class Professional(Model):
    model_config = ConfigDict(frozen=True)

    id: str
    status: ProfessionalStatus
    name: str
    account_sub: str | None = None
    registered_by: str
    agency_id: str | None = None
    aadhaar_hash: str
    aadhaar_last4: str
    mobile_hash: str
    mobile_last4: str
    mobile_sealed: str | None = None
    services: list[str]
    lat: float
    lng: float
    district: str
    qualification: Qualification | None = None
    documents: dict[DocumentKind, DocumentRecord] = Field(default_factory=dict)
    verification: Verification
    online: bool = False
    rating_sum: int = 0
    rating_count: int = 0
    created_at: str
    updated_at: str
    version: int | None = None

    @property
    def rating(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 2) if self.rating_count else None

    @property
    def verified_at(self) -> str | None:
        """When the decision that verified them was made, while they are verified."""
        if self.status is not ProfessionalStatus.VERIFIED:
            return None
        decisions = [
            event.at
            for event in self.verification.history
            if event.stage == VerificationStage.DECISION and event.outcome == ProfessionalStatus.VERIFIED
        ]
        return max(decisions) if decisions else None

    def as_item_fields(self) -> dict[str, Any]:
        """Plain values for storage (enums as strings, nested models as dicts)."""
        return self.model_dump(mode="json", exclude={"version"})


class Agency(Model):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    udyam_number: str
    district: str
    contact_mobile_hash: str
    contact_mobile_last4: str
    status: AgencyStatus
    owner_sub: str
    members: frozenset[str] = frozenset()
    approved_by: str | None = None
    created_at: str
    updated_at: str

    @property
    def is_approved(self) -> bool:
        return self.status is AgencyStatus.APPROVED
