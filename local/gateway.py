"""API Gateway (REST, Cognito user pool authorizer) emulation for the local stack.

Each HTTP request is matched against ``sevamitra.edge.routes.ROUTES``, checked the way API Gateway
checks it (body size, the Cognito ID token of protected routes), turned into the REST proxy event
AWS would send, and handed to the function's handler in this process. Gateway-level errors use
API.md's error shape: 404 for a path no route declares, 405 for a declared path with another
method, 413 for a body over the resolver's limit, 401 for a missing or invalid token, 408 for a
body that has not arrived within ``REQUEST_TIMEOUT_S``. Every line the gateway logs, http.server's
own included, goes through the functions' PII redactor.
"""

from __future__ import annotations

import base64
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase, BufferedReader
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from local import dispatch
from local import ondc as local_ondc
from local import sms as local_sms
from local.authorizer import InvalidToken, KeysUnavailable, TokenVerifier
from local.portal import PortalSite
from local.proxy_events import claims_from_token_payload, match_route, path_exists, rest_event
from sevamitra.edge.api import MAX_BODY_BYTES, language_of
from sevamitra.edge.errors import error_body
from sevamitra.edge.routes import ROUTES, Auth, Function
from sevamitra.platform.observability import redact

log = logging.getLogger("local.gateway")

Invoke = Callable[[Function, dict[str, Any]], Any]

# A request body must have arrived this long after the gateway starts reading it (one deadline
# for the whole body, however it trickles in); the request line and headers, and an idle
# keep-alive connection, may wait this long for each read. Otherwise the connection is cut and
# its thread freed. API Gateway enforces its own limits in AWS.
REQUEST_TIMEOUT_S = 30.0


@dataclass
class GatewayResponse:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    # The request body was not read: the connection cannot be reused.
    close: bool = False


class BodyTooLarge(Exception):
    pass


class BadFraming(Exception):
    pass


class BodyTimeout(Exception):
    """The body did not arrive before the deadline."""


class DeadlineReader:
    """The connection's stream, read against one deadline: each read waits at most the time left,
    so a body sent a byte at a time is cut as surely as one that never comes."""

    def __init__(self, stream: BufferedReader, connection: socket.socket, timeout_s: float) -> None:
        self._stream = stream
        self._connection = connection
        self._deadline = time.monotonic() + timeout_s

    def _wait(self, read: Callable[[int], bytes], size: int) -> bytes:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise BodyTimeout
        self._connection.settimeout(left)
        try:
            return read(size)
        except TimeoutError as exc:
            raise BodyTimeout from exc

    def read(self, size: int) -> bytes:
        """Exactly ``size`` bytes, or fewer if the client closed the connection."""
        parts: list[bytes] = []
        missing = size
        while missing > 0:
            chunk = self._wait(self._stream.read1, missing)
            if not chunk:
                break
            parts.append(chunk)
            missing -= len(chunk)
        return b"".join(parts)

    def readline(self, limit: int) -> bytes:
        line = bytearray()
        while len(line) < limit:
            buffered = self._wait(self._stream.peek, 1)[: limit - len(line)]
            if not buffered:
                break
            end = buffered.find(b"\n")
            line += self._stream.read(len(buffered) if end < 0 else end + 1)  # already buffered
            if end >= 0:
                break
        return bytes(line)


def _error(status: int, code: str, headers: dict[str, str], *, close: bool = False) -> GatewayResponse:
    body = json.dumps(error_body(code, language_of(headers)), ensure_ascii=False).encode()
    return GatewayResponse(status, body, [("Content-Type", "application/json")], close=close)


def read_body(
    headers: Message, stream: BufferedIOBase | DeadlineReader, limit: int = MAX_BODY_BYTES
) -> bytes:
    """The request body, refusing anything over ``limit`` bytes before reading it all."""
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        return _read_chunked(stream, limit)
    raw_length = headers.get("Content-Length")
    if raw_length is None:
        return b""
    try:
        length = int(raw_length)
    except ValueError as exc:
        raise BadFraming("bad Content-Length") from exc
    if length < 0:
        raise BadFraming("bad Content-Length")
    if length > limit:
        raise BodyTooLarge
    return stream.read(length)


def _read_chunked(stream: BufferedIOBase | DeadlineReader, limit: int) -> bytes:
    body = bytearray()
    while True:
        size_line = stream.readline(1024).split(b";")[0].strip()
        try:
            size = int(size_line, 16)
        except ValueError as exc:
            raise BadFraming("bad chunk size") from exc
        if size == 0:
            while stream.readline(1024).strip():  # trailers
                pass
            return bytes(body)
        if len(body) + size > limit:
            raise BodyTooLarge
        body += stream.read(size)
        stream.readline(1024)


def _bearer_token(headers: dict[str, str]) -> str | None:
    value = next((v for k, v in headers.items() if k.lower() == "authorization"), "").strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    return value or None


