"""Small things a user meets, each pinned by a Pilot test against the demo server."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Static, TabbedContent

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.tui.panes.preview import PreviewPane
from ppl2album_tui.tui.panes.rules import MORE, RulesPane
from ppl2album_tui.tui.panes.sync import SyncPane
from ppl2album_tui.tui.screens.modals import ConfirmScreen, HelpScreen
from ppl2album_tui.tui.screenshots import SIZE, demo_config, select_people, wait_idle
from ppl2album_tui.tui.widgets.asset_view import AssetView
from tests.tui.helpers import FakeClock, anna_ben_rule, build_app, kids_app, screen_text, shown


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


async def test_to_remove_rows_name_the_photos_the_searches_no_longer_find(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    lib = demo_server.library
    rule = anna_ben_rule(demo_server, auto_apply=False, remove_unmatched=True)
    app = build_app(demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]))
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("2")
        await wait_idle(pilot)
        await pilot.click("#rule-preview")
        await wait_idle(pilot)
        await pilot.press("a")
        await wait_idle(pilot)
        await pilot.click("#yes")
        await wait_idle(pilot)
        await pilot.press("escape")
        await wait_idle(pilot)
        anna = lib.person_by_name("Anna").id
        kids = lib.album_by_name("Kids").id
        moved = [i for i in lib.albums[kids].asset_ids if lib.assets[i].people == [anna]][:2]
        for asset_id in moved:  # now Clara's: Anna's and Ben's searches no longer find them
            lib.reassign_face(asset_id, anna, lib.person_by_name("Clara").id)
        pane = app.screen.query_one(PreviewPane)
        pane.query_one("#table-to_add").focus()
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        pane.query_one("#preview-tabs", TabbedContent).active = "sec-to_remove"
        await wait_idle(pilot)
        view = pane.query_one("#table-to_remove", AssetView)
        names = {lib.assets[i].original_file_name for i in moved}
        assert {a.original_file_name for a in view.assets.values()} == names
        assert all(a.taken_at is not None for a in view.assets.values())
        view.focus()
        await wait_idle(pilot)
        assert any(name in screen_text(app) for name in names)  # under the grid: the photo's name
        await pilot.press("v")  # the list
        await wait_idle(pilot)
        text = screen_text(app)
        assert all(name in text for name in names)
        assert text.count("no longer matches") == 2
        got = [r for r in demo_server.request_log if r.path.startswith("/api/assets/")]
        assert {r.path for r in got if not r.path.endswith("thumbnail")} == {
            f"/api/assets/{i}" for i in moved
        }  # one read per photo the searches missed, nothing else


@pytest.mark.parametrize("width", [100, 120])
async def test_every_more_switch_reads_in_full_and_is_saved_by_the_button(
    demo_server: DemoServer, tmp_path: Path, width: int
) -> None:
    switches = [f.key for f in MORE if f.control == "switch"]
    assert {"include_partners", "remove_unmatched", "only", "only_ignore_unnamed"} <= set(switches)
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=(width, 40)) as pilot:
        await wait_idle(pilot)
        await select_people(pilot, ["Anna"])
        await pilot.press("n")
        await wait_idle(pilot)
        pane = app.screen.query_one(RulesPane)
        form = pane.query_one("#rule-form").region
        for key in switches:
            box = pane.query_one(f"#rule-more-{key}", Checkbox)
            box.scroll_visible(animate=False)
            await wait_idle(pilot)
            label = key.replace("_", " ")
            assert form.contains_region(box.region), f"{label} is cut at {width} columns"
            assert label in screen_text(app)
            await pilot.click(f"#rule-more-{key}")
            await wait_idle(pilot)
        pane.query_one("#rule-save").scroll_visible(animate=False)
        await wait_idle(pilot)
        await pilot.click("#rule-save")
        await wait_idle(pilot)
    (saved,) = load_config(tmp_path / "config.toml").rules
    assert {key: getattr(saved, key) for key in switches} == dict.fromkeys(switches, True)


async def test_a_preview_older_than_a_sync_is_recomputed_before_it_applies(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    lib = demo_server.library
    clock = FakeClock()
    app = kids_app(demo_server, tmp_path, clock)  # Anna & Ben → a new album "Kids", auto on
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("2")
        await wait_idle(pilot)
        await pilot.click("#rule-preview")  # computed while "Kids" does not exist yet
        await wait_idle(pilot)
        pane = app.screen.query_one(PreviewPane)
        assert shown(pane).album is None
        clock.advance(30)
        await pilot.press("s")  # the auto-sync creates "Kids" and fills it
        await wait_idle(pilot)
        kids = [a.id for a in lib.albums.values() if a.name == "Kids"]
        assert len(kids) == 1
        await pilot.press("a")  # not "Add 309 to Kids, which will be created"
        await wait_idle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        album = shown(pane).album
        assert album is not None and album.id == kids[0]
        assert "will be created" not in screen_text(app)
        await pilot.press("a")
        await wait_idle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)  # nothing to add: up to date
    assert [a.id for a in lib.albums.values() if a.name == "Kids"] == kids


async def test_help_wraps_a_long_line_under_its_own_column(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    app = kids_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("question_mark")
        await wait_idle(pilot)
        assert isinstance(app.screen, HelpScreen)
        lines = screen_text(app).splitlines()
        at = next(i for i, line in enumerate(lines) if "commands: sync now" in line)
        column = lines[at].index("commands")
        rest = lines[at + 1]
        assert rest[column - 1] == " " and rest[column].isalpha(), rest  # not under "ctrl+p"
        assert "Everywhere" in screen_text(app) and "space" in screen_text(app)
