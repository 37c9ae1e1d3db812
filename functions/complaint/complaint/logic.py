"""Complaint rules: who may complain about which booking, respond, see and decide a complaint;
what a decision does (an upheld overcharge suspends and proposes the ban, see
``complaint.sanctions`` and ``sevamitra.data.bans``); the ban check and
the audit trail. Handlers call exactly one of these per route."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from complaint import duties, sanctions
from complaint.models import ComplaintIn, EvidenceIn
from complaint.settings import complaint_settings
from sevamitra.data import (
    anchors,
    audit,
    bans,
    complaint_opening,
    decisions,
    downloads,
    identities,
    snapshots,
    uploads,
)
from sevamitra.data import complaints as repo
from sevamitra.data import expenses as expense_repo
from sevamitra.data import professionals as professionals_repo
from sevamitra.domain import access
from sevamitra.domain.anchors import AnchoredCheck, verify_anchored
from sevamitra.domain.audit import AuditAction, AuditEntry, next_entry
from sevamitra.domain.complaints import MAX_EVIDENCE, Complaint, ComplaintKind, ComplaintStatus
from sevamitra.domain.events import ban_proposed, complaint_decided, suspended
from sevamitra.edge import cursors, pii
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict, DependencyFailed, Forbidden, NotFound, Unprocessable
from sevamitra.platform import bus
from sevamitra.platform.clock import Clock, IdFactory, iso, new_id, utc_now
from sevamitra.platform.observability import logger

# The booking statuses in which a complaint of each kind makes sense: the shared opening path.
ALLOWED_BOOKING_STATUSES = complaint_opening.ALLOWED_BOOKING_STATUSES
UNDECIDED = (ComplaintStatus.OPEN, ComplaintStatus.ESCALATED)
DECIDE_ATTEMPTS = 5


# --- opening ------------------------------------------------------------------------------------


def open_complaint(
    caller: Caller, body: ComplaintIn, *, clock: Clock = utc_now, ids: IdFactory = new_id
) -> Complaint:
    """404 unknown booking; 403 unless the caller is the booking's citizen; 409
    ``complaint_not_allowed`` in a booking status where the kind makes no sense; 422 for an
    overcharge whose amount is not above the fee; 409 ``complaint_exists`` (the core's lock)."""
    booking = repo.get_booking(body.booking_id)
    if booking is None:
        raise NotFound(message="No booking with that id.")
    if caller.sub != booking.citizen_sub:
        raise Forbidden(message="Only the citizen who made the booking may complain about it.")
    kind = ComplaintKind(body.kind)
    complaint, events = complaint_opening.open_about_booking(
        booking,
        complainant_sub=caller.sub,
        kind=kind,
        description=body.description,
        amount_paid_paise=body.amount_paid_paise,
        now=clock(),
        complaint_id=ids("cmp"),
    )
    logger.info("complaint opened", extra={"complaint_id": complaint.id, "kind": kind.value})
    bus.emit(events)
    return complaint


# --- who may see and act ----------------------------------------------------------------------------


def _is_professional_side(caller: Caller, complaint: Complaint) -> bool:
    professional = professionals_repo.get_professional(complaint.professional_id)
    if professional is None:
        return False
    try:
        access.require_manager(caller, professional)
    except Forbidden:
        return False
    return True


def complaint_for_viewer(caller: Caller, complaint_id: str) -> Complaint:
    """The complainant, the professional concerned (its account and managers) and officers."""
    complaint = repo.load_complaint(complaint_id)
    if (
        caller.is_officer
        or caller.sub == complaint.complainant_sub
        or _is_professional_side(caller, complaint)
    ):
        return complaint
    raise Forbidden(
        message="Only the complainant, the professional concerned and officers may see this complaint."
    )


def booking_receipts(complaint: Complaint) -> list[dict[str, Any]]:
    """The receipts the professional attached to the booking's expense claims: evidence of every
    complaint about the booking (a disputed claim's overcharge above all), read from the booking
    so that the complaint shows each one however the complaint was opened."""
    return expense_repo.receipts(complaint.booking_id)


def evidence_links(
    complaint: Complaint, receipts: Sequence[Mapping[str, Any]], *, clock: Clock = utc_now
) -> dict[str, downloads.Download]:
    """Download links (by evidence or receipt id) for what was really uploaded: the complainant's
    evidence, then the booking's receipts, as ``ComplaintOut`` lists them. For whoever may see
    the complaint (``complaint_for_viewer``): officers decide on it, the complainant filed it,
    and the professional concerned must see what he is accused on (docs/decisions.md)."""
    items = [
        downloads.Stored(evidence_id, str(record["key"]), str(record["content_type"]))
        for evidence_id, record in complaint.evidence_in_order()
        if record.get("key")
    ]
    items += [
        downloads.Stored(str(receipt["receipt_id"]), str(receipt["key"]), str(receipt["content_type"]))
        for receipt in receipts
    ]
    return downloads.links(items, now=clock())


# --- lists ----------------------------------------------------------------------------------------

LIST_ROUTE = "GET /complaints"


class ComplaintPage(NamedTuple):
    complaints: list[Complaint]
    next_cursor: str | None


def _officer_partitions(
    status: str | None, district: str | None, overdue: bool
) -> tuple[tuple[str, str], ...]:
    """One district's partition, else one per status asked for (all, or the undecided ones)."""
    if district is not None:
        return (("by_district", district),)
    if status is not None:
        return (("by_status", status),)
    return tuple(("by_status", s.value) for s in (UNDECIDED if overdue else ComplaintStatus))


def list_complaints(
    caller: Caller,
    *,
    status: str | None,
    district: str | None,
    kind: str | None,
    overdue: bool,
    limit: int,
    cursor: str | None,
    clock: Clock = utc_now,
    acting: Callable[[Caller], access.ActsFor] = access.acts_for,
) -> ComplaintPage:
    """Officers: every complaint. Anyone else: the complaints they filed and those about the
    professionals they act for. Filtered, newest first, one page. ``overdue``: still undecided
    (open or escalated) past ``due_by``."""
    if overdue and status is not None and status not in UNDECIDED:
        partitions: tuple[tuple[str, str], ...] = ()  # a decided complaint is never overdue
    elif caller.is_officer:
        partitions = _officer_partitions(status, district, overdue)
    else:
        partitions = (("by_complainant", caller.sub), *acting(caller).partitions())
    scope = cursors.scope_of(LIST_ROUTE, caller.sub, status, district, kind, overdue, *partitions)
    state = cursors.decode(cursor, scope)
    page = repo.list_complaints(
        partitions,
        status=status,
        kind=kind,
        district=district,
        overdue_at=iso(clock()) if overdue else None,
        limit=limit,
        state=state,
    )
    return ComplaintPage(page.items, cursors.encode(page.state, scope))


# --- the professional's response ----------------------------------------------------------------------


def _why_no_response(complaint: Complaint, now: str) -> Conflict:
    if complaint.status not in UNDECIDED:
        return Conflict("already_decided")
    if complaint.response is not None:
        return Conflict("already_responded")
    return Conflict("response_window_closed", details=[{"due_by": complaint.due_by}])


def respond(caller: Caller, complaint_id: str, text: str, *, clock: Clock = utc_now) -> Complaint:
    """One response, by the professional concerned, while the complaint is open and before
    ``due_by`` (an escalated complaint is past its SLA; the case has gone to IGRS)."""
    complaint = repo.load_complaint(complaint_id)
    if not _is_professional_side(caller, complaint):
        raise Forbidden(message="Only the professional concerned may respond to this complaint.")
    now = iso(clock())
    if (
        complaint.status is not ComplaintStatus.OPEN
        or complaint.response is not None
        or now >= complaint.due_by
    ):
        raise _why_no_response(complaint, now)
    response = {"text": text, "at": now, "by": caller.sub}
    if not repo.record_response(complaint, response, now):
        raise _why_no_response(repo.load_complaint(complaint_id), now)
    # What was written, not a re-read: a failed read now would turn a recorded response into a
    # 503 that tells the client nothing was written.
    return complaint.model_copy(update={"response": response, "updated_at": now})


# --- evidence -------------------------------------------------------------------------------------------


class EvidenceUpload(NamedTuple):
    evidence_id: str
    form: uploads.UploadForm


def evidence_key(complaint_id: str, evidence_id: str) -> str:
    return f"complaints/{complaint_id}/{evidence_id}"


def request_evidence_upload(
    caller: Caller,
    complaint_id: str,
    body: EvidenceIn,
    *,
    clock: Clock = utc_now,
    ids: IdFactory = new_id,
    presign: Callable[..., uploads.UploadForm] = uploads.presign,
) -> EvidenceUpload:
    """A presigned POST (the documents' policy: exact key, type, SSE, 1 B..5 MiB) under
    ``complaints/<id>/``, for the complainant while the complaint is undecided."""
    complaint = repo.load_complaint(complaint_id)
    if caller.sub != complaint.complainant_sub:
        raise Forbidden(message="Only the complainant may add evidence.")
    moment = clock()
    evidence_id = ids("evd")
    key = evidence_key(complaint.id, evidence_id)
    form = presign(key, body.content_type.value, now=moment)
    # Each failed write means the complaint was decided or another upload took this place (the
    # count only grows), so at most MAX_EVIDENCE re-reads end in a place, a decision or the limit.
    for _ in range(MAX_EVIDENCE + 1):
        if complaint.status not in UNDECIDED:
            raise Conflict("already_decided")
        place = len(complaint.evidence or {})
        if place >= MAX_EVIDENCE:
            raise _too_much_evidence()
        record = {
            "key": key,
            "content_type": body.content_type.value,
            "size_bytes": body.size_bytes,
            "requested_at": iso(moment),
            "place": place,
        }
        if repo.record_evidence(complaint.id, evidence_id, record, iso(moment), place):
            return EvidenceUpload(evidence_id, form)
        complaint = repo.load_complaint(complaint_id)
    raise AssertionError("a complaint's evidence count only grows")


def _too_much_evidence() -> Conflict:
    return Conflict("too_many_evidence_files", details=[{"max_evidence_files": MAX_EVIDENCE}])


# --- decisions -----------------------------------------------------------------------------------------


def _decision_evidence(complaint: Complaint, remarks: str) -> dict[str, Any]:
    evidence: dict[str, Any] = {
        "complaint_id": complaint.id,
        "booking_id": complaint.booking_id,
        "kind": complaint.kind.value,
        "fee_paise": complaint.fee_paise,
        "remarks": remarks,
    }
    if complaint.amount_paid_paise is not None:
        evidence["amount_paid_paise"] = complaint.amount_paid_paise
    return evidence


def _entries(
    head: AuditEntry | None,
    complaint: Complaint,
    decision: dict[str, Any],
    cancelled: Sequence[str] = (),
) -> list[AuditEntry]:
    subject, at, actor = complaint.professional_id, str(decision["at"]), str(decision["by"])
    evidence = _decision_evidence(complaint, str(decision["remarks"]))
    action = (
        AuditAction.COMPLAINT_UPHELD if decision["outcome"] == "upheld" else AuditAction.COMPLAINT_DISMISSED
    )
    first = next_entry(head, subject=subject, at=at, actor=actor, action=action, evidence=evidence)
    if not decision.get("ban"):
        return [first]
    suspension = next_entry(
        first,
        subject=subject,
        at=at,
        actor=actor,
        action=AuditAction.SUSPENDED,
        evidence={
            "complaint_id": complaint.id,
            "ban": "proposed",
            "cancelled_bookings": list(cancelled),
            "remarks": decision["remarks"],
        },
    )
    return [first, suspension]


def _require_hearing(complaint: Complaint, now: str) -> None:
    """409 ``response_window_open`` while the professional may still answer and has not: no
    decision before ``respond_by`` unless they responded. Past ``due_by`` nobody may answer any
    more (``respond``), so the window never outlasts it."""
    if complaint.response is not None or complaint.respond_by is None:
        return
    window_ends = min(complaint.respond_by, complaint.due_by)
    if now < window_ends:
        raise Conflict("response_window_open", details=[{"respond_by": window_ends}])


def resolve(
    caller: Caller, complaint_id: str, outcome: str, remarks: str, *, clock: Clock = utc_now
) -> Complaint:
    """An officer's decision, once (409 ``already_decided``), by an officer who is no party to it
    (403 ``conflict_of_interest``, ``complaint.duties``). Upheld overcharge: the professional is
    suspended at once, their waiting bookings cancelled and the ban proposed, in the same
    transaction (``data.bans.add_suspension``); a second officer confirms the ban
    (``complaint.sanctions``). Other upheld kinds are recorded on the complaint and in the
    professional's audit trail, without a sanction. Dismissed: only the complaint and the trail
    change. A lost race (an escalation, the professional's record, a booking, the audit ``seq``)
    re-reads and decides again."""
    caller.require_officer()
    duties.require_no_conflict(caller, repo.load_complaint(complaint_id))
    for _ in range(DECIDE_ATTEMPTS):
        complaint = repo.load_complaint(complaint_id)
        if complaint.status not in UNDECIDED:
            raise Conflict("already_decided", details=[{"status": complaint.status.value}])
        _require_hearing(complaint, iso(clock()))
        decision: dict[str, Any] = {
            "outcome": outcome,
            "remarks": remarks,
            "by": caller.sub,
            "at": iso(clock()),
        }
        target = None
        waiting: list[bans.WaitingBooking] = []
        if outcome == ComplaintStatus.UPHELD and complaint.kind is ComplaintKind.OVERCHARGE:
            target = snapshots.professional(complaint.professional_id)
            if target is not None and target.status in sanctions.SANCTIONED:
                decision["already_banned"] = True
                target = None
            if target is not None:
                waiting = list(
                    itertools.islice(bans.waiting_bookings(target.id), sanctions.CANCEL_IN_DECISION)
                )
        # ``ban``: this decision suspended the professional and proposed the ban.
        decision["ban"] = target is not None
        entries = _entries(
            audit.head(complaint.professional_id), complaint, decision, [b.id for b in waiting]
        )
        events = [complaint_decided(complaint, outcome, decision["at"])]
        if target is not None:
            events.append(suspended(complaint.professional_id, complaint.id, decision["at"]))
            # The district's officers: a second one must confirm the ban (four eyes).
            events.append(ban_proposed(complaint, decision["at"]))
            events += [sanctions.cancelled_event(b, decision["at"]) for b in waiting]
        if decisions.commit(complaint, decision, entries, target, events, waiting):
            logger.info(
                "complaint decided",
                extra={"complaint_id": complaint.id, "outcome": outcome, "suspended": target is not None},
            )
            bus.emit(events)
            if target is not None and len(waiting) == sanctions.CANCEL_IN_DECISION:
                # The transaction had no room for more: the rest follow, idempotently.
                sanctions.cancel_leftovers(target.id, clock=clock)
            # The committed decision, not a re-read (a failed read would answer 503 for a decision
            # that was recorded, and the retry would get 409).
            ban = decisions.ban_proposal(decision, target, waiting) if target is not None else None
            return complaint.model_copy(
                update={
                    "status": ComplaintStatus(outcome),
                    "decision": decision,
                    "ban": ban,
                    "updated_at": decision["at"],
                }
            )
    raise DependencyFailed(message="The complaint is changing too often to decide now; it is safe to retry.")


# --- the ban registry ----------------------------------------------------------------------------------


class BanDetails(NamedTuple):
    """What an officer or employer learns of a banned identity: whose it was, since when, why."""

    name: str | None
    banned_at: str
    reason: str
    professional_id: str
    complaint_id: str | None


COMPLAINT_REASON_PREFIX = "complaint:"


def ban_check(
    caller: Caller, *, aadhaar: str | None, mobile: str | None, professional_id: str | None = None
) -> BanDetails | None:
    """Officers and employers; exactly one of the two numbers (already validated), or a registered
    professional's id (an employer checks a job applicant, whose numbers they never see: both of
    the professional's identity hashes are looked up). A number is reduced to its keyed hash here
    and goes no further (not into logs either). None: not banned."""
    if not (caller.is_officer or caller.is_employer):
        raise Forbidden(message="Only officers and employers may check the ban registry.")
    if [aadhaar, mobile, professional_id].count(None) != 2:
        raise Unprocessable(
            details=[{"loc": ["query"], "msg": "Give exactly one of aadhaar, mobile or professional_id."}]
        )
    if professional_id is not None:
        applicant = professionals_repo.get_professional(professional_id)
        if applicant is None:
            raise NotFound(message="No professional with that id.")
        entry = identities.ban_entry(
            identities.IdentityKind.AADHAAR, applicant.aadhaar_hash
        ) or identities.ban_entry(identities.IdentityKind.MOBILE, applicant.mobile_hash)
    elif aadhaar is not None:
        entry = identities.ban_entry(identities.IdentityKind.AADHAAR, pii.aadhaar_identity(aadhaar).hash)
    else:
        assert mobile is not None
        entry = identities.ban_entry(identities.IdentityKind.MOBILE, pii.mobile_identity(mobile).hash)
    if entry is None:
        return None
    professional = professionals_repo.get_professional(entry.professional_id)
    reason, complaint_id = entry.reason or "banned", None
    if reason.startswith(COMPLAINT_REASON_PREFIX):
        # Bans come from upheld complaints: the reason is what the complaint was about.
        complaint_id = reason.removeprefix(COMPLAINT_REASON_PREFIX)
        complaint = repo.get_complaint(complaint_id)
        reason = complaint.kind.value if complaint is not None else reason
    return BanDetails(
        name=professional.name if professional is not None else None,
        banned_at=entry.banned_at,
        reason=reason,
        professional_id=entry.professional_id,
        complaint_id=complaint_id,
    )


# --- the audit trail -----------------------------------------------------------------------------------


def audit_trail(caller: Caller, professional_id: str) -> tuple[list[AuditEntry], AnchoredCheck]:
    """Officers: the trail, its chain check, and the check against its newest anchor (a deleted
    or replaced anchored entry breaks it; ``sevamitra.domain.anchors``)."""
    caller.require_officer()
    entries = audit.trail(professional_id)
    if not entries and professionals_repo.get_professional(professional_id) is None:
        raise NotFound(message="No professional with that id.")
    anchor = anchors.latest(complaint_settings().audit_anchor_bucket, professional_id)
    return entries, verify_anchored(entries, anchor)
