"""Every client error class from real conditions, retries of transient faults, no cookies."""

from __future__ import annotations

import logging
import socket
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import (
    BadRequest,
    ImmichError,
    InvalidResponse,
    MissingPermission,
    NotFound,
    NotImmich,
    ServerError,
    ServerUnreachable,
    TLSFailure,
    Unauthorized,
    UnsupportedVersion,
)
from ppl2album_tui.immich.models import AssetQuery
from ppl2album_tui.immich.retry import RetryPolicy
from tests.fault_helpers import tls_server_context
from tests.immich.test_client import FAST, fresh, make_client, requests_to

__all__ = ["fresh"]  # the fixture, shared with test_client.py


def one_sentence(err: BaseException, *secrets: str) -> str:
    """The error's message, checked to be one sentence that quotes no secret."""
    message = str(err)
    assert message and message[0].isupper() and message.endswith("."), message
    assert "\n" not in message and "Traceback" not in message
    for secret in secrets:
        assert secret not in message
    return message


# ------------------------------------------------------------------ tiny stdlib servers


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, bytes, dict[str, str]]]] = {}
    seen_cookies: ClassVar[list[str | None]] = []

    def do_GET(self) -> None:
        type(self).seen_cookies.append(self.headers.get("cookie"))
        status, ctype, body, headers = self.routes.get(
            self.path.split("?")[0], (404, "text/html", b"<html>nope</html>", {})
        )
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def stub_server() -> Iterator[tuple[str, type[_Handler]]]:
    """A stdlib HTTP server answering fixed routes (set `routes` on the yielded handler class)."""
    handler = type("Handler", (_Handler,), {"routes": {}, "seen_cookies": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def tls_stub(tmp_path: Path, stub_server: tuple[str, type[_Handler]]) -> Iterator[tuple[str, Path]]:
    """An HTTPS Immich-lookalike with a self-signed certificate: (url, certificate path)."""
    context, cert = tls_server_context(tmp_path)
    _, handler = stub_server
    handler.routes["/api/server/ping"] = (200, "application/json", b'{"res":"pong"}', {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------ connection-level errors


async def test_unreachable_port_is_one_sentence() -> None:
    port = closed_port()
    async with ImmichClient(f"http://127.0.0.1:{port}", "secret-key-123", retry=FAST) as client:
        with pytest.raises(ServerUnreachable) as info:
            await client.ping()
    message = one_sentence(info.value, "secret-key-123")
    assert message == f"Cannot reach http://127.0.0.1:{port}: connection refused."
    assert client.requests_made == FAST.attempts  # refused connections are retried


async def test_unknown_host_name_is_not_retried() -> None:
    async with ImmichClient("http://no-such-host.invalid:2283", "k", retry=FAST) as client:
        with pytest.raises(ServerUnreachable) as info:
            await client.ping()
    message = one_sentence(info.value)
    assert message.startswith("Cannot reach http://no-such-host.invalid:2283: ")
    assert client.requests_made == 1


async def test_https_to_plain_http_port_is_tls_failure(demo_server: DemoServer) -> None:
    url = demo_server.url.replace("http://", "https://")
    async with make_client(demo_server, url) as client:
        with pytest.raises(TLSFailure) as info:
            await client.check_version()
    assert "securely" in one_sentence(info.value, demo_server.api_key)
    assert client.requests_made == 1  # a TLS failure is not retried


async def test_self_signed_certificate_needs_ca_bundle_or_insecure(
    tls_stub: tuple[str, Path],
) -> None:
    url, cert = tls_stub
    async with ImmichClient(url, "k-secret", retry=FAST) as client:
        with pytest.raises(TLSFailure) as info:
            await client.ping()
    assert "certificate was not accepted" in one_sentence(info.value, "k-secret")
    assert client.requests_made == 1
    async with ImmichClient(url, "k", retry=FAST, verify=str(cert)) as client:
        await client.ping()
    async with ImmichClient(url, "k", retry=FAST, verify=False) as client:
        await client.ping()


async def test_html_site_is_not_immich(stub_server: tuple[str, type[_Handler]]) -> None:
    url, handler = stub_server
    handler.routes["/api/server/ping"] = (200, "text/html", b"<!doctype html><p>Hi</p>", {})
    async with ImmichClient(url, "k-secret", retry=FAST) as client:
        with pytest.raises(NotImmich) as info:
            await client.ping()
        one_sentence(info.value, "k-secret")
        with pytest.raises(NotImmich):  # a 404 HTML page on /api/server/version
            await client.version()


async def test_404_on_ping_is_not_immich(stub_server: tuple[str, type[_Handler]]) -> None:
    url, handler = stub_server
    handler.routes["/api/server/ping"] = (404, "application/json", b'{"message":"Cannot GET"}', {})
    async with ImmichClient(url, "k", retry=FAST) as client:
        with pytest.raises(NotImmich):
            await client.check_version()


async def test_login_wall_in_front_is_not_immich(stub_server: tuple[str, type[_Handler]]) -> None:
    url, handler = stub_server
    handler.routes["/api/server/ping"] = (401, "text/plain", b"Unauthorized", {})
    async with ImmichClient(url, "k", retry=FAST) as client:
        with pytest.raises(NotImmich, match="asks for a login"):
            await client.ping()


async def test_old_immich_is_unsupported(stub_server: tuple[str, type[_Handler]]) -> None:
    url, handler = stub_server
    handler.routes["/api/server/ping"] = (200, "application/json", b'{"res":"pong"}', {})
    handler.routes["/api/server/version"] = (
        200,
        "application/json",
        b'{"major":1,"minor":99,"patch":0}',
        {},
    )
    async with ImmichClient(url, "k", retry=FAST) as client:
        with pytest.raises(UnsupportedVersion) as info:
            await client.check_version()
    assert "1.99.0" in one_sentence(info.value)


async def test_cookies_are_never_stored_or_sent(stub_server: tuple[str, type[_Handler]]) -> None:
    url, handler = stub_server
    handler.routes["/api/server/ping"] = (
        200,
        "application/json",
        b'{"res":"pong"}',
        {"set-cookie": "immich_access_token=session123; Path=/"},
    )
    async with ImmichClient(url, "k", retry=FAST) as client:
        await client.ping()
        await client.ping()
        assert len(client._http.cookies) == 0
    assert handler.seen_cookies == [None, None]


# ------------------------------------------------------------------ API-level errors


async def test_wrong_key_is_unauthorized(demo_server: DemoServer) -> None:
    bad_key = "wrong-key-" + uuid.uuid4().hex
    async with make_client(demo_server, api_key=bad_key) as client:
        await client.ping()  # public
        with pytest.raises(Unauthorized) as info:
            await client.me()
    message = one_sentence(info.value, bad_key, demo_server.api_key)
    assert message == "The server rejected the API key (Invalid API key)."
    assert client.requests_made == 2  # a 401 is not retried


async def test_key_missing_a_scope_names_it(demo_server: DemoServer) -> None:
    limited = demo_server.add_api_key(permissions=["person.read"], name="limited")
    async with make_client(demo_server, api_key=limited) as client:
        assert (await client.key_permissions()).permissions == ("person.read",)
        assert await client.people()
        with pytest.raises(MissingPermission) as info:
            await client.albums()
    assert info.value.scope == "album.read"
    assert "'album.read'" in one_sentence(info.value, limited)


async def test_unknown_ids_are_not_found(fresh: ImmichClient, demo_server: DemoServer) -> None:
    nobody = str(uuid.uuid4())
    with pytest.raises(NotFound) as info:
        await fresh.person(nobody)
    assert nobody in one_sentence(info.value, demo_server.api_key)
    assert info.value.server_message
    with pytest.raises(NotFound):
        await fresh.album(nobody)
    with pytest.raises(NotFound):
        await fresh.album_asset_ids(nobody)
    with pytest.raises(NotFound) as add_info:
        await fresh.add_to_album(nobody, [str(uuid.uuid4())])
    assert "Album not found" in one_sentence(add_info.value)


async def test_invalid_id_is_bad_request(fresh: ImmichClient) -> None:
    with pytest.raises(BadRequest) as info:
        await fresh.person("not-a-uuid")
    assert not isinstance(info.value, NotFound)
    one_sentence(info.value)


# ------------------------------------------------------------------ faults and retries


async def test_server_error_fails_after_one_retry(
    fresh: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    demo_server.faults.add(path="/api/search/metadata", method="POST", status=500, count=2)
    anna = demo_library.person_by_name("Anna")
    with pytest.raises(ServerError) as info:
        await fresh.search_assets(AssetQuery(person_ids=(anna.id,)))
    assert info.value.status == 500
    assert "HTTP 500" in one_sentence(info.value, demo_server.api_key)
    assert len(requests_to(demo_server, "POST", "/api/search/metadata")) == 2
    demo_server.faults.add(path="/api/search/metadata", method="POST", status=500, count=1)
    assert await fresh.search_assets(AssetQuery(person_ids=(anna.id,)))


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 503},
        {"status": 502},
        {"status": 504},
        {"status": 429, "headers": {"Retry-After": "0"}},
        {"status": 429, "headers": {"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"}},
        {"kind": "drop"},
    ],
)
async def test_transient_faults_on_reads_are_retried(
    fresh: ImmichClient, demo_server: DemoServer, demo_library: Library, fault: dict[str, Any]
) -> None:
    anna = demo_library.person_by_name("Anna")
    demo_server.faults.add(path="/api/search/metadata", method="POST", count=2, **fault)
    demo_server.faults.add(path="/api/people", method="GET", count=2, **fault)
    assets = await fresh.search_assets(AssetQuery(person_ids=(anna.id,)))
    assert len(assets) == demo_library.timeline_count(anna.id)
    assert await fresh.people()
    assert fresh.requests_made == 6


async def test_retry_after_is_honoured(demo_server: DemoServer) -> None:
    demo_server.faults.add(
        path="/api/albums", method="GET", status=429, headers={"Retry-After": "0.2"}
    )
    demo_server.faults.add(path="/api/albums", method="GET", status=503)  # no Retry-After
    policy = RetryPolicy(attempts=3, base=0.01, max_wait=0.5, total=5)
    async with make_client(demo_server, retry=policy) as client:
        assert await client.albums()
    assert client.retries_made == 2 and client.requests_made == 3
    assert 0.2 + 0.01 <= client.retry_wait <= 0.2 + 0.02 + 0.02 + 0.01


async def test_timeouts_are_retried(demo_server: DemoServer, demo_library: Library) -> None:
    anna = demo_library.person_by_name("Anna")
    demo_server.faults.add(path=f"/api/people/{anna.id}", method="GET", kind="delay", delay=1.0)
    async with make_client(demo_server, timeout=0.5) as client:
        assert (await client.person(anna.id)).name == "Anna"
        assert client.requests_made == 2


async def test_retries_are_bounded(demo_server: DemoServer) -> None:
    demo_server.faults.add(path="/api/albums", method="GET", status=503, count=None)
    try:
        async with make_client(demo_server) as client:
            with pytest.raises(ServerError) as info:
                await client.albums()
        assert info.value.status == 503
        assert client.requests_made == FAST.attempts
        one_sentence(info.value, demo_server.api_key)
    finally:
        demo_server.faults.clear()


async def test_album_adds_are_retried_and_repeat_as_duplicates(
    fresh: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    family = demo_library.album_by_name("Family")
    anna = demo_library.person_by_name("Anna")
    new = sorted(
        a.id
        for a in demo_library.assets_of(anna.id)
        if a.visibility == "timeline" and a.deleted_at is None and a.id not in family.asset_ids
    )[:3]
    path = f"/api/albums/{family.id}/assets"
    demo_server.faults.add(path=path, method="PUT", status=503, count=1)
    results = await fresh.add_to_album(family.id, new)
    assert [r.outcome for r in results] == ["ok"] * 3
    assert len(requests_to(demo_server, "PUT", path)) == 2
    assert set(new) <= set(family.asset_ids)


async def test_create_album_is_never_retried(
    fresh: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    before = len(demo_library.albums)
    for fault in ({"status": 503}, {"status": 500}, {"kind": "drop"}):
        demo_server.clear_log()
        demo_server.faults.add(path="/api/albums", method="POST", count=1, **fault)
        with pytest.raises((ServerError, ServerUnreachable)) as info:
            await fresh.create_album("Once")
        one_sentence(info.value, demo_server.api_key)
        assert len(requests_to(demo_server, "POST", "/api/albums")) <= 1
    assert len(demo_library.albums) <= before + 1  # a dropped answer may hide one creation


async def test_create_album_is_retried_when_the_server_refused_it(
    fresh: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    """A 429 (or a 503 with Retry-After) says the request was not processed: retry is safe."""
    for fault in (
        {"status": 429},
        {"status": 429, "headers": {"Retry-After": "0"}},
        {"status": 503, "headers": {"Retry-After": "0"}},
    ):
        demo_server.clear_log()
        before = len(demo_library.albums)
        name = f"Refused then made {fault}"
        demo_server.faults.add(path="/api/albums", method="POST", count=1, **fault)
        album = await fresh.create_album(name)
        assert [r.status for r in requests_to(demo_server, "POST", "/api/albums")] == [
            fault["status"],
            201,
        ]
        assert len(demo_library.albums) == before + 1
        assert [a.name for a in demo_library.albums.values()].count(name) == 1
        assert demo_library.albums[album.id].name == name


async def test_malformed_and_html_bodies(fresh: ImmichClient, demo_server: DemoServer) -> None:
    demo_server.faults.add(path="/api/albums", method="GET", kind="malformed")
    with pytest.raises(InvalidResponse) as info:
        await fresh.albums()
    one_sentence(info.value, demo_server.api_key)
    demo_server.faults.add(path="/api/server/ping", method="GET", kind="html", status=200)
    with pytest.raises(NotImmich):
        await fresh.ping()
    assert fresh.requests_made == 2  # neither is retried


async def test_logs_never_contain_the_key(
    demo_server: DemoServer, caplog: pytest.LogCaptureFixture
) -> None:
    key = demo_server.api_key
    demo_server.faults.add(path="/api/albums", method="GET", status=503)
    demo_server.faults.add(path="/api/people", method="GET", kind="drop")
    with caplog.at_level(logging.DEBUG):
        async with make_client(demo_server) as client:
            await client.albums()
            await client.people()
            with pytest.raises(Unauthorized):
                async with make_client(demo_server, api_key=key[::-1]) as other:
                    await other.me()
    assert any("transient" in r.getMessage() for r in caplog.records)
    for record in caplog.records:
        assert key not in record.getMessage() and key[::-1] not in record.getMessage()


async def test_no_error_message_contains_the_key(demo_server: DemoServer) -> None:
    key = demo_server.api_key
    demo_server.faults.add(path="/api/users/me", method="GET", status=500, count=None)
    try:
        async with make_client(demo_server, retry=RetryPolicy(attempts=1)) as client:
            with pytest.raises(ImmichError) as info:
                await client.me()
        one_sentence(info.value, key)
        assert key not in repr(info.value) and key not in repr(client)
    finally:
        demo_server.faults.clear()
