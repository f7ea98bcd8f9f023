"""The large view: the photo fitted to the screen with its file name, date, people, video length
and album membership; veto and restore from it and from the grid, with keys and with the mouse."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Static

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.tui.screens.modals import PhotoScreen
from ppl2album_tui.tui.screenshots import demo_config, wait_idle
from ppl2album_tui.tui.widgets.asset_view import AssetView, video_length
from ppl2album_tui.tui.widgets.key_footer import KeyFooter
from ppl2album_tui.tui.widgets.photo_view import SIXEL_MAX_PIXELS, PhotoView, fit_cells
from ppl2album_tui.tui.widgets.thumb_grid import GAP
from tests.tui.helpers import anna_ben_rule, build_app
from tests.tui.test_tui_grid import open_preview, thumbnail_requests


def test_fit_keeps_the_aspect_and_sixel_under_xterms_limit() -> None:
    # a 4:3 picture in 130 x 27 cells of 8 x 17 pixels: the height decides
    assert fit_cells((1440, 1080), (130, 27), (8, 17)) == (76, 27)
    # a wide room, tall cells: capped at 1000 pixels a side for sixel
    width, height = fit_cells((1440, 1080), (200, 60), (8, 20), SIXEL_MAX_PIXELS)
    assert width * 8 <= 1000 and height * 20 <= 1000 and (width, height) == (125, 37)


def facts_text(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    return str(screen.query_one("#photo-facts", Static).render())


async def test_large_view_facts_veto_restore_keys_and_mouse(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    lib = demo_server.library
    config = demo_config(demo_server.api_key, [anna_ben_rule(demo_server)])
    app = build_app(demo_server, tmp_path, config=config, autosync=False)
    async with app.run_test(size=(140, 44)) as pilot:
        view = await open_preview(pilot, demo_server)
        grid = view.grid
        # a video: its length on the tile, as the demo server sent it
        index = next(i for i, t in enumerate(grid.tiles) if view.assets[t.key].type == "VIDEO")
        video = view.assets[grid.tiles[index].key]
        seconds = round(lib.assets[video.id].duration_ms / 1000)  # type: ignore[operator]
        length = f"{seconds // 60}:{seconds % 60:02}"
        assert video_length(video) == length and grid.tiles[index].badge == f"▶ {length}"

        # the mouse: a double click on the video's tile opens the large view
        grid.move_to(video.id)
        await wait_idle(pilot)
        rows = grid.grid_layout
        row = rows.row_of(index)
        x = 1 + (index - rows.tiles_of(row).start) * (grid.tile_width + GAP) + 2
        y = rows.row_y(row) + rows.has_header(row) + 1 - int(grid.scroll_y)
        await pilot.click(grid, offset=(x, y), times=2)
        await wait_idle(pilot)
        screen = app.screen
        assert isinstance(screen, PhotoScreen) and screen.asset.id == video.id
        title = str(screen.query_one("#photo-title", Static).render())
        assert title == video.original_file_name
        text = facts_text(app)
        assert f"{video.taken_at:%Y-%m-%d %H:%M}" in text and f"video ▶ {length}" in text
        in_it = {lib.people[p].name for p in lib.assets[video.id].people} & {"Anna", "Ben"}
        assert f"The rule's people in it: {', '.join(sorted(in_it))}" in text
        assert "Album: To add to “Kids” on the next apply" in text
        # the picture: the tile's cached thumbnail, fitted with its aspect (4:3, cells 1:2)
        picture = screen.query_one(PhotoView)
        assert picture.data is not None
        drawn = screen.query_one("#photo-image").size
        assert 1.3 < drawn.width / (2 * drawn.height) < 1.45
        assert thumbnail_requests(demo_server).count(video.id) == 1  # the tile's, reused

        # veto with the key, restore with the button: the view stays on the photo
        await pilot.press("space")
        await wait_idle(pilot)
        assert video.id in load_config(tmp_path / "config.toml").rules[0].never_add
        assert "Album: Vetoed: never added to “Kids”" in facts_text(app)
        assert str(screen.query_one("#photo-veto", Button).label) == "Restore"
        assert video.id not in {t.key for t in grid.tiles}
        await pilot.click("#photo-veto")
        await wait_idle(pilot)
        assert video.id not in load_config(tmp_path / "config.toml").rules[0].never_add
        assert "Album: To add" in facts_text(app)
        await pilot.click("#photo-close")
        await wait_idle(pilot)
        assert not isinstance(app.screen, PhotoScreen)

        # the grid with the mouse: a click on a tile, then the footer's "space Veto/restore"
        first = grid.tiles[0].key
        await pilot.click(grid, offset=(3, 2))
        assert grid.current_key() == first
        footer = app.screen.query_one(KeyFooter)
        await pilot.click(footer, offset=footer.offset_of("space"))
        await wait_idle(pilot)
        assert first in load_config(tmp_path / "config.toml").rules[0].never_add
        vetoed = app.screen.query_one("#table-vetoed", AssetView)
        app.screen.query_one("#preview-tabs").active = "sec-vetoed"  # type: ignore[attr-defined]
        await wait_idle(pilot)
        # enter on the Vetoed grid: the large view says so and restores
        vetoed.focus()
        await pilot.press("enter")
        await wait_idle(pilot)
        assert "Album: Vetoed" in facts_text(app)
        await pilot.press("space", "escape")
        await wait_idle(pilot)
        assert first not in load_config(tmp_path / "config.toml").rules[0].never_add
        assert first in {t.key for t in grid.tiles}


async def test_large_view_of_a_filtered_photo_tells_why(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    rule = anna_ben_rule(demo_server, globs=["*.jpg"])
    app = build_app(demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]))
    async with app.run_test(size=(140, 44)) as pilot:
        await open_preview(pilot, demo_server)
        app.screen.query_one("#preview-tabs").active = "sec-filtered"  # type: ignore[attr-defined]
        await wait_idle(pilot)
        section = app.screen.query_one("#table-filtered", AssetView)
        section.focus()
        asset = section.current_asset()
        assert asset is not None
        await pilot.press("enter")
        await wait_idle(pilot)
        assert isinstance(app.screen, PhotoScreen)
        assert f"Album: Filtered out: {section.reasons[asset.id]}" in facts_text(app)
        assert not app.screen.query_one("#photo-veto", Button).display  # nothing to veto
