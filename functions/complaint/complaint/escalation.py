"""The scheduled IGRS escalation (``ScheduledJob(Entry(COMPLAINT, "escalation"))``).

Each run, found through the sparse ``open_by_due`` index (never a scan):

1. every complaint whose IGRS event is still unconfirmed (the ``igrs_pending`` outbox partition:
   an earlier run escalated it but its emit failed) is emitted again;
2. every open complaint with ``due_by <= now`` is escalated: one conditional update moves it
   open -> escalated, records ``escalation`` (``at``, ``due_by``, ``overdue_s``, ``target``,
   ``emitted: false``) and moves it into the outbox partition; only the run whose update
   applied goes on to emit;
3. the ``IGRSEscalation`` event goes on the bus; then a conditional update marks it emitted
   (``igrs_event_id``, ``emitted_at``) and takes the complaint out of the outbox.

So an escalation is recorded once and its event is emitted until confirmed: at least once, and
twice only if a run dies between the emit and its confirmation (IGRS de-duplicates on
``complaint_id``). Emit failures are retried by the next run, and the run fails (alarm) after
trying everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from sevamitra.data import complaints as repo
from sevamitra.domain.complaints import Complaint, ComplaintStatus
from sevamitra.domain.events import complaint_escalated
from sevamitra.edge.errors import DependencyFailed, DomainError
from sevamitra.platform import bus
from sevamitra.platform.bus import publish
from sevamitra.platform.clock import Clock, iso, parse_iso, utc_now
from sevamitra.platform.observability import logger, metrics

EVENT_SOURCE = "sevamitra.domain.complaints"
DETAIL_TYPE = "IGRSEscalation"
TARGET = "IGRS"

Publisher = Callable[[str, str, dict[str, Any]], "str | None"]


@dataclass
class RunSummary:
    escalated: int = 0
    emitted: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"escalated": self.escalated, "emitted": self.emitted, "failed": self.failed}


def _seconds(start: str, end: str) -> int:
    return int((parse_iso(end) - parse_iso(start)).total_seconds())


def escalation_record(complaint: Complaint, now: str) -> dict[str, Any]:
    return {
        "at": now,
        "due_by": complaint.due_by,
        "overdue_s": max(0, _seconds(complaint.due_by, now)),
        "target": TARGET,
        # Until IGRS answers with its reference (complaint.igrs_delivery, sevamitra.data.igrs).
        "status": "pending",
        "emitted": False,
    }


def event_detail(complaint: Complaint) -> dict[str, Any]:
    """What IGRS receives: the complaint, its kind and district, and its SLA clock. No free text
    (the description may hold anything a citizen typed) and no identities."""
    escalation = complaint.escalation or {}
    escalated_at = str(escalation["at"])
    return {
        "complaint_id": complaint.id,
        "kind": complaint.kind.value,
        "district": complaint.district,
        "booking_id": complaint.booking_id,
        "professional_id": complaint.professional_id,
        "opened_by": complaint.opened_by.value,
        "created_at": complaint.created_at,
        "due_by": complaint.due_by,
        "escalated_at": escalated_at,
        "sla_s": _seconds(complaint.created_at, complaint.due_by),
        "sla_clock_s": _seconds(complaint.created_at, escalated_at),
        "overdue_s": int(escalation.get("overdue_s") or 0),
    }


def _emit(complaint_id: str, summary: RunSummary, now: str, emit: Publisher) -> None:
    complaint = repo.get_complaint(complaint_id)
    if complaint is None or not repo.pending_emit(complaint):
        return
    try:
        event_id = emit(EVENT_SOURCE, DETAIL_TYPE, event_detail(complaint))
        repo.record_emitted(complaint_id, event_id, now)
    except DomainError:
        summary.failed += 1
        logger.exception(
            "IGRS escalation event not confirmed; the next run retries", extra={"complaint_id": complaint_id}
        )
        return
    summary.emitted += 1
    logger.warning(
        "complaint escalated to IGRS", extra={"complaint_id": complaint_id, "igrs_event_id": event_id}
    )


def run(*, clock: Clock = utc_now, emit: Publisher | None = None) -> RunSummary:
    emit = emit or publish
    summary = RunSummary()
    now = iso(clock())
    for complaint_id in list(repo.unemitted_ids()):
        _emit(complaint_id, summary, now, emit)
    for complaint_id in list(repo.overdue_ids(now)):
        complaint = repo.get_complaint(complaint_id)
        if complaint is None or complaint.status is not ComplaintStatus.OPEN:
            continue
        # The district's officers hear of it (their queue), through the outbox.
        events = [complaint_escalated(complaint, now)]
        if repo.record_escalation(complaint, escalation_record(complaint, now), now, events):
            summary.escalated += 1
            bus.emit(events)
            _emit(complaint_id, summary, now, emit)
    return summary


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    summary = run()
    if summary.escalated or summary.failed:
        logger.info("escalation run", extra=summary.as_dict())
    if summary.failed:
        raise DependencyFailed(
            message=f"{summary.failed} IGRS escalation event(s) not emitted; retried next run."
        )
    return summary.as_dict()
