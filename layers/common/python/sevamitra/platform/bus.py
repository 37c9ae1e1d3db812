"""Domain events on the stage's EventBridge bus (for the police department system, IGRS,
monitoring). Consumers must tolerate duplicates: a retried step may publish again."""

from __future__ import annotations

import json
from typing import Any

from sevamitra.data.errors import dependency_errors
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform import aws
from sevamitra.platform.settings import settings

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
