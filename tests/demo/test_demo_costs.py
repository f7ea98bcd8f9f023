"""The demo server's Immich-like cost model: gzip, service times, a bounded number of cores."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from ppl2album_tui.demo.costs import CostModel, service_ms
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer


def _search(page: int = 1, **extra: object) -> bytes:
    return json.dumps({"page": page, "size": 1000, **extra}).encode()


def _bulk(done: int, other: int) -> bytes:
    items = [{"id": "x", "success": True}] * done
    items += [{"id": "y", "success": False, "error": "duplicate"}] * other
    return json.dumps(items, separators=(",", ":")).encode()


def test_service_times_are_the_measured_figures() -> None:
    meta = "/search/metadata"
    assert service_ms("POST", meta, _search(1, personIds=["p"]), b"") == 90
    assert service_ms("POST", meta, _search(10), b"") == pytest.approx(98)
    assert service_ms("POST", meta, _search(1, withPeople=True), b"") == pytest.approx(179)
    assert service_ms("POST", meta, _search(10, withPeople=True), b"") == pytest.approx(823)
    assert service_ms("POST", meta, _search(3, albumIds=["a"]), b"") == 70
    assert service_ms("GET", "/people/{id}/statistics", b"", b"") == 13
    assert service_ms("POST", "/search/statistics", b"{}", b"") == 40
    put = "/albums/{id}/assets"
    assert service_ms("PUT", put, b"", _bulk(500, 0)) == pytest.approx(34)
    assert service_ms("PUT", put, b"", _bulk(1000, 0)) == pytest.approx(66, rel=0.1)
    assert service_ms("PUT", put, b"", _bulk(5000, 0)) == pytest.approx(227, rel=0.1)
    assert service_ms("PUT", put, b"", _bulk(0, 500)) == pytest.approx(17, rel=0.1)
    assert service_ms("PUT", put, b"", _bulk(5000, 5000)) == pytest.approx(289, rel=0.1)


def test_costs_are_off_by_default_and_answers_plain(
    demo_server: DemoServer, demo_http: httpx.Client
) -> None:
    assert demo_server.costs is None
    r = demo_http.post("/search/metadata", json={"size": 1000}, headers={"accept-encoding": "gzip"})
    assert r.status_code == 200 and "content-encoding" not in r.headers


def test_json_answers_are_gzipped_when_accepted(demo_library: Library) -> None:
    with DemoServer(demo_library) as srv:
        srv.costs = CostModel()
        base = f"{srv.url}/api"
        headers = {"x-api-key": srv.api_key}
        with httpx.Client(base_url=base, headers=headers) as http:
            packed = http.post(
                "/search/metadata", json={"size": 1000}, headers={"accept-encoding": "gzip"}
            )
            plain = http.post(
                "/search/metadata", json={"size": 1000}, headers={"accept-encoding": "identity"}
            )
            tiny = http.get("/server/ping", headers={"accept-encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.headers["vary"] == "Accept-Encoding"
        assert "content-encoding" not in plain.headers
        assert packed.json() == plain.json() and len(plain.json()["assets"]["items"]) > 500
        assert packed.num_bytes_downloaded < len(plain.content) / 4
        assert "content-encoding" not in tiny.headers  # under the 1 kB threshold
        log = srv.request_log
        assert log[0].response_bytes == packed.num_bytes_downloaded  # wire bytes are logged


def _four_searches_at_once(srv: DemoServer) -> float:
    """Seconds until four concurrent 90 ms searches are all answered."""
    headers = {"x-api-key": srv.api_key}
    with httpx.Client(base_url=f"{srv.url}/api", headers=headers) as http:
        http.get("/server/ping")  # connect once before timing
        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            answers = list(
                pool.map(
                    lambda _: http.post("/search/metadata", json={"size": 10}).status_code,
                    range(4),
                )
            )
        took = time.perf_counter() - started
    assert answers == [200] * 4
    return took


def test_requests_queue_for_the_two_cores(demo_library: Library) -> None:
    with DemoServer(demo_library) as srv:
        srv.costs = CostModel(cores=2)
        took = _four_searches_at_once(srv)
        assert took >= 0.18  # two rounds at least
        assert srv.costs.busy_seconds == pytest.approx(4 * 0.09 + 0.005)


def test_by_default_one_request_at_a_time_as_calibrated(demo_library: Library) -> None:
    with DemoServer(demo_library) as srv:
        srv.costs = CostModel()
        assert _four_searches_at_once(srv) >= 0.36  # four rounds
