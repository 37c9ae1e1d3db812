"""The local stack's SMS outbox and carrier (local only: ``GET``/``POST /_local/sms``): what was
sent to a number, waiting for the next message, and replying from a number as a phone would."""

from __future__ import annotations

import re
from typing import Any

from local.client import WAIT_S, Unexpected, poll_until
from local.client.http import Api

REFERENCE = re.compile(r"HAAN ([A-Z0-9]{5})")


def e164(mobile: str) -> str:
    digits = "".join(ch for ch in mobile if ch.isdigit())
    return "+91" + digits[-10:]


class Phones:
    def __init__(self, api: Api) -> None:
        self.api = api

    def inbox(self, mobile: str) -> list[dict[str, Any]]:
        """Every SMS sent to ``mobile``, oldest first."""
        response = self.api.request("GET", "/_local/sms", params={"to": e164(mobile)})
        if response.status_code != 200:
            raise Unexpected(f"GET /_local/sms: {response.status_code} {response.text[:300]}")
        return list(response.json()["messages"])

    def wait_for(
        self, mobile: str, containing: str, *, after: int = 0, timeout_s: float = WAIT_S
    ) -> dict[str, Any]:
        """The first SMS to ``mobile`` after the first ``after`` whose body contains ``containing``."""

        def arrived() -> dict[str, Any] | None:
            return next((m for m in self.inbox(mobile)[after:] if containing in m["body"]), None)

        return poll_until(
            f"an SMS to ...{mobile[-4:]} with {containing!r}", arrived, timeout_s=timeout_s, interval_s=0.05
        )

    def send(self, sender: str, body: str) -> dict[str, Any]:
        """An SMS from ``sender`` to the service, as the carrier delivers it."""
        response = self.api.request("POST", "/_local/sms", json={"from": e164(sender), "body": body})
        if response.status_code != 200:
            raise Unexpected(f"POST /_local/sms: {response.status_code} {response.text[:300]}")
        return dict(response.json())


def reference_in(body: str) -> str:
    """The booking reference a booking_requested SMS asks to reply with."""
    match = REFERENCE.search(body)
    if match is None:
        raise Unexpected("the SMS names no HAAN <ref> reply")
    return match.group(1)
