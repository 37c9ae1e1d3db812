"""The local stack's log lines, every one through the functions' PII redactor.

The functions' own loggers redact as they serialise (``sevamitra.platform.observability``); everything
else the local stack logs (the gateway, http.server, the scheduler, moto, botocore) reaches the
root handler, whose formatter redacts the finished line: message, arguments and traceback.
"""

from __future__ import annotations

import logging

from sevamitra.platform.observability import redact

LINE_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"


class RedactingLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def redacting_handler() -> logging.Handler:
    """A stderr handler whose every line is redacted."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingLineFormatter(LINE_FORMAT))
    return handler
