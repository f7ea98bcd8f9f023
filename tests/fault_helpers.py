"""Helpers for the reliability tests: watch a demo server, act mid-run, compute the truth.

`ServerWatch` wraps a running DemoServer (after the contract checker is attached): it counts
requests that reached the fault injector and requests that were answered, so `drain()` can wait
for requests the client gave up on (timeouts) to finish on the server before the album is
inspected, and `after()` runs an action (revoke the key, delete the album, merge a person) right
after the n-th matching exchange, before its answer is sent.

The expected album contents are computed from the demo library directly, never through the app.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer, Exchange
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.retry import RetryPolicy
from ppl2album_tui.sync.rules import PersonRef

# retries stay real (tenacity, Retry-After, bounds) but waits are tiny so the matrix is fast
TINY_RETRY = RetryPolicy(attempts=2, base=0.01, max_wait=0.05, total=10.0, retries_on_500=1)
READ_TIMEOUT = 0.5  # the client's timeout in the fault tests
SLOW = 0.8  # a "timeout" fault delays the answer this long (beyond READ_TIMEOUT)
WRITES = ("PUT", "POST", "DELETE", "PATCH")


def tiny_client(srv: DemoServer, key: str | None = None, **kw: object) -> ImmichClient:
    """An ImmichClient on `srv` with the tiny retry policy and a short read timeout."""
    return ImmichClient(
        srv.url,
        srv.api_key if key is None else key,
        retry=TINY_RETRY,
        timeout=READ_TIMEOUT,
        **kw,  # type: ignore[arg-type]
    )


@dataclass
class _Trigger:
    method: str
    pattern: str
    n: int
    action: Callable[[], None]
    seen: int = 0
    fired: bool = False


class ServerWatch:
    """Counts requests in flight on `srv` and runs actions after chosen exchanges."""

    def __init__(self, srv: DemoServer) -> None:
        self.srv = srv
        self.arrived = 0
        self.answered = 0
        self._lock = threading.Lock()
        self._triggers: list[_Trigger] = []
        inner_take = srv.faults.take

        def take(method: str, path: str):  # type: ignore[no-untyped-def]
            with self._lock:
                self.arrived += 1
            return inner_take(method, path)

        srv.faults.take = take  # type: ignore[method-assign]
        previous = srv.on_exchange

        def hook(ex: Exchange) -> None:
            try:
                if previous is not None:
                    previous(ex)
            finally:
                with self._lock:
                    self.answered += 1
                    due = []
                    for t in self._triggers:
                        if (
                            not t.fired
                            and ex.method == t.method
                            and (ex.path == t.pattern or fnmatch.fnmatchcase(ex.path, t.pattern))
                        ):
                            t.seen += 1
                            if t.seen >= t.n:
                                t.fired = True
                                due.append(t)
                for t in due:
                    t.action()

        srv.on_exchange = hook

    def after(self, method: str, pattern: str, action: Callable[[], None], n: int = 1) -> None:
        """Run `action` right after the n-th `method pattern` exchange (before its answer)."""
        with self._lock:
            self._triggers.append(_Trigger(method, pattern, n, action))

    def fired(self) -> bool:
        with self._lock:
            return all(t.fired for t in self._triggers)

    def drain(self, timeout: float = 30.0) -> None:
        """Wait until every request that reached the server has been answered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self.answered >= self.arrived:
                    return
            time.sleep(0.01)
        raise AssertionError("the demo server still has requests in flight")


def ref(lib: Library, name: str) -> PersonRef:
    return PersonRef(lib.person_by_name(name).id, name)


def timeline_photos(lib: Library, people: Iterable[str]) -> set[str]:
    """Ids of timeline, non-trashed photos showing any of the person ids (the truth)."""
    out: set[str] = set()
    with lib.lock:
        for pid in people:
            for aid in lib.faces.get(pid, ()):
                a = lib.assets[aid]
                if a.visibility == "timeline" and a.deleted_at is None:
                    out.add(aid)
    return out


def album_now(lib: Library, album_id: str | None) -> set[str]:
    with lib.lock:
        album = lib.albums.get(album_id or "")
        return set(album.asset_ids) if album else set()


def albums_named(lib: Library, name: str) -> list[str]:
    with lib.lock:
        return [a.id for a in lib.albums.values() if a.name == name]


def puts_to(srv: DemoServer, album_id: str | None) -> int:
    """How many add requests reached `album_id` (injected answers included)."""
    if not album_id:
        return 0
    path = f"/api/albums/{album_id}/assets"
    return sum(1 for r in srv.request_log if r.method == "PUT" and r.path == path)


_REPR = re.compile(r"Traceback|\w+Error\(|\w+Exception\(|<[\w.]+ object at 0x")


def is_clear_sentence(text: str, secret: str = "") -> bool:
    """One line, a complete sentence, no traceback or Python repr, never the key."""
    return (
        bool(text.strip())
        and "\n" not in text.strip()
        and text.rstrip().endswith((".", ")", "?"))
        and len(text) < 400
        and not _REPR.search(text)
        and (not secret or secret not in text)
    )


def tls_server_context(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A server-side TLS context with a fresh self-signed certificate for 127.0.0.1, and that
    certificate's path (skips the test when openssl is missing)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, cert
