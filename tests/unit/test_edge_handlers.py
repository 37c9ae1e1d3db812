"""The handler kit (``sevamitra.edge.handlers``): the caller is injected from the request the
resolver is handling, dependency parameters stay out of the OpenAPI document, and 201/202 answers
carry the output model as JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import Response

from local.proxy_events import rest_event
from sevamitra.domain.types import Model
from sevamitra.edge import handlers as kit
from sevamitra.edge import openapi
from sevamitra.edge.api import SevaResolver, make_resolver
from sevamitra.edge.routes import Function

ROOT = Path(__file__).resolve().parents[2]


class _ProbeOut(Model):
    sub: str
    groups: list[str]
    key: str | None = None


def _probe_app() -> SevaResolver:
    """A resolver with routes that are not in the route table, so the resolver's own sign-in
    check (which knows only declared Cognito routes) leaves them to the dependency."""
    app = make_resolver()

    @app.get("/probe/<item_id>")
    def probe(item_id: kit.PathId, caller: kit.CallerDep, key: kit.IdempotencyKey) -> _ProbeOut:
        return _ProbeOut(sub=caller.sub, groups=sorted(caller.groups), key=key)

    @app.post("/probe", responses=kit.created_as(_ProbeOut))
    def create(caller: kit.CallerDep) -> Response[_ProbeOut]:
        return kit.idempotent_created(None, "probe", caller, {}, lambda: _ProbeOut(sub=caller.sub, groups=[]))

    return app


def _call(app: SevaResolver, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    response = app.resolve(rest_event(method, path, **kwargs), None)
    return response["statusCode"], json.loads(response["body"])


def test_each_resolver_gets_the_caller_of_the_request_it_is_handling() -> None:
    # Given two resolvers (as the five functions each have their own)
    first, second = _probe_app(), _probe_app()
    # When each handles a request from another caller
    status_1, body_1 = _call(first, "GET", "/probe/x1", claims={"sub": "u-1", "cognito:groups": ["officers"]})
    status_2, body_2 = _call(
        second, "GET", "/probe/x2", claims={"sub": "u-2"}, headers={"Idempotency-Key": "k"}
    )
    # Then each route sees its own caller and header
    assert (status_1, body_1) == (200, {"sub": "u-1", "groups": ["officers"], "key": None})
    assert (status_2, body_2) == (200, {"sub": "u-2", "groups": [], "key": "k"})


def test_a_request_without_claims_that_reaches_the_dependency_is_401_in_the_error_shape() -> None:
    # Given a route the resolver's sign-in check does not know (not in the route table)
    # When it is called without claims
    status, body = _call(_probe_app(), "GET", "/probe/x1")
    # Then resolving the caller refuses it: 401, not a 500 for a failed dependency
    assert status == 401
    assert body["error"]["code"] == "unauthorized"


def test_dependency_parameters_are_not_request_parameters() -> None:
    schema = (
        _probe_app()
        .get_openapi_schema(title="t", version="1")
        .model_dump(mode="json", by_alias=True, exclude_none=True)
    )
    parameters = schema["paths"]["/probe/{item_id}"]["get"]["parameters"]
    assert [(p["name"], p["in"]) for p in parameters] == [("item_id", "path")]
    assert "parameters" not in schema["paths"]["/probe"]["post"]
    assert "requestBody" not in schema["paths"]["/probe"]["post"]


def test_no_operation_of_the_served_document_has_a_dependency_as_parameter() -> None:
    names = {
        parameter["name"]
        for operations in openapi.document()["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
    }
    assert not names & {"caller", "key", "request"}


def test_created_and_accepted_answer_with_the_model_as_json_and_declare_it() -> None:
    out = _ProbeOut(sub="u-1", groups=[])
    answer = kit.created(out)
    assert (answer.status_code, answer.body) == (201, {"sub": "u-1", "groups": [], "key": None})
    assert kit.accepted(out).status_code == 202
    assert kit.created_as(_ProbeOut) == {
        201: {"description": "Created", "content": {"application/json": {"model": _ProbeOut}}}
    }
    assert kit.accepted_as(_ProbeOut)[202]["description"] == "Accepted"


def test_an_idempotent_create_without_a_key_just_runs() -> None:
    status, body = _call(_probe_app(), "POST", "/probe", claims={"sub": "u-3"}, body={})
    assert (status, body) == (201, {"sub": "u-3", "groups": [], "key": None})


@pytest.mark.parametrize("function", list(Function), ids=lambda f: f.value)
def test_a_handler_takes_its_caller_from_the_kit_not_from_the_event(function: Function) -> None:
    source = (ROOT / "functions" / function.value / function.value / "handler.py").read_text()
    assert not re.search(r"current_event|caller_from_event", source)
