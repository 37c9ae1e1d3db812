"""Complaints as the domain sees them: kinds, statuses and the complaint record.

Opened by the booking's citizen (``POST /complaints``) or by the system when a completion reports
an amount above the fee; decided by officers; escalated to IGRS when still open at ``due_by``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict

from sevamitra.domain.types import Model
from sevamitra.platform.clock import iso, new_id


class ComplaintKind(StrEnum):
    OVERCHARGE = "overcharge"
    NO_SHOW = "no_show"
    MISCONDUCT = "misconduct"
    QUALITY = "quality"
    OTHER = "other"


class ComplaintStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"
    ESCALATED = "escalated"


class OpenedBy(StrEnum):
    CITIZEN = "citizen"
    SYSTEM = "system"


# ``open_flag``, the hash key of the sparse ``open_by_due`` index: ``open`` while the complaint
# is open (the escalation job finds it by ``due_by``), then ``igrs_pending`` from its escalation
# until its IGRS event is confirmed emitted (the job's outbox: a failed emit is retried).
OPEN_FLAG = "open"
IGRS_OUTBOX_FLAG = "igrs_pending"
# Evidence files per complaint: each is recorded on the complaint item (DynamoDB's 400 KB cap),
# and a decision rests on a handful of photos and bills, not hundreds.
MAX_EVIDENCE = 10


class Complaint(Model):
    model_config = ConfigDict(frozen=True)

    id: str
    status: ComplaintStatus
    booking_id: str
    professional_id: str
    complainant_sub: str
    kind: ComplaintKind
    description: str
    amount_paid_paise: int | None = None
    fee_paise: int
    district: str | None = None
    # Copied from the professional when the complaint opens: who registered them, their agency.
    registrar_sub: str | None = None
    agency_id: str | None = None
    opened_by: OpenedBy
    due_by: str
    # The end of the professional's window to answer (``COMPLAINT_RESPONSE_S``, at most ``due_by``):
    # before it, a complaint without a response cannot be decided. None on complaints opened
    # before the window existed.
    respond_by: str | None = None
    response: dict[str, Any] | None = None
    decision: dict[str, Any] | None = None
    escalation: dict[str, Any] | None = None
    evidence: dict[str, Any] | None = None
    # An upheld overcharge: the ban proposed, confirmed by a second officer, or overturned; and
    # the professional's one appeal (docs/decisions.md, "Four eyes on a lifetime ban").
    ban: dict[str, Any] | None = None
    appeal: dict[str, Any] | None = None
    created_at: str
    updated_at: str
    version: int | None = None

    def evidence_in_order(self) -> list[tuple[str, dict[str, Any]]]:
        """The complainant's files as (evidence id, record) in the order they were asked for, so
        that "file 1" is the first everywhere: by the place each write claimed (records from
        before places existed: by request time, then id)."""
        return sorted(
            (self.evidence or {}).items(),
            key=lambda item: (item[1].get("place", -1), item[1].get("requested_at", ""), item[0]),
        )


def new_complaint(
    *,
    booking_id: str,
    professional_id: str,
    complainant_sub: str,
    kind: ComplaintKind,
    description: str,
    fee_paise: int,
    sla_s: int,
    now: datetime,
    opened_by: OpenedBy = OpenedBy.CITIZEN,
    amount_paid_paise: int | None = None,
    district: str | None = None,
    complaint_id: str | None = None,
    registrar_sub: str | None = None,
    agency_id: str | None = None,
    respond_s: int | None = None,
) -> Complaint:
    """An open complaint whose two clocks start ``now``: the SLA (``due_by``) runs ``sla_s``
    seconds, the professional's window to answer (``respond_by``) ``respond_s`` seconds, never
    beyond ``due_by`` (the whole SLA when not given)."""
    at = iso(now)
    return Complaint(
        id=complaint_id or new_id("cmp"),
        status=ComplaintStatus.OPEN,
        booking_id=booking_id,
        professional_id=professional_id,
        complainant_sub=complainant_sub,
        kind=kind,
        description=description,
        amount_paid_paise=amount_paid_paise,
        fee_paise=fee_paise,
        district=district,
        registrar_sub=registrar_sub,
        agency_id=agency_id,
        opened_by=opened_by,
        due_by=iso(now + timedelta(seconds=sla_s)),
        respond_by=iso(now + timedelta(seconds=min(respond_s or sla_s, sla_s))),
        created_at=at,
        updated_at=at,
    )
