"""The resolver factory every function uses, and the one place errors become HTTP responses."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from pydantic import ValidationError

from sevamitra.edge.errors import FIELD_ERROR_CODES, DomainError, error_body, field_message
from sevamitra.edge.routes import ROUTES, Auth
from sevamitra.platform.observability import logger
from sevamitra.platform.settings import settings

# API Gateway allows 10 MB; no Seva Mitra request needs more than a few KiB.
MAX_BODY_BYTES = 64 * 1024

# json.loads recurses once per level of nesting: a 2 KB body of 1,000 nested arrays exhausts the
# interpreter's stack (RecursionError) before any validation runs. No request nests deeper than a
# few levels; anything past this is refused before parsing.
MAX_JSON_DEPTH = 32

# A JSON string literal, escapes included (an unterminated one runs to the end: a parser stops
# there too). Unrolled so that matching is linear in the body's length.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = frozenset(b"[{")

_JSON_HEADERS = {"Content-Type": content_types.APPLICATION_JSON}
_COGNITO_ROUTES = frozenset((route.method, route.path) for route in ROUTES if route.auth is Auth.COGNITO)


def language_of(headers: dict[str, str] | None) -> str:
    """``hi`` when the client prefers Hindi (``Accept-Language: hi`` or ``hi-IN,...``), else ``en``."""
    for name, value in (headers or {}).items():
        if name.lower() == "accept-language" and value:
            first = value.split(",")[0].strip().lower()
            return "hi" if first.startswith("hi") else "en"
    return "en"


def proxy_error(status: int, code: str, headers: dict[str, str] | None, message: str | None = None) -> dict:
    """An API Gateway proxy response in the error shape, for errors raised before routing."""
    return {
        "statusCode": status,
        "headers": dict(_JSON_HEADERS),
        "body": json.dumps(error_body(code, language_of(headers), message), ensure_ascii=False),
        "isBase64Encoded": False,
    }


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a JSON parser could nest deeper than ``limit`` arrays/objects in ``body``.

    One linear pass, nothing parsed: string literals (with their escaped quotes) are dropped,
    then the remaining brackets are counted. Works on UTF-8 bytes as they are: no multi-byte
    character contains an ASCII byte. Stray closing brackets may lower the count, but a parser
    stops at the first one, so the count never falls below the depth a parser reaches."""
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        if byte in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def raw_body(event: Mapping[str, Any]) -> bytes:
    """The request body as the client sent it (API Gateway base64-encodes binary media types):
    what a signature over the body is checked against."""
    body = event.get("body") or ""
    raw = body.encode() if isinstance(body, str) else bytes(body)
    return base64.b64decode(raw) if event.get("isBase64Encoded") else raw


def header(event: Mapping[str, Any], name: str) -> str | None:
    """A request header by name, whatever its case (HTTP header names are case-insensitive)."""
    wanted = name.lower()
    return next(
        (str(value) for key, value in (event.get("headers") or {}).items() if key.lower() == wanted), None
    )


def _unparseable(event: Mapping[str, Any]) -> bool:
    """A body no route may hand to the JSON parser: nested past ``MAX_JSON_DEPTH``, or marked
    base64 but not base64."""
    try:
        return json_too_deep(raw_body(event))
    except binascii.Error:
        return True


