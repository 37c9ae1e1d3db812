"""Request and response models of the book function."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AwareDatetime, ConfigDict, Field, StrictInt, StringConstraints, model_validator

from sevamitra.domain.bookings import (
    MAX_DAYS,
    Booking,
    BookingStatus,
    EngagementKind,
    Rating,
    engagement_days,
)
from sevamitra.domain.documents import DocumentContentType
from sevamitra.domain.expenses import (
    MAX_DESCRIPTION,
    MAX_ITEM_PAISE,
    MAX_ITEMS,
    ExpenseStatus,
    PaymentVia,
    receipt_order,
)
from sevamitra.domain.types import NOT_BLANK, EntityId, LatLng, Mobile, Model, Paise, ServiceId, ShortText
from sevamitra.edge.idempotency import SECRET
from sevamitra.edge.paging import NextCursor

if TYPE_CHECKING:
    from collections.abc import Mapping

    from book.expenses import ReceiptUpload
    from sevamitra.data.downloads import Download

StartCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), NOT_BLANK]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class EngagementIn(Model):
    model_config = ConfigDict(extra="forbid")

    kind: EngagementKind = EngagementKind.TASK
    days: StrictInt | None = Field(
        default=None,
        ge=1,
        le=MAX_DAYS,
        description="Days engaged: required for part_time, full_time and contract; daily_wage "
        "defaults to 1; not allowed for task and piece_rate",
    )

    @model_validator(mode="after")
    def _days_fit_the_kind(self) -> EngagementIn:
        engagement_days(self.kind, self.days)
        return self


class BookingIn(Model):
    """No fee here on purpose: the fee comes from the rate card (an extra field is a 422)."""

    model_config = ConfigDict(extra="forbid")

    service_id: ServiceId
    location: LatLng
    professional_id: EntityId | None = Field(
        default=None, description="A professional from /match; omitted: the nearest eligible one"
    )
    engagement: EngagementIn = Field(default_factory=EngagementIn)
    address: Address | None = Field(
        default=None,
        description="Where to come, in the citizen's words (house, street, landmark); at most 300 "
        "characters. Shown to the professional once they accept.",
    )
    scheduled_for: AwareDatetime | None = Field(
        default=None,
        description="When the work should start (ISO-8601 with a zone), 1 hour to 7 days ahead; "
        "omitted: now. The professional may accept any time before it; both get a reminder.",
    )
    for_mobile: Mobile | None = Field(
        default=None,
        description="Helpline staff only: the caller's mobile (10 digits). The booking belongs to "
        "that mobile's citizen (an account is created if none exists), who gets the start code and "
        "updates by SMS.",
    )


class StartIn(Model):
    model_config = ConfigDict(extra="forbid")

    start_code: StartCode = Field(description="The six-digit code the citizen was given at booking")


class CompleteIn(Model):
    model_config = ConfigDict(extra="forbid")

    amount_collected_paise: Annotated[Paise, Field(strict=True)]


class RatingIn(Model):
    model_config = ConfigDict(extra="forbid")

    stars: StrictInt = Field(ge=1, le=5)
    comment: Comment | None = None


class BookingEngagementOut(Model):
    kind: EngagementKind
    days: int | None = None
    unit_fee_paise: Paise = Field(description="The rate card's fee for one job, piece or day")
    unit_duration_minutes: int


def _priced(booking: Booking) -> dict[str, Any]:
    """What every answer about one booking says: who, what, for how much, until when."""
    return {
        "id": booking.id,
        "status": booking.status,
        "service_id": booking.service_id,
        "professional_id": booking.professional_id,
        "fee_paise": booking.fee_paise,
        "duration_minutes": booking.duration_minutes,
        "engagement": BookingEngagementOut.model_validate(booking.engagement.model_dump()),
        "expires_at": booking.expires_at,
    }


class BookingCreatedOut(Model):
    id: str
    status: BookingStatus
    professional_id: str
    service_id: str
    fee_paise: Paise
    duration_minutes: int
    engagement: BookingEngagementOut
    expires_at: str
    start_code: Annotated[str, SECRET] = Field(
        description="Give this to the professional when the work starts (GET /bookings/{id} shows "
        "it to you again while the booking is requested or accepted)"
    )

    @classmethod
    def of(cls, booking: Booking, start_code: str) -> BookingCreatedOut:
        return cls(
            **_priced(booking),
            start_code=start_code,
        )


class RatingOut(Model):
    stars: int
    comment: str | None = None
    at: str


def _absent(value: object) -> bool:
    return value is None


class ProfessionalContactOut(Model):
    name: str
    mobile: str | None = None
    rating: float | None = None


class CitizenContactOut(Model):
    mobile: str | None = None


class BookingOfferOut(Model):
    professional_id: str
    outcome: str = Field(description="declined, timed_out, pending or accepted")
    offered_at: str


class BookingOut(Model):
    """A booking as participants and officers see it. ``start_code`` is there for the booking's
    citizen while it is requested or accepted. While it is accepted or in progress, its citizen
    sees ``professional`` (name, mobile, rating) and its professional's side sees ``citizen``
    (mobile) and ``address``; those fields are absent otherwise, and for officers."""

    id: str
    status: BookingStatus
    service_id: str
    professional_id: str
    fee_paise: Paise
    duration_minutes: int
    engagement: BookingEngagementOut
    location: LatLng
    expires_at: str
    complaint_ids: list[str]
    amount_collected_paise: Paise | None = None
    rating: RatingOut | None = None
    start_attempts_left: int | None = Field(
        default=None, description="Wrong start codes still tolerated while the booking is accepted"
    )
    start_code: str | None = Field(
        default=None,
        exclude_if=lambda code: code is None,
        description="Only for the booking's citizen, while it is requested or accepted",
    )
    created_at: str
    accepted_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    cancelled_at: str | None = None
    cancelled_by: str | None = Field(default=None, description="citizen, employer, professional or system")
    expired_at: str | None = None
    address: str | None = Field(
        default=None,
        exclude_if=_absent,
        description="The citizen's address: theirs always, the professional's while accepted or in progress",
    )
    professional: ProfessionalContactOut | None = Field(
        default=None, exclude_if=_absent, description="For the citizen, while accepted or in progress"
    )
    citizen: CitizenContactOut | None = Field(
        default=None, exclude_if=_absent, description="For the professional, while accepted or in progress"
    )
    expenses: list[ExpenseOut] = Field(
        default_factory=list, description="Expense claims for materials, outside the fixed fee"
    )
    payment: dict[str, Any] | None = Field(
        default=None, description="What the citizen says they paid (POST /bookings/{id}/payment)"
    )
    offers: list[BookingOfferOut] = Field(
        default_factory=list, description="Every professional the booking was offered to, in order"
    )
    auto_assigned: bool = Field(default=False, description="Made without a chosen professional: re-offered")
    reason: str | None = Field(
        default=None, exclude_if=_absent, description="Why it expired: not_started (accepted, never started)"
    )
    scheduled_for: str | None = Field(
        default=None, exclude_if=_absent, description="A scheduled booking's start"
    )

    @classmethod
    def of(
        cls,
        booking: Booking,
        *,
        attempts_left: int | None = None,
        start_code: str | None = None,
        address: str | None = None,
        professional: ProfessionalContactOut | None = None,
        citizen: CitizenContactOut | None = None,
        receipt_links: Mapping[str, Download] | None = None,
    ) -> BookingOut:
        return cls(
            **_priced(booking),
            location=LatLng(lat=booking.lat, lng=booking.lng),
            complaint_ids=sorted(booking.complaint_ids),
            amount_collected_paise=booking.amount_collected_paise,
            rating=RatingOut.model_validate(booking.rating.model_dump()) if booking.rating else None,
            start_attempts_left=attempts_left,
            start_code=start_code,
            created_at=booking.created_at,
            accepted_at=booking.accepted_at,
            started_at=booking.started_at,
            completed_at=booking.completed_at,
            cancelled_at=booking.cancelled_at,
            cancelled_by=booking.cancelled_by,
            expired_at=booking.expired_at,
            address=address,
            professional=professional,
            citizen=citizen,
            expenses=ExpenseOut.listed(booking.expenses, receipt_links),
            payment=booking.payment,
            offers=[
                BookingOfferOut.model_validate(offer.model_dump(mode="json")) for offer in booking.offers
            ],
            auto_assigned=booking.auto_assigned,
            reason=booking.reason,
            scheduled_for=booking.scheduled_for,
        )


class BookingSummaryOut(Model):
    """One booking in a list: no contacts, no address, no location."""

    id: str
    status: BookingStatus
    service_id: str
    professional_id: str
    fee_paise: Paise
    duration_minutes: int
    created_at: str
    expires_at: str
    updated_at: str

    @classmethod
    def of(cls, booking: Booking) -> BookingSummaryOut:
        return cls.model_validate(booking.model_dump(mode="json"))


class BookingListOut(Model):
    bookings: list[BookingSummaryOut]
    next_cursor: NextCursor


class RatingCreatedOut(Model):
    booking_id: str
    professional_id: str
    rating: RatingOut

    @classmethod
    def of(cls, booking: Booking, rating: Rating) -> RatingCreatedOut:
        return cls(
            booking_id=booking.id,
            professional_id=booking.professional_id,
            rating=RatingOut.model_validate(rating.model_dump()),
        )


# --- expenses and the citizen's payment record (API.md, "Fair outcomes") -------------------------


class ExpenseItemIn(Model):
    model_config = ConfigDict(extra="forbid")

    description: ShortText = Field(description=f"What was bought, at most {MAX_DESCRIPTION} characters")
    amount_paise: StrictInt = Field(ge=1, le=MAX_ITEM_PAISE)


class ExpenseIn(Model):
    """Materials bought for the job, outside the fixed fee: the citizen approves or disputes."""

    model_config = ConfigDict(extra="forbid")

    items: list[ExpenseItemIn] = Field(min_length=1, max_length=MAX_ITEMS)


class ExpenseItemOut(Model):
    description: str
    amount_paise: Paise


class ExpenseCreatedOut(Model):
    id: str
    booking_id: str
    status: ExpenseStatus
    total_paise: Paise
    items: list[ExpenseItemOut]


class ExpenseDecisionOut(Model):
    id: str
    booking_id: str
    status: ExpenseStatus
    complaint_id: str | None = Field(
        default=None, description="A dispute: the overcharge complaint it opened or joined"
    )


class ReceiptOut(Model):
    id: str
    key: str = Field(description="Where the receipt is (or will be) in the documents bucket")
    content_type: DocumentContentType
    requested_at: str
    url: str | None = Field(
        default=None,
        exclude_if=_absent,
        description="A short-lived presigned GET that downloads the receipt as an attachment of its "
        "recorded type: for the citizen, the professional's side and officers, once it is uploaded",
    )
    url_expires_at: str | None = Field(default=None, exclude_if=_absent, description="When url stops working")


class ExpenseOut(Model):
    id: str
    status: ExpenseStatus
    total_paise: Paise
    items: list[ExpenseItemOut]
    submitted_at: str
    decided_at: str | None = None
    complaint_id: str | None = None
    receipts: list[ReceiptOut] = Field(
        default_factory=list, description="Receipt uploads the professional asked for, oldest first"
    )

    @classmethod
    def listed(
        cls, expenses: dict[str, dict[str, Any]] | None, links: Mapping[str, Download] | None = None
    ) -> list[ExpenseOut]:
        """``links``: download links by receipt id (only for viewers who may have them)."""
        links = links or {}
        claims = sorted(
            (expenses or {}).items(), key=lambda pair: (str(pair[1].get("submitted_at")), pair[0])
        )
        return [
            cls.model_validate(
                {
                    **record,
                    "id": expense_id,
                    "receipts": sorted(
                        (
                            {
                                **receipt,
                                "id": receipt_id,
                                **(links[receipt_id].fields() if receipt_id in links else {}),
                            }
                            for receipt_id, receipt in (record.get("receipts") or {}).items()
                        ),
                        key=lambda receipt: receipt_order(receipt["id"], receipt),
                    ),
                }
            )
            for expense_id, record in claims
        ]


class ReceiptIn(Model):
    """A receipt for a pending claim: a photo or a PDF, at most 5 MiB (the upload form's policy)."""

    model_config = ConfigDict(extra="forbid")

    content_type: DocumentContentType


class PresignedPost(Model):
    url: str
    fields: dict[str, str]


class ReceiptUploadOut(Model):
    receipt_id: str
    key: str
    upload: PresignedPost
    expires_at: str

    @classmethod
    def of(cls, upload: ReceiptUpload) -> ReceiptUploadOut:
        return cls(
            receipt_id=upload.receipt_id,
            key=upload.key,
            upload=PresignedPost.model_validate(upload.form.post),
            expires_at=upload.form.expires_at,
        )


class PaymentIn(Model):
    model_config = ConfigDict(extra="forbid")

    amount_paid_paise: Annotated[Paise, Field(strict=True)] = Field(
        description="What you paid the professional in all, in paise"
    )


class PaymentOut(Model):
    booking_id: str
    amount_paid_paise: Paise
    allowed_paise: Paise = Field(description="The fixed fee plus the approved expenses")
    at: str
    via: PaymentVia = PaymentVia.API
    complaint_id: str | None = Field(
        default=None, description="Above allowed_paise: the overcharge complaint opened (or already open)"
    )
