"""``Idempotency-Key`` support for POSTs that create things (Powertools idempotency on DynamoDB).

``run_once(key, operation, scope, produce)`` runs ``produce()`` the first time and returns the
stored result for a retry with the same key, operation and ``scope`` (the caller and the request
``body``, with PII already reduced to hashes: the idempotency key is a hash of it, and a hash of a
raw Aadhaar would be brute-forceable). The record is keyed by the key and the scope without its
``body``; the body is checked: the same key and caller with a different body is 422
``idempotency_key_reused``, never a second operation. Without a key it just runs ``produce()``.
A failed attempt (an exception) stores nothing, so a retry runs again. When the store itself
fails around ``produce()``, the client still hears what ``produce()`` did (its result, or its own
error), never a 503 for an operation that happened; throttling of the store is 429.

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

from sevamitra.data.errors import is_throttling
from sevamitra.data.models import IdempotencyModel
from sevamitra.errors import Conflict, DependencyFailed, DomainError, Throttled, Unprocessable
from sevamitra.observability import logger
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

    # What ``produce`` did, seen from outside Powertools: when the store fails around a finished
    # operation, the client must hear what happened, not a 503 that says nothing was written.
    outcome: dict[str, Any] = {}

    @idempotent_function(
        data_keyword_argument="request", persistence_store=_store(), config=CONFIG, key_prefix=operation
    )
    def _once(request: dict[str, Any]) -> dict[str, Any]:
        try:
            outcome["result"] = produce()
        except Exception as exc:
            outcome["error"] = exc
            raise
        return dict(outcome["result"])

    fixed = {name: value for name, value in scope.items() if name != "body"}
    request = {"idempotency_key": key, "scope": fixed, "body": scope.get("body")}
    try:
        result: dict[str, Any] = _once(request=request)
    except IdempotencyValidationError as exc:
        raise Unprocessable("idempotency_key_reused") from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise Conflict(
            "request_in_progress", message="A request with this Idempotency-Key is still in progress."
        ) from exc
    except IdempotencyPersistenceLayerError as exc:
        if "result" in outcome:
            return _settle_success(request, outcome["result"])
        if "error" in outcome:
            _settle_failure(request, outcome["error"])
            if isinstance(outcome["error"], DomainError):
                raise outcome["error"] from exc
        if is_throttling(exc):
            raise Throttled(message="The idempotency store is busy; retry shortly.") from exc
        raise DependencyFailed(message="The idempotency store is unavailable; it is safe to retry.") from exc
    return result


def _settle_success(request: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """The operation completed but its record could not be marked done: try once more, and
    answer with the result either way (a retry meanwhile gets 409 ``request_in_progress``)."""
    try:
        _store().save_success(data=request, result=result)
    except Exception:
        logger.warning("idempotency record left in progress after a completed operation", exc_info=True)
    return result


def _settle_failure(request: dict[str, Any], error: Exception) -> None:
    """The operation failed and its in-progress record could not be removed: try once more, so
    that a retry runs the operation again instead of waiting for the record to expire."""
    try:
        _store().delete_record(data=request, exception=error)
    except Exception:
        logger.warning("idempotency record left in progress after a failed operation", exc_info=True)
