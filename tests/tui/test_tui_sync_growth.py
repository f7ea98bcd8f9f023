"""The Sync tab's growth chart over HTTP: sync runs on the demo server on two days, then the chart
of the rule under the cursor shows the album's running total and the last runs from the journal."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Sparkline, Static

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.tui.screenshots import wait_idle
from ppl2album_tui.tui.widgets.growth import GrowthChart
from tests.tui.helpers import FakeClock, kids_app


async def test_sync_runs_grow_the_chart(demo_server: DemoServer, tmp_path: Path) -> None:
    lib = demo_server.library
    clock = FakeClock()
    app = kids_app(demo_server, tmp_path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_idle(pilot)
        await pilot.press("s")  # sync now: the rule adds its photos to the new album "Kids"
        await wait_idle(pilot)
        first = len(lib.album_by_name("Kids").asset_ids)
        assert first > 0

        clock.advance(2 * 86400)  # two days later, a new photo of Anna is uploaded
        lib.add_asset(people=[lib.person_by_name("Anna").id], file_name="NEW_0001.JPG")
        await pilot.press("s")
        await wait_idle(pilot)
        assert len(lib.album_by_name("Kids").asset_ids) == first + 1

        await pilot.press("4")
        await wait_idle(pilot)
        chart = app.screen.query_one(GrowthChart)
        assert chart.display
        data = list(chart.query_one(Sparkline).data or [])
        assert len(data) == 14 and data[-3:] == [first, first, first + 1] and data[0] == 0
        words = str(chart.query_one(Static).render())
        day1, day3 = f"{clock.now.replace(day=clock.now.day - 2):%m-%d}", f"{clock.now:%m-%d}"
        assert words == f"+{first + 1:,} in 14 days · last: {day3} +1, {day1} +{first:,}"
