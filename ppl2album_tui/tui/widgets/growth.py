"""A rule's album growth from the journal: a sparkline of the last days and its last runs.

`daily_added` turns the journal's applies of one rule into photos added per day (what was
undone since is not counted); `GrowthChart` draws the running total as Textual's Sparkline with a
line of words under it ("+312 in 14 days · last: 06-01 +12, 05-31 +3").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from ppl2album_tui.sync.journal import ApplyRecord

DAYS = 14
LAST_RUNS = 3


def _day(record: ApplyRecord) -> date:
    return datetime.fromisoformat(record.time).date()


def daily_added(applies: Iterable[ApplyRecord], *, today: date, days: int = DAYS) -> list[int]:
    """Photos added (and not undone) per day for the `days` days up to `today`, oldest first."""
    first = today - timedelta(days=days - 1)
    counts = [0] * days
    for record in applies:
        day = _day(record)
        if first <= day <= today:
            counts[(day - first).days] += len(record.undoable)
    return counts


def summary(applies: list[ApplyRecord], *, today: date, days: int = DAYS) -> Text:
    """'+312 in 14 days · last: 06-01 +12, 05-31 +3' (or 'nothing added yet')."""
    total = sum(daily_added(applies, today=today, days=days))
    runs = [r for r in applies if r.undoable][-LAST_RUNS:]
    if not runs:
        return Text("nothing added yet", style="dim")
    text = Text(f"+{total:,} in {days} days", style="bold")
    last = ", ".join(f"{_day(r):%m-%d} +{len(r.undoable):,}" for r in reversed(runs))
    text.append(f" · last: {last}", style="dim")
    return text


class GrowthChart(Vertical):
    """The album growth of one rule: call `show(applies, today)` with the journal's applies."""

    DEFAULT_CSS = """
    GrowthChart { height: 3; }
    GrowthChart > Sparkline { height: 2; }
    GrowthChart > Static { height: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Sparkline([], summary_function=max)
        yield Static(Text("nothing added yet", style="dim"))

    def show(self, applies: list[ApplyRecord], today: date, days: int = DAYS) -> None:
        """Draw the running total of photos added over the last `days` days."""
        per_day = daily_added(applies, today=today, days=days)
        data: list[Any] = list(accumulate(per_day))
        self.query_one(Sparkline).data = data
        self.query_one(Static).update(summary(applies, today=today, days=days))
