"""The Preview as a thumbnail grid: keys, veto and restore, the large view, the list toggle, and
a 30,000-photo preview that asks the demo server only for the tiles on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ppl2album_tui.demo.library import generate_library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.tui.panes.preview import PreviewPane
from ppl2album_tui.tui.screens.modals import PhotoScreen
from ppl2album_tui.tui.screenshots import SIZE, demo_config, wait_idle
from ppl2album_tui.tui.widgets.asset_view import AssetView
from ppl2album_tui.tui.widgets.thumb_grid import MARGIN_BANDS, ThumbGrid
from tests.conftest import running_server
from tests.tui.helpers import anna_ben_rule, build_app


def thumbnail_requests(server: DemoServer) -> list[str]:
    """Asset ids whose thumbnail was asked for, in order."""
    return [
        r.path.split("/")[3]
        for r in server.request_log
        if r.method == "GET" and r.path.startswith("/api/assets/") and r.path.endswith("/thumbnail")
    ]


async def open_preview(pilot: Any, server: DemoServer) -> AssetView:
    """Preview the saved Anna & Ben rule and go to the Preview tab (key 3)."""
    app = pilot.app
    await wait_idle(pilot)
    app.screen.query_one(PreviewPane).load(app.config.rules[0])
    await pilot.press("3")
    await wait_idle(pilot)
    view: AssetView = app.screen.query_one("#table-to_add", AssetView)
    view.focus()
    await wait_idle(pilot)
    return view


def on_screen(grid: ThumbGrid) -> int:
    """How many tiles the screen can show at once, with the loading margin."""
    rows = grid.size.height // grid.tile_height + 2 + 2 * MARGIN_BANDS
    return rows * grid.columns


async def test_grid_keys_veto_restore_large_view_and_list(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    config = demo_config(demo_server.api_key, [anna_ben_rule(demo_server)])
    app = build_app(demo_server, tmp_path, config=config, autosync=False)
    async with app.run_test(size=(140, 44)) as pilot:
        view = await open_preview(pilot, demo_server)
        grid = view.grid
        assert grid.display and not view.table.display and grid.has_focus
        assert grid.columns == 6  # 20-cell tiles fill 140 columns
        first = grid.tiles[0]
        assert first.group and first.mark == "+"  # a month header over it, marked "to add"
        await pilot.press("right")
        second = grid.current_key()
        assert second == grid.tiles[1].key
        # the line under the grid tells the photo
        status = str(view.query_one(".asset-view--status").render())
        assert view.assets[second].original_file_name in status

        await pilot.press("space")  # veto
        await wait_idle(pilot)
        rule = app.config.rules[0]
        assert second in rule.never_add
        assert second not in {t.key for t in grid.tiles}
        vetoed = app.screen.query_one("#table-vetoed", AssetView)
        assert [t.key for t in vetoed.grid.tiles] == [second]
        assert vetoed.grid.tiles[0].mark == "✗"

        await pilot.press("enter")  # the large view of the photo now under the cursor
        await wait_idle(pilot)
        assert isinstance(app.screen, PhotoScreen)
        assert app.screen.asset.id == grid.current_key()
        await pilot.press("escape")
        await wait_idle(pilot)

        # v: the list, on the same photo, and back
        key = grid.current_key()
        await pilot.press("v")
        assert view.table.display and not grid.display
        assert view.table.current_key() == key and view.table.has_focus
        await pilot.press("v")
        assert grid.display and grid.current_key() == key

        # +/-: bigger tiles, fewer columns
        await pilot.press("plus")
        await wait_idle(pilot)
        assert grid.tile_width > 20 and grid.columns < 6
        await pilot.press("minus", "minus")
        assert grid.tile_width < 20 and grid.columns > 6

        # restore from the Vetoed tab's grid
        app.screen.query_one("#preview-tabs").active = "sec-vetoed"
        await wait_idle(pilot)
        vetoed.focus()
        await pilot.press("space")
        await wait_idle(pilot)
        assert second not in rule.never_add
        assert second in {t.key for t in grid.tiles}


async def test_a_30000_photo_preview_asks_only_for_the_tiles_on_screen(tmp_path: Path) -> None:
    library = generate_library(people=2, assets=38_200, seed=7)
    with running_server(library) as server:
        config = demo_config(server.api_key, [anna_ben_rule(server)])
        app = build_app(server, tmp_path, config=config, autosync=False)
        async with app.run_test(size=SIZE) as pilot:
            view = await open_preview(pilot, server)
            grid = view.grid
            assert len(grid.tiles) >= 30_000
            bound = on_screen(grid)
            first_screen = thumbnail_requests(server)
            assert 0 < len(first_screen) <= bound
            # every tile on screen has its picture
            lo, hi = grid.view_range()
            assert all(t.key in grid._data for t in grid.tiles[lo : hi + 1] if t.key)
            await pilot.press("end")
            await wait_idle(pilot)
            to_end = thumbnail_requests(server)[len(first_screen) :]
            assert 0 < len(to_end) <= bound
            assert grid.tiles[-1].key in to_end
            for _ in range(5):
                await pilot.press("pageup")
            await wait_idle(pilot)
            total = thumbnail_requests(server)
            assert len(total) <= 7 * bound < 30_000 // 50
            assert len(set(total)) == len(total)  # nothing asked twice


async def test_people_face_grid_marks_and_filter(demo_server: DemoServer, tmp_path: Path) -> None:
    from textual.widgets import Input

    from ppl2album_tui.tui.widgets.people_view import PeopleView

    lib = demo_server.library
    app = build_app(demo_server, tmp_path, autosync=False)
    async with app.run_test(size=(140, 44)) as pilot:
        await wait_idle(pilot)
        view = app.screen.query_one(PeopleView)
        grid = view.grid  # People opens as the face grid
        assert grid.display and grid.has_focus and grid.columns == 7
        anna = lib.person_by_name("Anna")
        first = grid.tiles[0]
        assert (first.key, first.label, first.badge) == (
            anna.id,
            "Anna",
            f"{lib.timeline_count(anna.id):,}",
        )
        assert anna.id in grid._data  # its face came from the server
        await pilot.press("space", "right", "x")
        second = grid.tiles[1]
        assert view.table.marks == {anna.id: "+", second.key: "-"}
        assert [t.mark for t in grid.tiles[:2]] == ["✓", "✗"]
        bar = str(app.screen.query_one("#people-selection").render())
        assert "1 selected: Anna" in bar
        await pilot.press("c", "l")  # letters filter, as on the list
        await wait_idle(pilot)
        assert app.screen.query_one("#people-filter", Input).value == "cl"
        assert [t.label for t in grid.tiles] == ["Clara"]
        await pilot.press("escape")
        await wait_idle(pilot)
        assert grid.has_focus and len(grid.tiles) == len(lib.named_people())
        await pilot.press("v")  # back to the list, on the same person
        assert view.table.display and view.table.current_key() == grid.current_key()


async def test_face_grid_keeps_the_focus_across_tabs(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    from ppl2album_tui.tui.widgets.people_view import PeopleView

    app = build_app(demo_server, tmp_path, autosync=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("4", "1")  # the Sync tab, back to People: the face grid
        await wait_idle(pilot)
        view = app.screen.query_one(PeopleView)
        assert view.grid.display and view.grid.has_focus
        await pilot.press("v", "4", "1")  # the list stays the list
        await wait_idle(pilot)
        assert view.table.display and view.table.has_focus
