"""The foundation's acceptance over HTTP: public routes, the Cognito authorizer, the error shape."""

from __future__ import annotations

import gzip
import json
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
import moto.cognitoidp
import pytest

from local.client.police import read_police_key
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e

API_OUTPUT_KEYS = {"ApiUrl", "UserPoolId", "UserPoolClientId", "DocumentsBucket", "PoliceSecretArn"}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert isinstance(error["details"], list)
    return dict(error)


def test_health_is_ok(stack: Stack) -> None:
    response = stack.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_services_lists_the_whole_rate_card_with_integer_paise(stack: Stack) -> None:
    services = stack.get("/services").json()["services"]
    assert len(services) >= 25
    for service in services:
        assert type(service["fee_paise"]) is int
        assert service["fee_paise"] > 0
        assert service["name"]["en"]
        assert service["name"]["hi"]


def test_services_q_plumb_returns_only_plumbers(stack: Stack) -> None:
    services = stack.get("/services", params={"q": "plumb"}).json()["services"]
    assert services
    assert {s["category"] for s in services} == {"plumber"}


def test_services_q_in_hindi_returns_only_electricians(stack: Stack) -> None:
    # requests percent-encodes the UTF-8 bytes, as curl --data-urlencode does.
    response = stack.get("/services", params={"q": "बिजली"})
    assert "%E0%A4%AC" in response.request.url  # sent URL-encoded
    services = response.json()["services"]
    assert services
    assert {s["category"] for s in services} == {"electrician"}


def test_services_query_longer_than_allowed_is_422_in_error_shape(stack: Stack) -> None:
    assert_error(stack.get("/services", params={"q": "x" * 500}), 422, "validation_error")


def test_openapi_document_is_openapi_3_and_describes_services(stack: Stack) -> None:
    document = stack.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "get" in document["paths"]["/services"]
    assert document["paths"]["/me"]["get"]["security"] == [{"cognito": []}]


def test_me_without_token_is_401_in_error_shape(stack: Stack) -> None:
    assert_error(stack.get("/me"), 401, "unauthorized")


def test_me_without_token_in_hindi_has_hindi_message(stack: Stack) -> None:
    error = assert_error(stack.get("/me", headers={"Accept-Language": "hi"}), 401, "unauthorized")
    assert any("\u0900" <= ch <= "\u097f" for ch in error["message"])  # Devanagari


@pytest.mark.parametrize(
    "authorization", ["Bearer not-a-jwt", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "Bearer "]
)
def test_me_with_garbage_authorization_is_401(stack: Stack, authorization: str) -> None:
    assert_error(stack.get("/me", headers={"Authorization": authorization}), 401, "unauthorized")


def test_me_with_an_access_token_instead_of_an_id_token_is_401(stack: Stack) -> None:
    access_token = stack.cognito.sign_in(*stack.demo_credentials("citizen"))["AccessToken"]
    assert_error(stack.get("/me", headers={"Authorization": f"Bearer {access_token}"}), 401, "unauthorized")


def test_me_with_officer_id_token_returns_its_sub_and_officer_role(stack: Stack) -> None:
    token = stack.demo_token("officer")
    response = stack.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["sub"] == jwt.decode(token, options={"verify_signature": False})["sub"]
    assert "officers" in body["roles"]
    assert "citizen" in body["roles"]


@pytest.mark.parametrize(("role", "staff_group"), [("citizen", None), ("employer", "employers")])
def test_demo_accounts_sign_in_with_their_roles(stack: Stack, role: str, staff_group: str | None) -> None:
    token = stack.demo_token(role)
    roles = stack.get("/me", headers={"Authorization": f"Bearer {token}"}).json()["roles"]
    assert set(roles) == {"citizen", *([staff_group] if staff_group else [])}


def test_self_signed_up_citizen_is_a_plain_citizen(stack: Stack) -> None:
    token = str(stack.signed_up().token)
    response = stack.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.json()["roles"] == ["citizen"]
    assert response.json()["sub"] == jwt.decode(token, options={"verify_signature": False})["sub"]


# --- tokens forged with the emulator's signing key: local only ---------------------------------


def _emulator_signing_key() -> Any:
    path = Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-private.json.gz"
    return jwt.PyJWK(json.loads(gzip.decompress(path.read_bytes()))).key


def _resigned(token: str, **changes: Any) -> str:
    """The token's claims with ``changes`` applied, signed with the key the emulator's pool uses."""
    claims = {**jwt.decode(token, options={"verify_signature": False}), **changes}
    return jwt.encode(claims, _emulator_signing_key(), algorithm="RS256", headers={"kid": "dummy"})


