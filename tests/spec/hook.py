"""Wire the contract validator into a running DemoServer (``on_exchange``) for the whole suite."""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

from .loader import spec_missing_reason
from .validator import ContractValidator, ExchangeLike, Violation, describe

MAX_LISTED = 30

_recorders: weakref.WeakKeyDictionary[Any, ContractRecorder] = weakref.WeakKeyDictionary()


class ContractRecorder:
    """Validates each exchange as the server reports it; keeps the violations for teardown."""

    # Session-wide totals (all recorders), to tell how much time validation adds to the suite.
    total_exchanges = 0
    total_seconds = 0.0

    def __init__(self, validator: ContractValidator) -> None:
        self.validator = validator
        self.violations: list[Violation] = []
        self.exchanges = 0
        self.exempted = 0
        self._exempt_depth = 0
        self._lock = threading.Lock()

    def __call__(self, exchange: ExchangeLike) -> None:
        """The ``on_exchange`` hook: never raises into the server thread."""
        with self._lock:
            self.exchanges += 1
            started = time.perf_counter()
            try:
                found = self.validator.check(exchange)
            except Exception as exc:  # a validator bug must show, not kill the request
                found = [Violation(describe(exchange), "validator", f"crashed: {exc!r}")]
            ContractRecorder.total_exchanges += 1
            ContractRecorder.total_seconds += time.perf_counter() - started
            if found and self._exempt_depth:
                self.exempted += len(found)
                return
            self.violations.extend(found)

    @contextlib.contextmanager
    def exempt(self) -> Iterator[None]:
        """Inside this block, violations are counted but not reported (deliberately bad input)."""
        with self._lock:
            self._exempt_depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._exempt_depth -= 1

    def report(self) -> str | None:
        """A readable list of the violations, or None when there were none."""
        with self._lock:
            found = list(self.violations)
        if not found:
            return None
        lines = [f"{len(found)} Immich OpenAPI contract violation(s) in this test:"]
        lines += [f"  - {v}" for v in found[:MAX_LISTED]]
        if len(found) > MAX_LISTED:
            lines.append(f"  ... and {len(found) - MAX_LISTED} more")
        lines.append(
            "(spec: ../shared/immich-openapi-specs.json; a test that breaks the spec on purpose "
            "wraps those requests in tests.spec.spec_violations_allowed(server))"
        )
        return "\n".join(lines)


def attach_contract_checker(server: Any) -> ContractRecorder | None:
    """Install the validator as ``server.on_exchange``; None (nothing installed) without spec."""
    if spec_missing_reason() is not None:
        return None
    from . import get_validator

    recorder = ContractRecorder(get_validator())
    server.on_exchange = recorder
    _recorders[server] = recorder
    return recorder


def recorder_for(server: Any) -> ContractRecorder | None:
    """The recorder attached to ``server`` (None when the spec is absent)."""
    return _recorders.get(server)


@contextlib.contextmanager
def spec_violations_allowed(server: Any) -> Iterator[None]:
    """Let a test send spec-breaking requests on purpose, e.g. to test the server's 400s."""
    recorder = recorder_for(server)
    if recorder is None:
        yield
        return
    with recorder.exempt():
        yield
