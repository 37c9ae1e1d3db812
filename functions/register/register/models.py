"""Request and response models of the register function."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from sevamitra.domain.documents import MAX_DOCUMENT_BYTES, DocumentContentType, DocumentKind, FailedDocument
from sevamitra.domain.professionals import (
    AgencyStatus,
    Professional,
    ProfessionalStatus,
    Qualification,
    QualificationKind,
    Verification,
)
from sevamitra.domain.ratecard import rate_card
from sevamitra.domain.types import (
    Aadhaar,
    EntityId,
    JsonSchemaExtra,
    LatLng,
    Mobile,
    Model,
    ServiceId,
    ShortText,
)


class PreferencesOut(Model):
    language: str = Field(description="hi or en: the language of notifications and SMS")
    sms: bool = Field(description="Whether notifications that call for an SMS send one")


class MeOut(Model):
    sub: str
    roles: list[str]
    professional_id: str | None = None
    agency_id: str | None = None
    preferences: PreferencesOut


# --- agencies ---------------------------------------------------------------------------------

UdyamNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^UDYAM-[A-Z]{2}-[0-9]{2}-[0-9]{7}$"),
    # The pattern applies after surrounding whitespace is stripped: the document shows what a client
    # may send.
    JsonSchemaExtra({"pattern": r"^\s*UDYAM-[A-Z]{2}-[0-9]{2}-[0-9]{7}\s*$"}),
]


class AgencyIn(Model):
    name: ShortText
    udyam_number: UdyamNumber = Field(examples=["UDYAM-UP-12-0001234"])
    district: ShortText
    contact_mobile: Mobile


class AgencyOut(Model):
    id: str
    status: AgencyStatus
    name: str | None = None
    district: str | None = None
    contact_mobile_last4: str | None = None


# --- professionals ----------------------------------------------------------------------------


def _on_rate_card(service_id: str) -> str:
    if service_id not in rate_card():
        # A field error (422 with loc body.services.<i>), not a 404: the request is what is wrong.
        raise PydanticCustomError("unknown_service", "unknown service id: not on the rate card")
    return service_id


class _OnTheRateCard:
    """The document lists the rate card's ids (read when the schema is built, not at import)."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(core_schema), "enum": sorted(rate_card())}


KnownServiceId = Annotated[ServiceId, AfterValidator(_on_rate_card), _OnTheRateCard()]


class QualificationIn(Model):
    kind: QualificationKind
    title: ShortText | None = None


class RegisterProfessionalIn(Model):
    name: ShortText
    mobile: Mobile = Field(description="10 digits starting 6-9; stored only as a keyed hash + last 4")
    aadhaar: Aadhaar = Field(description="12 digits, Verhoeff-valid; stored only as a keyed hash + last 4")
    services: list[KnownServiceId] = Field(min_length=1, max_length=20)
    location: LatLng
    district: ShortText
    qualification: QualificationIn | None = Field(default=None, validate_default=True)
    on_behalf: bool = Field(
        default=False, description="Assisted registration by an approved agency's member or an officer"
    )
    agency_id: EntityId | None = Field(
        default=None, description="With on_behalf: the approved agency acting (default: the caller's own)"
    )

    @field_validator("services", mode="after")
    @classmethod
    def _distinct(cls, services: list[str]) -> list[str]:
        return list(dict.fromkeys(services))

    @field_validator("qualification", mode="after")
    @classmethod
    def _qualified_for_services(
        cls, value: QualificationIn | None, info: ValidationInfo
    ) -> QualificationIn | None:
        services = info.data.get("services") or []
        needs = [s for s in services if rate_card()[s].requires_qualification]
        if needs and (value is None or value.kind is QualificationKind.NONE):
            raise PydanticCustomError(
                "qualification_required",
                "a qualification is required for: {services}",
                {"services": ", ".join(needs)},
            )
        return value

    def pii_free(self) -> dict[str, Any]:
        """The request without the raw numbers (for idempotency scopes and logs)."""
        return self.model_dump(mode="json", exclude={"aadhaar", "mobile"})


class VerificationEventOut(Model):
    stage: str
    at: str
    outcome: str | None = None


class VerificationOut(Model):
    """Where verification stands. ``failed_documents``: what the last document check refused
    (upload those kinds again, then submit). ``case_refs``: the police case references of an
    adverse result, shown to officers only."""

    stage: str
    history: list[VerificationEventOut]
    failed_documents: list[FailedDocument] = Field(default_factory=list)
    # Absent (not null) for anyone but an officer.
    case_refs: list[str] | None = Field(
        default=None, description="Officers only", exclude_if=lambda v: v is None
    )

    @classmethod
    def of(cls, verification: Verification, *, for_officer: bool) -> VerificationOut:
        return cls(
            stage=verification.stage,
            history=[
                VerificationEventOut.model_validate(event.model_dump()) for event in verification.history
            ],
            failed_documents=list(verification.failed_documents),
            case_refs=list(verification.case_refs) if for_officer else None,
        )


class DocumentOut(Model):
    document_id: str
    content_type: DocumentContentType
    requested_at: str
    uploaded_at: str | None = None


class ProfessionalOut(Model):
    """The profile: never the raw Aadhaar or mobile number, only their last 4 digits."""

    model_config = ConfigDict(use_enum_values=True)

    id: str
    status: ProfessionalStatus
    name: str
    services: list[str]
    district: str
    location: dict[str, float]
    qualification: Qualification | None = None
    documents: dict[DocumentKind, DocumentOut] = Field(default_factory=dict)
    verification: VerificationOut
    aadhaar_last4: str
    mobile_last4: str
    agency_id: str | None = None
    rating: float | None = None
    rating_count: int = 0
    created_at: str

    @classmethod
    def of(cls, professional: Professional, *, for_officer: bool = False) -> ProfessionalOut:
        return cls(
            id=professional.id,
            status=professional.status,
            name=professional.name,
            services=professional.services,
            district=professional.district,
            location={"lat": professional.lat, "lng": professional.lng},
            qualification=professional.qualification,
            documents={
                kind: DocumentOut.model_validate(record.model_dump())
                for kind, record in professional.documents.items()
            },
            verification=VerificationOut.of(professional.verification, for_officer=for_officer),
            aadhaar_last4=professional.aadhaar_last4,
            mobile_last4=professional.mobile_last4,
            agency_id=professional.agency_id,
            rating=professional.rating,
            rating_count=professional.rating_count,
            created_at=professional.created_at,
        )


# --- documents and submission -----------------------------------------------------------------


class DocumentRequestIn(Model):
    kind: DocumentKind
    content_type: DocumentContentType
    size_bytes: int = Field(ge=1, le=MAX_DOCUMENT_BYTES, description="At most 5 MiB")


class PresignedPost(Model):
    url: str
    fields: dict[str, str]


class DocumentUploadOut(Model):
    document_id: str
    kind: DocumentKind
    upload: PresignedPost
    expires_at: str


class SubmitOut(Model):
    status: ProfessionalStatus
