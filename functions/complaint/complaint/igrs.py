"""The IGRS adapter (contract: docs/igrs.md): what we send to the state grievance system and what
we expect back, behind a two-method interface so the logic never sees HTTP.

Every request is a JSON POST signed like the police callback (``X-Seva-Signature: t=..,v1=..``,
HMAC-SHA256 over ``"<t>.<body>"`` with the key we share with IGRS) and carries an
``Idempotency-Key`` (the complaint id; for a decision, ``<complaint id>:decision``) so a retried
delivery is recognised. A failure is retried here a few times with exponential backoff; beyond
that ``IgrsUnavailable`` goes up, the queue delivers the message again later, and after
``IGRS_MAX_RECEIVES`` receives it is parked in the dead-letter queue (alarm).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any, Protocol

from sevamitra.edge import signing
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform.clock import Clock, utc_now
from sevamitra.platform.keys import SecretKey

ATTEMPTS = 3
BACKOFF_S = 0.5  # then 1 s: a blip is absorbed here, an outage by the queue
# Answers worth another try: IGRS busy or failing, or a gateway in front of it.
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class IgrsUnavailable(DependencyFailed):
    """IGRS did not take the request; delivering it again later may succeed."""


class IgrsRejected(DependencyFailed):
    """IGRS refused the request (4xx): retried by the queue all the same (IGRS may be fixing its
    side) until the dead-letter queue, where an operator sees it."""


class Igrs(Protocol):
    def submit(self, grievance: dict[str, Any]) -> str:
        """Send an escalated grievance; IGRS's reference for it."""
        ...

    def send_decision(self, reference: str, decision: dict[str, Any]) -> None:
        """Tell IGRS the portal decided the grievance it holds as ``reference``."""
        ...


Opener = Callable[..., Any]


class HttpIgrs:
    def __init__(
        self,
        endpoint: str,
        key: Callable[[], bytes],
        *,
        timeout_s: float = 10,
        clock: Clock = utc_now,
        sleep: Callable[[float], None] = time.sleep,
        opener: Opener = urllib.request.urlopen,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self._key = key
        self.timeout_s = timeout_s
        self.clock = clock
        self.sleep = sleep
        self.opener = opener

    def submit(self, grievance: dict[str, Any]) -> str:
        answer = self._post("/grievances", grievance, idempotency_key=str(grievance["complaint_id"]))
        reference = answer.get("igrs_reference")
        if not isinstance(reference, str) or not reference:
            raise IgrsRejected(message="IGRS answered without an igrs_reference.")
        return reference

    def send_decision(self, reference: str, decision: dict[str, Any]) -> None:
        self._post(
            f"/grievances/{urllib.parse.quote(reference, safe='')}/decision",
            decision,
            idempotency_key=f"{decision['complaint_id']}:decision",
        )

    def _post(self, path: str, body: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
        raw = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
        failure: Exception | None = None
        for attempt in range(ATTEMPTS):
            if attempt:
                self.sleep(BACKOFF_S * 2 ** (attempt - 1))
            request = urllib.request.Request(  # noqa: S310  (the configured IGRS endpoint)
                f"{self.endpoint}{path}",
                data=raw,
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    "Idempotency-Key": idempotency_key,
                    signing.HEADER: signing.sign(self._key(), int(self.clock().timestamp()), raw),
                },
            )
            try:
                with self.opener(request, timeout=self.timeout_s) as response:
                    text = response.read()
                return dict(json.loads(text)) if text else {}
            except urllib.error.HTTPError as exc:
                if exc.code not in RETRYABLE_STATUS:
                    raise IgrsRejected(message=f"IGRS refused the request (HTTP {exc.code}).") from exc
                failure = exc
            except (urllib.error.URLError, TimeoutError, ConnectionError, json.JSONDecodeError) as exc:
                failure = exc
        raise IgrsUnavailable(message="IGRS could not be reached; the delivery is retried.") from failure


def igrs_key() -> bytes:
    return _KEY.get()


def _secret_arn() -> str:
    from complaint.settings import complaint_settings

    return complaint_settings().igrs_secret_arn


_KEY = SecretKey(_secret_arn, "IGRS key")


def default_igrs() -> Igrs:
    from complaint.settings import complaint_settings

    config = complaint_settings()
    return HttpIgrs(config.igrs_endpoint, igrs_key, timeout_s=config.igrs_timeout_s)
