"""Idempotency records: one per operation, ``Idempotency-Key`` and caller, holding the hash of the
request body and, once the operation is done, its response (JSON).

A request takes its record with one conditional put that succeeds only when there is no live
record: none, one past its ``expiration`` (DynamoDB's TTL deletes lazily), or one still
``in_progress`` whose lease ran out (its invocation is over) and which was taken for the same body.
Otherwise the caller gets the record that holds the key.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any, NamedTuple

from sevamitra.data import dynamo
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import IdempotencyModel

_STORE = "The idempotency store"


class RecordStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class Record(NamedTuple):
    status: RecordStatus
    body_hash: str
    result: dict[str, Any] | None = None


def claim(record_id: str, body_hash: str, *, now_s: int, lease_s: int, ttl_s: int) -> Record | None:
    """Take the record for this request (``None``), or return the live record that holds it."""
    model = IdempotencyModel
    item = model(
        record_id,
        status=RecordStatus.IN_PROGRESS.value,
        body_hash=body_hash,
        lease_until=now_s + lease_s,
        expiration=now_s + ttl_s,
    )
    abandoned = (
        (model.status == RecordStatus.IN_PROGRESS.value)
        & (model.lease_until < now_s)
        & (model.body_hash == body_hash)
    )
    if dynamo.conditional(
        _STORE,
        lambda: item.save(condition=model.id.does_not_exist() | (model.expiration < now_s) | abandoned),
    ):
        return None
    held = dynamo.read(_STORE, model, record_id)
    if held is None:
        # Released between our put and this read: report it busy; the client's retry takes it.
        return Record(RecordStatus.IN_PROGRESS, body_hash)
    return Record(RecordStatus(held.status), held.body_hash, json.loads(held.result) if held.result else None)


def complete(record_id: str, result: dict[str, Any]) -> None:
    """Store the response of the operation that holds the record."""
    model = IdempotencyModel
    with dependency_errors(_STORE):
        model(record_id).update(
            actions=[model.status.set(RecordStatus.COMPLETED.value), model.result.set(json.dumps(result))],
            condition=model.status == RecordStatus.IN_PROGRESS.value,
        )


def release(record_id: str) -> None:
    """Give the key back after a failed operation, so that a retry runs it again."""
    model = IdempotencyModel
    with dependency_errors(_STORE):
        model(record_id).delete(condition=model.status == RecordStatus.IN_PROGRESS.value)
