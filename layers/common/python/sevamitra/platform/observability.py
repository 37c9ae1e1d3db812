"""Logger and Metrics for every function, with PII redaction built into the log formatter.

Tracing is Lambda's active tracing (plus API Gateway's and Step Functions'), not the X-Ray SDK:
importing ``aws_xray_sdk`` costs about 190 ms of every cold start (docs/decisions.md).

Every log line passes through ``redact``: anything shaped like an Aadhaar number is replaced and
mobile numbers keep only their last four digits, whatever a caller put in the message or extras.
"""

from __future__ import annotations

import re
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

SERVICE = "sevamitra"
METRICS_NAMESPACE = "SevaMitra"
# Emitted once per escalated police request; the stack's alarm on timed-out police requests watches it.
POLICE_ESCALATED_METRIC = "PoliceVerificationEscalated"

# Digit runs not touching other digits: 12 digits is an Aadhaar shape, 10 starting 6-9 a mobile.
_AADHAAR_SHAPE = re.compile(r"(?<!\d)[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}(?!\d)")
_MOBILE_SHAPE = re.compile(r"(?<!\d)(?:\+?91[ -]?)?[6-9]\d{5}(\d{4})(?!\d)")


def redact(text: str) -> str:
    text = _AADHAAR_SHAPE.sub("[aadhaar-redacted]", text)
    return _MOBILE_SHAPE.sub(lambda m: "******" + m.group(1), text)


def mask_mobile(mobile: str) -> str:
    return "******" + mobile[-4:]


class RedactingFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON formatter, with PII shapes removed from the serialised line."""

    def serialize(self, log: dict[str, Any] | Any) -> str:
        return redact(super().serialize(log))


logger = Logger(service=SERVICE, logger_formatter=RedactingFormatter())
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)
