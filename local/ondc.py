"""The local stack's ONDC pieces (never deployed):

- a fake ONDC registry, served by the gateway on loopback: ``POST /_local/ondc/registry`` with
  ``{"subscriber_id", "unique_key_id", "signing_public_key", "subscriber_url", "type": "BAP"}``
  registers a buyer app; ``POST /_local/ondc/registry/lookup`` answers the registry's lookup
  (``{"subscriber_id", "ukId"}`` -> a list of entries), which is what the ondc function's
  signature check calls, as it calls the real registry in AWS;
- the work queue's pump: the ondc function queues its work on the emulator's SQS queue, as in
  AWS; this thread receives it and runs ``ondc.worker.lambda_handler`` on each batch, with SQS's
  event shape, as Lambda's event source mapping does (a failed record becomes visible again);
- our signing key: a random secret per stack start, its public key in ``.local/outputs.json``.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from local.dispatch import call_handler
from sevamitra.edge.routes import ONDC_WORKER

log = logging.getLogger("local.ondc")

PATH = "/_local/ondc/registry"
LOOKUP_PATH = PATH + "/lookup"
_REQUIRED = ("subscriber_id", "unique_key_id", "signing_public_key", "subscriber_url")

_lock = threading.Lock()
_subscribers: dict[tuple[str, str], dict[str, Any]] = {}


def new_signing_secret() -> str:
    return secrets.token_hex(32)


def _bad(message: str) -> tuple[int, dict[str, Any]]:
    return 400, {"error": {"code": "bad_request", "message": message, "details": []}}


def register(body: bytes) -> tuple[int, dict[str, Any]]:
    try:
        entry = json.loads(body or b"{}")
    except ValueError:
        return _bad("The body is not JSON.")
    if not isinstance(entry, dict) or any(
        not isinstance(entry.get(k), str) or not entry[k] for k in _REQUIRED
    ):
        return _bad(f"Send {', '.join(_REQUIRED)} and type BAP.")
    if entry.get("type", "BAP") != "BAP":
        return _bad("Only buyer apps (type BAP) register here.")
    try:
        if len(base64.b64decode(entry["signing_public_key"], validate=True)) != 32:
            raise ValueError
    except ValueError:
        return _bad("signing_public_key must be the base64 of a 32-byte Ed25519 public key.")
    until = datetime.now(UTC) + timedelta(days=365)
    record = {
        "subscriber_id": entry["subscriber_id"],
        "ukId": entry["unique_key_id"],
        "signing_public_key": entry["signing_public_key"],
        "subscriber_url": entry["subscriber_url"],
        "type": "BAP",
        "status": "SUBSCRIBED",
        "valid_until": until.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }
    with _lock:
        _subscribers[(entry["subscriber_id"], entry["unique_key_id"])] = record
    return 201, record


def lookup(body: bytes) -> tuple[int, list[dict[str, Any]] | dict[str, Any]]:
    try:
        asked = json.loads(body or b"{}")
    except ValueError:
        return _bad("The body is not JSON.")
    if not isinstance(asked, dict):
        return _bad("The body must be an object.")
    with _lock:
        return 200, [
            dict(entry)
            for (subscriber_id, key_id), entry in _subscribers.items()
            if subscriber_id == asked.get("subscriber_id") and key_id == asked.get("ukId", key_id)
        ]


def forget_all() -> None:
    with _lock:
        _subscribers.clear()


class WorkPump:
    """Receives the ONDC work queue and runs the worker, like Lambda's SQS event source."""

    def __init__(self, queue_url: str, region: str, *, batch_size: int = 10) -> None:
        self._queue_url = queue_url
        self._sqs = boto3.client("sqs", region_name=region)
        self._batch_size = batch_size
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def drain_once(self, wait_s: int = 1) -> int:
        messages = self._sqs.receive_message(
            QueueUrl=self._queue_url, MaxNumberOfMessages=self._batch_size, WaitTimeSeconds=wait_s
        ).get("Messages", [])
        if not messages:
            return 0
        event = {
            "Records": [
                {"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                 "eventSource": "aws:sqs"}
                for m in messages
            ]
        }  # fmt: skip
        result = call_handler(ONDC_WORKER.function, ONDC_WORKER.module, event, ONDC_WORKER.name) or {}
        failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        for message in messages:
            if message["MessageId"] not in failed:
                self._sqs.delete_message(QueueUrl=self._queue_url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.drain_once()
            except Exception:
                log.exception("ONDC work pump")
                self._stopping.wait(1)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="ondc-work", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread:
            self._thread.join(timeout=5)
