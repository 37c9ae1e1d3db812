"""The outbox's ``pending`` index is write-sharded (no single key takes every event in the state):
the sweep still finds exactly the events an unsharded index would, oldest first, including items
written under the single key before sharding."""

from __future__ import annotations

from collections import Counter

from pynamodb.transactions import TransactWrite

from sevamitra.data import dynamo, outbox
from sevamitra.data.models import OutboxEventModel
from sevamitra.domain.events import DomainEvent, Kind


def _event(n: int) -> DomainEvent:
    return DomainEvent(
        event_id=f"booking_requested:bk_{n:03d}:pro_1",
        kind=Kind.BOOKING_REQUESTED,
        at="2026-11-27T10:00:00Z",
        booking_id=f"bk_{n:03d}",
    )


def test_events_spread_over_shards_and_the_sweep_reads_them_all_oldest_first(aws) -> None:
    events = [_event(n) for n in range(40)]
    for n, event in enumerate(events):
        with TransactWrite(connection=dynamo.connection()) as tx:
            outbox.add_events(tx, [event], f"2026-11-27T10:{n // 2:02d}:00Z")
    # written before sharding: the single constant key
    OutboxEventModel(
        event_id="legacy:1",
        kind="booking_requested",
        detail="{}",
        pending=outbox.PENDING,
        created_at="2026-11-27T09:00:00Z",
    ).save()

    shards = Counter(item.pending for item in OutboxEventModel.scan())
    assert len(shards) == outbox.PENDING_SHARDS + 1  # every shard used, and the legacy key
    assert max(shards.values()) <= 12  # no shard takes the load of all 40

    found = list(outbox.older_than("2026-11-27T10:09:59Z"))
    expected = ["legacy:1"] + [e.event_id for n, e in enumerate(events) if n // 2 <= 9]
    assert sorted(found) == sorted(expected)  # exactly the due events: none missed, none extra
    created = {item.event_id: item.created_at for item in OutboxEventModel.scan()}
    assert [created[i] for i in found] == sorted(created[i] for i in found)  # oldest first
    assert found[0] == "legacy:1"


def test_every_shard_an_event_can_get_is_one_the_sweep_reads() -> None:
    given = {outbox.pending_shard(f"booking_requested:bk_{n}:pro_1") for n in range(200)}
    assert given == set(outbox.pending_keys()) - {outbox.PENDING}
