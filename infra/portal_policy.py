"""What the portal's pages are allowed to do, declared once for both places that serve it: the
security headers CloudFront adds (``infra/constructs/portal.py``) and the local gateway
(``local/portal.py``). The page loads only its own files; it talks only to the API, Cognito and
the documents bucket (presigned uploads); nothing may frame it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

# Under this path the portal is served, locally and from CloudFront (web/vite.config.js `base`).
PORTAL_PATH = "/app/"

# Hashed build output (web/dist/assets): cached for a year, never revalidated. index.html and
# config.json: always revalidated, so a deployment or a new config is seen at once.
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

# What a file of the build is served as, by its extension.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}

PERMISSIONS_POLICY = "geolocation=(self), microphone=(), payment=(), usb=()"
REFERRER_POLICY = "strict-origin-when-cross-origin"


def content_security_policy(connect_to: Iterable[str], *, https_only: bool) -> str:
    """The Content-Security-Policy of the portal: scripts, styles, fonts and images from its own
    origin (and ``data:`` images: the QR code), connections to itself and ``connect_to`` (origins:
    the API, Cognito, the documents bucket). ``https_only`` adds upgrade-insecure-requests (CloudFront)."""
    directives = [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src " + " ".join(["'self'", *connect_to]),
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
    if https_only:
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives)


def cache_control(relative_path: str) -> str:
    """The Cache-Control of a file of the build (``assets/index-abc.js``, ``index.html``)."""
    return IMMUTABLE_CACHE if relative_path.startswith("assets/") else NO_CACHE


def content_type(relative_path: str) -> str:
    return CONTENT_TYPES.get(PurePosixPath(relative_path).suffix, "application/octet-stream")


def portal_config(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """``config.json`` for a stack's outputs (the local stack's or a deployed one's): where the
    API and the Cognito user pool are; locally, the emulator that answers for Cognito."""
    pool_id = str(outputs["UserPoolId"])
    cognito = {
        "region": str(outputs.get("Region") or pool_id.split("_")[0]),
        "userPoolId": pool_id,
        "clientId": str(outputs["UserPoolClientId"]),
    }
    if outputs.get("AwsEndpointUrl"):
        cognito["endpoint"] = str(outputs["AwsEndpointUrl"]).rstrip("/") + "/"
    return {"apiUrl": str(outputs["ApiUrl"]).rstrip("/"), "cognito": cognito, "languages": ["hi", "en"]}
