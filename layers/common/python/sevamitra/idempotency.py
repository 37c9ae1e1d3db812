"""``Idempotency-Key`` support for POSTs that create things (Powertools idempotency on DynamoDB).

``run_once(key, operation, scope, produce)`` runs ``produce()`` the first time and returns the
stored result for a retry with the same key, operation and ``scope`` (the caller and the request
``body``, with PII already reduced to hashes: the idempotency key is a hash of it, and a hash of a
raw Aadhaar would be brute-forceable). The record is keyed by the key and the scope without its
``body``; the body is checked: the same key and caller with a different body is 422
``idempotency_key_reused``, never a second operation. Without a key it just runs ``produce()``.
A failed attempt (an exception) stores nothing, so a retry runs again.

The handler calls ``CONFIG.register_lambda_context(context)`` so in-progress records expire with
the invocation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
    IdempotencyValidationError,
)

from sevamitra.data.models import IdempotencyModel
from sevamitra.errors import Conflict, DependencyFailed, Unprocessable
from sevamitra.settings import settings

CONFIG = IdempotencyConfig(
    expires_after_seconds=settings().idempotency_ttl_s,
    hash_function="sha256",
    event_key_jmespath="[idempotency_key, scope]",
    payload_validation_jmespath="body",
)


@cache
def _store() -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(
        table_name=IdempotencyModel.Meta.table_name, key_attr="id", expiry_attr=IdempotencyModel.TTL_ATTRIBUTE
    )


def header_key(headers: dict[str, str] | None) -> str | None:
    for name, value in (headers or {}).items():
        if name.lower() == "idempotency-key" and value and value.strip():
            return value.strip()[:255]
    return None


def run_once(
    key: str | None, operation: str, scope: dict[str, Any], produce: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    if key is None:
        return produce()

    @idempotent_function(
        data_keyword_argument="request", persistence_store=_store(), config=CONFIG, key_prefix=operation
    )
    def _once(request: dict[str, Any]) -> dict[str, Any]:
        return produce()

    try:
        fixed = {name: value for name, value in scope.items() if name != "body"}
        result: dict[str, Any] = _once(
            request={"idempotency_key": key, "scope": fixed, "body": scope.get("body")}
        )
    except IdempotencyValidationError as exc:
        raise Unprocessable("idempotency_key_reused") from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise Conflict(
            "request_in_progress", message="A request with this Idempotency-Key is still in progress."
        ) from exc
    except IdempotencyPersistenceLayerError as exc:
        raise DependencyFailed(message="The idempotency store is unavailable; it is safe to retry.") from exc
    return result
