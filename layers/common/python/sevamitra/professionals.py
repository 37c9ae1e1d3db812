"""Professionals and agencies as the domain sees them: statuses, documents, verification.

Every function that reads or changes a professional uses these names; the pynamodb items behind
them stay in ``sevamitra.data``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ProfessionalStatus(StrEnum):
    PENDING_DOCUMENTS = "pending_documents"
    VERIFICATION_PENDING = "verification_pending"
    POLICE_PENDING = "police_pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    BANNED = "banned"


class AgencyStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"


class DocumentKind(StrEnum):
    ID_PROOF = "id_proof"
    QUALIFICATION = "qualification"
    PHOTO = "photo"


class DocumentContentType(StrEnum):
    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"


class QualificationKind(StrEnum):
    DIPLOMA = "diploma"
    DEGREE = "degree"
    ITI = "iti"
    CERTIFICATE = "certificate"
    NONE = "none"


MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class Qualification(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: QualificationKind
    title: str | None = None


class DocumentRecord(BaseModel):
    """The latest requested upload of one kind: the object at ``key`` is the document, once
    uploaded. ``uploaded_at`` is set when submission found the object in the bucket."""

    model_config = ConfigDict(frozen=True)

    document_id: str
    key: str
    content_type: DocumentContentType
    size_bytes: int
    requested_at: str
    uploaded_at: str | None = None


class VerificationEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    stage: str
    at: str
    outcome: str | None = None


class Verification(BaseModel):
    """Where the professional is in verification. ``submissions`` counts submits: the Step
    Functions execution of submission ``n`` is named ``<professional_id>-<n>``."""

    model_config = ConfigDict(frozen=True)

    stage: str
    history: list[VerificationEvent] = Field(default_factory=list)
    submissions: int = 0


class Professional(BaseModel):
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

    def as_item_fields(self) -> dict[str, Any]:
        """Plain values for storage (enums as strings, nested models as dicts)."""
        return self.model_dump(mode="json", exclude={"version"})


class Agency(BaseModel):
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