def test_resigned_token_with_unchanged_claims_is_accepted(local_only: Stack) -> None:
    """The control for the forged-token tests below: only the changed claim makes them fail."""
    token = _resigned(local_only.demo_token("citizen"))
    assert local_only.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"exp": int(time.time()) - 60}, id="expired"),
        pytest.param({"aud": "some-other-app-client"}, id="wrong-audience"),
        pytest.param(
            {"iss": "https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_other"}, id="wrong-issuer"
        ),
        pytest.param({"token_use": "access"}, id="not-an-id-token"),
    ],
)
def test_me_with_a_token_failing_one_check_is_401(local_only: Stack, changes: dict[str, Any]) -> None:
    token = _resigned(local_only.demo_token("citizen"), **changes)
    assert_error(local_only.get("/me", headers={"Authorization": f"Bearer {token}"}), 401, "unauthorized")


def test_me_with_a_token_signed_by_another_key_is_401(local_only: Stack) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    claims = jwt.decode(local_only.demo_token("officer"), options={"verify_signature": False})
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": "dummy"})
    assert_error(local_only.get("/me", headers={"Authorization": f"Bearer {token}"}), 401, "unauthorized")


# --- gateway behaviour ---------------------------------------------------------------------------


def test_unknown_path_is_404_in_error_shape(local_only: Stack) -> None:
    # API Gateway itself answers 403 "Missing Authentication Token" (docs/decisions.md).
    assert_error(local_only.get("/no-such-route"), 404, "route_not_found")


def test_wrong_method_on_a_known_path_is_405_in_error_shape(local_only: Stack) -> None:
    response = local_only.request("DELETE", "/services")
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET"


def test_body_over_64_kib_is_413_in_error_shape(stack: Stack) -> None:
    # A public route: on a deployed stack too the body reaches the function without a token.
    response = stack.request("GET", "/health", data=b"{" + b" " * (64 * 1024 + 1) + b"}")
    assert_error(response, 413, "payload_too_large")


def test_a_body_within_the_limit_reaches_the_function(stack: Stack) -> None:
    response = stack.request("GET", "/health", data=b'{"x": 1}', headers={"Content-Type": "application/json"})
    assert response.status_code == 200


# --- the stack's outputs ---------------------------------------------------------------------------


def test_outputs_have_the_api_md_keys(stack: Stack) -> None:
    assert set(stack.outputs) >= API_OUTPUT_KEYS
    assert stack.outputs["PoliceSecretArn"].startswith("arn:aws:secretsmanager:")


def test_police_key_in_local_outputs_is_the_provisioned_secret(local_only: Stack) -> None:
    # Read from the emulator's Secrets Manager, as a police system reads it.
    assert read_police_key(local_only.outputs) == local_only.outputs["PoliceSecretValue"].encode()


def test_access_log_has_method_path_status_and_no_query(stack: Stack, server_log: Path) -> None:
    stack.get("/services", params={"q": "234123412346"})
    time.sleep(0.2)
    lines = [line for line in server_log.read_text().splitlines() if "local.gateway" in line]
    assert any("GET /services 200" in line and line.endswith("ms") for line in lines)
    assert not any("234123412346" in line for line in lines)


def test_no_raw_aadhaar_from_a_request_reaches_the_server_log(local_only: Stack, server_log: Path) -> None:
    """http.server's own lines quote the request line; the access line shows the path; both, and
    every other line of the local stack, go through the PII redactor (issue 13, item 9)."""
    aadhaar = "281234567893"
    api = urlsplit(local_only.api_url)
    requests_sent = [
        f"GET /bans/check?aadhaar={aadhaar} extra HTTP/1.1\r\n\r\n",  # 400, bad request line
        f"FETCH /bans/check?aadhaar={aadhaar} HTTP/1.1\r\nHost: x\r\n\r\n",  # 501, unknown method
        f"GET /bans/check?aadhaar={aadhaar} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",  # 401
        f"GET /nowhere/{aadhaar} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",  # 404
    ]
    for raw in requests_sent:
        with socket.create_connection((str(api.hostname), int(api.port or 80)), timeout=5) as connection:
            connection.sendall(raw.encode())
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 4") or answer.startswith(b"HTTP/1.1 501"), answer
        assert aadhaar.encode() not in answer
    time.sleep(0.3)
    log = server_log.read_text()
    assert "http: code 400" in log  # http.server's own line is written, redacted
    assert aadhaar not in log
