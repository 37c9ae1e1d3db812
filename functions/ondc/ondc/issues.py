"""ONDC Issue & Grievance Management (IGM 2.0.0): ``issue`` and ``issue_status``.

An issue about an order (its ``ORDER`` ref is the booking) becomes a complaint through the one
opening path of ``POST /complaints`` (``sevamitra.data.complaint_opening``): the same rules, the
same clocks (``respond_by``, ``due_by``), the same lock (one unresolved complaint per booking and
kind) and the same event to the professional; officers decide it as any other. The complainant is
the booking's citizen (the buyer app's customer); only the buyer app whose order it is may raise
or follow it. The complaint id is derived from the buyer app and the issue id, so a redelivered
or re-sent issue finds the complaint it opened instead of opening a second.

``on_issue`` and ``on_issue_status`` echo the issue with our side added: Seva Mitra as the
respondent, the complaint as a ``COMPLAINT`` ref, the clocks as the expected response and
resolution times, and the status: ``PROCESSING`` while undecided (an ``ESCALATED`` action once it
went to IGRS), ``RESOLVED`` with the officer's decision once decided. The tracker sends the
unsolicited ``on_issue_status`` when a complaint changes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from ondc import beckn
from ondc.work import CodeFactory, Refused, _owned
from sevamitra.data import complaint_opening
from sevamitra.data import complaints as complaints_repo
from sevamitra.data import ondc as records
from sevamitra.domain.complaints import Complaint, ComplaintKind, ComplaintStatus
from sevamitra.edge.errors import Conflict
from sevamitra.platform import bus
from sevamitra.platform.clock import parse_iso
from sevamitra.platform.observability import logger
from sevamitra.platform.ondc_settings import ondc_settings

# IGM sub-category codes (``issue.descriptor.code``) by their category prefix (docs/ondc.md).
KIND_BY_PREFIX: dict[str, ComplaintKind] = {
    "ITM": ComplaintKind.QUALITY,  # item: the service as done
    "FLM": ComplaintKind.NO_SHOW,  # fulfilment: the professional did not come (or came late)
    "AGT": ComplaintKind.MISCONDUCT,  # agent: the professional's conduct
    # PMT (payment), ORD (order), TRX and anything else: other. An overcharge needs the amount
    # paid, which an IGM issue does not carry; the officer reads the buyer's description.
}
ORDER_NOT_FOUND = "IGM002"
ISSUE_NOT_FOUND = "IGM005"
DUPLICATE = "IGM008"
RESPONDENT = "SEVA_MITRA"
DECIDED = frozenset({ComplaintStatus.UPHELD, ComplaintStatus.DISMISSED})
MAX_DESCRIPTION = 2000


def kind_of(code: str) -> ComplaintKind:
    return KIND_BY_PREFIX.get(code[:3].upper(), ComplaintKind.OTHER)


def complaint_id_for(bap_id: str, issue_id: str) -> str:
    """One complaint per buyer app issue: a re-sent issue finds the complaint it opened."""
    return "cmp_" + hashlib.sha256(f"ondc-issue|{bap_id}|{issue_id}".encode()).hexdigest()[:32]


def _order_id(issue: dict[str, Any]) -> str:
    for ref in issue.get("refs") or []:
        if isinstance(ref, dict) and str(ref.get("ref_type", "")).upper() == "ORDER":
            return str(ref.get("ref_id") or "")
    raise Refused(ORDER_NOT_FOUND, "An issue refers to its order (a ref of ref_type ORDER).")


def _description(issue: dict[str, Any]) -> str:
    descriptor = issue.get("descriptor") or {}
    parts = [str(descriptor.get(key) or "").strip() for key in ("short_desc", "long_desc")]
    text = " - ".join(part for part in parts if part) or f"ONDC issue {descriptor.get('code')}"
    return text[:MAX_DESCRIPTION]


def _duration(start: str, end: str | None) -> str | None:
    if end is None:
        return None
    return f"PT{max(0, int((parse_iso(end) - parse_iso(start)).total_seconds()))}S"


def issue_message(record: records.IssueRecord, complaint: Complaint) -> dict[str, Any]:
    """The issue as the buyer app sent it, with our side: respondent, complaint, clocks, status."""
    config = ondc_settings()
    issue = dict(record["issue"])
    decided = complaint.status in DECIDED
    issue["status"] = "RESOLVED" if decided else "PROCESSING"
    issue["updated_at"] = beckn.timestamp(parse_iso(complaint.updated_at))
    issue["expected_response_time"] = {"duration": _duration(complaint.created_at, complaint.respond_by)}
    issue["expected_resolution_time"] = {"duration": _duration(complaint.created_at, complaint.due_by)}
    issue["refs"] = [
        *[
            r
            for r in issue.get("refs") or []
            if not (isinstance(r, dict) and r.get("ref_type") == "COMPLAINT")
        ],
        {"ref_id": complaint.id, "ref_type": "COMPLAINT"},
    ]
    actors = [a for a in issue.get("actors") or [] if not (isinstance(a, dict) and a.get("id") == RESPONDENT)]
    domain = record["context"].get("domain", "")
    actors.append(
        {
            "id": RESPONDENT,
            "type": "COUNTERPARTY_NP",
            "info": {
                "org": {"name": f"{config.ondc_subscriber_id}::{domain}"},
                "contact": {k: v for k, v in {"phone": config.ondc_support_phone}.items() if v},
            },
        }
    )
    issue["actors"] = actors
    issue["respondent_ids"] = [RESPONDENT]
    ours = [_action("R1", "PROCESSING", complaint.created_at, f"Complaint {complaint.id} opened")]
    if complaint.escalation is not None:
        at = str(complaint.escalation.get("at") or complaint.due_by)
        ours.append(_action("R2", "ESCALATED", at, "Not decided in time: escalated to IGRS"))
    if decided and complaint.decision is not None:
        at = str(complaint.decision.get("at") or complaint.updated_at)
        ours.append(_action("R3", "RESOLVED", at, f"Decided: {complaint.status.value}", ref="R_DECISION"))
        issue["resolutions"] = [
            {
                "id": "R_DECISION",
                "descriptor": {
                    # IGM's remedies (REFUND, REPLACEMENT, ...) are commerce's; Seva Mitra's due
                    # process upholds (sanctions the professional) or dismisses.
                    "code": "NO_ACTION" if complaint.status is ComplaintStatus.DISMISSED else "UPHELD",
                    "short_desc": f"Complaint {complaint.status.value}",
                    "long_desc": str(complaint.decision.get("remarks") or "")[:MAX_DESCRIPTION],
                },
                "updated_at": beckn.timestamp(parse_iso(at)),
                "proposed_by": RESPONDENT,
            }
        ]
    theirs = [
        a for a in issue.get("actions") or [] if isinstance(a, dict) and a.get("action_by") != RESPONDENT
    ]
    issue["actions"] = [*theirs, *ours]
    issue["last_action_id"] = ours[-1]["id"]
    return {"update_target": [{"path": "issue.actions", "action": "APPENDED"}], "issue": issue}


def _action(action_id: str, code: str, at: str, text: str, *, ref: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {
        "id": action_id,
        "descriptor": {"code": code, "short_desc": text},
        "updated_at": beckn.timestamp(parse_iso(at)),
        "action_by": RESPONDENT,
        "actor_details": {"name": "Seva Mitra"},
    }
    if ref is not None:
        action.update(ref_id=ref, ref_type="RESOLUTIONS")
    return action


def raise_issue(context: dict[str, Any], message: dict[str, Any], moment: datetime, _: CodeFactory) -> dict:
    issue = dict(message["issue"])
    order_id = _order_id(issue)
    try:
        order, booking = _owned(context, order_id)
    except Refused as refusal:
        raise Refused(ORDER_NOT_FOUND, refusal.message) from refusal
    complaint_id = complaint_id_for(context["bap_id"], str(issue["id"]))
    complaint = complaints_repo.get_complaint(complaint_id)
    if complaint is None:
        facts = complaints_repo.get_booking(booking.id)
        if facts is None:
            raise Refused(ORDER_NOT_FOUND, "No such order for this buyer app.")
        try:
            opened = complaint_opening.open_about_booking(
                facts,
                complainant_sub=booking.citizen_sub,
                kind=kind_of(str(issue["descriptor"]["code"])),
                description=_description(issue),
                amount_paid_paise=None,
                now=moment,
                complaint_id=complaint_id,
            )
        except Conflict as conflict:
            if conflict.code == "complaint_exists":
                raise Refused(
                    DUPLICATE, "A complaint of this kind is already open for this order."
                ) from conflict
            raise Refused(beckn.INVALID_ORDER, _why(conflict)) from conflict
        complaint = opened.complaint
        bus.emit(opened.events)
        logger.info(
            "complaint opened over ONDC", extra={"complaint_id": complaint.id, "kind": complaint.kind.value}
        )
    record = {
        "issue_id": str(issue["id"]),
        "complaint_id": complaint.id,
        "booking_id": booking.id,
        "bap_id": context["bap_id"],
        "bap_uri": order["bap_uri"],
        "context": {
            k: context[k]
            for k in ("domain", "location", "version", "bap_id", "bap_uri", "transaction_id")
            if k in context
        },
        "issue": issue,
    }
    records.put_issue(complaint.id, record, told=complaint.status.value)
    stored = records.get_issue(complaint.id) or records.IssueRecord(
        {**record, "told": complaint.status.value}
    )
    return issue_message(stored, complaint)


def _why(error: Conflict) -> str:
    if error.code == "complaint_not_allowed":
        return "A complaint of this category is not possible in the order's current state."
    return error.message or error.code


def issue_status(context: dict[str, Any], message: dict[str, Any], moment: datetime, _: CodeFactory) -> dict:
    record = records.get_issue(complaint_id_for(context["bap_id"], str(message.get("issue_id") or "")))
    if record is None or record.get("bap_id") != context["bap_id"]:
        raise Refused(ISSUE_NOT_FOUND, "No such issue for this buyer app.")
    complaint = complaints_repo.get_complaint(record.complaint_id)
    if complaint is None:
        raise Refused(ISSUE_NOT_FOUND, "No such issue for this buyer app.")
    return issue_message(record, complaint)
