"""A fake ONDC buyer app (BAP), for the tests and ``make demo``: it signs its requests as the
Beckn signing specification says, and serves ``<subscriber_url>/on_<action>`` on loopback,
where it accepts only callbacks whose signature verifies against the seller's published key
(``OndcSigningPublicKey``), answering ACK; anything else gets a 401 NACK and is counted in
``refused``.

    with BuyerApp(seller_key_b64) as bap:
        stack.post("/_local/ondc/registry", json=bap.registration())
        body, headers = bap.signed("search", {"intent": ...}, transaction_id="t1")
        ...
        on_search = bap.wait_for("on_search", transaction_id="t1")
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sevamitra.edge import beckn_signing as signing
from sevamitra.edge.errors import Unauthorized

ACK = {"message": {"ack": {"status": "ACK"}}}
NACK = {"message": {"ack": {"status": "NACK"}}}


class BuyerApp:
    def __init__(
        self,
        seller_public_key: str | None = None,
        *,
        subscriber_id: str | None = None,
        unique_key_id: str = "bap-key-1",
        seller_id: str | None = None,
        host: str = "127.0.0.1",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.subscriber_id = subscriber_id or f"bap-{uuid.uuid4().hex[:8]}.example"
        self.unique_key_id = unique_key_id
        self.key = Ed25519PrivateKey.generate()
        self.seller_public_key = seller_public_key
        self.seller_id = seller_id
        self.clock = clock
        self.callbacks: list[dict[str, Any]] = []
        self.refused = 0
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer((host, 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # --- who we are ----------------------------------------------------------------------------

    @property
    def subscriber_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/ondc"

    @property
    def public_key(self) -> str:
        return signing.public_key_b64(self.key)

    def registration(self) -> dict[str, str]:
        """The body of ``POST /_local/ondc/registry``."""
        return {
            "subscriber_id": self.subscriber_id,
            "unique_key_id": self.unique_key_id,
            "signing_public_key": self.public_key,
            "subscriber_url": self.subscriber_url,
            "type": "BAP",
        }

    # --- requests ------------------------------------------------------------------------------

    def context(
        self, action: str, transaction_id: str, *, domain: str = "ONDC:SRV11", message_id: str | None = None
    ) -> dict[str, Any]:
        context: dict[str, Any] = {
            "domain": domain,
            "location": {"city": {"code": "std:0522"}, "country": {"code": "IND"}},
            "action": action,
            "version": "2.0.0",
            "bap_id": self.subscriber_id,
            "bap_uri": self.subscriber_url,
            "transaction_id": transaction_id,
            "message_id": message_id or str(uuid.uuid4()),
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "ttl": "PT30S",
        }
        if self.seller_id:
            context["bpp_id"] = self.seller_id
        return context

    def sign(self, body: bytes, *, now: int | None = None, ttl_s: int = 300) -> str:
        at = int(self.clock()) if now is None else now
        return signing.sign(
            body, self.key, signing.KeyId(self.subscriber_id, self.unique_key_id), at, ttl_s=ttl_s
        )

    def signed(
        self,
        action: str,
        message: dict[str, Any],
        *,
        transaction_id: str,
        domain: str = "ONDC:SRV11",
        message_id: str | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """A request body and its headers (``Authorization`` signs exactly these bytes)."""
        payload = {"context": self.context(action, transaction_id, domain=domain, message_id=message_id)}
        payload["message"] = message
        body = json.dumps(payload, separators=(",", ":")).encode()
        return body, {"Content-Type": "application/json", "Authorization": self.sign(body)}

    # --- callbacks -----------------------------------------------------------------------------

    def _received(self, path: str, body: bytes, authorization: str | None) -> bool:
        if self.seller_public_key is not None:
            try:
                signing.verify(authorization, body, lambda _key_id: self.seller_public_key, int(self.clock()))
            except Unauthorized:
                with self._changed:
                    self.refused += 1
                    self._changed.notify_all()
                return False
        payload = json.loads(body)
        payload["_path"] = path
        with self._changed:
            self.callbacks.append(payload)
            self._changed.notify_all()
        return True

    def wait_for(
        self,
        action: str,
        *,
        transaction_id: str | None = None,
        where: Callable[[dict[str, Any]], bool] | None = None,
        timeout_s: float = 20.0,
    ) -> dict[str, Any]:
        """The first callback of ``action`` (for that transaction, and matching ``where``)."""
        deadline = time.monotonic() + timeout_s

        def found() -> dict[str, Any] | None:
            for payload in self.callbacks:
                context = payload.get("context") or {}
                if context.get("action") != action:
                    continue
                if transaction_id is not None and context.get("transaction_id") != transaction_id:
                    continue
                if where is None or where(payload):
                    return payload
            return None

        with self._changed:
            while (hit := found()) is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(p.get("context") or {}).get("action") for p in self.callbacks]
                    raise TimeoutError(f"no {action} within {timeout_s}s; received {seen}")
                self._changed.wait(left)
            return hit

    def received(self, action: str) -> list[dict[str, Any]]:
        with self._changed:
            return [p for p in self.callbacks if (p.get("context") or {}).get("action") == action]

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> BuyerApp:
        self._thread = threading.Thread(target=self._server.serve_forever, name="buyer-app", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> BuyerApp:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_for(app: BuyerApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            accepted = app._received(self.path, body, self.headers.get("Authorization"))
            answer = json.dumps(ACK if accepted else NACK).encode()
            self.send_response(200 if accepted else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
