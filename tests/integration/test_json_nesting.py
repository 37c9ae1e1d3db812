"""Bodies nested deeper than ``MAX_JSON_DEPTH`` are refused before the JSON parser sees them.

A 2 KB body of 1,000 nested arrays made ``json.loads`` raise RecursionError inside Powertools'
body parsing: a 500. API Gateway's JsonObject model does not stop it, so the shared resolver
does, for every function and route (issue 13, item 1)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from local.provision import LocalResources
from sevamitra.edge.api import MAX_JSON_DEPTH
from sevamitra.edge.errors import MESSAGES
from sevamitra.edge.routes import ROUTES, Auth, Route
from tests.integration.conftest import Api, claims_for, local_aws
from tests.integration.registration.conftest import registration_body
from tests.integration.verification_support import callback


@pytest.fixture(scope="module")
def aws() -> Iterator[LocalResources]:
    """One set of resources for the whole sweep: every request but one registration is refused
    before it writes, and provisioning per request was most of this file's time."""
    with local_aws() as resources:
        yield resources


CITIZEN = claims_for("citizen-deep")
THOUSAND_DEEP = '{"x":' + "[" * 1000 + "]" * 1000 + "}"  # about 2 KB


def nested(depth: int) -> str:
    """A JSON object whose deepest value sits ``depth`` arrays/objects down."""
    return '{"x":' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


@pytest.mark.parametrize("path", ["/bookings", "/professionals", "/complaints"])
def test_a_thousand_nested_arrays_are_400_malformed_json_not_500(
    aws: LocalResources, api: Api, path: str
) -> None:
    response = api("POST", path, body=THOUSAND_DEEP, claims=CITIZEN)

    assert (response.status, response.error_code) == (400, "malformed_json")
    assert response.body["error"]["message"] == MESSAGES["malformed_json"][0]
    assert response.body["error"]["details"] == []


@pytest.mark.parametrize("path", ["/bookings", "/professionals", "/complaints"])
def test_the_nesting_refusal_is_in_hindi_for_hindi_clients(aws: LocalResources, api: Api, path: str) -> None:
    response = api("POST", path, body=THOUSAND_DEEP, claims=CITIZEN, headers={"Accept-Language": "hi"})

    assert (response.status, response.error_code) == (400, "malformed_json")
    assert response.body["error"]["message"] == MESSAGES["malformed_json"][1]


def test_a_signed_police_callback_nested_too_deep_is_400_after_its_signature_is_checked(
    aws: LocalResources, api: Api
) -> None:
    signed = callback(api, THOUSAND_DEEP)
    forged = callback(api, THOUSAND_DEEP, key=b"not-the-police-key")

    assert (signed.status, signed.error_code) == (400, "malformed_json")
    assert (forged.status, forged.error_code) == (401, "invalid_signature")


_PARAM = re.compile(r"\{[a-zA-Z_]+\}")


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path}" for r in ROUTES])
def test_every_route_refuses_a_deeply_nested_body_before_parsing(
    aws: LocalResources, api: Api, route: Route
) -> None:
    path = _PARAM.sub("does-not-exist", route.path)
    claims = claims_for("stranger-deep", "officers", "employers") if route.auth is Auth.COGNITO else None

    response = api(route.method, path, body=THOUSAND_DEEP, claims=claims)

    signed = route.auth in (Auth.POLICE_SIGNATURE, Auth.ONDC_SIGNATURE)  # checked before anything else
    expected = (401, "invalid_signature") if signed else (400, "malformed_json")
    assert (response.status, response.error_code) == expected


def test_nesting_up_to_the_limit_is_parsed_and_validated_as_usual(aws: LocalResources, api: Api) -> None:
    at_limit = api("POST", "/bookings", body=nested(MAX_JSON_DEPTH), claims=CITIZEN)
    over = api("POST", "/bookings", body=nested(MAX_JSON_DEPTH + 1), claims=CITIZEN)

    assert (at_limit.status, at_limit.error_code) == (422, "validation_error")
    assert (over.status, over.error_code) == (400, "malformed_json")


def test_brackets_and_escaped_quotes_inside_strings_are_not_nesting(aws: LocalResources, api: Api) -> None:
    name = '[{"\\' * 45  # 180 characters: quotes and backslashes, JSON-escaped, among the brackets
    body = json.dumps(registration_body(name=name))
    assert body.count("[") > MAX_JSON_DEPTH

    response = api("POST", "/professionals", body=body, claims=CITIZEN)

    assert response.status == 201, response.body
