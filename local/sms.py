"""The local SMS routes (never deployed, not in the OpenAPI document):

- ``GET /_local/sms?to=<+91 mobile>`` -> ``{"messages": [{"to", "body", "at"}]}``, oldest first:
  every SMS the stack would have sent to that number (all of them without ``to``);
- ``POST /_local/sms`` ``{"from": "+91...", "body": "..."}`` delivers an inbound SMS as the
  carrier would: the SMS service's two-way channel publishes it to SNS, which invokes the book
  function's ``sms`` entry; here the entry runs at once and its outcome is answered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from sevamitra.edge.pii import e164
from sevamitra.edge.routes import INBOUND_SMS, Entry
from sevamitra.platform.sms import LOCAL_OUTBOX

PATH = "/_local/sms"
MAX_BODY_CHARS = 1600

RunEntry = Callable[[Entry, Any], Any]


def _default_run(entry: Entry, payload: Any) -> Any:
    from local.lambdas import run_entry

    return run_entry(entry, payload)


def _number(raw: str) -> str:
    """A number as typed in a query string (``+`` may arrive as a space)."""
    text = raw.strip()
    if text.startswith("+") and not text.startswith("+91"):
        return text  # a foreign number, as it is
    digits = "".join(ch for ch in text if ch.isdigit())
    return e164(text) if len(digits) in (10, 11, 12) else text


def outbox(query: str) -> tuple[int, dict[str, Any]]:
    wanted = parse_qs(query, keep_blank_values=True).get("to", [None])[0]
    to = _number(wanted) if wanted else None
    return 200, {"messages": [{"to": m.to, "body": m.body, "at": m.at} for m in LOCAL_OUTBOX.messages(to)]}


def sns_event(sender: str, text: str) -> dict[str, Any]:
    """What SNS delivers to a subscribed function for one inbound SMS of the two-way channel."""
    message = {"originationNumber": sender, "destinationNumber": "+910000000000", "messageBody": text}
    return {
        "Records": [
            {"EventSource": "aws:sns", "Sns": {"Type": "Notification", "Message": json.dumps(message)}}
        ]
    }


def inbound(body: bytes, run: RunEntry = _default_run) -> tuple[int, dict[str, Any]]:
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return 400, _error("malformed_json", "The body is not valid JSON.")
    sender, text = (payload.get("from"), payload.get("body")) if isinstance(payload, dict) else (None, None)
    if (
        not isinstance(sender, str)
        or not sender.strip()
        or not isinstance(text, str)
        or len(text) > MAX_BODY_CHARS
    ):
        return 422, _error("validation_error", 'Send {"from": "+91...", "body": "..."}.')
    result = run(INBOUND_SMS, sns_event(_number(sender), text)) or {}
    return 200, {"delivered": True, "outcomes": result.get("outcomes", [])}


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": []}}
