"""Absolute URLs of this API, as the client reached it: for links that leave the API (the public
card's URL, printed as a QR code on a professional's ID card).

API Gateway tells the function its own host (``requestContext.domainName``) and the path as the
client sent it (``requestContext.path``: with the stage on the execute-api endpoint, with a base
path behind a custom domain), and the scheme in ``X-Forwarded-Proto``. The URL is built from
those, never from configuration: a deployed stack cannot know its API's URL when its functions
are created (the API depends on them). Without a host (a direct invocation) the path alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name and value:
            return str(value)
    return None


def public_url(event: Mapping[str, Any], path: str) -> str:
    """The absolute URL of ``path`` (a route's path, ``/professionals/pro_1/card``) on the API
    that received ``event``."""
    context = event.get("requestContext") or {}
    headers = event.get("headers")
    host = context.get("domainName") or _header(headers, "host")
    if not host:
        return path
    scheme = _header(headers, "x-forwarded-proto") or "https"
    # The base path: what precedes the route's path in the path the client sent ("/dev").
    requested, routed = str(context.get("path") or ""), str(event.get("path") or "")
    base = requested[: -len(routed)] if routed and requested.endswith(routed) else ""
    return f"{scheme}://{host}{base.rstrip('/')}{path}"
