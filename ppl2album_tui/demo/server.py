"""`DemoServer`: a real HTTP/1.1 server (stdlib ThreadingHTTPServer) speaking the Immich 3.1 subset.

Test hooks: `request_log` / `clear_log()`, `latency`, `faults` (see faults.py) and `on_exchange`,
which sees every request and response in full (injected faults carry `injected=True`). `costs`
(a `CostModel`, None by default) makes it answer at a real Immich's costs (see costs.py).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import secrets
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ppl2album_tui.demo.api import (
    JSON_TYPE,
    Api,
    ApiKey,
    Request,
    Response,
    find_route,
    json_response,
    new_key,
)
from ppl2album_tui.demo.costs import CostModel
from ppl2album_tui.demo.faults import Fault, FaultInjector
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.versions import DEFAULT_VERSION, Profile

MAX_BODY = 10 * 1024 * 1024  # Immich's JSON body limit
_HTML_ERROR = (
    "<html>\r\n<head><title>{status} Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>{status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request as the server saw it (status 0 = connection dropped by a fault)."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    request_bytes: int
    response_bytes: int
    body: Any  # the parsed JSON request body, or None
    injected: bool = False


@dataclass(slots=True)
class Exchange:
    """A full request/response pair, handed to `DemoServer.on_exchange`."""

    method: str
    path: str
    query: dict[str, list[str]]
    request_headers: dict[str, str]
    request_body: bytes
    status: int
    response_headers: dict[str, str]
    response_body: bytes
    permissions: list[str] | None  # of the API key used; None when no valid key was sent
    spec_path: str | None = None  # matched OpenAPI path template, e.g. "/people/{id}"
    injected: bool = False  # True for fault-injected answers (not Immich behaviour)


def demo_key(seed: int | str) -> str:
    """The demo server's all-permission key: fixed per library seed (and account, for the
    further ones: ``"<seed> <user id>"``), so that tests can scan snapshots and screenshots for
    it (it guards generated photos only)."""
    digest = hashlib.sha256(f"ppl2album-tui demo key {seed}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops the SYNs of a client opening 8 connections at
    # once, which the kernel then retries after a second; Node (Immich) listens with 511
    request_queue_size = 511

    def __init__(self, address: tuple[str, int], demo: DemoServer, family: int) -> None:
        self.address_family = family
        self.demo = demo
        self.open_sockets: set[socket.socket] = set()
        self.accepted = 0
        self.sockets_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.add(request)
            self.accepted += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout, cancelled request) is normal: no traceback on stderr."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)

    def close_all(self) -> None:
        with self.sockets_lock:
            socks = list(self.open_sockets)
        for s in socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as Node (Immich) sets it: without it the body, written after the headers,
    # waits for the client's delayed ACK and every request costs ~40 ms more on loopback.
    disable_nagle_algorithm = True
    server: _HTTPServer
    timeout = 120  # idle keep-alive connections give up after this

    def version_string(self) -> str:
        return "ppl2album-demo"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.demo._handle(self)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET


class DemoServer:
    """An Immich-compatible server over `library`, run in a daemon thread."""

    def __init__(
        self,
        library: Library,
        host: str = "127.0.0.1",
        port: int = 0,
        immich_version: str = DEFAULT_VERSION,
    ) -> None:
        self.library = library
        self.host = host
        self.port = port
        self.api = Api(library, Profile.of(immich_version))
        self.faults = FaultInjector()
        self.latency = 0.0
        self.costs: CostModel | None = None
        self.on_exchange: Callable[[Exchange], None] | None = None
        self.hook_errors: list[BaseException] = []
        self._keys: dict[str, ApiKey] = {}
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.api_key = self.add_api_key(["all"], name="demo", secret=demo_key(library.seed))

    # ----------------------------------------------------------- lifecycle
    def start(self) -> DemoServer:
        """Bind and serve in a background thread (OSError when the port is taken)."""
        if self._httpd is not None:
            return self
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._httpd = _HTTPServer((self.host, self.port), self, family)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits for one poll: keep tests quick
            name=f"demo-server:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every open connection."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.close_all()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        """Serve in the calling thread until KeyboardInterrupt (used by the CLI)."""
        self.start()
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def connections_opened(self) -> int:
        """TCP connections accepted so far (shows whether a client reuses connections)."""
        return self._httpd.accepted if self._httpd is not None else 0

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # ------------------------------------------------------------- keys/log
    def add_api_key(
        self,
        permissions: list[str],
        name: str = "limited",
        secret: str | None = None,
        user_id: str | None = None,
    ) -> str:
        """Create an API key with `permissions` (e.g. ["person.read"]) for the account `user_id`
        (default: the library's user); returns its secret (random unless `secret` is given)."""
        secret = secret or secrets.token_urlsafe(32)
        self._keys[secret] = new_key(name, permissions, secret, user_id)
        return secret

    def user_key(self, user_id: str, permissions: list[str] | None = None) -> str:
        """An API key of the account `user_id` (users.py): with `permissions` a new random one,
        else the account's fixed all-permission key (`demo_key`)."""
        if user_id != self.library.user.id and user_id not in self.library.users:
            raise KeyError(user_id)
        secret = None if permissions else demo_key(f"{self.library.seed} {user_id}")
        return self.add_api_key(permissions or ["all"], f"demo {user_id[:8]}", secret, user_id)

    def revoke_api_key(self, secret: str) -> None:
        """Delete a key, as a user would in Immich: later requests with it get 401."""
        self._keys.pop(secret, None)

    @property
    def request_log(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    # ------------------------------------------------------------- handling
    def _handle(self, h: _Handler) -> None:
        split = urlsplit(h.path)
        query = parse_qs(split.query, keep_blank_values=True)
        incoming = _Incoming(
            h.command, split.path, query, {k.lower(): v for k, v in h.headers.items()}
        )
        try:
            incoming.body = _read_body(h)
        except ValueError as err:
            h.close_connection = True
            self._send(h, incoming, json_response({"message": str(err)}, 413))
            return
        except ConnectionError:  # the client gave up mid-request (a cancelled call): no answer
            h.close_connection = True
            return
        if self.latency > 0:
            time.sleep(self.latency)
        fault = self.faults.take(incoming.method, incoming.path)
        if fault is not None and fault.delay > 0:
            time.sleep(fault.delay)  # "delay" answers normally afterwards; others then misbehave
        if fault is not None and fault.hold is not None:
            fault.hold.wait(60)
        if fault is not None and fault.kind == "delay":
            fault = None
        if fault is not None:
            self._inject(h, incoming, fault)
            return
        costs = self.costs
        if costs is None:
            resp, key, spec_path = self._answer(incoming)
        else:
            with costs.core() as started:
                resp, key, spec_path = self._answer(incoming)
                accept = incoming.headers.get("accept-encoding", "")
                method, body = incoming.method, incoming.body
                resp = costs.charge(started, method, spec_path, body, accept, resp)
        self._send(h, incoming, resp, key.permissions if key else None, spec_path)

    def _answer(self, incoming: _Incoming) -> tuple[Response, ApiKey | None, str | None]:
        try:
            return self._respond(incoming)
        except Exception:  # a demo-server bug: answer like Nest does, and show it on stderr
            traceback.print_exc()
            return json_response({"message": "Internal server error"}, 500), None, None

    def _respond(self, incoming: _Incoming) -> tuple[Response, ApiKey | None, str | None]:
        method = "GET" if incoming.method == "HEAD" else incoming.method
        path, query = incoming.path, {k: v[-1] for k, v in incoming.query.items()}
        found = find_route(method, path, self.api.profile.version)
        if found is None:
            if not path.startswith("/api/") and path != "/api":
                page = b"<!doctype html><title>Immich</title><p>ppl2album-tui demo server</p>"
                status = 200 if path == "/" else 404
                return Response(status, page, "text/html; charset=utf-8"), None, None
            return json_response({"message": f"Cannot {method} {path}"}, 404), None, None
        route, params = found
        key: ApiKey | None = None
        if route.scope is not None:
            secret = incoming.headers.get("x-api-key") or query.get("apiKey")
            key = self._keys.get(secret) if secret else None
            if key is None:
                message = "Invalid API key" if secret else "Authentication required"
                return json_response({"message": message}, 401), None, route.spec_path
            if not key.allows(route.scope):
                missing = {"message": f"Missing required permission: {route.scope}"}
                return json_response(missing, 403), key, route.spec_path
        body: object = None
        if incoming.body:
            try:
                body = json.loads(incoming.body)
            except ValueError:
                bad = {"message": "Unexpected token in JSON body"}
                return json_response(bad, 400), key, route.spec_path
        req = Request(method, path, query, body, params, key)
        return self.api.dispatch(route, req), key, route.spec_path

    def _send(
        self,
        h: _Handler,
        incoming: _Incoming,
        resp: Response,
        permissions: list[str] | None = None,
        spec_path: str | None = None,
        injected: bool = False,
    ) -> None:
        headers = {"Content-Type": resp.content_type, "Content-Length": str(len(resp.body))}
        if resp.status == 204:
            del headers["Content-Type"]
        headers.update(resp.headers)
        self._record(incoming, resp.status, headers, resp.body, permissions, spec_path, injected)
        h.send_response(resp.status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        if incoming.method != "HEAD" and resp.body:
            h.wfile.write(resp.body)

    def _inject(self, h: _Handler, incoming: _Incoming, fault: Fault) -> None:
        if fault.kind == "drop":
            self._record(incoming, 0, {}, b"", None, None, True)
            h.close_connection = True
            with contextlib.suppress(OSError):
                h.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault.kind == "malformed":
            resp = Response(200, b'{"assets": {"items": [{"id": ', JSON_TYPE)
        elif fault.kind == "html":
            page = _HTML_ERROR.format(status=fault.status).encode()
            resp = Response(fault.status, page, "text/html; charset=utf-8")
        else:
            resp = json_response({"message": "Injected fault"}, fault.status)
        resp.headers.update(fault.headers)
        self._send(h, incoming, resp, injected=True)

    def _record(
        self,
        incoming: _Incoming,
        status: int,
        resp_headers: dict[str, str],
        resp_body: bytes,
        permissions: list[str] | None,
        spec_path: str | None,
        injected: bool,
    ) -> None:
        raw = incoming.body
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        query = {k: v[-1] for k, v in incoming.query.items()}
        record = RequestRecord(
            incoming.method,
            incoming.path,
            query,
            status,
            len(raw),
            len(resp_body),
            parsed,
            injected,
        )
        with self._log_lock:
            self._log.append(record)
        hook = self.on_exchange
        if hook is None:
            return
        exchange = Exchange(
            incoming.method,
            incoming.path,
            incoming.query,
            incoming.headers,
            raw,
            status,
            resp_headers,
            resp_body,
            permissions,
            spec_path,
            injected,
        )
        try:
            hook(exchange)
        except Exception as err:  # a failing hook must not break the HTTP answer
            self.hook_errors.append(err)


@dataclass(slots=True)
class _Incoming:
    """The request being handled."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""


def _read_body(h: _Handler) -> bytes:
    if h.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        total = 0
        while True:
            size = int(h.rfile.readline().strip().split(b";")[0], 16)
            if size == 0:
                h.rfile.readline()
                break
            total += size
            if total > MAX_BODY:
                raise ValueError("request entity too large")
            chunks.append(h.rfile.read(size))
            h.rfile.readline()
        return b"".join(chunks)
    length = int(h.headers.get("Content-Length") or 0)
    if length > MAX_BODY:
        raise ValueError("request entity too large")
    body = h.rfile.read(length) if length else b""
    if len(body) < length:
        raise ConnectionResetError("the client closed the connection before its body arrived")
    return body
