"""Auto-sync state: schedule, pause, per-rule results, the activity log (no Textual here)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ppl2album_tui.sync.keys import MIN_INTERVAL_SECONDS


@dataclass
class RuleStatus:
    """What the dashboard shows for one rule after its last cycle."""

    last_run: datetime | None = None
    added: int = 0
    pending: int = 0  # to add, waiting for review (auto-apply off)
    waiting: int = 0  # approve_new: new photos waiting for approval (w reviews them)
    shared_link: str | None = None  # the album's shared link, once made
    errors: list[str] = field(default_factory=list)
    undone: int | None = None  # set by an undo (photos it took out), cleared by the next run
    restored: int = 0  # photos that undo put back (mirror mode removals)


@dataclass
class AutoSyncState:
    """The timer's state; the app drives it, the dashboard and header read it."""

    clock: Callable[[], datetime]
    interval: int = 900
    paused: bool = False
    running: bool = False
    next_run: datetime | None = None
    last_cycle: datetime | None = None
    cycles: int = 0
    rules: dict[str, RuleStatus] = field(default_factory=dict)
    activity: deque[str] = field(default_factory=lambda: deque(maxlen=500))
    logged: int = 0  # lines ever logged (the dashboard shows the ones it has not shown yet)

    def schedule(self) -> None:
        """Plan the next tick one interval from now."""
        self.next_run = self.clock() + timedelta(seconds=self.interval)

    def due(self) -> bool:
        """True when a tick should start now."""
        return (
            not self.paused
            and not self.running
            and self.next_run is not None
            and self.clock() >= self.next_run
        )

    def seconds_left(self) -> int:
        """Seconds until the next tick (0 when due)."""
        if self.next_run is None:
            return self.interval
        return max(0, int((self.next_run - self.clock()).total_seconds()))

    def countdown(self) -> str:
        """`mm:ss` until the next tick."""
        left = self.seconds_left()
        return f"{left // 60:02d}:{left % 60:02d}"

    def status(self, name: str) -> RuleStatus:
        """The (created on demand) status of rule `name`."""
        return self.rules.setdefault(name, RuleStatus())

    def log(self, message: str) -> str:
        """Append a timestamped line to the activity log and return it."""
        line = f"{self.clock():%H:%M:%S}  {message}"
        self.activity.append(line)
        self.logged += 1
        return line


@dataclass(frozen=True)
class Outcome:
    """How the app words a rule's last result: `short` for the Status column, `sentence` (the
    rule not named in it) for the detail line, the log and the toasts."""

    short: str
    sentence: str
    kind: str  # "off", "error", "waiting", "review", "undone", "ok": the style the widgets give it


def rule_outcome(
    status: RuleStatus, *, enabled: bool, auto: bool, album: str = "the album"
) -> Outcome:
    """The one place that words a rule's outcome; `status.errors` are the texts of the engine's
    Problem records (without the rule, which the app names itself)."""
    if not enabled:
        return Outcome("disabled", "Disabled: auto-sync skips it (e on the Sync tab).", "off")
    if status.errors:
        return Outcome("⚠ failed (details below)", " ".join(status.errors), "error")
    if status.last_run is None:
        return Outcome("waiting for the first run", "Not run yet.", "waiting")
    if status.undone is not None:
        n, back = status.undone, status.restored
        again = " Auto-sync adds them again unless you veto them or disable the rule."
        return Outcome(
            "↶ undone",
            f"Undone: {n:,} photo{'s' if n != 1 else ''} taken out of {album}"
            + (f", {back:,} put back" if back else "")
            + f" by the undo of its last apply.{again if auto else ''}",
            "undone",
        )
    if status.waiting:
        n = status.waiting
        return Outcome(
            f"{n:,} waiting",
            f"{n:,} new photo{'s' if n != 1 else ''} wait for your approval: w reviews them.",
            "review",
        )
    if not auto and status.pending:
        n = status.pending
        return Outcome(
            f"{n:,} waiting for review",
            f"{n:,} photo{'s' if n != 1 else ''} to add, waiting for review (auto-apply off).",
            "review",
        )
    return Outcome("✓ ok", f"Up to date: {status.added:,} added by its last run.", "ok")


def describe_interval(seconds: int) -> str:
    """'every 15 min', 'every 30 s', 'every 2 h'."""
    if seconds % 3600 == 0 and seconds >= 3600:
        return f"every {seconds // 3600} h"
    if seconds % 60 == 0 and seconds >= 60:
        return f"every {seconds // 60} min"
    return f"every {seconds} s"


def parse_interval(text: str) -> int:
    """Parse '15m', '900', '1h', '30s' into seconds (>= 10); raises ValueError with one sentence."""
    raw = text.strip().lower().replace(" ", "")
    units = {"s": 1, "m": 60, "min": 60, "h": 3600}
    for suffix in ("min", "s", "m", "h"):
        if raw.endswith(suffix) and raw[: -len(suffix)].isdigit():
            value = int(raw[: -len(suffix)]) * units[suffix]
            break
    else:
        if not raw.isdigit():
            raise ValueError("Write the interval as seconds or with a unit, e.g. 900, 15m or 1h.")
        value = int(raw)
    if value < MIN_INTERVAL_SECONDS:
        raise ValueError(f"The interval must be at least {MIN_INTERVAL_SECONDS} seconds.")
    return value
