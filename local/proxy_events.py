"""API Gateway REST proxy events, built as AWS builds them: used by the local gateway and tests."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

from sevamitra.edge.routes import ROUTES, Route

_PARAM = re.compile(r"\{([a-zA-Z_]+)\}")


def _route_pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + _PARAM.sub(r"(?P<\1>[^/]+)", path) + "$")


_COMPILED = [(route, _route_pattern(route.path)) for route in ROUTES]


def match_route(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The declared route for ``method path`` and its path parameters; literal paths win."""
    candidates = []
    for route, pattern in _COMPILED:
        found = pattern.match(path)
        if found and route.method == method:
            candidates.append((route.path.count("{"), route, found.groupdict()))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0])
    return candidates[0][1], candidates[0][2]


def path_exists(path: str) -> bool:
    return any(pattern.match(path) for _, pattern in _COMPILED)


def claims_from_token_payload(payload: dict[str, Any]) -> dict[str, str]:
    """ID token claims as the REST API Cognito authorizer passes them: every value a string,
    ``cognito:groups`` joined with commas."""
    claims: dict[str, str] = {}
    for key, value in payload.items():
        if isinstance(value, list):
            claims[key] = ",".join(str(v) for v in value)
        else:
            claims[key] = str(value)
    return claims


def rest_event(
    method: str,
    path: str,
    *,
    body: str | bytes | dict | list | None = None,
    query: str | dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    claims: dict[str, Any] | None = None,
    stage: str = "local",
) -> dict[str, Any]:
    """A REST API proxy event for ``method path``. ``path`` must match a declared route."""
    matched = match_route(method, path)
    resource, path_params = (matched[0].path, matched[1]) if matched else (path, {})
    if isinstance(body, dict | list):
        body = json.dumps(body)
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    headers = {"Content-Type": "application/json", **(headers or {})}
    if isinstance(query, str):
        multi = parse_qs(query, keep_blank_values=True)
    else:
        multi = {k: [v] for k, v in (query or {}).items()}
    authorizer = {"claims": claims_from_token_payload(claims)} if claims is not None else None
    now = time.time()
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": {k: v[-1] for k, v in multi.items()} or None,
        "multiValueQueryStringParameters": multi or None,
        "pathParameters": path_params or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": f"/{stage}{path}",
            "stage": stage,
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(now * 1000),
            "identity": {"sourceIp": "127.0.0.1", "userAgent": headers.get("User-Agent", "local")},
            **({"authorizer": authorizer} if authorizer else {}),
        },
        "body": body,
        "isBase64Encoded": False,
    }
