"""IGRS outbound (``Entry(COMPLAINT, "igrs_delivery")``, fed by the IGRS queue): the bus's
``IGRSEscalation`` events and ``complaint_decided`` domain events arrive as SQS messages.

- An escalation is submitted to IGRS (``complaint.escalation.event_detail``: no free text, no
  identities) and the reference IGRS returns is recorded on the complaint (once; a repeated
  delivery of an escalation already holding a reference sends nothing).
- A decision on an escalated complaint is sent to IGRS under that reference (once). If IGRS has
  not given a reference yet, the message fails and comes back later, after the submission.

A message that fails is reported in ``batchItemFailures``: SQS delivers it again after the
visibility timeout and parks it in the dead-letter queue after ``IGRS_MAX_RECEIVES`` receives.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from complaint.escalation import event_detail
from complaint.igrs import Igrs, default_igrs
from sevamitra.data import complaints as repo
from sevamitra.data import igrs as igrs_repo
from sevamitra.domain.complaints import Complaint
from sevamitra.edge.errors import DependencyFailed, DomainError
from sevamitra.platform.clock import Clock, iso, utc_now
from sevamitra.platform.observability import logger, metrics

ESCALATION, DECIDED = igrs_repo.ESCALATION_DETAIL_TYPE, igrs_repo.DECIDED_DETAIL_TYPE


class NotYetSubmitted(DependencyFailed):
    """A decision on an escalation IGRS has not acknowledged yet: deliver it again later."""


def submit(complaint: Complaint, igrs: Igrs, now: str) -> str | None:
    escalation = complaint.escalation or {}
    if escalation.get("igrs_reference"):
        return None
    reference = igrs.submit(event_detail(complaint))
    if igrs_repo.record_reference(complaint.id, reference, now):
        logger.info(
            "IGRS took the grievance", extra={"complaint_id": complaint.id, "igrs_reference": reference}
        )
    return reference


def send_decision(complaint: Complaint, igrs: Igrs, now: str) -> bool:
    escalation = complaint.escalation
    if not escalation or not complaint.decision:
        return False  # decided before it was ever escalated: nothing for IGRS
    if escalation.get("decision_sent_at"):
        return False
    reference = escalation.get("igrs_reference")
    if not reference:
        raise NotYetSubmitted(message="The escalation is not yet with IGRS; the decision waits.")
    decision = complaint.decision
    igrs.send_decision(
        str(reference),
        {
            "complaint_id": complaint.id,
            "igrs_reference": reference,
            "outcome": decision.get("outcome"),
            "decided_at": decision.get("at"),
            "remarks": decision.get("remarks"),
        },
    )
    igrs_repo.record_decision_sent(complaint.id, now)
    return True


def deliver(message: dict[str, Any], igrs: Igrs, *, clock: Clock = utc_now) -> None:
    """One EventBridge event (the SQS message body) to IGRS."""
    detail_type = message.get("detail-type")
    complaint_id = (message.get("detail") or {}).get("complaint_id")
    if detail_type not in (ESCALATION, DECIDED) or not complaint_id:
        return
    complaint = repo.get_complaint(str(complaint_id))
    if complaint is None:
        return
    now = iso(clock())
    if detail_type == ESCALATION:
        submit(complaint, igrs, now)
    else:
        send_decision(complaint, igrs, now)


def handle(event: dict[str, Any], igrs: Igrs | None = None) -> dict[str, Any]:
    failures: list[dict[str, str]] = []
    client: Igrs | None = igrs
    for record in event.get("Records", []):
        try:
            client = client or default_igrs()
            deliver(json.loads(record["body"]), client)
        except (DomainError, ValueError) as exc:
            logger.warning(
                "IGRS delivery failed; SQS delivers it again",
                extra={"message_id": record.get("messageId"), "error": type(exc).__name__},
            )
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle(event)
