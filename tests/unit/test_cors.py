"""Browser clients: responses carry CORS headers for the configured origins only."""

from __future__ import annotations

import json

from local.proxy_events import rest_event
from sevamitra.edge.api import SevaResolver, _cors


def _app(origins: list[str]) -> SevaResolver:
    app = SevaResolver(enable_validation=True, cors=_cors(origins))

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    return app


def _get(app: SevaResolver, origin: str) -> dict:
    return app.resolve(rest_event("GET", "/health", headers={"Origin": origin}), {})


def test_configured_origin_is_allowed_with_the_headers_clients_send() -> None:
    response = _get(_app(["https://portal.example.in", "https://app.example.in"]), "https://app.example.in")
    headers = response.get("multiValueHeaders") or {}
    flat = {k: v[0] for k, v in headers.items()} | (response.get("headers") or {})
    assert json.loads(response["body"]) == {"status": "ok"}
    assert flat["Access-Control-Allow-Origin"] == "https://app.example.in"
    assert "Idempotency-Key" in flat["Access-Control-Allow-Headers"]


def test_other_origins_get_no_cors_headers() -> None:
    response = _get(_app(["https://portal.example.in"]), "https://evil.example.com")
    headers = {**(response.get("headers") or {}), **(response.get("multiValueHeaders") or {})}
    assert "Access-Control-Allow-Origin" not in headers


def test_without_configured_origins_there_is_no_cors() -> None:
    assert _cors([]) is None