class Gateway:
    """The HTTP front door: ``Gateway(verifier).start()``; ``stop()`` shuts it down."""

    def __init__(
        self,
        verifier: TokenVerifier,
        *,
        host: str = "127.0.0.1",
        port: int = 3000,
        invoke: Invoke = dispatch.invoke,
        stage: str = "local",
        request_timeout_s: float = REQUEST_TIMEOUT_S,
    ) -> None:
        self.verifier = verifier
        self.invoke = invoke
        self.stage = stage
        self.request_timeout_s = request_timeout_s
        self._server = _Server((host, port), _RequestHandler)
        self._server.gateway = self
        self._thread: threading.Thread | None = None
        # The web portal under /app/ (local/portal.py), once the stack knows its outputs.
        self.portal: PortalSite | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name="gateway", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def respond(
        self, method: str, target: str, raw_headers: Message, stream: BufferedIOBase | DeadlineReader
    ) -> GatewayResponse:
        url = urlsplit(target)
        path = unquote(url.path) or "/"
        headers = dict(raw_headers.items())
        has_body = bool(raw_headers.get("Content-Length", "0") != "0" or raw_headers.get("Transfer-Encoding"))

        if path == local_sms.PATH:
            return self._local_sms(method, url.query, raw_headers, stream, headers)
        if self.portal is not None and PortalSite.serves(path):
            status, content, portal_headers = self.portal.respond(
                method, path, raw_headers.get("Accept-Encoding", "")
            )
            return GatewayResponse(status, content, portal_headers, close=has_body)

        if path in (local_ondc.PATH, local_ondc.LOOKUP_PATH):
            return self._local_ondc_registry(method, path, raw_headers, stream, headers)
        matched = match_route(method, path)
        if matched is None:
            if path_exists(path):
                allowed = sorted({r.method for r in ROUTES if match_route(r.method, path)})
                response = _error(
                    HTTPStatus.METHOD_NOT_ALLOWED, "method_not_allowed", headers, close=has_body
                )
                response.headers.append(("Allow", ", ".join(allowed)))
                return response
            return _error(HTTPStatus.NOT_FOUND, "route_not_found", headers, close=has_body)
        route, _ = matched

        try:
            body = read_body(raw_headers, stream)
        except BodyTooLarge:
            return _error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large", headers, close=True)
        except BadFraming:
            return _error(HTTPStatus.BAD_REQUEST, "bad_request", headers, close=True)
        except BodyTimeout:
            log.info("body of %s %s not received within %gs", method, route.path, self.request_timeout_s)
            return _error(HTTPStatus.REQUEST_TIMEOUT, "request_timeout", headers, close=True)

        claims: dict[str, Any] | None = None
        if route.auth is Auth.COGNITO:
            token = _bearer_token(headers)
            try:
                if token is None:
                    raise InvalidToken("no token")
                claims = self.verifier.verify(token)
            except InvalidToken as exc:
                log.info("token rejected on %s %s: %s", method, route.path, exc)
                return _error(HTTPStatus.UNAUTHORIZED, "unauthorized", headers)
            except KeysUnavailable:
                log.exception("user pool keys unavailable")
                return _error(HTTPStatus.SERVICE_UNAVAILABLE, "dependency_unavailable", headers)

        event = rest_event(
            method,
            path,
            body=body.decode("utf-8", errors="replace") if body else None,
            query=url.query,
            stage=self.stage,
        )
        # As API Gateway passes them: the client's headers and the scheme it was reached by
        # (X-Forwarded-Proto); claims as strings.
        sent = {name: value for name, value in headers.items() if name.lower() != "x-forwarded-proto"}
        event["headers"] = {**sent, "X-Forwarded-Proto": "http"}
        event["multiValueHeaders"] = {name: raw_headers.get_all(name) or [] for name in sent}
        event["multiValueHeaders"]["X-Forwarded-Proto"] = ["http"]
        event["requestContext"]["identity"]["userAgent"] = headers.get("User-Agent", "")
        # Served at the root, as behind a custom domain without a base path: the path as sent.
        event["requestContext"]["path"] = path
        if headers.get("Host"):
            event["requestContext"]["domainName"] = headers["Host"]
        if claims is not None:
            event["requestContext"]["authorizer"] = {"claims": claims_from_token_payload(claims)}

        try:
            result = self.invoke(route.function, event)
            response = _proxy_response(result)
        except Exception:
            log.exception("handler of %s %s failed", method, route.path)
            return _error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", headers)
        response.headers.append(("x-amzn-RequestId", event["requestContext"]["requestId"]))
        return response

    def _local_sms(
        self,
        method: str,
        query: str,
        raw_headers: Message,
        stream: BufferedIOBase | DeadlineReader,
        headers: dict[str, str],
    ) -> GatewayResponse:
        """The local-only SMS outbox and inbound SMS (``local/sms.py``): no route, no token."""
        if method not in ("GET", "POST"):
            response = _error(HTTPStatus.METHOD_NOT_ALLOWED, "method_not_allowed", headers, close=True)
            response.headers.append(("Allow", "GET, POST"))
            return response
        try:
            body = read_body(raw_headers, stream)
        except (BodyTooLarge, BadFraming, BodyTimeout):
            return _error(HTTPStatus.BAD_REQUEST, "bad_request", headers, close=True)
        status, answer = local_sms.outbox(query) if method == "GET" else local_sms.inbound(body)

        payload = json.dumps(answer, ensure_ascii=False).encode()
        return GatewayResponse(status, payload, [("Content-Type", "application/json")])

    def _local_ondc_registry(
        self,
        method: str,
        path: str,
        raw_headers: Message,
        stream: BufferedIOBase | DeadlineReader,
        headers: dict[str, str],
    ) -> GatewayResponse:
        """The local-only fake ONDC registry (``local/ondc.py``): no route, no token."""
        if method != "POST":
            response = _error(HTTPStatus.METHOD_NOT_ALLOWED, "method_not_allowed", headers, close=True)
            response.headers.append(("Allow", "POST"))
            return response
        try:
            body = read_body(raw_headers, stream)
        except (BodyTooLarge, BadFraming, BodyTimeout):
            return _error(HTTPStatus.BAD_REQUEST, "bad_request", headers, close=True)
        status, answer = local_ondc.register(body) if path == local_ondc.PATH else local_ondc.lookup(body)
        payload = json.dumps(answer, ensure_ascii=False).encode()
        return GatewayResponse(status, payload, [("Content-Type", "application/json")])


