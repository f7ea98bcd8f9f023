"""The approval queue in the app: a sync holds an `approve_new` rule's photos back, the Sync tab
says how many wait, and the review screen (w) approves one (a), vetoes one (x) and approves the
rest (A), by the keys its footer shows, against the demo server."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.tui.screens.review import ReviewScreen
from ppl2album_tui.tui.screenshots import SIZE, demo_config, wait_idle
from ppl2album_tui.tui.widgets.asset_view import AssetView
from tests.sync_helpers import photos_of
from tests.tui.helpers import anna_ben_rule, build_app, screen_text


async def test_waiting_photos_are_approved_and_vetoed_on_the_review_screen(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    lib = demo_server.library
    rule = anna_ben_rule(demo_server, approve_new=True)
    app = build_app(demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]))
    wanted = photos_of(lib, "Anna", "Ben")
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("s")  # sync now: nothing is added, everything waits
        await wait_idle(pilot)
        assert not [a for a in lib.albums.values() if a.name == "Kids"]
        await pilot.press("4")
        await wait_idle(pilot)
        assert f"{len(wanted):,} waiting" in screen_text(app)
        assert "w review waiting" in screen_text(app)

        await pilot.press("w")
        await wait_idle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        text = screen_text(app)
        assert f"{len(wanted):,} photos waiting" in text
        assert "Approve" in text and "Veto all" in text  # the footer
        grid = app.screen.query_one(AssetView)
        first = grid.current_asset()
        assert first is not None
        await pilot.press("a")  # approve: the album is made with this one photo
        await wait_idle(pilot)
        kids = lib.album_by_name("Kids")
        assert set(kids.asset_ids) == {first.id}
        vetoed = grid.current_asset()
        assert vetoed is not None and vetoed.id != first.id
        await pilot.press("x")
        await wait_idle(pilot)
        assert vetoed.id in load_config(tmp_path / "config.toml").rules[0].never_add
        assert f"{len(wanted) - 2:,} photos waiting" in screen_text(app)
        await pilot.press("A")
        await wait_idle(pilot)
        assert set(kids.asset_ids) == wanted - {vetoed.id}
        assert "Nothing waits" in screen_text(app)
        await pilot.press("escape")
        await wait_idle(pilot)
        status = app.screen.query_one("#sync-rules", DataTable).get_cell("Kids", "status")
        assert str(status) == "✓ ok"
