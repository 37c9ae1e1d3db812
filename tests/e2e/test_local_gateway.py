"""The API Gateway emulation on its own, over HTTP, with a fake authorizer and fake functions:
what reaches a handler, and what a client sees when a handler misbehaves."""

from __future__ import annotations

import http.client
import json
import logging
import select
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from local.authorizer import InvalidToken, KeysUnavailable
from local.client.launch import free_port
from local.gateway import Gateway
from sevamitra.edge.errors import message_for
from sevamitra.edge.routes import Function

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


# --- http.server's own lines, and a body that never arrives (issue 13, item 9) --------------------

AADHAAR = "276543219876"  # Aadhaar-shaped: a client may put one in a query string
SHORT_TIMEOUT_S = 1.0


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return str(parts.hostname), int(parts.port or 80)


def _exchange(url: str, raw: bytes, timeout_s: float = 5) -> bytes:
    """Send ``raw`` on a fresh connection and read until the server closes it."""
    with socket.create_connection(_address(url), timeout=timeout_s) as connection:
        connection.sendall(raw)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
        return received


def _status_line_and_error(response: bytes) -> tuple[bytes, dict[str, Any]]:
    head, _, body = response.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0], json.loads(body)["error"]


@pytest.mark.parametrize(
    ("request_line", "status_line", "code", "language"),
    [
        # Refused before its headers are read: Accept-Language is not known yet.
        (
            f"GET /bans/check?aadhaar={AADHAAR} extra HTTP/1.1",
            b"HTTP/1.1 400 Bad Request",
            "bad_request",
            "en",
        ),
        (
            f"FETCH /bans/check?aadhaar={AADHAAR} HTTP/1.1",
            b"HTTP/1.1 501 Not Implemented",
            "method_not_allowed",
            "hi",
        ),
    ],
    ids=["bad-request-line", "unknown-method"],
)
def test_http_servers_own_refusals_echo_no_aadhaar_in_status_line_body_or_log(
    gateway: str,
    caplog: pytest.LogCaptureFixture,
    request_line: str,
    status_line: bytes,
    code: str,
    language: str,
) -> None:
    with caplog.at_level(logging.INFO, logger="local.gateway"):
        response = _exchange(gateway, f"{request_line}\r\nHost: x\r\nAccept-Language: hi\r\n\r\n".encode())

    assert AADHAAR.encode() not in response
    line, error = _status_line_and_error(response)
    assert line == status_line
    assert error["code"] == code
    assert error["message"] == message_for(code, language)
    logged = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("http: code") for m in logged), logged
    assert not any(AADHAAR in m for m in logged), logged


@pytest.fixture
def impatient_gateway(functions: RecordingFunctions, verifier: FakeVerifier) -> Iterator[str]:
    server = Gateway(verifier, port=free_port(), invoke=functions, request_timeout_s=SHORT_TIMEOUT_S)
    server.start()
    yield server.url
    server.stop()


def _slow_request(url: str, head: bytes, trickle: bytes = b"", every_s: float = 0.0) -> tuple[bytes, float]:
    """Send ``head``, then ``trickle`` a byte every ``every_s`` until the server answers; then
    read until it closes: (everything received, seconds taken)."""
    started = time.monotonic()
    with socket.create_connection(_address(url), timeout=10) as connection:
        connection.sendall(head)
        for byte in trickle:
            answered, _, _ = select.select([connection], [], [], every_s)
            if answered:
                break
            connection.sendall(bytes([byte]))
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except ConnectionResetError:  # closed with trickled bytes unread: what came first stands
            pass
    return received, time.monotonic() - started


BOOKING_HEAD = b"POST /bookings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"


@pytest.mark.parametrize(
    ("head", "trickle"),
    [
        (BOOKING_HEAD + b"Content-Length: 50000\r\n\r\n{}", b""),  # 2 of 50,000 bytes, then silence
        (BOOKING_HEAD + b"Content-Length: 50000\r\n\r\n", b"{" + b" " * 99),  # a byte every 50 ms, 5 s
        (BOOKING_HEAD + b"Transfer-Encoding: chunked\r\n\r\n10\r\n{}", b""),  # half a chunk
    ],
    ids=["never-arrives", "trickles", "chunked"],
)
def test_a_body_that_does_not_arrive_in_time_is_408_while_other_requests_are_served(
    impatient_gateway: str, functions: RecordingFunctions, head: bytes, trickle: bytes
) -> None:
    outcome: list[tuple[bytes, float]] = []
    slow = threading.Thread(
        target=lambda: outcome.append(_slow_request(impatient_gateway, head, trickle, every_s=0.05))
    )
    slow.start()
    time.sleep(0.1)
    health = requests.get(f"{impatient_gateway}/health", timeout=5)  # served while the slow one waits
    assert health.status_code == 200
    assert slow.is_alive()
    slow.join(timeout=10)

    response, took = outcome[0]
    line, error = _status_line_and_error(response)
    assert line == b"HTTP/1.1 408 Request Timeout"
    assert error["code"] == "request_timeout"
    assert SHORT_TIMEOUT_S <= took < SHORT_TIMEOUT_S + 2
    assert [e["path"] for e in functions.events] == ["/health"]  # the cut request reached no function


def test_a_request_whose_headers_never_end_is_closed_within_the_timeout(impatient_gateway: str) -> None:
    received, took = _slow_request(impatient_gateway, b"GET /health HTTP/1.1\r\nHost: x\r\n")
    assert received == b""
    assert took < SHORT_TIMEOUT_S + 2
