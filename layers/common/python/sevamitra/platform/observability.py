"""Logger and Metrics for every function, with PII redaction built into the log formatter.

Tracing is Lambda's active tracing (plus API Gateway's and Step Functions'), not the X-Ray SDK:
importing ``aws_xray_sdk`` costs about 190 ms of every cold start (docs/decisions.md).

Every log line passes through ``redact``: a stand-alone number shaped like an Aadhaar number is
replaced and mobile numbers keep only their last four digits, whatever a caller put in the message
or extras; ids (uuids, ``cmp_...``) that happen to contain such digit runs stay intact.
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

# Aadhaar- and mobile-shaped numbers are PII only where they stand alone as numbers. Never
# inside an id: not touching a letter, digit or underscore; not joined by "-" or "_" to one (the
# last group of a uuid, "cmp_<digits>", "2008af0e-7523-4878-8382-..."); not the fraction of a
# decimal number. A percent-encoded byte just before the number ("aadhaar%3D<12 digits>") is a
# separator, not part of a token.
_STANDS_ALONE_BEFORE = (
    r"(?:(?<![A-Za-z0-9_])(?<![A-Za-z0-9][-_])(?<!\d\.)"
    r"|(?<=%[0-9A-Fa-f]{2}))"
)
_STANDS_ALONE_AFTER = r"(?![A-Za-z0-9_])(?![-_][A-Za-z0-9])(?!\.\d)"
# An ARN's account field is twelve digits where an Aadhaar would stand alone ("...:ap-south-1:
# 234567890123:function:..."): matched first and kept, the rest of the ARN is scanned as usual.
_ARN_ACCOUNT = r"(?P<arn>\barn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:\d{12}:)"
_PII_NUMBER = re.compile(
    _ARN_ACCOUNT
    + r"|"
    + _STANDS_ALONE_BEFORE
    + r"(?:"
    # An international mobile first: "+91" and ten digits are never an Aadhaar.
    + r"\+91[ -]?[6-9]\d{5}(?P<intl_last4>\d{4})"
    # Twelve digits, optionally in groups of four ("2345 6789 0123"): an Aadhaar.
    + r"|(?P<aadhaar>[2-9]\d{3}[ -]?\d{4}[ -]?\d{4})"
    # Ten digits from 6-9, optionally after "91 " or a trunk "0": a mobile.
    + r"|(?:91[ -]|0)?[6-9]\d{5}(?P<last4>\d{4})"
    + r")"
    + _STANDS_ALONE_AFTER
)

AADHAAR_REDACTED = "[aadhaar-redacted]"


def _replace(found: re.Match[str]) -> str:
    if found.group("arn"):
        return found.group("arn")
    if found.group("aadhaar"):
        return AADHAAR_REDACTED
    return mask_mobile(found.group("intl_last4") or found.group("last4"))


def redact(text: str) -> str:
    """``text`` with every stand-alone Aadhaar-shaped number removed and every stand-alone mobile
    number cut to its last four digits; ids that contain such digit runs are left intact."""
    return _PII_NUMBER.sub(_replace, text)


def redact_value(value: Any) -> Any:
    """A log record's value with ``redact`` applied to every string in it (keys too), before it
    is serialised: the redactor sees the text itself, not its JSON escapes. Integers shaped like
    PII become their redacted text; anything JSON cannot hold is turned into text first, as the
    serialiser would."""
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        text = str(value)
        cleaned = redact(text)
        return value if cleaned == text else cleaned
    if isinstance(value, dict):
        return {redact_value(k) if isinstance(k, str | int) else k: redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return redact(str(value))


def mask_mobile(mobile: str) -> str:
    return "******" + mobile[-4:]


class RedactingFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON formatter, with PII numbers removed from every value of the record
    (message, extras, nested structures, the exception and its stack trace) before it is
    serialised."""

    def serialize(self, log: dict[str, Any] | Any) -> str:
        return super().serialize(redact_value(log))


logger = Logger(service=SERVICE, logger_formatter=RedactingFormatter())
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)
