from __future__ import annotations

import io
import json
import logging

from aws_lambda_powertools import Logger

from sevamitra.platform.observability import RedactingFormatter, redact


def test_redact_removes_aadhaar_shapes_and_masks_mobiles() -> None:
    text = "aadhaar 999941057058 / 9999 4105 7058, mobile 9876543210 and +91 9876543210"
    cleaned = redact(text)
    assert "999941057058" not in cleaned
    assert "9999 4105 7058" not in cleaned
    assert "9876543210" not in cleaned
    assert cleaned.count("******3210") == 2


def test_redact_leaves_timestamps_and_longer_numbers_alone() -> None:
    assert (
        redact("epoch 1764237600123 at 2026-11-27T10:00:00Z") == "epoch 1764237600123 at 2026-11-27T10:00:00Z"
    )


def test_logger_never_writes_raw_aadhaar_or_mobile() -> None:
    stream = io.StringIO()
    log = Logger(service="pii-test", logger_formatter=RedactingFormatter(), stream=stream, level=logging.INFO)
    log.info("registering 999941057058", extra={"mobile": "9876543210"})
    line = json.loads(stream.getvalue())
    assert "999941057058" not in stream.getvalue()
    assert line["mobile"] == "******3210"
