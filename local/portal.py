"""The web portal as ``make dev`` serves it, at ``/app/`` on the gateway's own origin: the built
files of ``web/dist`` (``make web``), ``config.json`` made from the stack's outputs, and, for any
other path under ``/app/`` without a file extension, ``index.html`` (the portal's own routes).
Headers as CloudFront sends them in AWS: the same Content-Security-Policy and security headers
(``infra/portal_policy.py``), a year's cache for hashed assets, no-cache for the rest."""

from __future__ import annotations

import gzip
import json
from http import HTTPStatus
from pathlib import Path, PurePosixPath
from typing import Any

from infra import portal_policy
from local.paths import ROOT

DIST = ROOT / "web" / "dist"
TEXT = portal_policy.CONTENT_TYPES[".txt"]
NOT_BUILT = "The portal is not built: run `make web` (npm ci and vite build in web/), then reload.\n"

Answer = tuple[int, bytes, list[tuple[str, str]]]
# Compressed when the browser accepts it, as CloudFront does (compress=True): text, not images.
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".webmanifest")


class PortalSite:
    """Answers GET and HEAD under ``/app/``: (status, body, headers)."""

    def __init__(
        self, config: dict[str, Any], *, root: Path = DIST, connect_to: tuple[str, ...] = ()
    ) -> None:
        self.root = root.resolve()
        self.config_body = json.dumps(config, ensure_ascii=False).encode()
        self.headers = [
            ("Content-Security-Policy", portal_policy.content_security_policy(connect_to, https_only=False)),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", portal_policy.REFERRER_POLICY),
            ("Permissions-Policy", portal_policy.PERMISSIONS_POLICY),
        ]

    @staticmethod
    def serves(path: str) -> bool:
        return path == portal_policy.PORTAL_PATH.rstrip("/") or path.startswith(portal_policy.PORTAL_PATH)

    def respond(self, method: str, path: str, accept_encoding: str = "") -> Answer:
        status, body, headers = self._answer(method, path)
        compressible = path.endswith(COMPRESSIBLE) or dict(headers).get("Content-Type", "").startswith(
            "text/html"
        )
        if status == HTTPStatus.OK and compressible and "gzip" in accept_encoding.lower():
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers = [*headers, ("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        return status, body, [*headers, *self.headers]

    def _answer(self, method: str, path: str) -> Answer:
        if method not in ("GET", "HEAD"):
            return HTTPStatus.METHOD_NOT_ALLOWED, b"", [("Allow", "GET, HEAD")]
        if path == portal_policy.PORTAL_PATH.rstrip("/"):
            return HTTPStatus.MOVED_PERMANENTLY, b"", [("Location", portal_policy.PORTAL_PATH)]
        relative = path[len(portal_policy.PORTAL_PATH) :]
        if relative == "config.json":
            return self._file(self.config_body, "config.json")
        if not (self.root / "index.html").is_file():
            return HTTPStatus.SERVICE_UNAVAILABLE, NOT_BUILT.encode(), [("Content-Type", TEXT)]
        target = self._inside(relative)
        if target is not None and target.is_file():
            return self._file(target.read_bytes(), relative or "index.html")
        if PurePosixPath(relative).suffix:
            return HTTPStatus.NOT_FOUND, b"Not found\n", [("Content-Type", TEXT)]
        # A route of the portal itself (/app/bookings/123): the page that knows it.
        return self._file((self.root / "index.html").read_bytes(), "index.html")

    def _inside(self, relative: str) -> Path | None:
        """The file ``relative`` names under the root (``index.html`` for the root), or None when
        the path would leave it."""
        candidate = (self.root / (relative or "index.html")).resolve()
        return candidate if candidate.is_relative_to(self.root) else None

    @staticmethod
    def _file(body: bytes, relative: str) -> Answer:
        headers = [
            ("Content-Type", portal_policy.content_type(relative)),
            ("Cache-Control", portal_policy.cache_control(relative)),
        ]
        return HTTPStatus.OK, body, headers
