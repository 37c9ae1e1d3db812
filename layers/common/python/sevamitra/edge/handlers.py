"""What every function's routes are written with, so that a route reads: decorator, one logic
call, output model.

- ``CallerDep``: the signed-in caller, injected by Powertools' ``Depends`` from the request the
  resolver is handling (any resolver of ``make_resolver``: nothing here holds an ``app``). The
  resolver has already answered 401 to a Cognito route without claims, before validation (who you
  are before what you sent); resolving the caller raises ``Unauthorized`` should one get through.
- ``IdempotencyKey``: the ``Idempotency-Key`` header, or None.
- ``PathId``: a path parameter holding an entity id.
- ``created`` / ``accepted``: the 201 and 202 answers, declared for OpenAPI by ``created_as`` and
  ``accepted_as``; ``idempotent_created``: a 201 produced once per ``Idempotency-Key``.

Dependency parameters are resolved at call time and are not part of the OpenAPI document (no
query parameter named ``caller``); ``Depends`` is part of the event handler package every function
already imports, so a cold start loads no more of Powertools.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Depends, Request, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel

from sevamitra.domain.types import EntityId
from sevamitra.edge.auth import Caller, caller_from_event

if TYPE_CHECKING:
    from sevamitra.edge.idempotency import Withhold


def current_caller(request: Request) -> Caller:
    """The signed-in caller of the request being handled (``Unauthorized`` without claims)."""
    return caller_from_event(request.resolved_event.raw_event)


def idempotency_key(request: Request) -> str | None:
    # Imported here and below: functions without a create route (match, verify) never load the
    # idempotency records' module.
    from sevamitra.edge.idempotency import header_key

    return header_key(request.headers)


def link_maker(request: Request) -> Callable[[str], str]:
    """Absolute URLs on the API this request reached (``sevamitra.edge.links``)."""
    from sevamitra.edge.links import public_url

    return partial(public_url, request.resolved_event.raw_event)


CallerDep = Annotated[Caller, Depends(current_caller)]
# ``links("/professionals/pro_1/card")``: that path as an absolute URL of this API.
Links = Annotated[Callable[[str], str], Depends(link_maker)]
IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]
PathId = Annotated[EntityId, Path()]


def _declared(status: HTTPStatus, model: type[BaseModel]) -> dict[int, Any]:
    return {int(status): {"description": status.phrase, "content": {"application/json": {"model": model}}}}


def created_as(model: type[BaseModel]) -> dict[int, Any]:
    """``responses=`` of a route that answers 201 with ``model``."""
    return _declared(HTTPStatus.CREATED, model)


def accepted_as(model: type[BaseModel]) -> dict[int, Any]:
    """``responses=`` of a route that answers 202 with ``model``."""
    return _declared(HTTPStatus.ACCEPTED, model)


def _answer(status: HTTPStatus, body: BaseModel | dict[str, Any]) -> Response:
    if isinstance(body, BaseModel):
        body = body.model_dump(mode="json")
    return Response(status_code=int(status), content_type=content_types.APPLICATION_JSON, body=body)


def created(out: BaseModel | dict[str, Any]) -> Response:
    return _answer(HTTPStatus.CREATED, out)


def accepted(out: BaseModel | dict[str, Any]) -> Response:
    return _answer(HTTPStatus.ACCEPTED, out)


def idempotent_created(
    key: str | None,
    operation: str,
    caller: Caller,
    request: BaseModel | dict[str, Any],
    produce: Callable[[], BaseModel],
    *,
    withhold: Withhold | None = None,
) -> Response:
    """201 with ``produce()``'s model, run once per ``key``, ``operation`` and caller: a retry
    with the same key and request gets the first answer again (``sevamitra.edge.idempotency``).
    ``request`` is what makes two requests the same: a body model as sent, or, for a body that
    holds PII, a dict with the PII already reduced (only its hash is stored, and a hash of a
    raw Aadhaar could be brute-forced). ``withhold`` names answer fields never stored (a secret
    such as the start code) and how a replay reads them back from their owner."""
    from sevamitra.edge.idempotency import run_once

    fingerprint = request.model_dump(mode="json") if isinstance(request, BaseModel) else request
    return created(
        run_once(
            key,
            operation,
            {"sub": caller.sub, "body": fingerprint},
            lambda: produce().model_dump(mode="json"),
            withhold=withhold,
        )
    )
