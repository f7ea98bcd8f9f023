"""Test hooks of the demo server: request log, fault injection, on_exchange; thumbnails."""

from __future__ import annotations

import httpx
import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer, Exchange


def test_request_log_records_method_path_sizes_and_body(
    demo_server: DemoServer, demo_http: httpx.Client
) -> None:
    demo_server.clear_log()
    demo_http.get("/people", params={"size": "5"})
    demo_http.post("/search/metadata", json={"size": 2})
    log = demo_server.request_log
    assert [(r.method, r.path, r.status) for r in log] == [
        ("GET", "/api/people", 200),
        ("POST", "/api/search/metadata", 200),
    ]
    assert log[0].query == {"size": "5"} and log[0].body is None and log[0].request_bytes == 0
    assert log[1].body == {"size": 2} and log[1].request_bytes > 0 and log[1].response_bytes > 0
    demo_server.clear_log()
    assert demo_server.request_log == []


def test_status_fault_with_headers_then_recovery(
    demo_server: DemoServer, demo_http: httpx.Client
) -> None:
    demo_server.faults.add(
        path="/api/search/metadata", method="POST", status=503, headers={"Retry-After": "1"}
    )
    first = demo_http.post("/search/metadata", json={})
    assert first.status_code == 503 and first.headers["retry-after"] == "1"
    assert demo_http.post("/search/metadata", json={}).status_code == 200
    assert [r.injected for r in demo_server.request_log] == [True, False]


def test_fault_path_glob_method_and_count(
    demo_server: DemoServer, demo_http: httpx.Client, demo_library: Library
) -> None:
    demo_server.faults.add(path="/api/people/*", method="GET", status=500, count=2)
    anna = demo_library.person_by_name("Anna").id
    assert demo_http.get("/people").status_code == 200  # no match: exact path differs
    statuses = [demo_http.get(f"/people/{anna}").status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert demo_server.faults.pending == []


def test_drop_closes_the_connection(demo_server: DemoServer, demo_http: httpx.Client) -> None:
    demo_server.faults.add(path="/api/people", kind="drop")
    with pytest.raises(httpx.TransportError):
        demo_http.get("/people")
    assert demo_http.get("/people").status_code == 200
    assert demo_server.request_log[0].status == 0


def test_malformed_and_html_answers(demo_server: DemoServer, demo_http: httpx.Client) -> None:
    demo_server.faults.add(path="/api/search/metadata", kind="malformed")
    demo_server.faults.add(path="/api/server/ping", kind="html", status=502)
    broken = demo_http.post("/search/metadata", json={})
    assert broken.status_code == 200
    with pytest.raises(ValueError):
        broken.json()
    page = demo_http.get("/server/ping")
    assert page.status_code == 502 and page.headers["content-type"].startswith("text/html")
    assert b"Bad Gateway" in page.content


def test_delay_fault_and_latency_still_answer(
    demo_server: DemoServer, demo_http: httpx.Client
) -> None:
    demo_server.faults.add(path="/api/server/version", kind="delay", delay=0.05)
    demo_server.latency = 0.01
    assert demo_http.get("/server/version").status_code == 200
    assert demo_server.request_log[-1].injected is False


def test_on_exchange_sees_everything_and_flags_faults(
    demo_server: DemoServer, demo_http: httpx.Client
) -> None:
    seen: list[Exchange] = []
    previous = demo_server.on_exchange
    demo_server.on_exchange = seen.append
    try:
        demo_http.get("/people", params={"withHidden": "true"})
        demo_server.faults.add(path="/api/people", status=500)
        demo_http.get("/people")
    finally:
        demo_server.on_exchange = previous
    ok, fault = seen
    assert ok.method == "GET" and ok.path == "/api/people" and ok.status == 200
    assert ok.query == {"withHidden": ["true"]} and ok.permissions == ["all"]
    assert ok.request_headers["x-api-key"] == demo_server.api_key
    assert ok.response_headers["Content-Type"] == "application/json; charset=utf-8"
    assert ok.spec_path == "/people" and not ok.injected and ok.response_body.startswith(b"{")
    assert fault.injected and fault.status == 500


def test_asset_thumbnails(demo_http: httpx.Client, demo_library: Library) -> None:
    photo = next(a for a in demo_library.assets.values() if a.visibility == "timeline")
    thumb = demo_http.get(f"/assets/{photo.id}/thumbnail")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/webp"
    assert thumb.content[:4] == b"RIFF" and thumb.content[8:12] == b"WEBP"
    preview = demo_http.get(f"/assets/{photo.id}/thumbnail", params={"size": "preview"})
    assert preview.headers["content-type"] == "image/jpeg"
    assert (
        demo_http.get(f"/assets/{photo.id}/thumbnail", params={"size": "huge"}).status_code == 400
    )
    locked = next(a for a in demo_library.assets.values() if a.visibility == "locked")
    response = demo_http.get(f"/assets/{locked.id}/thumbnail")
    assert response.status_code == 400
    assert response.json() == {"message": "Not found or no asset.view access"}


def test_keep_alive_reuses_one_connection(demo_server: DemoServer) -> None:
    before = demo_server.connections_opened
    with httpx.Client(base_url=demo_server.url) as http:
        for _ in range(3):
            assert http.get("/api/server/ping").status_code == 200
    assert demo_server.connections_opened == before + 1
