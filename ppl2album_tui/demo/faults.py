"""Fault injection for the demo server: per path (exact or fnmatch), method and count."""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["status", "drop", "delay", "malformed", "html"]
KINDS: tuple[str, ...] = ("status", "drop", "delay", "malformed", "html")


@dataclass(slots=True)
class Fault:
    """One rule: `count` requests matching `path`/`method` get the fault (None = every time)."""

    path: str
    method: str | None = None
    kind: FaultKind = "status"
    status: int = 500
    delay: float = 0.0
    count: int | None = 1
    headers: dict[str, str] = field(default_factory=dict)
    hold: threading.Event | None = None  # the answer waits until this is set (tests: a pause)
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return path == self.path or fnmatch.fnmatchcase(path, self.path)

    @property
    def exhausted(self) -> bool:
        return self.count is not None and self.fired >= self.count


class FaultInjector:
    """Holds fault rules; the server asks `take(method, path)` for every request."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        path: str,
        method: str | None = None,
        kind: FaultKind = "status",
        status: int = 500,
        delay: float = 0.0,
        count: int | None = 1,
        headers: dict[str, str] | None = None,
        hold: threading.Event | None = None,
    ) -> Fault:
        """Register a fault; `path` is the request path without query (e.g. "/api/people*").

        kind: "status" answers `status` (with `headers`, e.g. Retry-After), "drop" closes the
        connection unanswered, "delay" waits `delay` seconds then answers normally, "malformed"
        sends 200 with broken JSON, "html" sends a proxy-style HTML page with `status`. A
        `delay` > 0 also delays the other kinds. `count=None` fires on every match. With `hold`,
        the answer also waits until that event is set (at most 60 s), so a test decides when.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {', '.join(KINDS)}")
        fault = Fault(path, method, kind, status, delay, count, dict(headers or {}), hold)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first live fault matching this request, counted as fired; None when none."""
        with self._lock:
            for fault in self._faults:
                if not fault.exhausted and fault.matches(method, path):
                    fault.fired += 1
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def pending(self) -> list[Fault]:
        """Faults that have not fired their full count yet."""
        with self._lock:
            return [f for f in self._faults if not f.exhausted]
