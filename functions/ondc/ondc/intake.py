"""The synchronous half of ``/ondc/<action>``: who signed it, whether we can answer it, once.

``authenticate`` runs before routing on the raw event, like an API Gateway authorizer: the
``Authorization`` header must sign the raw body with the key the registry holds for its keyId
(``signing.verify``), and the verified buyer app is put in the event where a route reads it.
``receive`` then checks the context against the signer, claims the ``message_id`` (a replay is
answered ACK and does nothing) and queues the work for ``ondc.worker``. Any refusal changes
nothing: nothing is claimed or queued before every check has passed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from ondc import registry
from ondc.beckn import SERVED_DOMAINS
from ondc.models import Context
from ondc.registry import Subscriber
from sevamitra.data import ondc as records
from sevamitra.edge import beckn_signing as signing
from sevamitra.edge.api import header, raw_body
from sevamitra.edge.errors import BadRequest, DependencyFailed, Forbidden, Unauthorized
from sevamitra.edge.routes import Auth, Function, routes_of
from sevamitra.platform import aws
from sevamitra.platform.clock import Clock, utc_now
from sevamitra.platform.observability import logger
from sevamitra.platform.ondc_settings import ondc_settings

SIGNED_RESOURCES = frozenset(r.path for r in routes_of(Function.ONDC) if r.auth is Auth.ONDC_SIGNATURE)
# Where the verified signer travels in the event (as a Lambda authorizer's context would).
_AUTHORIZER_KEY = "ondc_subscriber"

Queue = Callable[[dict[str, Any]], None]


def authenticate(event: Mapping[str, Any], *, clock: Clock = utc_now) -> None:
    """401 ``invalid_signature`` unless an ONDC route's raw body is signed by a registered buyer app."""
    if event.get("resource") not in SIGNED_RESOURCES:
        return
    found: list[Subscriber] = []

    def registered_key(key_id: signing.KeyId) -> str | None:
        subscriber = registry.lookup_subscriber(key_id)
        if subscriber is None:
            return None
        found.append(subscriber)
        return subscriber.signing_public_key

    signing.verify(header(event, signing.HEADER), raw_body(event), registered_key, int(clock().timestamp()))
    subscriber = found[-1]
    context = event.setdefault("requestContext", {})  # type: ignore[attr-defined]
    context.setdefault("authorizer", {})[_AUTHORIZER_KEY] = subscriber._asdict()


def signer_of(event: Mapping[str, Any]) -> Subscriber:
    found = ((event.get("requestContext") or {}).get("authorizer") or {}).get(_AUTHORIZER_KEY)
    if not found:
        raise Unauthorized("invalid_signature")
    return Subscriber(**found)


def _same_url(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def send_work(work: dict[str, Any]) -> None:
    """Queue ``work`` for ``ondc.worker`` (``ONDC_QUEUE_URL``)."""
    from sevamitra.data.errors import dependency_errors

    with dependency_errors("Queueing the ONDC request"):
        aws.client("sqs").send_message(
            QueueUrl=ondc_settings().ondc_queue_url, MessageBody=json.dumps(work, separators=(",", ":"))
        )


def receive(
    action: str,
    context: Context,
    request: dict[str, Any],
    signer: Subscriber,
    *,
    now: Clock = utc_now,
    queue: Queue = send_work,
) -> bool:
    """Check, claim and queue one request; False for a replayed ``message_id`` (nothing done)."""
    config = ondc_settings()
    if context.action != action:
        raise BadRequest("context_mismatch", f"context.action must be {action!r} on /ondc/{action}.")
    if context.bap_id != signer.subscriber_id:
        raise Unauthorized(
            "invalid_signature", "The request is signed by another subscriber than its bap_id."
        )
    if signer.subscriber_url and not _same_url(context.bap_uri, signer.subscriber_url):
        raise Forbidden("bap_uri_mismatch")
    if context.bpp_id is not None and context.bpp_id != config.ondc_subscriber_id:
        raise Forbidden("context_mismatch", "context.bpp_id is not this seller platform.")
    if context.domain not in SERVED_DOMAINS:
        raise BadRequest("unsupported_domain", f"Served domains: {', '.join(sorted(SERVED_DOMAINS))}.")
    if not records.claim_message(context.bap_id, context.message_id, int(now().timestamp())):
        logger.info("ONDC message replayed: nothing done", extra={"action": action})
        return False
    try:
        queue({"action": action, "request": request})
    except DependencyFailed:
        records.release_message(context.bap_id, context.message_id)
        raise
    logger.info("ONDC request queued", extra={"action": action, "bap_id": context.bap_id})
    return True
