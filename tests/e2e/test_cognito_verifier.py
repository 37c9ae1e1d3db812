"""The local gateway's Cognito verifier answers 401 only for what is wrong with the token: a key set
that could not be fetched once (slow or busy emulator) is fetched again, one that never comes or
is not a key set is the server's problem (503), and a token issued "a moment ago" by a clock a
second ahead of ours verifies."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from local.authorizer import CognitoVerifier, InvalidToken, KeysUnavailable

ISSUER = "https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_test"
CLIENT = "client-1"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
JWKS = {"keys": [{**PUBLIC, "kid": "k1", "use": "sig"}]}


class KeyServer:
    """Serves the JWKS, after answering each of ``failures`` (status, body) first."""

    def __init__(self) -> None:
        self.failures: list[tuple[int, bytes]] = []
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                status, body = server.failures.pop(0) if server.failures else (200, json.dumps(JWKS).encode())
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/pool/.well-known/jwks.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def keys() -> Iterator[KeyServer]:
    server = KeyServer()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def token(**claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": CLIENT, "sub": "s-1", "token_use": "id", "iat": now, "exp": now + 3600}
    return jwt.encode({**payload, **claims}, KEY, algorithm="RS256", headers={"kid": "k1"})


def verifier(keys: KeyServer) -> CognitoVerifier:
    return CognitoVerifier(keys.url, ISSUER, CLIENT)


def test_a_key_fetch_that_fails_once_is_tried_again_and_the_token_verifies(keys: KeyServer):
    keys.failures = [(503, b"busy")]
    assert verifier(keys).verify(token())["sub"] == "s-1"
    assert keys.requests == 2


def test_an_answer_that_is_not_a_key_set_is_the_servers_problem_not_the_tokens(keys: KeyServer):
    keys.failures = [(200, b"{}"), (200, b'{"keys": []}')]
    with pytest.raises(KeysUnavailable):
        verifier(keys).verify(token())
    # and the next request, once the keys come, verifies (nothing bad was cached)
    check = verifier(keys)
    keys.failures = [(200, b"<html>")]
    assert check.verify(token())["sub"] == "s-1"


def test_a_token_issued_by_a_clock_a_second_ahead_verifies(keys: KeyServer):
    ahead = int(time.time()) + 2
    assert verifier(keys).verify(token(iat=ahead, auth_time=ahead))["sub"] == "s-1"


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"exp": int(time.time()) - 1}, id="expired"),
        pytest.param({"iat": int(time.time()) + 3600}, id="issued an hour ahead"),
        pytest.param({"aud": "another-client"}, id="another client"),
        pytest.param({"token_use": "access"}, id="access token"),
    ],
)
def test_what_is_wrong_with_the_token_is_still_401(keys: KeyServer, claims: dict[str, Any]):
    with pytest.raises(InvalidToken):
        verifier(keys).verify(token(**claims))


def test_a_token_signed_by_an_unknown_key_is_401(keys: KeyServer):
    other = jwt.encode(
        {"iss": ISSUER, "aud": CLIENT, "sub": "s", "token_use": "id", "exp": int(time.time()) + 60},
        KEY,
        algorithm="RS256",
        headers={"kid": "forged"},
    )
    with pytest.raises(InvalidToken):
        verifier(keys).verify(other)
    with pytest.raises(InvalidToken):
        verifier(keys).verify("not.a.token")
