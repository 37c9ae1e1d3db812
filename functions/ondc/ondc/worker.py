"""The ONDC work queue's consumer: each record is one checked request (``intake.receive``); its
``on_<action>`` is worked out (``work.answer``) and posted, signed, to the buyer app.

A record that fails (a dependency, or a buyer app that does not take the callback) is reported
as a batch item failure: SQS delivers it again, and after the queue's maximum receives it goes
to the dead-letter queue (alarmed). ``work.answer`` is safe to repeat: a redelivered confirm
finds the booking it made."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ondc import callbacks, work
from sevamitra.platform.observability import logger, metrics


def process(body: str) -> None:
    job = json.loads(body)
    result = work.answer(str(job["action"]), job["request"])
    callbacks.post(result.bap_uri, result.payload)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    failures = []
    for record in event.get("Records") or []:
        try:
            process(record["body"])
        except Exception:
            logger.exception("ONDC work failed; the queue delivers it again")
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
