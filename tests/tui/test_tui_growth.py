"""The Sync tab's growth chart: photos added per day from the journal, undone ones not counted."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Sparkline, Static

from ppl2album_tui.sync.journal import ApplyRecord, Journal
from ppl2album_tui.tui.widgets.growth import GrowthChart, daily_added, summary


def test_journal_applies_become_days(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.jsonl")
    journal.record_apply("a1", "Kids", "album", ["p1", "p2", "p3"])
    journal.record_apply("a2", "Kids", "album", ["p4"])
    journal.record_apply("b1", "Other", "album2", ["q1"])
    journal.record_undo("a1", "Kids", "album", ["p3"])
    today = datetime.now(UTC).date()
    kids = journal.applies("Kids")
    older = ApplyRecord("a0", "Kids", "album", "2026-05-20T08:00:00+00:00", ["o1", "o2"])
    too_old = ApplyRecord("z", "Kids", "album", "2026-01-01T08:00:00+00:00", ["x"])
    days = daily_added([too_old, older], today=date(2026, 6, 1), days=14)
    assert len(days) == 14 and days[-13] == 2 and sum(days) == 2  # 20 May in, 1 January out
    assert daily_added(kids, today=today)[-1] == 3  # p1, p2, p4: p3 was undone
    assert str(summary(kids, today=today)).startswith("+3 in 14 days · last: ")
    assert str(summary([], today=today)) == "nothing added yet"


async def test_chart_shows_the_running_total() -> None:
    records = [
        ApplyRecord("a", "Kids", "album", "2026-05-30T08:00:00+00:00", ["1", "2"]),
        ApplyRecord("b", "Kids", "album", "2026-06-01T09:00:00+00:00", ["3"]),
    ]

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield GrowthChart()

    app = Host()
    async with app.run_test() as pilot:
        chart = app.query_one(GrowthChart)
        chart.show(records, date(2026, 6, 1), days=4)
        await pilot.pause()
        assert list(chart.query_one(Sparkline).data or []) == [0, 2, 2, 3]
        words = str(chart.query_one(Static).render())
        assert words == "+3 in 4 days · last: 06-01 +1, 05-30 +2"
