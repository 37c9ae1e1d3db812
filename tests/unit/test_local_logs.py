"""The local stack's log formatter: every line through the PII redactor (issue 13, item 9)."""

from __future__ import annotations

import io
import logging

from local.logs import LINE_FORMAT, RedactingLineFormatter

AADHAAR = "276543219876"
MOBILE = "9876543210"


def test_message_arguments_and_traceback_are_redacted_and_ids_kept() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingLineFormatter(LINE_FORMAT))
    log = logging.getLogger("local.test-redaction")
    log.addHandler(handler)
    log.propagate = False
    request_id = f"2008af0e-7523-4f78-8382-{AADHAAR}"
    try:
        try:
            raise ValueError(f"no such identity {AADHAAR}")
        except ValueError:
            log.exception("GET /bans/check?aadhaar=%s for +91%s (request %s)", AADHAAR, MOBILE, request_id)
    finally:
        log.removeHandler(handler)

    written = stream.getvalue()
    assert AADHAAR not in written.replace(request_id, "")
    assert MOBILE not in written
    assert "GET /bans/check?aadhaar=[aadhaar-redacted] for ******3210" in written
    assert "ValueError: no such identity [aadhaar-redacted]" in written
    assert f"(request {request_id})" in written
