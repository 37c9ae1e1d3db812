"""Buyer apps' public keys from the ONDC registry, cached per execution environment.

``lookup`` POSTs ``{"subscriber_id", "ukId"}`` to ``<ONDC_REGISTRY_URL>/lookup`` (the registry's
lookup API) and keeps the answer for ``ONDC_REGISTRY_CACHE_S`` seconds, never past the entry's own
``valid_until``. Only a subscribed ``BAP`` entry counts. An unknown key is not cached (a buyer app
that has just subscribed is found on its next request); a registry that cannot be reached is a
503 NACK (the buyer app retries), never a silent acceptance.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any, NamedTuple

from sevamitra.edge.beckn_signing import KeyId
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform.ondc_settings import ondc_settings

_TIMEOUT_S = 5
_SUBSCRIBED = {"SUBSCRIBED", None}


class Subscriber(NamedTuple):
    subscriber_id: str
    unique_key_id: str
    signing_public_key: str
    subscriber_url: str


_lock = threading.Lock()
_cache: dict[KeyId, tuple[float, Subscriber]] = {}


def _valid_until(entry: dict[str, Any]) -> float | None:
    text = entry.get("valid_until")
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _fetch(key_id: KeyId) -> list[dict[str, Any]]:
    url = ondc_settings().ondc_registry_url.rstrip("/") + "/lookup"
    body = json.dumps({"subscriber_id": key_id.subscriber_id, "ukId": key_id.unique_key_id}).encode()
    request = urllib.request.Request(  # noqa: S310 - the configured registry, https in AWS
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:  # noqa: S310
            answer = json.loads(response.read() or b"[]")
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise DependencyFailed(message="The ONDC registry could not be reached; retry.") from exc
    return [entry for entry in answer if isinstance(entry, dict)] if isinstance(answer, list) else []


def lookup_subscriber(key_id: KeyId, *, now: float | None = None) -> Subscriber | None:
    """The buyer app subscribed under ``key_id``, or None."""
    moment = time.time() if now is None else now
    with _lock:
        cached = _cache.get(key_id)
        if cached is not None and cached[0] > moment:
            return cached[1]
    for entry in _fetch(key_id):
        if (
            entry.get("subscriber_id") == key_id.subscriber_id
            and entry.get("ukId", entry.get("unique_key_id")) == key_id.unique_key_id
            and entry.get("type", "BAP") == "BAP"
            and entry.get("status") in _SUBSCRIBED
            and entry.get("signing_public_key")
        ):
            until = _valid_until(entry)
            if until is not None and until <= moment:
                return None
            subscriber = Subscriber(
                key_id.subscriber_id,
                key_id.unique_key_id,
                str(entry["signing_public_key"]),
                str(entry.get("subscriber_url") or ""),
            )
            expiry = moment + ondc_settings().ondc_registry_cache_s
            with _lock:
                _cache[key_id] = (min(expiry, until) if until else expiry, subscriber)
            return subscriber
    return None


def forget() -> None:
    with _lock:
        _cache.clear()
