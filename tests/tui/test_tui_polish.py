"""Small things a user meets, each pinned by a Pilot test against the demo server."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.tui.panes.sync import SyncPane
from ppl2album_tui.tui.screenshots import SIZE, wait_idle
from tests.tui.helpers import kids_app


async def test_sync_tab_says_what_an_undo_did(demo_server: DemoServer, tmp_path: Path) -> None:
    app = kids_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("s")
        await wait_idle(pilot)
        added = len(demo_server.library.album_by_name("Kids").asset_ids)
        assert added
        app.action_undo("Kids")
        await wait_idle(pilot)
        await pilot.click("#yes")
        await wait_idle(pilot)
        await pilot.press("4")
        await wait_idle(pilot)
        pane = app.screen.query_one(SyncPane)
        detail = str(pane.query_one("#sync-detail", Static).render())
        assert "added by its last run" not in detail
        assert f"Undone: {added:,} photos taken out of “Kids”" in detail
        table = pane.query_one("#sync-rules", DataTable)
        assert str(table.get_cell("Kids", "status")) == "↶ undone"
        assert str(table.get_cell("Kids", "added")) == f"−{added:,}"
        assert "Auto-sync adds them again unless you veto them" in detail  # as it does:
        await pilot.press("s")  # the next cycle words its own result again
        await wait_idle(pilot)
        detail = str(pane.query_one("#sync-detail", Static).render())
        assert "Undone" not in detail and f"{added:,} added by its last run" in detail
        assert len(demo_server.library.album_by_name("Kids").asset_ids) == added
