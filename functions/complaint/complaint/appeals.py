"""The appeal against a confirmed ban (docs/decisions.md, "An appeal, once, to someone new"):
the professional (or the account that manages them) appeals once, within 30 days of the
confirmation; an officer of the ``appellate`` group who took no earlier part decides. Overturned:
the professional is reinstated and both identities leave the registry, in one transaction."""

from __future__ import annotations

from functools import partial
from typing import Any

from complaint import duties, sanctions
from sevamitra.data import audit, bans, snapshots
from sevamitra.data import complaints as repo
from sevamitra.domain import access
from sevamitra.domain.audit import AuditAction, AuditEntry, next_entry
from sevamitra.domain.complaints import Complaint
from sevamitra.domain.events import appeal_filed
from sevamitra.domain.professionals import ProfessionalStatus
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict, DependencyFailed, Forbidden
from sevamitra.platform import bus
from sevamitra.platform.clock import Clock, iso, parse_iso, utc_now
from sevamitra.platform.observability import logger

UPHELD, OVERTURNED = "upheld", "overturned"


def _why_no_appeal(complaint: Complaint, now: str) -> Conflict:
    ban = complaint.ban or {}
    if complaint.appeal is not None:
        return Conflict("already_appealed")
    if ban.get("status") != bans.CONFIRMED:
        return Conflict("no_confirmed_ban", "Only a confirmed ban can be appealed.")
    return Conflict("appeal_window_closed", details=[{"appeal_by": ban.get("appeal_by")}])


def file_appeal(caller: Caller, complaint_id: str, text: str, *, clock: Clock = utc_now) -> Complaint:
    """The professional's side only (403); once, against a confirmed ban, before ``appeal_by``
    (409 ``already_appealed``, ``no_confirmed_ban``, ``appeal_window_closed``)."""
    complaint = repo.load_complaint(complaint_id)
    professional = snapshots.professional(complaint.professional_id)
    if professional is None or not access.is_manager(caller, professional):
        raise Forbidden(message="Only the professional concerned may appeal.")
    for _ in range(sanctions.ATTEMPTS):
        now = iso(clock())
        ban = complaint.ban or {}
        if (
            complaint.appeal is not None
            or ban.get("status") != bans.CONFIRMED
            or now > str(ban.get("appeal_by"))
        ):
            raise _why_no_appeal(complaint, now)
        appeal = {"status": bans.PENDING, "text": text, "by": caller.sub, "at": now}
        entry = next_entry(
            audit.head(complaint.professional_id),
            subject=complaint.professional_id,
            at=now,
            actor=caller.sub,
            action=AuditAction.APPEAL_FILED,
            evidence={"complaint_id": complaint.id, "text": text},
        )
        # Still within the window: confirmed no earlier than 30 days before now.
        opened_after = iso(parse_iso(now) - sanctions.APPEAL_WINDOW)
        # The appellate authority's queue hears of it.
        events = [appeal_filed(complaint, now)]
        if bans.commit(
            "Filing the appeal",
            partial(bans.add_appeal, complaint=complaint, appeal=appeal, filed_after=opened_after),
            [entry],
            events,
            now,
        ):
            bus.emit(events)
            logger.info("appeal filed", extra={"complaint_id": complaint.id})
            return complaint.model_copy(update={"appeal": appeal, "updated_at": now})
        complaint = repo.load_complaint(complaint_id)
    raise DependencyFailed(message="The case is changing too often; it is safe to retry.")


def _entries(
    complaint: Complaint, decision: dict[str, Any], actor: str, reinstated_as: str | None
) -> list[AuditEntry]:
    subject, at = complaint.professional_id, str(decision["decided_at"])
    action = AuditAction.APPEAL_OVERTURNED if decision["status"] == OVERTURNED else AuditAction.APPEAL_UPHELD
    first = next_entry(
        audit.head(subject),
        subject=subject,
        at=at,
        actor=actor,
        action=action,
        evidence={"complaint_id": complaint.id, "remarks": decision["remarks"]},
    )
    if reinstated_as is None:
        return [first]
    return [
        first,
        next_entry(
            first,
            subject=subject,
            at=at,
            actor=actor,
            action=AuditAction.REINSTATED,
            evidence={
                "complaint_id": complaint.id,
                "status": reinstated_as,
                "registry_removed": ["aadhaar", "mobile"],
            },
        ),
    ]


def decide_appeal(
    caller: Caller, complaint_id: str, outcome: str, remarks: str, *, clock: Clock = utc_now
) -> Complaint:
    """An appellate officer (403 otherwise) who took no earlier part (403 ``four_eyes_required``)
    and is no party (403 ``conflict_of_interest``) decides the pending appeal once (409
    ``no_pending_appeal``). ``overturned`` reinstates in one transaction (``bans.add_reinstatement``)."""
    if not caller.is_appellate:
        raise Forbidden(message="Only officers of the appellate authority may decide appeals.")
    complaint = repo.load_complaint(complaint_id)
    ban = complaint.ban or {}
    duties.require_other_officer(
        caller, ban.get("proposed_by"), ban.get("confirmed_by"), (complaint.decision or {}).get("by")
    )
    duties.require_no_conflict(caller, complaint)
    for _ in range(sanctions.ATTEMPTS):
        if (complaint.appeal or {}).get("status") != bans.PENDING:
            raise Conflict("no_pending_appeal", details=[{"appeal": (complaint.appeal or {}).get("status")}])
        at = iso(clock())
        decision = {"status": outcome, "decided_by": caller.sub, "decided_at": at, "remarks": remarks}
        if outcome == OVERTURNED:
            target = snapshots.professional(complaint.professional_id)
            if target is None or target.status != ProfessionalStatus.BANNED:
                raise Conflict("invalid_transition", "The professional is not banned.")
            restored = str(ban.get("status_before") or ProfessionalStatus.VERIFIED.value)
            committed = bans.commit(
                "Reinstating the professional",
                partial(bans.add_reinstatement, complaint=complaint, decision=decision, target=target),
                _entries(complaint, decision, caller.sub, restored),
                (),
                at,
            )
            update: dict[str, Any] = {"ban": {**ban, "status": bans.OVERTURNED, "overturned_at": at}}
        else:
            committed = bans.commit(
                "Deciding the appeal",
                partial(bans.add_appeal_decision, complaint=complaint, decision=decision),
                _entries(complaint, decision, caller.sub, None),
                (),
                at,
            )
            update = {}
        if committed:
            logger.info("appeal decided", extra={"complaint_id": complaint.id, "outcome": outcome})
            return complaint.model_copy(
                update={**update, "appeal": {**(complaint.appeal or {}), **decision}, "updated_at": at}
            )
        complaint = repo.load_complaint(complaint_id)
    raise DependencyFailed(message="The case is changing too often; it is safe to retry.")
