"""The event outbox: a domain event is written in the same transaction as the state change it
announces (``add_events``), published right after the commit and then deleted
(``sevamitra.platform.bus.emit``). If the publication fails, the item stays and the scheduled
sweep (``notify.outbox``) publishes it again once it is older than a few seconds: an event can be
late or (rarely) twice, never lost. Consumers de-duplicate by ``event_id``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from pynamodb.transactions import TransactWrite

from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import OutboxEventModel
from sevamitra.domain.events import DomainEvent

PENDING = "pending"


def _item(event: DomainEvent, created_at: str) -> OutboxEventModel:
    return OutboxEventModel(
        event_id=event.event_id,
        kind=event.kind.value,
        detail=json.dumps(event.detail(), ensure_ascii=False, sort_keys=True),
        pending=PENDING,
        created_at=created_at,
    )


def add_events(tx: TransactWrite, events: Iterable[DomainEvent], created_at: str) -> None:
    """Stage ``events`` in the caller's transaction. No condition: an event id names one
    transition, so an item of the same id can only be the same event."""
    for event in events:
        tx.save(_item(event, created_at))


def remove(event_ids: Iterable[str]) -> None:
    """Forget published events (one delete each: a handful per state change)."""
    with dependency_errors("Clearing the outbox"):
        for event_id in event_ids:
            OutboxEventModel(event_id).delete()


def older_than(moment: str) -> Iterator[str]:
    """Ids of outbox items created at or before ``moment``, oldest first."""
    with dependency_errors("Reading the outbox"):
        for item in OutboxEventModel.pending_index.query(PENDING, OutboxEventModel.created_at <= moment):
            yield str(item.event_id)


def load(event_id: str) -> DomainEvent | None:
    with dependency_errors("Reading the outbox"):
        try:
            item = OutboxEventModel.get(event_id, consistent_read=True)
        except OutboxEventModel.DoesNotExist:
            return None
    return DomainEvent.model_validate(json.loads(item.detail))
