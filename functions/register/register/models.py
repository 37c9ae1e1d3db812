"""Request and response models of the register function."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

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

from sevamitra.domain.districts import DistrictCode
from sevamitra.domain.documents import MAX_DOCUMENT_BYTES, DocumentContentType, DocumentKind, FailedDocument
from sevamitra.domain.professionals import (
    Agency,
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
from sevamitra.edge.paging import NextCursor

if TYPE_CHECKING:
    from register.logic import DocumentUpload, Me


class PreferencesView(Model):
    language: str = Field(description="hi or en: the language of notifications and SMS")
    sms: bool = Field(description="Whether notifications that call for an SMS send one")


class MeOut(Model):
    sub: str
    roles: list[str]
    professional_id: str | None = None
    agency_id: str | None = None
    preferences: PreferencesView

    @classmethod
    def of(cls, me: Me) -> MeOut:
        return cls(
            sub=me.caller.sub,
            roles=me.caller.roles,
            professional_id=me.professional_id,
            agency_id=me.agency_id,
            preferences=PreferencesView(language=me.preferences.language, sms=me.preferences.sms),
        )


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
    district: DistrictCode
    contact_mobile: Mobile

    def pii_free(self) -> dict[str, Any]:
        """The request without the raw mobile number (for idempotency scopes and logs)."""
        return self.model_dump(mode="json", exclude={"contact_mobile"})


class AgencyOut(Model):
    id: str
    status: AgencyStatus
    name: str | None = None
    district: str | None = None
    contact_mobile_last4: str | None = None

    @classmethod
    def of(cls, agency: Agency) -> AgencyOut:
        return cls.model_validate(agency.model_dump())


class AgencySummaryOut(Model):
    """One agency in an officer's list."""

    id: str
    name: str
    status: AgencyStatus
    district: str
    udyam_number: str
    created_at: str

    @classmethod
    def of(cls, agency: Agency) -> AgencySummaryOut:
        return cls.model_validate(agency.model_dump(mode="json"))


class AgencyListOut(Model):
    agencies: list[AgencySummaryOut]
    next_cursor: NextCursor


class AgencyDetailOut(Model):
    """An agency as officers and its members see it."""

    id: str
    name: str
    status: AgencyStatus
    district: str
    udyam_number: str
    contact_mobile_last4: str
    members: int = Field(description="How many accounts act for the agency")
    professionals: int = Field(description="How many professionals are registered for it")
    approved_by: str | None = None
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, agency: Agency, professionals: int) -> AgencyDetailOut:
        values = agency.model_dump(mode="json", exclude={"members", "owner_sub", "contact_mobile_hash"})
        return cls.model_validate({**values, "members": len(agency.members), "professionals": professionals})


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
    mobile: Mobile = Field(
        description="10 digits starting 6-9 (a +91 or 0 before them, and single spaces or hyphens "
        "between digits, are accepted and removed); stored only as a keyed hash + last 4"
    )
    aadhaar: Aadhaar = Field(
        description="12 digits, Verhoeff-valid (single spaces or hyphens between digits are accepted "
        "and removed); stored only as a keyed hash + last 4"
    )
    services: list[KnownServiceId] = Field(min_length=1, max_length=20)
    location: LatLng
    district: DistrictCode
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
    card_url: str = Field(
        description="The public card (GET /professionals/{id}/card): what the QR code on the ID card opens"
    )

    @classmethod
    def of(
        cls, professional: Professional, *, links: Callable[[str], str], for_officer: bool = False
    ) -> ProfessionalOut:
        """``links`` makes an absolute URL of this API (``sevamitra.edge.handlers.Links``)."""
        card_url = links(f"/professionals/{professional.id}/card")
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
            card_url=card_url,
        )


class ProfessionalCardOut(Model):
    """What anyone may check by scanning the QR code on a professional's ID card: who they are,
    whether they are verified (or banned), what they do, where, and their rating. No mobile, no
    Aadhaar digits, no location."""

    model_config = ConfigDict(use_enum_values=True)

    id: str
    name: str
    status: ProfessionalStatus
    services: list[str]
    district: str
    verified_at: str | None = Field(
        default=None, exclude_if=lambda v: v is None, description="While verified: when"
    )
    rating: float | None

    @classmethod
    def of(cls, professional: Professional) -> ProfessionalCardOut:
        return cls(
            id=professional.id,
            name=professional.name,
            status=professional.status,
            services=professional.services,
            district=professional.district,
            verified_at=professional.verified_at,
            rating=professional.rating,
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

    @classmethod
    def of(cls, upload: DocumentUpload) -> DocumentUploadOut:
        return cls(
            document_id=upload.record.document_id,
            kind=upload.kind,
            upload=PresignedPost.model_validate(upload.form.post),
            expires_at=upload.form.expires_at,
        )


class SubmitOut(Model):
    status: ProfessionalStatus
