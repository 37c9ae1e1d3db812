"""ONDC buyer apps' requests (Beckn, ONDC services 2.0.0): ``POST /ondc/<action>``.

No Cognito token: ``intake.authenticate`` checks the Beckn signature over the raw body before
routing. Each route checks its envelope, claims the message and queues the work, then answers
ACK; the answer itself is the ``on_<action>`` callback ``ondc.worker`` posts to the buyer app.
Every refusal is the Beckn NACK envelope around the usual error (``nack``): 401 for a signature,
400 for a body the specification's envelope does not allow (Powertools' 422), 403 for a
``bap_uri`` the buyer app did not register.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Depends, Request
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from ondc import intake
from ondc.models import (
    AckOut,
    BecknRatingIn,
    CancelIn,
    ConfirmIn,
    InitIn,
    IssueIn,
    IssueStatusIn,
    SearchIn,
    SelectIn,
    StatusIn,
    SupportIn,
)
from ondc.registry import Subscriber
from sevamitra.edge.api import make_resolver
from sevamitra.platform.observability import logger, metrics
from sevamitra.platform.ondc_settings import ondc_settings

app = make_resolver(before_routing=intake.authenticate)


def _signer(request: Request) -> Subscriber:
    return intake.signer_of(request.resolved_event.raw_event)


def _raw(request: Request) -> dict[str, Any]:
    return dict(request.resolved_event.json_body)


Signer = Annotated[Subscriber, Depends(_signer)]
Raw = Annotated[dict[str, Any], Depends(_raw)]


def _ack(action: str, body: Any, raw: dict[str, Any], signer: Subscriber) -> AckOut:
    intake.receive(action, body.context, raw, signer)
    return AckOut.ack()


@app.post("/ondc/search")
def search(body: SearchIn, signer: Signer, raw: Raw) -> AckOut:
    return _ack("search", body, raw, signer)


@app.post("/ondc/select")
def select(body: SelectIn, signer: Signer, raw: Raw) -> AckOut:
    return _ack("select", body, raw, signer)


@app.post("/ondc/init")
def init(body: InitIn, signer: Signer, raw: Raw) -> AckOut:
    return _ack("init", body, raw, signer)


@app.post("/ondc/confirm")
def confirm(body: ConfirmIn, signer: Signer, raw: Raw) -> AckOut:
    return _ack("confirm", body, raw, signer)


@app.post("/ondc/status")
def status(body: StatusIn, signer: Signer, raw: Raw) -> AckOut:
    return _ack("status", body, raw, signer)


@app.post("/ondc/cancel")
def cancel(body: CancelIn, signer: Signer, raw: Raw) -> AckOut:
    return _ack("cancel", body, raw, signer)


@app.post("/ondc/rating")
def rating(body: BecknRatingIn, signer: Signer, raw: Raw) -> AckOut:
    return _ack("rating", body, raw, signer)


@app.post("/ondc/support")
def support(body: SupportIn, signer: Signer, raw: Raw) -> AckOut:
    return _ack("support", body, raw, signer)


@app.post("/ondc/issue")
def issue(body: IssueIn, signer: Signer, raw: Raw) -> AckOut:
    return _ack("issue", body, raw, signer)


@app.post("/ondc/issue_status")
def issue_status(body: IssueStatusIn, signer: Signer, raw: Raw) -> AckOut:
    return _ack("issue_status", body, raw, signer)


_NACK = {"ack": {"status": "NACK"}}


def nack(response: dict[str, Any]) -> dict[str, Any]:
    """Every refusal in the Beckn envelope: ``{"message": {"ack": {"status": "NACK"}}, "error":
    {"code", "message", "details"}}`` (the API's error object); a body the envelope does not allow
    is 400 (the specification's schema failure)."""
    status = int(response.get("statusCode", 500))
    if status < 400:
        return response
    try:
        body = json.loads(response.get("body") or "{}")
    except ValueError:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    error = (
        dict(error) if isinstance(error, dict) else {"code": "internal_error", "message": "", "details": []}
    )
    if status == 422:
        status = 400
    headers = dict(response.get("headers") or {})
    if status == 401:
        headers["WWW-Authenticate"] = (
            f'Signature realm="{ondc_settings().ondc_subscriber_id}",headers="(created) (expires) digest"'
        )
    return {
        **response,
        "statusCode": status,
        "headers": headers,
        "body": json.dumps({"message": _NACK, "error": error}, ensure_ascii=False),
    }


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return nack(app.resolve(event, context))
