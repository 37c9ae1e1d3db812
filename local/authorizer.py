"""The REST API's Cognito user pool authorizer, as the local gateway applies it: an ID token is
verified against the pool's keys on the emulator, and only what is wrong with the token is a 401.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

import jwt

log = logging.getLogger("local.gateway")


class InvalidToken(Exception):
    """The bearer token is missing, malformed, badly signed, expired or not for this client."""


class KeysUnavailable(Exception):
    """The user pool's JWKS could not be fetched."""


class TokenVerifier(Protocol):
    def verify(self, token: str) -> dict[str, Any]: ...


class CognitoVerifier:
    """Verifies Cognito ID tokens as the REST API's Cognito authorizer does: RS256 signature
    against the pool's JWKS, ``exp``, ``iss`` (the pool), ``aud`` (the app client) and
    ``token_use == "id"``.

    Only what is wrong with the token is ``InvalidToken`` (401). Failing to get the pool's keys
    (unreachable, slow, an answer that is not a key set) is the server's problem: the fetch is
    tried ``KEY_FETCH_ATTEMPTS`` times, then ``KeysUnavailable`` (503). ``iat`` and ``nbf`` may be
    up to ``CLOCK_SKEW_S`` ahead of this clock (the issuer's clock may run ahead of ours; a token
    issued a moment ago must verify); ``exp`` is checked strictly."""

    KEY_FETCH_ATTEMPTS = 2
    KEY_FETCH_PAUSE_S = 0.2
    CLOCK_SKEW_S = 60

    def __init__(self, jwks_url: str, issuer: str, audience: str) -> None:
        self.issuer = issuer
        self.audience = audience
        self._keys = jwt.PyJWKClient(jwks_url, cache_keys=False, lifespan=3600, timeout=5)

    def _signing_keys(self) -> list[jwt.PyJWK]:
        for attempt in range(1, self.KEY_FETCH_ATTEMPTS + 1):
            try:
                return self._keys.get_signing_keys()
            except (jwt.PyJWKClientError, jwt.PyJWKSetError, OSError, ValueError) as exc:
                if attempt == self.KEY_FETCH_ATTEMPTS:
                    raise KeysUnavailable(str(exc)) from exc
                log.warning("user pool keys not fetched (attempt %d): %s", attempt, exc)
                time.sleep(self.KEY_FETCH_PAUSE_S)
        raise AssertionError("unreachable")

    def verify(self, token: str) -> dict[str, Any]:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.InvalidTokenError as exc:
            raise InvalidToken(str(exc)) from exc
        key = next((k for k in self._signing_keys() if k.key_id == kid), None)
        if key is None:
            raise InvalidToken("no key of the user pool signed this token")
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self.audience,
                issuer=self.issuer,
                options={
                    "require": ["exp", "iss", "aud", "sub", "token_use"],
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.InvalidTokenError as exc:
            raise InvalidToken(str(exc)) from exc
        ahead = time.time() + self.CLOCK_SKEW_S
        for claim in ("iat", "nbf"):
            if claim in payload and not _number_at_most(payload[claim], ahead):
                raise InvalidToken(f"{claim} is not a time before now")
        if payload.get("token_use") != "id":
            raise InvalidToken("not an ID token")
        return payload


def _number_at_most(value: Any, limit: float) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value <= limit


def cognito_verifier(endpoint_url: str, region: str, user_pool_id: str, client_id: str) -> CognitoVerifier:
    """The verifier for a user pool on the local emulator: keys from the emulator, issuer as AWS
    writes it (moto signs tokens with the AWS issuer URL)."""
    return CognitoVerifier(
        jwks_url=f"{endpoint_url.rstrip('/')}/{user_pool_id}/.well-known/jwks.json",
        issuer=f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}",
        audience=client_id,
    )