def _proxy_response(result: Any) -> GatewayResponse:
    """A Lambda proxy integration result as an HTTP response; anything malformed raises."""
    if not isinstance(result, dict) or not isinstance(result.get("statusCode"), int):
        raise ValueError("malformed Lambda proxy response")
    body = result.get("body") or ""
    if result.get("isBase64Encoded"):
        raw = base64.b64decode(body)
    else:
        raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    headers: list[tuple[str, str]] = []
    skip = {"content-length", "transfer-encoding", "connection"}
    for name, value in (result.get("headers") or {}).items():
        if name.lower() not in skip:
            headers.append((name, str(value)))
    for name, values in (result.get("multiValueHeaders") or {}).items():
        if name.lower() not in skip and name not in (result.get("headers") or {}):
            headers.extend((name, str(v)) for v in values)
    return GatewayResponse(int(result["statusCode"]), raw, headers)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    gateway: Gateway


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "SevaMitraLocalGateway"

    def setup(self) -> None:
        super().setup()
        # The request line and headers (and the wait for the next request on a kept-alive
        # connection) cannot hang forever: http.server closes the connection on a timeout.
        self.connection.settimeout(self.server.gateway.request_timeout_s)

    def _serve(self) -> None:
        started = time.perf_counter()
        gateway = self.server.gateway
        # StreamRequestHandler's default rbufsize (-1) makes rfile a BufferedReader.
        body = DeadlineReader(cast(BufferedReader, self.rfile), self.connection, gateway.request_timeout_s)
        try:
            response = gateway.respond(self.command, self.path, self.headers, body)
        except Exception:
            log.exception("gateway failure on %s", self.command)
            response = _error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", {}, close=True)
        finally:
            self.connection.settimeout(gateway.request_timeout_s)
        self._send(response)
        elapsed_ms = (time.perf_counter() - started) * 1000
        # Without the query string (``/bans/check`` carries an Aadhaar or mobile there), and
        # redacted: an unmatched path is whatever the client typed.
        path = redact(urlsplit(self.path).path)
        log.info("%s %s %d %.1fms", self.command, path, response.status, elapsed_ms)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve

    def _send(self, response: GatewayResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if response.close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a malformed request line, an unknown method, a URL or
        headers too long) in API.md's error shape, under the standard reason phrase: http.server
        would echo the request line, query string and all, in the status line and an HTML page."""
        self.log_error("code %d, message %s", code, message)
        headers = dict(self.headers.items()) if getattr(self, "headers", None) else {}
        self._send(_error(code, _HTTP_SERVER_ERRORS.get(code, "bad_request"), headers, close=True))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The access line is written by ``_serve``."""

    def log_message(self, format: str, *args: Any) -> None:
        """http.server's own lines (malformed requests, timeouts) go to the log, not raw stderr,
        redacted: they quote the request line the client sent."""
        log.info("http: %s", redact(format % args))


# The error codes of the statuses http.server answers by itself, before a route is matched.
_HTTP_SERVER_ERRORS: dict[int, str] = {
    HTTPStatus.NOT_IMPLEMENTED: "method_not_allowed",
    HTTPStatus.REQUEST_TIMEOUT: "request_timeout",
}
