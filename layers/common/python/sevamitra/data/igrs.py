"""What IGRS said about an escalated complaint, on the complaint's ``escalation`` map.

``escalation`` gains ``igrs_reference`` and ``status`` (``pending`` until IGRS answers the
submission, then ``submitted``, then what IGRS calls back: ``in_progress``, ``disposed``), and
``decision_sent_at`` once the portal's decision reached IGRS. IGRS calls back with its own
reference, so a pointer item ``igrs#<reference>`` -> complaint id is written in the transaction
that records the reference (the complaints table's lock items are the same kind of item).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import Field
from pynamodb.transactions import TransactWrite

from sevamitra.data import dynamo, outbox
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import ComplaintModel
from sevamitra.domain.complaints import Complaint
from sevamitra.domain.events import SOURCE as DOMAIN_EVENTS
from sevamitra.domain.events import DomainEvent, Kind
from sevamitra.platform.settings import FROM_STACK, CommonSettings, settings_for


class IgrsSettings(CommonSettings):
    # Where IGRS takes grievances and decisions (docs/igrs.md); a stack parameter in AWS.
    igrs_endpoint: Annotated[str, FROM_STACK] = Field(default="http://127.0.0.1:8766", alias="IGRS_ENDPOINT")
    # IGRS's shared key: it signs our requests and IGRS's callbacks (X-Seva-Signature).
    igrs_secret_arn: Annotated[str, FROM_STACK] = Field(
        default="sevamitra-local/igrs-callback", alias="IGRS_SECRET_ARN"
    )
    igrs_timeout_s: float = Field(default=10, gt=0, le=60, alias="IGRS_TIMEOUT_S")


def igrs_settings() -> IgrsSettings:
    return settings_for(IgrsSettings)


# The escalation job's event (complaint.escalation emits it) and the decision event: what the IGRS
# queue's rule takes from the bus, in the CDK stack and the local stack alike.
ESCALATION_SOURCE = "sevamitra.domain.complaints"
ESCALATION_DETAIL_TYPE = "IGRSEscalation"
DECIDED_DETAIL_TYPE = Kind.COMPLAINT_DECIDED.value
IGRS_EVENT_PATTERN: dict[str, list[str]] = {
    "source": [ESCALATION_SOURCE, DOMAIN_EVENTS],
    "detail-type": [ESCALATION_DETAIL_TYPE, DECIDED_DETAIL_TYPE],
}
# Receives before a message is parked in the dead-letter queue: with the queue's visibility
# timeout (six function timeouts) about an hour and a quarter of IGRS being unreachable.
IGRS_MAX_RECEIVES = 12

REFERENCE_PREFIX = "igrs#"
PENDING, SUBMITTED, IN_PROGRESS, DISPOSED = "pending", "submitted", "in_progress", "disposed"


def pointer_id(reference: str) -> str:
    return f"{REFERENCE_PREFIX}{reference}"


def _handle(complaint_id: str) -> ComplaintModel:
    return ComplaintModel(id=complaint_id)


def record_reference(complaint_id: str, reference: str, at: str) -> bool:
    """IGRS took the grievance: its reference on the complaint and the pointer, once. False if a
    reference is already recorded (another delivery of the same escalation got there first)."""

    def add(tx: TransactWrite) -> None:
        tx.update(
            _handle(complaint_id),
            actions=[
                ComplaintModel.escalation["igrs_reference"].set(reference),
                ComplaintModel.escalation["status"].set(SUBMITTED),
                ComplaintModel.escalation["submitted_at"].set(at),
            ],
            condition=ComplaintModel.escalation.exists()
            & ComplaintModel.escalation["igrs_reference"].does_not_exist(),
            add_version_condition=False,
        )
        tx.save(
            ComplaintModel(id=pointer_id(reference), complaint_id=complaint_id, created_at=at),
            condition=ComplaintModel.id.does_not_exist(),
        )

    outcome = dynamo.transact("Recording the IGRS reference", add)
    if outcome.done:
        return True
    if outcome.condition_failed:
        return False
    outcome.reraise()


def complaint_of(reference: str) -> str | None:
    """The complaint IGRS knows as ``reference``, or None."""
    with dependency_errors("Reading the IGRS reference"):
        try:
            return str(ComplaintModel.get(pointer_id(reference), consistent_read=True).complaint_id)
        except ComplaintModel.DoesNotExist:
            return None


def record_status(
    complaint: Complaint, status: str, remarks: str | None, at: str, events: Sequence[DomainEvent] = ()
) -> bool:
    """IGRS's callback: its status (and remarks) on the escalation, with ``events`` (both sides
    hear a changed status) in the outbox, in one transaction. ``disposed`` is final: False when
    the grievance is already disposed."""
    actions: list[Any] = [
        ComplaintModel.escalation["status"].set(status),
        ComplaintModel.escalation["igrs_updated_at"].set(at),
        ComplaintModel.updated_at.set(at),
    ]
    if remarks is not None:
        actions.append(ComplaintModel.escalation["igrs_remarks"].set(remarks))

    def add(tx: TransactWrite) -> None:
        tx.update(
            _handle(complaint.id),
            actions=actions,
            condition=ComplaintModel.escalation["igrs_reference"].exists()
            & (ComplaintModel.escalation["status"] != DISPOSED),
            add_version_condition=False,
        )
        outbox.add_events(tx, events, at)

    outcome = dynamo.transact("Recording the IGRS status", add)
    if outcome.done:
        return True
    if outcome.condition_failed:
        return False
    outcome.reraise()


def record_decision_sent(complaint_id: str, at: str) -> bool:
    """The portal's decision reached IGRS (once)."""
    return dynamo.conditional(
        "Recording the decision sent to IGRS",
        lambda: _handle(complaint_id).update(
            actions=[ComplaintModel.escalation["decision_sent_at"].set(at)],
            condition=ComplaintModel.escalation["decision_sent_at"].does_not_exist(),
            add_version_condition=False,
        ),
    )
