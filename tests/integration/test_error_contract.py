"""Hostile input to every declared route gives a 4xx in the error shape, never a 500.

Parametrized over ``ROUTES``, so a route added later is covered without touching this file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from local.dispatch import invoke
from local.provision import LocalResources, cached_client
from local.proxy_events import rest_event
from sevamitra.edge.routes import ROUTES, Auth, Route
from sevamitra.platform.settings import settings
from tests.integration.conftest import claims_for, local_aws


@pytest.fixture(scope="module")
def aws() -> Iterator[LocalResources]:
    """One set of resources for the whole sweep (about 700 requests): each is refused before it
    writes, so none depends on another, and provisioning per request was most of this file's time."""
    with local_aws() as resources:
        yield resources


_PARAM = re.compile(r"\{[a-zA-Z_]+\}")
_MUTATING = [r for r in ROUTES if r.method in {"POST", "PUT", "PATCH"}]


def _concrete(route: Route) -> str:
    return _PARAM.sub("does-not-exist", route.path)


def _call(route: Route, **kwargs: object) -> dict:
    claims = claims_for("stranger-1") if route.auth is Auth.COGNITO else None
    return invoke(route.function, rest_event(route.method, _concrete(route), claims=claims, **kwargs))  # type: ignore[arg-type]


def _assert_error_shape(response: dict, statuses: set[int]) -> dict:
    assert response["statusCode"] in statuses, response
    error = json.loads(response["body"])["error"]
    assert set(error) == {"code", "message", "details"}
    assert re.fullmatch(r"[a-z][a-z0-9_]*", error["code"])
    assert isinstance(error["details"], list)
    return error


def _ids(routes: list[Route]) -> list[str]:
    return [f"{r.method} {r.path}" for r in routes]


@pytest.mark.parametrize("route", _MUTATING, ids=_ids(_MUTATING))
@pytest.mark.parametrize("body", ["{not json", '{"a": ', "\x00\x01", "[1, 2]", '"text"', "42", "null"])
def test_malformed_or_non_object_body_is_4xx_in_error_shape(
    aws: LocalResources, route: Route, body: str
) -> None:
    response = _call(route, body=body)
    _assert_error_shape(response, {400, 401, 403, 404, 409, 422})


@pytest.mark.parametrize("route", _MUTATING, ids=_ids(_MUTATING))
def test_wrong_types_are_4xx_in_error_shape(aws: LocalResources, route: Route) -> None:
    body = {"name": 5, "location": "here", "online": "maybe", "services": "all", "kind": [], "stars": "five"}
    _assert_error_shape(_call(route, body=body), {400, 401, 403, 404, 409, 422})


@pytest.mark.parametrize("route", ROUTES, ids=_ids(list(ROUTES)))
def test_huge_body_is_413(aws: LocalResources, route: Route) -> None:
    response = _call(route, body=json.dumps({"blob": "x" * 200_000}))
    assert _assert_error_shape(response, {413})["code"] == "payload_too_large"


@pytest.mark.parametrize("route", ROUTES, ids=_ids(list(ROUTES)))
@pytest.mark.parametrize(
    "query",
    [
        {"limit": "-1", "lat": "north", "lng": "1e999", "status": "everything", "q": "x" * 1000},
        {"service": "../../etc/passwd", "aadhaar": "abc", "mobile": "1" * 200},
    ],
)
def test_junk_query_values_never_give_5xx(aws: LocalResources, route: Route, query: dict[str, str]) -> None:
    response = _call(route, query=query)
    assert response["statusCode"] < 500, response
    if response["statusCode"] >= 400:
        _assert_error_shape(response, set(range(400, 500)))


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r.auth is Auth.COGNITO],
    ids=_ids([r for r in ROUTES if r.auth is Auth.COGNITO]),
)
def test_protected_route_without_claims_is_401(aws: LocalResources, route: Route) -> None:
    response = invoke(route.function, rest_event(route.method, _concrete(route), body={}))
    assert _assert_error_shape(response, {401})["code"] == "unauthorized"


_READS = [r for r in ROUTES if r.method == "GET" and r.auth is Auth.COGNITO]


@pytest.mark.parametrize("route", _READS, ids=_ids(_READS))
def test_an_undeclared_query_parameter_is_422_at_that_parameter(aws: LocalResources, route: Route) -> None:
    """A misspelt filter (``statsu=accepted``) is refused, never silently ignored: the caller
    would otherwise act on an unfiltered answer."""
    error = _assert_error_shape(_call(route, query={"statsu": "accepted"}), {422})
    assert error["code"] == "validation_error"
    assert ["query", "statsu"] in [detail["loc"] for detail in error["details"]]


def test_the_sweep_wrote_nothing(aws: LocalResources) -> None:
    """Last in the file: the requests above share one set of resources, which is sound because a
    refused request writes nothing, here proven on every table and bucket."""
    dynamodb = cached_client("dynamodb", settings().aws_region)
    s3 = cached_client("s3", settings().aws_region)
    written = {
        table: dynamodb.scan(TableName=table)["Count"] for table in dynamodb.list_tables()["TableNames"]
    }
    stored = {
        b["Name"]: s3.list_objects_v2(Bucket=b["Name"])["KeyCount"] for b in s3.list_buckets()["Buckets"]
    }

    assert len(written) > 10
    assert set(written.values()) == {0}, written
    assert set(stored.values()) == {0}, stored
