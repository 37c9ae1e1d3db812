"""Domain events on the stage's EventBridge bus (for the police department system, IGRS,
monitoring, and ``notify``). Consumers must tolerate duplicates: a retried step may publish again.

``publish`` puts one event and fails loudly (a workflow step retries it). ``emit`` announces
domain events whose outbox items were written with the state change (``sevamitra.data.outbox``):
it never fails the request that made the change, because the change is done; what it could not
publish stays in the outbox for the sweep."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sevamitra.data.errors import dependency_errors
from sevamitra.edge.errors import DependencyFailed, Throttled
from sevamitra.platform import aws
from sevamitra.platform.observability import logger
from sevamitra.platform.settings import settings

if TYPE_CHECKING:
    from sevamitra.domain.events import DomainEvent

# PutEvents takes at most 10 entries per call.
_BATCH = 10

# Domain events reach notify through an SQS queue (CDK and the local stack): a message that
# failed this many receives moves to the dead-letter queue, whose alarm calls an operator.
NOTIFY_MAX_RECEIVES = 5

# The verification workflow's events: the police department system subscribes to the first two
# (the CDK stack's rule sends them to its endpoint); consumers de-duplicate by request id.
VERIFICATION_SOURCE = "sevamitra.verification"
POLICE_VERIFICATION_REQUESTED = "PoliceVerificationRequested"
POLICE_VERIFICATION_ESCALATED = "PoliceVerificationEscalated"
PROFESSIONAL_VERIFICATION_DECIDED = "ProfessionalVerificationDecided"
POLICE_EVENT_TYPES = (POLICE_VERIFICATION_REQUESTED, POLICE_VERIFICATION_ESCALATED)


def _client() -> Any:
    return aws.client("events")


def publish(source: str, detail_type: str, detail: dict[str, Any]) -> str | None:
    """Put one event on the bus and return its EventBridge id; ``DependencyFailed`` if
    EventBridge does not take it."""
    with dependency_errors("Publishing an event"):
        response = _client().put_events(
            Entries=[
                {
                    "Source": source,
                    "DetailType": detail_type,
                    "Detail": json.dumps(detail, ensure_ascii=False),
                    "EventBusName": settings().event_bus_name,
                }
            ]
        )
    if response.get("FailedEntryCount"):
        raise DependencyFailed(message=f"EventBridge rejected the {detail_type} event; it is safe to retry.")
    entries = response.get("Entries") or [{}]
    event_id = entries[0].get("EventId")
    return str(event_id) if event_id else None


def put_domain_events(events: Sequence[DomainEvent]) -> list[str]:
    """Put ``events`` on the bus; the ids EventBridge took (an entry it refused is left out).
    Raises ``DependencyFailed`` when the call itself fails."""
    from sevamitra.domain.events import SOURCE

    taken: list[str] = []
    bus = settings().event_bus_name
    for start in range(0, len(events), _BATCH):
        batch = events[start : start + _BATCH]
        with dependency_errors("Publishing events"):
            response = _client().put_events(
                Entries=[
                    {
                        "Source": SOURCE,
                        "DetailType": event.kind.value,
                        "Detail": json.dumps(event.detail(), ensure_ascii=False),
                        "EventBusName": bus,
                    }
                    for event in batch
                ]
            )
        results = response.get("Entries") or []
        taken += [
            event.event_id
            for event, result in zip(batch, results, strict=False)
            if result.get("EventId") and not result.get("ErrorCode")
        ]
    return taken


def emit(events: Sequence[DomainEvent]) -> list[str]:
    """Publish events already in the outbox and clear their items; never raises. Returns the ids
    published (the rest wait in the outbox for ``notify.outbox``'s sweep)."""
    if not events:
        return []
    from sevamitra.data import outbox

    try:
        taken = put_domain_events(events)
    except (DependencyFailed, Throttled):
        logger.warning("events left in the outbox", extra={"event_ids": [e.event_id for e in events]})
        return []
    try:
        outbox.remove(taken)
    except (DependencyFailed, Throttled):
        logger.warning("published events left in the outbox", extra={"event_ids": taken})
    if len(taken) < len(events):
        logger.warning(
            "events left in the outbox",
            extra={"event_ids": [e.event_id for e in events if e.event_id not in taken]},
        )
    return taken
