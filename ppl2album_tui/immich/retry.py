"""Retry policy for transient failures (tenacity inside).

What is retried, and why:

* Idempotent requests only: GETs, the read-only ``POST /search/metadata``, ``PUT
  /albums/{id}/assets`` (a repeated add answers ``duplicate``) and ``DELETE /albums/{id}/assets``
  (a repeated remove answers ``not_found``). ``POST /albums`` (create) is not retried once the
  request may have reached the server (timeout, dropped answer, 5xx): a retry could create the
  album twice. It is retried when the server refused it outright (429, or 503 with
  ``Retry-After``): such an answer says the request was not processed, so any request may
  be sent again.
* Transient conditions: 429, 502, 503, 504, timeouts, dropped connections (remote protocol
  errors, read/write errors) and refused connections (a rebooting server).
* A 500 is retried once (``retries_on_500``): Immich's 500s are mostly deterministic bugs, so
  retrying more only delays the clear failure, but one retry absorbs a proxy hiccup.
* For any request, including create, failures where the request certainly never left the
  machine (connection refused / connect timeout / no free pooled connection) are retried.
* TLS failures, unknown host names, 4xx other than 429, and bad answers are never retried.

Caveat: when an add's first attempt reached the server but its answer was lost, the retry
reports those ids as ``duplicate``; treating them as "already there" is the safe reading (an
undo then leaves them in the album rather than removing a photo it cannot prove it added).

Waits are exponential with jitter (``base * 2**n + U(0, base)``), at least ``Retry-After``
(seconds or an HTTP date) when the server sends one, never above ``max_wait``; retrying stops
after ``attempts`` attempts or when the next wait would pass ``total`` seconds overall.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC
from email.utils import parsedate_to_datetime

import msgspec
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type
from tenacity.stop import stop_after_attempt, stop_before_delay

from ppl2album_tui.immich.errors import ImmichError

RETRY_STATUSES = frozenset({429, 502, 503, 504})


class RetryPolicy(msgspec.Struct, frozen=True):
    """Bounds for retrying transient failures; tests pass a tiny one so they run fast."""

    attempts: int = 4  # total attempts, first one included
    base: float = 0.5  # first backoff, seconds (doubles each time, plus jitter)
    max_wait: float = 10.0  # no single wait is longer (also caps Retry-After)
    total: float = 60.0  # no retry starts after this many seconds overall
    retries_on_500: int = 1


class Transient(Exception):
    """Internal: a failure worth retrying; `error` is what the caller sees if retries run out."""

    def __init__(
        self, error: ImmichError, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after
        self.status = status


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait per a ``Retry-After`` header (seconds or HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def backoff(policy: RetryPolicy, attempt: int, retry_after: float | None) -> float:
    """Wait before retry `attempt` (1-based): jittered exponential, ≥ Retry-After, ≤ max_wait."""
    wait: float = policy.base * 2.0 ** (attempt - 1) + random.uniform(0, policy.base)
    if retry_after is not None:
        wait = max(wait, retry_after)
    return min(wait, policy.max_wait)


def retrying(policy: RetryPolicy, on_wait: Callable[[float], None] | None = None) -> AsyncRetrying:
    """A tenacity controller that retries `Transient` failures under `policy`.

    `on_wait(seconds)` is called before each backoff sleep (counters, logs).
    """

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = exc.retry_after if isinstance(exc, Transient) else None
        return backoff(policy, state.attempt_number, after)

    return AsyncRetrying(
        stop=stop_after_attempt(max(1, policy.attempts)) | stop_before_delay(policy.total),
        wait=wait,
        retry=retry_if_exception_type(Transient),
        before_sleep=(lambda state: on_wait(state.upcoming_sleep)) if on_wait else None,
        reraise=True,
    )
