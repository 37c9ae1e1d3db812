"""What the portal's pages are allowed to do, declared once for both places that serve it: the
security headers CloudFront adds (``infra/constructs/portal.py``) and the local gateway
(``local/portal.py``). The page loads only its own files; it talks only to the API, Cognito and
the documents bucket (presigned uploads); nothing may frame it."""

from __future__ import annotations

from collections.abc import Iterable

# Under this path the portal is served, locally and from CloudFront (web/vite.config.js `base`).
PORTAL_PATH = "/app/"

# Hashed build output (web/dist/assets): cached for a year, never revalidated. index.html and
# config.json: always revalidated, so a deployment or a new config is seen at once.
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

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
