"""The local stand-in for the Lambda event source mapping between the notify queue and
``notify.events``: a thread long-polls the queue (moto wakes it as soon as a message lands) and
hands each batch to the handler in this process, as an SQS event. Records the handler reports as
failed are left in the queue: moto makes them visible again after the visibility timeout and moves
them to the dead-letter queue after ``NOTIFY_MAX_RECEIVES`` receives, as SQS does.

So a domain event goes the way it goes in AWS (PutEvents -> rule -> queue -> function) and reaches
the notify handler within milliseconds of the commit that emitted it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import boto3

from sevamitra.edge.routes import NOTIFY_EVENTS, Entry

log = logging.getLogger("local.events")

RunEntry = Callable[[Entry, Any], Any]
BATCH_SIZE = 10


def _default_run(entry: Entry, payload: Any) -> Any:
    from local.lambdas import run_entry

    return run_entry(entry, payload)


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """The event Lambda's SQS event source mapping delivers for ``messages``."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for message in messages
        ]
    }


class EventPump:
    def __init__(
        self,
        queue_url: str,
        region: str,
        *,
        run: RunEntry = _default_run,
        wait_s: int = 1,
        entry: Entry = NOTIFY_EVENTS,
    ) -> None:
        self.entry = entry  # the handler the queue feeds (the IGRS queue feeds complaint.igrs_delivery)
        self.queue_url = queue_url
        self.region = region
        self.run = run
        self.wait_s = wait_s
        self._sqs = boto3.client("sqs", region_name=region)
        self._arn = self._sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def drain_once(self, wait_s: int = 0) -> int:
        """Receive one batch, run the handler, delete what it processed; the number received."""
        messages = self._sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=BATCH_SIZE,
            WaitTimeSeconds=wait_s,
            AttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        try:
            result = self.run(self.entry, sqs_event(messages, self._arn, self.region)) or {}
            failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
        except Exception:
            log.exception("%s failed a whole batch; it is retried", self.entry.name)
            failed = {message["MessageId"] for message in messages}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self._sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )
        return len(messages)

    def drain(self) -> int:
        """Everything visible now (tests): the number of messages received."""
        total = 0
        while received := self.drain_once():
            total += received
        return total

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.drain_once(self.wait_s)
            except Exception:
                log.exception("event pump failed; retrying")
                self._stop.wait(1)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=f"event-pump-{self.entry.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
