"""An Immich-like cost model for the demo server: gzip, per-request service times, a bounded
number of requests served at once.

Off by default (tests see the plain demo server); the benchmark and ``demo-server
--immich-costs`` turn it on. The figures are the medians measured on a real Immich 3.1.0 (see
``immich-api-notes.md``, "Measured costs"): a request holds one of `cores` slots for its service
time (the demo server's own work counts towards it, the rest is slept), so concurrent requests
queue; JSON answers are gzipped when the client accepts it. One slot by default: the real run of
issue 15 (2 cores shared by Immich and the client) is reproduced by one request at a time, not
by two (`bench/results.md`, "Calibration").
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from ppl2album_tui.demo.routing import Response

GZIP_MIN_BYTES = 1024  # the `compression` middleware's threshold
GZIP_LEVEL = 6  # zlib's default, which that middleware uses
OTHER_MS = 5.0  # an endpoint without a measured figure (ping, version, a person, ...)

# (method, spec path) -> milliseconds, for the endpoints whose cost does not depend on the body
FIXED_MS: dict[tuple[str, str], float] = {
    ("GET", "/people/{id}/statistics"): 13.0,
    ("POST", "/search/statistics"): 40.0,
    ("GET", "/people"): 51.0,
    ("GET", "/albums/{id}"): 27.0,
}
SEARCH_MS = (90.0, (98.0 - 90.0) / 9)  # page 1, and per page deeper (page 10: 98 ms)
SEARCH_PEOPLE_MS = (179.0, (823.0 - 179.0) / 9)  # withPeople: page 1, per page deeper
SEARCH_ALBUM_MS = 70.0
# PUT/DELETE /albums/{id}/assets: 34 / 66 / 227 ms for 500 / 1,000 / 5,000 new ids, 17 ms for
# 500 already there: k * (new + w * already) ** p fits them within 10% (289 ms measured for
# 10,000 ids half there; this gives 305).
BULK_EXPONENT = 0.824
BULK_K_MS = 34.0 / 500**BULK_EXPONENT
ALREADY_WEIGHT = 0.5 ** (1 / BULK_EXPONENT)  # 500 already there cost half of 500 new


def service_ms(method: str, spec_path: str | None, body: bytes, answer: bytes) -> float:
    """What Immich 3.1 spends on one request, in milliseconds (measured medians)."""
    if spec_path is None:
        return OTHER_MS
    fixed = FIXED_MS.get((method, spec_path))
    if fixed is not None:
        return fixed
    if spec_path == "/search/metadata":
        return _search_ms(body)
    if spec_path == "/albums/{id}/assets" and method in ("PUT", "DELETE"):
        done = answer.count(b'"success":true')
        other = answer.count(b'"success":false')
        units = done + ALREADY_WEIGHT * other
        return BULK_K_MS * units**BULK_EXPONENT if units else OTHER_MS
    return OTHER_MS


def _search_ms(body: bytes) -> float:
    try:
        query = json.loads(body) if body else {}
    except ValueError:
        return OTHER_MS
    if not isinstance(query, dict):
        return OTHER_MS
    page = query.get("page")
    depth = page - 1 if isinstance(page, int) and page > 1 else 0
    if query.get("albumIds"):
        return SEARCH_ALBUM_MS
    first, per_page = SEARCH_PEOPLE_MS if query.get("withPeople") is True else SEARCH_MS
    return first + per_page * depth


@dataclass
class CostModel:
    """Immich-like costs for a `DemoServer` (``server.costs = CostModel()``)."""

    cores: int = 1  # requests served at once (see the module's docstring)
    compress: bool = True
    busy_seconds: float = 0.0  # service time charged so far (what the real server would spend)
    _slots: threading.BoundedSemaphore = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._slots = threading.BoundedSemaphore(self.cores)

    @contextmanager
    def core(self) -> Iterator[float]:
        """Hold one of the server's cores; yields the time it was taken (perf_counter)."""
        with self._slots:
            yield time.perf_counter()

    def charge(
        self,
        started: float,
        method: str,
        spec_path: str | None,
        body: bytes,
        accept_encoding: str,
        resp: Response,
    ) -> Response:
        """The answer as Immich would send it (gzipped if accepted), once its service time has
        passed since `started` (call it while holding `core`)."""
        seconds = service_ms(method, spec_path, body, resp.body) / 1000
        if self.compress and _gzip_ok(accept_encoding, resp):
            packed = gzip.compress(resp.body, GZIP_LEVEL, mtime=0)
            headers = {**resp.headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
            resp = replace(resp, body=packed, headers=headers)
        with self._lock:
            self.busy_seconds += seconds
        rest = seconds - (time.perf_counter() - started)
        if rest > 0:
            time.sleep(rest)
        return resp


def _gzip_ok(accept_encoding: str, resp: Response) -> bool:
    accepted = {p.split(";")[0].strip().lower() for p in accept_encoding.split(",")}
    return (
        "gzip" in accepted
        and "json" in resp.content_type
        and len(resp.body) >= GZIP_MIN_BYTES
        and "Content-Encoding" not in resp.headers
    )