def _field_errors(errors: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Pydantic errors as API.md details: each with ``loc`` and ``msg``, in the caller's language
    (no input echoed back: it may hold an Aadhaar number)."""
    return [
        {
            "loc": list(e.get("loc", ())),
            "msg": field_message(str(e.get("type")), e.get("msg", "invalid value"), e.get("ctx"), language),
            "type": e.get("type"),
        }
        for e in errors
    ]


def _validation_code(errors: list[dict[str, Any]]) -> str:
    """The response's code: the most specific field error code present, else validation_error."""
    types = {e.get("type") for e in errors}
    return next((code for code in FIELD_ERROR_CODES if code in types), "validation_error")


def _requires_sign_in(event: Mapping[str, Any]) -> bool:
    return (str(event.get("httpMethod")), str(event.get("resource"))) in _COGNITO_ROUTES


def _has_claims(event: Mapping[str, Any]) -> bool:
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or {}
    return bool(claims.get("sub"))


BeforeRouting = Callable[[Mapping[str, Any]], None]


def _undeclared_query(app: APIGatewayRestResolver) -> list[dict[str, Any]]:
    """Field errors for the query parameters the matched route does not declare."""
    route = app.context.get("_route")
    if route is None:
        return []
    from aws_lambda_powertools.event_handler.openapi.dependant import get_flat_dependant

    declared = {param.alias for param in get_flat_dependant(route.dependant).query_params}
    return [
        {"type": "extra_forbidden", "loc": ("query", name), "msg": "Extra inputs are not permitted"}
        for name in sorted(set(app.current_event.query_string_parameters or {}) - declared)
    ]


def _only_declared_query(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response:
    """A query parameter the route does not declare is a 422 at that parameter, as an extra body
    field is: a misspelt ``statsu=accepted`` must not silently list everything. (A request the
    validation refuses for other reasons gets these errors with its own: ``_validation_error``.)"""
    unknown = _undeclared_query(app)
    if unknown:
        raise RequestValidationError(unknown)
    return next_middleware(app)


class SevaResolver(APIGatewayRestResolver):
    """Powertools REST resolver with request validation and API.md's error contract.

    ``before_routing`` sees the raw event before any parsing or validation, like an API Gateway
    authorizer would (the police signature is checked over the raw body there); a domain error
    it raises becomes the response. Before the body reaches the JSON parser, on every route,
    its nesting is limited to ``MAX_JSON_DEPTH`` (400 ``malformed_json``)."""

    def __init__(self, *args: Any, before_routing: BeforeRouting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._before_routing = before_routing

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        headers = event.get("headers")
        body = event.get("body") or ""
        if len(body.encode() if isinstance(body, str) else body) > MAX_BODY_BYTES:
            return proxy_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large", headers)
        if self._before_routing is not None:
            try:
                self._before_routing(event)
            except DomainError as exc:
                status = int(exc.status)
                log = logger.exception if status >= 500 else logger.info
                log("request refused before routing", extra={"error_code": exc.code, "status": status})
                return proxy_error(status, exc.code, headers, exc.message)
        if _requires_sign_in(event) and not _has_claims(event):
            # API Gateway's authorizer already refuses these; checking again here keeps the order
            # "who are you" before "what did you send" however the function is invoked.
            return proxy_error(HTTPStatus.UNAUTHORIZED, "unauthorized", headers)
        if _unparseable(event):
            logger.info("body nested too deep", extra={"error_code": "malformed_json", "status": 400})
            return proxy_error(HTTPStatus.BAD_REQUEST, "malformed_json", headers)
        return super().resolve(event, context)

    @property
    def language(self) -> str:
        return language_of(dict(self.current_event.headers or {}))

    def error(
        self,
        status: int,
        code: str,
        message: str | None = None,
        details: list | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        language = self.language
        return Response(
            status_code=status,
            content_type=content_types.APPLICATION_JSON,
            body=error_body(code, language, message, details),
            headers=headers or None,
        )


# Headers a browser client sends: the token, JSON, retries and the language of messages.
CORS_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "Accept-Language"]


def _cors(origins: list[str]) -> CORSConfig | None:
    """CORS headers on every response for the configured origins (API Gateway answers the
    preflight OPTIONS itself), or none."""
    if not origins:
        return None
    return CORSConfig(
        allow_origin=origins[0], extra_origins=origins[1:], allow_headers=CORS_HEADERS, max_age=3600
    )


def make_resolver(*, before_routing: BeforeRouting | None = None) -> SevaResolver:
    """A resolver with every domain exception mapped to its status, in one table for all functions."""
    app = SevaResolver(
        enable_validation=True, before_routing=before_routing, cors=_cors(settings().allowed_origins)
    )
    app.use(middlewares=[_only_declared_query])

    @app.exception_handler(DomainError)
    def _domain_error(exc: DomainError) -> Response:
        status = int(exc.status)
        log = logger.exception if status >= 500 else logger.info
        log("request failed", extra={"error_code": exc.code, "status": status})
        return app.error(status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    def _validation_error(exc: RequestValidationError) -> Response:
        errors = list(exc.errors())
        errors += [e for e in _undeclared_query(app) if e not in errors]
        types = {e.get("type") for e in errors}
        if "json_invalid" in types:
            return app.error(HTTPStatus.BAD_REQUEST, "malformed_json")
        if any(
            e.get("type") == "model_attributes_type" and tuple(e.get("loc", ())) == ("body",) for e in errors
        ):
            return app.error(HTTPStatus.BAD_REQUEST, "body_not_object")
        code = _validation_code(errors)
        logger.info(
            "request rejected", extra={"error_code": code, "fields": [list(e.get("loc", ())) for e in errors]}
        )
        return app.error(HTTPStatus.UNPROCESSABLE_ENTITY, code, details=_field_errors(errors, app.language))

    @app.exception_handler(ValidationError)
    def _domain_validation_error(exc: ValidationError) -> Response:
        # Raised when domain code validates something built from the request (not the body itself).
        errors = [dict(e) for e in exc.errors()]
        return app.error(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            _validation_code(errors),
            details=_field_errors(errors, app.language),
        )

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported_content_type(_: RequestUnsupportedContentType) -> Response:
        return app.error(HTTPStatus.BAD_REQUEST, "bad_request", "Send the body as application/json.")

    @app.not_found
    def _route_not_found(_: NotFoundError) -> Response:
        return app.error(HTTPStatus.NOT_FOUND, "route_not_found")

    @app.exception_handler(Exception)
    def _unexpected(exc: Exception) -> Response:
        logger.exception("unhandled error")
        return app.error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error")

    return app
