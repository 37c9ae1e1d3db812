"""Posting ``on_<action>`` to a buyer app, signed with our key (``signing.sign``).

The callback goes to ``<bap_uri>/on_<action>``. Anything but an HTTP 2xx with an ACK body is a
failure (``CallbackFailed``): the queue delivers the work again, and the buyer app may NACK a
callback it cannot take."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from ondc import keys
from sevamitra.edge import beckn_signing as signing
from sevamitra.platform.ondc_settings import ondc_settings


class CallbackFailed(Exception):
    """The buyer app did not take the callback."""


def url_for(bap_uri: str, action: str) -> str:
    return f"{bap_uri.rstrip('/')}/{action}"


def post(bap_uri: str, payload: dict[str, Any], *, now: int | None = None) -> None:
    config = ondc_settings()
    action = str(payload["context"]["action"])
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    authorization = signing.sign(
        body,
        keys.signing_key(),
        signing.KeyId(config.ondc_subscriber_id, config.ondc_unique_key_id),
        int(time.time()) if now is None else now,
        ttl_s=config.ondc_callback_ttl_s,
    )
    request = urllib.request.Request(  # noqa: S310 - the buyer app's registered https URL
        url_for(bap_uri, action),
        data=body,
        headers={"Content-Type": "application/json", "Authorization": authorization},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=config.ondc_callback_timeout_s) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise CallbackFailed(f"{action} to the buyer app failed: {exc}") from exc
    status = (
        ((answer.get("message") or {}).get("ack") or {}).get("status") if isinstance(answer, dict) else None
    )
    if status != "ACK":
        raise CallbackFailed(f"the buyer app did not ACK {action}")
