"""Unsolicited ``on_status``: every minute, each ONDC order whose booking changed since the buyer
app was last told (accepted by the professional, started, completed, expired, cancelled through
the API) is reported, then recorded as told. Posting first and recording after makes it
at-least-once: a failed post is tried again by the next sweep; a final status ends the tracking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ondc import beckn, callbacks, work
from ondc.callbacks import CallbackFailed
from sevamitra.data import bookings as booking_repo
from sevamitra.data import ondc as records
from sevamitra.platform.clock import utc_now
from sevamitra.platform.observability import logger, metrics
from sevamitra.platform.ondc_settings import ondc_settings


@dataclass
class Sweep:
    told: int = 0
    failed: int = 0


def sweep(now: datetime) -> Sweep:
    config = ondc_settings()
    result = Sweep()
    for order in records.tracked_orders():
        booking = booking_repo.get_booking(order.booking_id)
        if booking is None or booking.status.value == order.told:
            continue
        context = beckn.unsolicited_context(
            order["context"],
            "status",
            now,
            subscriber_id=config.ondc_subscriber_id,
            subscriber_url=config.ondc_subscriber_url,
        )
        try:
            callbacks.post(
                order["bap_uri"], {"context": context, "message": work.status_message(order, booking)}
            )
        except CallbackFailed:
            logger.warning(
                "on_status not taken; the next sweep tries again", extra={"booking_id": booking.id}
            )
            result.failed += 1
            continue
        records.mark_told(booking.id, order.told, booking.status.value, final=booking.status in beckn.FINAL)
        result.told += 1
    return result


def sweep_issues(now: datetime) -> Sweep:
    """Unsolicited ``on_issue_status`` for each issue whose complaint changed (escalated, decided)."""
    from ondc import issues
    from sevamitra.data import complaints as complaints_repo

    config = ondc_settings()
    result = Sweep()
    for record in records.tracked_issues():
        complaint = complaints_repo.get_complaint(record.complaint_id)
        if complaint is None or complaint.status.value == record.told:
            continue
        context = beckn.unsolicited_context(
            record["context"],
            "issue_status",
            now,
            subscriber_id=config.ondc_subscriber_id,
            subscriber_url=config.ondc_subscriber_url,
        )
        try:
            callbacks.post(
                record["bap_uri"], {"context": context, "message": issues.issue_message(record, complaint)}
            )
        except CallbackFailed:
            logger.warning(
                "on_issue_status not taken; the next sweep tries again", extra={"complaint_id": complaint.id}
            )
            result.failed += 1
            continue
        records.mark_issue_told(
            complaint.id, record.told, complaint.status.value, final=complaint.status in issues.DECIDED
        )
        result.told += 1
    return result


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    now = utc_now()
    done, issues_done = sweep(now), sweep_issues(now)
    return {"told": done.told + issues_done.told, "failed": done.failed + issues_done.failed}
