"""Racing writers on moto as on DynamoDB.

moto applies a transaction without a lock (and restores whole tables on failure), unlike
DynamoDB, whose transactions are atomic. ``atomic_transactions`` serialises them as DynamoDB does,
and holds the first transaction of each of ``parties`` racing threads at a barrier, so that every
racer has finished its reads before any of them writes: an implementation that checked and then
wrote would let more than one through. A thread's later transactions (retries) pass freely.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from moto.dynamodb.models import DynamoDBBackend

T = TypeVar("T")


def atomic_transactions(monkeypatch: pytest.MonkeyPatch, parties: int) -> threading.Barrier:
    barrier = threading.Barrier(parties, timeout=20)
    lock = threading.Lock()
    waited = threading.local()
    original = DynamoDBBackend.transact_write_items

    def atomic(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        with lock:
            original(self, transact_items)

    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", atomic)
    return barrier


def race(attempts: list[Callable[[], T]], *, timeout_s: float = 60) -> list[T | BaseException]:
    """Run every attempt on its own thread at once; each one's result or exception, in order."""
    outcomes: list[Any] = [None] * len(attempts)

    def run(index: int) -> None:
        try:
            outcomes[index] = attempts[index]()
        except BaseException as exc:
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout_s)
    assert not any(thread.is_alive() for thread in threads), "a racer did not finish"
    return outcomes
