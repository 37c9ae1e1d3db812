"""Police verification over HTTP: the police callback and the officers' pending list.

The callback has no Cognito token: its ``X-Seva-Signature`` is checked over the raw body before
routing and validation (``police_signature``), so an unsigned request is 401 whatever its body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from sevamitra.domain.districts import DistrictCode
from sevamitra.edge import signing
from sevamitra.edge.api import header, make_resolver, raw_body
from sevamitra.edge.handlers import CallerDep
from sevamitra.edge.paging import DEFAULT_LIMIT, PageCursor, PageLimit
from sevamitra.edge.routes import Auth, Function, routes_of
from sevamitra.platform.clock import Clock, utc_now
from sevamitra.platform.observability import logger, metrics
from verify import aws
from verify.callback import answer_request
from verify.callback import pending_requests as list_pending
from verify.models import CallbackIn, CallbackOut, PendingRequestsOut

_SIGNED_RESOURCES = frozenset(r.path for r in routes_of(Function.VERIFY) if r.auth is Auth.POLICE_SIGNATURE)


def police_signature(event: Mapping[str, Any], *, clock: Clock = utc_now) -> None:
    """401 ``invalid_signature`` unless a police-signed route's raw body carries a valid signature."""
    if event.get("resource") not in _SIGNED_RESOURCES:
        return
    signing.verify(header(event, signing.HEADER), raw_body(event), aws.police_key(), int(clock().timestamp()))


app = make_resolver(before_routing=police_signature)


@app.post("/verification/callback")
def police_callback(callback: CallbackIn) -> CallbackOut:
    return answer_request(callback)


@app.get("/verification/requests")
def pending_requests(
    caller: CallerDep,
    status: Annotated[Literal["pending"], Query()] = "pending",
    district: Annotated[
        DistrictCode | None, Query(description="A district code or its English or Hindi name")
    ] = None,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
) -> PendingRequestsOut:
    return list_pending(caller, district=district, limit=limit, cursor=cursor)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
