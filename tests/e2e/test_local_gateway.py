"""The API Gateway emulation on its own, over HTTP, with a fake authorizer and fake functions:
what reaches a handler, and what a client sees when a handler misbehaves."""

from __future__ import annotations

import http.client
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from local.client.launch import free_port
from local.gateway import Gateway, InvalidToken, KeysUnavailable
from sevamitra.routes import Function

pytestmark = pytest.mark.e2e

GOOD_TOKEN = "good-token"
OFFICER_PAYLOAD = {
    "sub": "sub-1",
    "token_use": "id",
    "exp": 1_900_000_000,
    "cognito:groups": ["officers", "employers"],
    "cognito:username": "+919000000002",
}


class FakeVerifier:
    def __init__(self) -> None:
        self.keys_down = False

    def verify(self, token: str) -> dict[str, Any]:
        if self.keys_down:
            raise KeysUnavailable("down")
        if token != GOOD_TOKEN:
            raise InvalidToken("bad")
        return dict(OFFICER_PAYLOAD)


class RecordingFunctions:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.result: Any = {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}

    def __call__(self, function: Function, event: dict[str, Any]) -> Any:
        self.events.append(event)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


@pytest.fixture
def functions() -> RecordingFunctions:
    return RecordingFunctions()


@pytest.fixture
def verifier() -> FakeVerifier:
    return FakeVerifier()


@pytest.fixture
def gateway(functions: RecordingFunctions, verifier: FakeVerifier) -> Iterator[str]:
    server = Gateway(verifier, port=free_port(), invoke=functions)
    server.start()
    yield server.url
    server.stop()


def test_handler_crash_is_500_in_error_shape_without_traceback_and_logged(
    gateway: str, functions: RecordingFunctions, caplog: pytest.LogCaptureFixture
) -> None:
    functions.result = RuntimeError("secret internals")
    with caplog.at_level(logging.INFO, logger="local.gateway"):
        response = requests.get(f"{gateway}/health", timeout=5)
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret internals" not in response.text
    assert any(r.exc_info and "GET /health" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("result", [None, {"body": "{}"}, {"statusCode": "200"}, "text"])
def test_malformed_lambda_response_is_500_in_error_shape(
    gateway: str, functions: RecordingFunctions, result: Any
) -> None:
    functions.result = result
    response = requests.get(f"{gateway}/health", timeout=5)
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"


def test_raw_body_headers_and_query_reach_the_function_as_api_gateway_passes_them(
    gateway: str, functions: RecordingFunctions
) -> None:
    raw = '{"remarks": "ठीक है",  "n": 1.50}'.encode()
    headers = {
        "Accept-Language": "hi",
        "Idempotency-Key": "key-1",
        "X-Seva-Signature": "t=1,v1=ab",
        "Content-Type": "application/json",
    }
    requests.get(f"{gateway}/services?q=%E0%A4%AC%E0%A4%BF&x=1", data=raw, headers=headers, timeout=5)
    event = functions.events[-1]
    assert event["body"].encode() == raw
    for name, value in headers.items():
        assert event["headers"][name] == value
    assert event["queryStringParameters"] == {"q": "बि", "x": "1"}
    assert event["resource"] == "/services"
    assert event["httpMethod"] == "GET"
    assert "authorizer" not in event["requestContext"]


def test_no_content_type_is_added_to_what_the_client_sent(
    gateway: str, functions: RecordingFunctions
) -> None:
    connection = http.client.HTTPConnection(gateway.removeprefix("http://"), timeout=5)
    connection.request("GET", "/health", headers={})
    connection.getresponse().read()
    assert not any(name.lower() == "content-type" for name in functions.events[-1]["headers"])
    assert functions.events[-1]["body"] is None


def test_verified_claims_reach_the_function_as_strings_with_groups_comma_joined(
    gateway: str, functions: RecordingFunctions
) -> None:
    response = requests.get(f"{gateway}/me", headers={"Authorization": f"Bearer {GOOD_TOKEN}"}, timeout=5)
    assert response.status_code == 200
    claims = functions.events[-1]["requestContext"]["authorizer"]["claims"]
    assert claims["sub"] == "sub-1"
    assert claims["cognito:groups"] == "officers,employers"
    assert claims["exp"] == "1900000000"
    assert all(isinstance(v, str) for v in claims.values())


def test_rejected_token_never_reaches_the_function(gateway: str, functions: RecordingFunctions) -> None:
    response = requests.get(f"{gateway}/me", headers={"Authorization": "Bearer forged"}, timeout=5)
    assert response.status_code == 401
    assert functions.events == []


def test_unreachable_user_pool_keys_are_503_not_401(
    gateway: str, functions: RecordingFunctions, verifier: FakeVerifier
) -> None:
    verifier.keys_down = True
    response = requests.get(f"{gateway}/me", headers={"Authorization": f"Bearer {GOOD_TOKEN}"}, timeout=5)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "dependency_unavailable"
    assert functions.events == []


def test_chunked_body_is_read_and_an_oversized_one_is_413(
    gateway: str, functions: RecordingFunctions
) -> None:
    small = requests.get(f"{gateway}/health", data=iter([b'{"a":', b"1}"]), timeout=5)
    assert small.status_code == 200
    assert functions.events[-1]["body"] == '{"a":1}'
    big = requests.get(f"{gateway}/health", data=iter([b"x" * 40_000, b"y" * 40_000]), timeout=5)
    assert big.status_code == 413
    assert big.json()["error"]["code"] == "payload_too_large"
    assert len(functions.events) == 1


def test_function_status_headers_and_base64_body_are_returned(
    gateway: str, functions: RecordingFunctions
) -> None:
    functions.result = {
        "statusCode": 201,
        "headers": {"Content-Type": "application/json", "X-Extra": "1"},
        "multiValueHeaders": {"Set-Thing": ["a", "b"]},
        "body": "eyJvayI6IHRydWV9",
        "isBase64Encoded": True,
    }
    response = requests.get(f"{gateway}/health", timeout=5)
    assert response.status_code == 201
    assert response.json() == {"ok": True}
    assert response.headers["X-Extra"] == "1"
    assert response.headers["Set-Thing"] == "a, b"
    assert response.headers["x-amzn-RequestId"]


def test_gateway_errors_are_in_hindi_for_hindi_clients(gateway: str) -> None:
    response = requests.get(f"{gateway}/nowhere", headers={"Accept-Language": "hi-IN,hi;q=0.9"}, timeout=5)
    body = json.loads(response.text)
    assert response.status_code == 404
    assert body["error"]["message"] == "ऐसा कोई मार्ग नहीं है।"
