"""``Idempotency-Key`` support for POSTs that create things.

``run_once(key, operation, scope, produce)`` runs ``produce()`` the first time and returns the
stored result for a retry with the same key, operation and ``scope`` (the caller and the request
``body``, with PII already reduced to hashes: only a hash of the body is stored, and a hash of a
raw Aadhaar would be brute-forceable). The record is keyed by the key and the scope without its
``body``; the body is checked: the same key and caller with a different body is 422
``idempotency_key_reused``, never a second operation. Without a key it just runs ``produce()``.

A result field marked ``SECRET`` in its response model (``Annotated[str, SECRET]``: a booking's
start code) is never stored: ``withhold`` names those fields and how a replay reads them back from
their owner, so this table, which lives on for ``IDEMPOTENCY_TTL_S``, never holds a secret.

A failed attempt (an exception) gives the key back, so a retry runs again. While an attempt runs,
a retry is 409 ``request_in_progress``; an attempt's hold (``LEASE_S``) outlasts any invocation of
an API function, so a record left behind by a crashed invocation is taken over after it. When the
store fails after ``produce()``, the client still hears what ``produce()`` did (its result, or its
own error), never a 503 for an operation that happened; throttling of the store is 429.

Built on our own conditional writes, not Powertools' idempotency utility: that one imports boto3,
which no function otherwise needs (see docs/decisions.md, "Cold starts").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from sevamitra.data import idempotency as records
from sevamitra.data.idempotency import RecordStatus
from sevamitra.edge.errors import Conflict, DomainError, Unprocessable
from sevamitra.platform.clock import Clock, utc_now
from sevamitra.platform.observability import logger
from sevamitra.platform.settings import settings

if TYPE_CHECKING:
    from pydantic import BaseModel

LEASE_S = 60
"""How long an attempt holds its key: more than API Gateway's 29 s and the API functions' timeout
(``infra/constants.py``, asserted in ``tests/infra``)."""

_ATTEMPTS = 2  # marking a record done or giving it back is tried twice before it is left to expire


class Secret:
    """The ``Annotated`` marker of a response field that the idempotency store never holds."""

    def __repr__(self) -> str:
        return "SECRET"


SECRET = Secret()


def secret_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of ``model`` marked ``SECRET``, by the names they have in a result."""
    return frozenset(
        info.alias or name
        for name, info in model.model_fields.items()
        if any(isinstance(marker, Secret) for marker in info.metadata)
    )


Recover = Callable[[dict[str, Any]], Mapping[str, Any]]


class Withhold(NamedTuple):
    """Result fields kept out of the store, and how a replay gets them back: ``recover`` is given
    the stored result (without them) and returns their current values from their owner."""

    fields: frozenset[str]
    recover: Recover

    @classmethod
    def secrets_of(cls, model: type[BaseModel], recover: Recover) -> Withhold:
        return cls(secret_fields(model), recover)


def header_key(headers: dict[str, str] | None) -> str | None:
    for name, value in (headers or {}).items():
        if name.lower() == "idempotency-key" and value and value.strip():
            return value.strip()[:255]
    return None


def _digest(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record_id(operation: str, key: str, scope: dict[str, Any]) -> str:
    fixed = {name: value for name, value in scope.items() if name != "body"}
    return f"{operation}#{_digest({'key': key, 'scope': fixed})}"


def run_once(
    key: str | None,
    operation: str,
    scope: dict[str, Any],
    produce: Callable[[], dict[str, Any]],
    clock: Clock = utc_now,
    *,
    withhold: Withhold | None = None,
) -> dict[str, Any]:
    if key is None:
        return produce()

    rid = record_id(operation, key, scope)
    body_hash = _digest(scope.get("body"))
    held = records.claim(
        rid, body_hash, now_s=int(clock().timestamp()), lease_s=LEASE_S, ttl_s=settings().idempotency_ttl_s
    )
    if held is not None:
        if held.body_hash != body_hash:
            raise Unprocessable("idempotency_key_reused")
        if held.status is RecordStatus.COMPLETED and held.result is not None:
            return _reattached(held.result, withhold)
        raise Conflict(
            "request_in_progress", message="A request with this Idempotency-Key is still in progress."
        )

    try:
        result = produce()
    except Exception:
        _settle(lambda: records.release(rid), "after a failed operation")
        raise
    stored = _without(result, withhold)
    _settle(lambda: records.complete(rid, stored), "after a completed operation")
    return result


def _without(result: dict[str, Any], withhold: Withhold | None) -> dict[str, Any]:
    if withhold is None:
        return result
    return {name: value for name, value in result.items() if name not in withhold.fields}


def _reattached(stored: dict[str, Any], withhold: Withhold | None) -> dict[str, Any]:
    """The stored result with its withheld fields read back from their owner (a record stored
    before a field was withheld still holds it, and is returned as it is)."""
    if withhold is None:
        return stored
    missing = withhold.fields - stored.keys()
    if not missing:
        return stored
    recovered = withhold.recover(stored)
    return {**stored, **{name: recovered[name] for name in sorted(missing)}}


def _settle(step: Callable[[], None], when: str) -> None:
    """Mark the record done or give it back; if the store keeps failing, the lease ends the hold."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            step()
            return
        except DomainError:
            if attempt == _ATTEMPTS:
                logger.warning(f"idempotency record left in progress {when}", exc_info=True)
