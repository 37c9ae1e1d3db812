"""Request and response models of the complaint function."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ConfigDict, Field

from sevamitra.domain.anchors import AnchoredCheck
from sevamitra.domain.audit import AuditEntry
from sevamitra.domain.complaints import Complaint, ComplaintKind, ComplaintStatus, OpenedBy
from sevamitra.domain.documents import MAX_DOCUMENT_BYTES, DocumentContentType
from sevamitra.domain.types import EntityId, LongText, Model, Paise
from sevamitra.edge.paging import NextCursor

if TYPE_CHECKING:
    from complaint.logic import EvidenceUpload
    from sevamitra.data.downloads import Download

ComplaintKindIn = Literal["overcharge", "no_show", "misconduct", "quality", "other"]
ComplaintStatusIn = Literal["open", "upheld", "dismissed", "escalated"]


class _In(Model):
    model_config = ConfigDict(extra="forbid")


class ComplaintIn(_In):
    booking_id: EntityId
    kind: ComplaintKindIn
    amount_paid_paise: Paise | None = Field(
        default=None, description="Required for `overcharge`: what was paid, above the booking's fee."
    )
    description: LongText


class ComplaintCreatedOut(Model):
    id: str
    status: ComplaintStatus
    due_by: str
    respond_by: str | None = None
    booking_id: str
    kind: ComplaintKind

    @classmethod
    def of(cls, complaint: Complaint) -> ComplaintCreatedOut:
        return cls.model_validate(complaint.model_dump(mode="json"))


class ResponseIn(_In):
    text: LongText


class ResponseOut(Model):
    complaint_id: str
    response: dict[str, Any]

    @classmethod
    def of(cls, complaint: Complaint) -> ResponseOut:
        return cls(complaint_id=complaint.id, response=complaint.response or {})


class ResolveIn(_In):
    decision: Literal["upheld", "dismissed"]
    remarks: LongText


class EvidenceIn(_In):
    content_type: DocumentContentType
    size_bytes: int = Field(ge=1, le=MAX_DOCUMENT_BYTES)


class PresignedPost(Model):
    url: str
    fields: dict[str, str]


class EvidenceUploadOut(Model):
    evidence_id: str
    upload: PresignedPost
    expires_at: str

    @classmethod
    def of(cls, upload: EvidenceUpload) -> EvidenceUploadOut:
        return cls(
            evidence_id=upload.evidence_id,
            upload=PresignedPost.model_validate(upload.form.post),
            expires_at=upload.form.expires_at,
        )


def _absent(value: object) -> bool:
    return value is None


class EvidenceOut(Model):
    """One piece of evidence: a complainant's upload, or a receipt on the booking's expense claims
    (``source: expense_receipt``). ``url`` only when the file is really in storage."""

    evidence_id: str
    source: Literal["expense_receipt"] | None = Field(
        default=None,
        exclude_if=_absent,
        description="expense_receipt for a receipt; absent for the complainant's",
    )
    expense_id: str | None = Field(default=None, exclude_if=_absent)
    key: str | None = Field(
        default=None, exclude_if=_absent, description="A receipt's key in the documents bucket"
    )
    content_type: str
    size_bytes: int | None = Field(default=None, exclude_if=_absent)
    requested_at: str
    url: str | None = Field(
        default=None,
        exclude_if=_absent,
        description="A short-lived presigned GET that downloads the file as an attachment of its "
        "recorded type; absent while nothing is uploaded (or it could not be checked now)",
    )
    url_expires_at: str | None = Field(default=None, exclude_if=_absent, description="When url stops working")


# Kept on an evidence record, not shown: its storage key and its place in the list (the order).
_INTERNAL = frozenset({"key", "place"})


class ComplaintOut(Model):
    id: str
    status: ComplaintStatus
    kind: ComplaintKind
    booking_id: str
    professional_id: str
    opened_by: OpenedBy
    description: str
    amount_paid_paise: int | None = None
    fee_paise: int
    district: str | None = None
    due_by: str
    respond_by: str | None = Field(
        default=None, description="The professional's window to answer; no decision before it unless they did"
    )
    created_at: str
    updated_at: str
    response: dict[str, Any] | None = None
    decision: dict[str, Any] | None = None
    escalation: dict[str, Any] | None = None
    evidence: list[EvidenceOut] = Field(
        default_factory=list,
        description="The complainant's uploads, then the receipts on the booking's expense claims "
        "(source expense_receipt, with their keys; on GET /complaints/{id}, each with a download "
        "url once uploaded)",
    )
    ban: dict[str, Any] | None = Field(
        default=None,
        description="An upheld overcharge's ban: status proposed (the professional suspended), "
        "confirmed (by a second officer; appeal_by) or overturned (on appeal)",
    )
    appeal: dict[str, Any] | None = Field(
        default=None, description="The professional's appeal: status pending, upheld or overturned"
    )

    @classmethod
    def of(
        cls,
        complaint: Complaint,
        *,
        receipts: Sequence[Mapping[str, Any]] = (),
        links: Mapping[str, Download] | None = None,
    ) -> ComplaintOut:
        """``receipts``: the booking's expense receipts (GET /complaints/{id} reads them), listed
        after the complainant's evidence as ``source: expense_receipt`` with their keys.
        ``links``: download links by evidence (or receipt) id, for what is uploaded."""
        values = complaint.model_dump(mode="json", exclude={"complainant_sub", "version", "evidence"})
        evidence = [
            {"evidence_id": evidence_id, **{k: v for k, v in record.items() if k not in _INTERNAL}}
            for evidence_id, record in complaint.evidence_in_order()
        ]
        evidence += [
            {
                "evidence_id": receipt["receipt_id"],
                "source": "expense_receipt",
                "expense_id": receipt["expense_id"],
                "key": receipt["key"],
                "content_type": receipt["content_type"],
                "requested_at": receipt["requested_at"],
            }
            for receipt in receipts
        ]
        for item in evidence:
            link = (links or {}).get(item["evidence_id"])
            if link is not None:
                item.update(link.fields())
        return cls.model_validate({**values, "evidence": evidence})


class BanCheckOut(Model):
    """``{"banned": false}``, or who is banned, since when and why (fields absent when not banned)."""

    banned: bool
    name: str | None = Field(default=None, exclude_if=_absent, description="The banned professional's name")
    banned_at: str | None = Field(default=None, exclude_if=_absent)
    reason: str | None = Field(
        default=None, exclude_if=_absent, description="What the upheld complaint was about: overcharge"
    )
    professional_id: str | None = Field(default=None, exclude_if=_absent)


class ComplaintSummaryOut(Model):
    """One complaint in a list."""

    id: str
    status: ComplaintStatus
    kind: ComplaintKind
    booking_id: str
    professional_id: str
    district: str | None = None
    opened_by: OpenedBy
    due_by: str
    respond_by: str | None = None
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, complaint: Complaint) -> ComplaintSummaryOut:
        return cls.model_validate(complaint.model_dump(mode="json"))


class ComplaintListOut(Model):
    complaints: list[ComplaintSummaryOut]
    next_cursor: NextCursor


class AuditOut(Model):
    professional_id: str
    entries: list[AuditEntry]
    chain_valid: bool
    broken_at: int | None = None
    anchored_through: int | None = Field(
        default=None,
        description="The seq of the newest entry anchored in write-once storage (null: none yet)",
    )

    @classmethod
    def of(cls, professional_id: str, entries: list[AuditEntry], check: AnchoredCheck) -> AuditOut:
        return cls(
            professional_id=professional_id,
            entries=entries,
            chain_valid=check.valid,
            broken_at=check.broken_at,
            anchored_through=check.anchored_through,
        )


class IgrsCallbackIn(_In):
    """IGRS's callback (docs/igrs.md): what became of a grievance we escalated."""

    igrs_reference: str = Field(min_length=1, max_length=100)
    status: Literal["in_progress", "disposed"]
    remarks: LongText | None = None


class IgrsCallbackOut(Model):
    igrs_reference: str
    complaint_id: str
    status: str


class ConfirmBanIn(_In):
    remarks: LongText | None = None


class AppealIn(_In):
    text: LongText


class AppealOut(Model):
    complaint_id: str
    appeal: dict[str, Any]

    @classmethod
    def of(cls, complaint: Complaint) -> AppealOut:
        return cls(complaint_id=complaint.id, appeal=complaint.appeal or {})


class AppealDecisionIn(_In):
    decision: Literal["upheld", "overturned"]
    remarks: LongText
