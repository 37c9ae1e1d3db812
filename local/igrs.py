"""A fake IGRS on loopback for the local stack and the tests: it speaks the contract in
docs/igrs.md and can call back.

- ``POST /grievances`` (signed with the IGRS key, ``Idempotency-Key``) -> 201
  ``{"igrs_reference"}``; the same key again gets the same reference.
- ``POST /grievances/<reference>/decision`` (signed) -> 200.
- ``GET /_fake/grievances``: what it received (tests and demos read it).
- ``POST /_fake/grievances/<reference>/status`` ``{"status", "remarks"?}``: it calls back the
  API's ``/igrs/callback``, signed, and answers with the callback's status and body.
- ``POST /_fake/outage`` ``{"failures": n}``: the next n IGRS requests answer 503.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sevamitra.edge import signing
from sevamitra.edge.errors import Unauthorized


class FakeIgrs:
    def __init__(self, key: bytes, *, host: str = "127.0.0.1", port: int = 0, api_url: str = "") -> None:
        self.key = key
        self.api_url = api_url
        self.grievances: dict[str, dict[str, Any]] = {}  # reference -> what we were sent
        self.by_idempotency_key: dict[str, str] = {}
        self.requests = 0
        self.failures_left = 0
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                if self.path == "/_fake/grievances":
                    with fake._lock:
                        self._send(200, {"grievances": list(fake.grievances.values())})
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, body = fake.handle(self.path, dict(self.headers), raw)
                self._send(status, body)

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def handle(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, Any]:
        if path.startswith("/_fake/"):
            return self._control(path, raw)
        header = next((v for k, v in headers.items() if k.lower() == signing.HEADER.lower()), None)
        try:
            signing.verify(header, raw, self.key, int(time.time()))
        except Unauthorized:
            return 401, {"error": "invalid_signature"}
        with self._lock:
            self.requests += 1
            if self.failures_left > 0:
                self.failures_left -= 1
                return 503, {"error": "unavailable"}
            body = json.loads(raw)
            if path == "/grievances":
                key = next((v for k, v in headers.items() if k.lower() == "idempotency-key"), "")
                reference = self.by_idempotency_key.get(key)
                if reference is None:
                    reference = f"IGRS-UP-{len(self.grievances) + 1:06d}"
                    self.by_idempotency_key[key] = reference
                    self.grievances[reference] = {"igrs_reference": reference, "grievance": body}
                return 201, {"igrs_reference": reference}
            parts = path.strip("/").split("/")
            if len(parts) == 3 and parts[0] == "grievances" and parts[2] == "decision":
                grievance = self.grievances.get(urllib.parse.unquote(parts[1]))
                if grievance is None:
                    return 404, {"error": "unknown_reference"}
                grievance["decision"] = body
                return 200, {"received": True}
        return 404, {"error": "not_found"}

    def _control(self, path: str, raw: bytes) -> tuple[int, Any]:
        body = json.loads(raw or b"{}")
        if path == "/_fake/outage":
            with self._lock:
                self.failures_left = int(body.get("failures", 1))
            return 200, {"failures": self.failures_left}
        parts = path.strip("/").split("/")
        if len(parts) == 4 and parts[1] == "grievances" and parts[3] == "status":
            return self.call_back(urllib.parse.unquote(parts[2]), body["status"], body.get("remarks"))
        return 404, {"error": "not_found"}

    def call_back(self, reference: str, status: str, remarks: str | None = None) -> tuple[int, Any]:
        """POST a signed callback to the API, as IGRS would; its status and body."""
        payload: dict[str, Any] = {"igrs_reference": reference, "status": status}
        if remarks is not None:
            payload["remarks"] = remarks
        raw = json.dumps(payload).encode()
        request = urllib.request.Request(  # noqa: S310  (the local API on loopback)
            f"{self.api_url}/igrs/callback",
            data=raw,
            method="POST",
            headers={
                "Content-Type": "application/json",
                signing.HEADER: signing.sign(self.key, int(time.time()), raw),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-igrs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)
