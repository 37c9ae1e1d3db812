"""Make the emulator's DynamoDB atomic, as DynamoDB is, for the multi-threaded local stack.

moto applies a ``TransactWriteItems`` item by item without a lock, and when the transaction is
cancelled it puts back a deep copy of every table the transaction touched, taken when it began.
With one caller at a time that is harmless. In ``make dev`` it is not: the gateway, the workflow's
steps and the scheduler write concurrently, and a cancelled transaction (a lost race, which is
normal) silently undid whatever other writers committed to those tables meanwhile. The load test
found it: a booking completed while the professional's ``active_booking_id`` still named it,
because a concurrent availability transaction on the professional lost its condition and
restored the professionals table. Two transactions could also both pass their conditions.

DynamoDB serialises transactions with every other write to the same items, and reads never see
half a transaction. Here every data-plane call of the DynamoDB backend takes one re-entrant lock:
stricter than DynamoDB (which only serialises per item), but the emulator is in-memory and fast,
and it keeps transactions all-or-nothing and isolated. ``install()`` once per process, before
serving requests; ``uninstall()`` restores moto's methods.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend

from local import moto_transactions

_LOCK = threading.RLock()
_GUARDED = (
    "batch_get_item",
    "batch_write_item",
    "delete_item",
    "execute_statement",
    "execute_transaction",
    "batch_execute_statement",
    "get_item",
    "put_item",
    "query",
    "scan",
    "transact_get_items",
    "transact_write_items",
    "update_item",
)
_ORIGINALS: dict[str, Callable[..., Any]] = {}


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    return call


def install() -> None:
    moto_transactions.install()  # inside the lock: its copy of the items is taken under it
    if _ORIGINALS:
        return
    for name in _GUARDED:
        original = getattr(DynamoDBBackend, name)
        _ORIGINALS[name] = original
        setattr(DynamoDBBackend, name, _guarded(original))


def uninstall() -> None:
    for name, original in _ORIGINALS.items():
        setattr(DynamoDBBackend, name, original)
    _ORIGINALS.clear()
