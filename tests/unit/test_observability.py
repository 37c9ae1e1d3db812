from __future__ import annotations

import io
import json
import logging
import uuid

import pytest
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


# --- ids survive, stand-alone numbers do not (issue 13, item 8) -----------------------------------

AADHAAR = "234567890123"  # an Aadhaar shape: 12 digits, the first 2-9
MOBILE = "9876543210"


def _logged(**kwargs: object) -> tuple[str, dict]:
    """One line through the functions' formatter: (raw line, parsed JSON)."""
    stream = io.StringIO()
    # A fresh service name each time: Powertools keeps the first stream given to a service.
    log = Logger(
        service=f"ids-test-{uuid.uuid4().hex}",
        logger_formatter=RedactingFormatter(),
        stream=stream,
        level=logging.INFO,
    )
    message = str(kwargs.pop("message", "event"))
    log.info(message, extra=kwargs)
    line = stream.getvalue()
    return line, json.loads(line)


@pytest.mark.parametrize(
    "identifier",
    [
        f"2008af0e-7523-4f78-8382-{AADHAAR}",  # a uuid whose last group is 12 digits
        "2008af0e-7523-4878-8382-a1b2c3d4e5f6",  # groups that read as a dashed Aadhaar
        f"{MOBILE[:8]}-7523-4f78-8382-a1b2c3d4e5f6",
        f"cmp_{AADHAAR}",
        f"bkg_{MOBILE}",
        f"pro_2008af0e7523{AADHAAR}f788382",  # 12 digits inside a hex id
        f"{AADHAAR}abcd",
        f"corr-{MOBILE}",
        f"req-{AADHAAR}-retry",
        f"1{AADHAAR}",  # longer digit runs: epoch milliseconds, counters
        f"{MOBILE}123",
        f"26.{AADHAAR}",  # the fraction of a decimal
        f"arn:aws:lambda:ap-south-1:{AADHAAR}:function:sevamitra-book",  # an account id
    ],
)
def test_ids_containing_digit_runs_survive_intact(identifier: str) -> None:
    assert redact(identifier) == identifier
    assert redact(f"booking {identifier} failed.") == f"booking {identifier} failed."


def test_request_correlation_and_complaint_ids_survive_a_log_line() -> None:
    request_id = f"2008af0e-7523-4f78-8382-{AADHAAR}"
    correlation_id = f"9d1a{MOBILE[:4]}-7523-4f78-8382-{AADHAAR}"
    complaint_id = f"cmp_2008af0e7523{AADHAAR}f788382"
    _, line = _logged(
        message=f"complaint {complaint_id} opened",
        request_id=request_id,
        correlation_id=correlation_id,
        complaint={"id": complaint_id, "related": [request_id]},
    )
    assert line["message"] == f"complaint {complaint_id} opened"
    assert line["request_id"] == request_id
    assert line["correlation_id"] == correlation_id
    assert line["complaint"] == {"id": complaint_id, "related": [request_id]}


@pytest.mark.parametrize(
    "text",
    [
        AADHAAR,
        f"aadhaar {AADHAAR}",
        "aadhaar 2345 6789 0123",
        "aadhaar 2345-6789-0123.",
        f"aadhaar:{AADHAAR},",
        f"/bans/check?aadhaar={AADHAAR}&x=1",
        f"/bans/check?aadhaar%3D{AADHAAR}",
        f"/professionals/{AADHAAR}/documents",
        f'{{"aadhaar": "{AADHAAR}"}}',
        f"input_value='{AADHAAR}'",
        f"आधार{AADHAAR}",
        f"first line\n{AADHAAR}\tlast",
        f"(-{AADHAAR})",
    ],
)
def test_a_stand_alone_aadhaar_is_removed_wherever_it_is_written(text: str) -> None:
    cleaned = redact(text)
    assert "[aadhaar-redacted]" in cleaned
    assert not any(part in cleaned for part in (AADHAAR, "2345 6789 0123", "2345-6789-0123"))


@pytest.mark.parametrize(
    "text",
    [
        MOBILE,
        f"mobile {MOBILE}",
        f"+91{MOBILE}",
        f"+91 {MOBILE}",
        f"+91-{MOBILE}",
        f"0{MOBILE}",
        f"91 {MOBILE}",
    ],
)
def test_a_stand_alone_mobile_keeps_only_its_last_four_digits(text: str) -> None:
    cleaned = redact(text)
    assert MOBILE not in cleaned
    assert cleaned.endswith("******3210")
    assert "+91" not in cleaned


def test_pii_in_message_extras_nested_values_and_integers_is_redacted() -> None:
    raw, line = _logged(
        message=f"registering {AADHAAR} for\n{MOBILE}",
        aadhaar=AADHAAR,
        mobile=int(MOBILE),
        count=int(AADHAAR),
        nested={"form": {"ids": [f"x {AADHAAR}", {"phone": f"+91{MOBILE}"}], "ok": True, "lat": 26.85}},
        pair=(AADHAAR, MOBILE),
        error=ValueError(f"bad aadhaar {AADHAAR}"),
        **{AADHAAR: "as a key"},
    )
    assert AADHAAR not in raw
    assert MOBILE not in raw
    assert line["message"] == "registering [aadhaar-redacted] for\n******3210"
    assert line["aadhaar"] == line["count"] == "[aadhaar-redacted]"
    assert line["mobile"] == "******3210"
    assert line["nested"] == {
        "form": {"ids": ["x [aadhaar-redacted]", {"phone": "******3210"}], "ok": True, "lat": 26.85}
    }
    assert line["pair"] == ["[aadhaar-redacted]", "******3210"]
    assert line["error"] == "bad aadhaar [aadhaar-redacted]"
    assert line["[aadhaar-redacted]"] == "as a key"


def test_exceptions_and_their_stack_traces_are_redacted() -> None:
    stream = io.StringIO()
    log = Logger(
        service=f"exc-test-{uuid.uuid4().hex}",
        logger_formatter=RedactingFormatter(),
        stream=stream,
        level=logging.INFO,
    )
    try:
        raise ValueError(f"identity {AADHAAR} / {MOBILE}\n{AADHAAR}")
    except ValueError:
        log.exception(f"failed for +91{MOBILE}")
    raw = stream.getvalue()
    line = json.loads(raw)
    assert AADHAAR not in raw
    assert MOBILE not in raw
    assert "identity [aadhaar-redacted] / ******3210" in line["exception"]
    assert line["message"] == "failed for ******3210"
    assert "[aadhaar-redacted]" in json.dumps(line["stack_trace"])
