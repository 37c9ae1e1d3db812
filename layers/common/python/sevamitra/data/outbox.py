"""The event outbox: a domain event is written in the same transaction as the state change it
announces (``add_events``), published right after the commit and then deleted
(``sevamitra.platform.bus.emit``). If the publication fails, the item stays and the scheduled
sweep (``notify.outbox``) publishes it again once it is older than a few seconds: an event can be
late or (rarely) twice, never lost. Consumers de-duplicate by ``event_id``.

The sweep's ``pending`` index is write-sharded: every event in the state is written to it and
deleted from it, so one constant key would take all of it and hit DynamoDB's 1,000 write units
per second per key at about ten times Uttar Pradesh's projected peak (benchmarks/capacity.py,
docs/capacity.md). An item's shard is a hash of its event id; the sweep reads every shard (and
the unsharded key items written before the change) and merges them, oldest first."""

from __future__ import annotations

import heapq
import json
import zlib
from collections.abc import Iterable, Iterator

from pynamodb.transactions import TransactWrite

from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import OutboxEventModel
from sevamitra.domain.events import DomainEvent

PENDING = "pending"
PENDING_SHARDS = 8


def pending_shard(event_id: str) -> str:
    """The ``pending`` index key of an event: ``pending#0`` .. ``pending#7``, by a stable hash."""
    return f"{PENDING}#{zlib.crc32(event_id.encode('utf-8')) % PENDING_SHARDS}"


def pending_keys() -> tuple[str, ...]:
    """Every key the sweep reads: the shards, and the single key of items from before sharding."""
    return (*(f"{PENDING}#{n}" for n in range(PENDING_SHARDS)), PENDING)


def _item(event: DomainEvent, created_at: str) -> OutboxEventModel:
    return OutboxEventModel(
        event_id=event.event_id,
        kind=event.kind.value,
        detail=json.dumps(event.detail(), ensure_ascii=False, sort_keys=True),
        pending=pending_shard(event.event_id),
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
    """Ids of outbox items created at or before ``moment``, oldest first, from every shard of
    the ``pending`` index (each shard's Query is in ``created_at`` order; they are merged)."""
    with dependency_errors("Reading the outbox"):
        shards = [
            OutboxEventModel.pending_index.query(key, OutboxEventModel.created_at <= moment)
            for key in pending_keys()
        ]
        for item in heapq.merge(*shards, key=lambda item: str(item.created_at)):
            yield str(item.event_id)


def load(event_id: str) -> DomainEvent | None:
    with dependency_errors("Reading the outbox"):
        try:
            item = OutboxEventModel.get(event_id, consistent_read=True)
        except OutboxEventModel.DoesNotExist:
            return None
    return DomainEvent.model_validate(json.loads(item.detail))
