"""Racing writers on moto as on DynamoDB.

moto's in-memory DynamoDB is not thread-safe, unlike DynamoDB, which applies every request
atomically: a request copying an item while another thread adds an attribute to it fails with
"dictionary changed size during iteration" (seen as a 500 from the police callback while the
workflow's decision step, on moto's thread, wrote the same request), and a transaction is applied
without a lock (whole tables are restored on failure). ``serialised_dynamodb`` (on for every
integration test, ``conftest.py``) lets moto handle one DynamoDB request at a time.

``atomic_transactions`` holds the first transaction of each of ``parties`` racing threads at a
barrier, so that every racer has finished its reads before any of them writes: an implementation
that checked and then wrote would let more than one through. A thread's later transactions
(retries) pass freely.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.responses import DynamoHandler

T = TypeVar("T")

_ONE_REQUEST = threading.Lock()
"""Held while moto handles a DynamoDB request. No DynamoDB request makes another or waits for
another thread (the racers' barrier below lets go of it while waiting), so it cannot deadlock."""


@contextmanager
def serialised_dynamodb() -> Iterator[None]:
    original = DynamoHandler.call_action

    def call_action(self: DynamoHandler) -> Any:
        with _ONE_REQUEST:
            return original(self)

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    try:
        yield
    finally:
        DynamoHandler.call_action = original  # type: ignore[method-assign]


def atomic_transactions(monkeypatch: pytest.MonkeyPatch, parties: int) -> threading.Barrier:
    barrier = threading.Barrier(parties, timeout=20)
    lock = threading.Lock()
    waited = threading.local()
    original = DynamoDBBackend.transact_write_items

    def atomic(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        if not getattr(waited, "done", False):
            waited.done = True
            # Inside this request: let the other racers' requests through until all are here.
            _ONE_REQUEST.release()
            try:
                barrier.wait()
            finally:
                _ONE_REQUEST.acquire()
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
