"""Pilot tests: every flow of the app against the demo server over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label, Static, TabbedContent

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.tui.panes.preview import PreviewPane
from ppl2album_tui.tui.screens.connect import ConnectScreen
from ppl2album_tui.tui.screens.main import MainScreen
from ppl2album_tui.tui.screens.modals import ConfirmScreen, HelpScreen, SummaryScreen
from ppl2album_tui.tui.screenshots import DISPLAY_URL, SIZE, demo_config, preview_scene, wait_idle
from ppl2album_tui.tui.widgets.asset_view import AssetView
from ppl2album_tui.tui.widgets.people_table import PeopleTable
from tests.tui.helpers import FakeClock, anna_ben_rule, build_app, kids_app, screen_text, shown


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMMICH_API_KEY", raising=False)


def album_ids(server: DemoServer, name: str) -> set[str]:
    return set(server.library.album_by_name(name).asset_ids)


# ---- connect --------------------------------------------------------------------------------


async def test_connect_good_key_saves_config_and_opens_people(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    app = build_app(demo_server, tmp_path, config=demo_config())
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        await pilot.click("#url")
        await pilot.press(*"http://photos.local:2283")
        app.screen.query_one("#key", Input).value = demo_server.api_key
        await pilot.click("#test")
        await wait_idle(pilot)
        result = str(app.screen.query_one("#connect-result", Static).render())
        assert "Immich 3.1" in result and "signed in as" in result
        assert demo_server.api_key not in screen_text(app)
        await pilot.click("#save")
        await wait_idle(pilot)
        assert isinstance(app.screen, MainScreen)
        saved = load_config(tmp_path / "config.toml")
        assert saved.server.url == DISPLAY_URL
        assert saved.server.api_key == demo_server.api_key
        assert demo_server.api_key not in screen_text(app)


async def test_connect_bad_key_says_so_and_stays(demo_server: DemoServer, tmp_path: Path) -> None:
    app = build_app(demo_server, tmp_path, config=demo_config())
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        app.screen.query_one("#url", Input).value = DISPLAY_URL
        app.screen.query_one("#key", Input).value = "not-a-valid-key"
        await pilot.click("#save")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        result = str(app.screen.query_one("#connect-result", Static).render())
        assert "✗" in result and "key" in result.lower()
        assert not (tmp_path / "config.toml").exists()


async def test_limited_key_names_missing_permissions(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    key = demo_server.add_api_key(["person.read", "asset.read", "album.read"], name="partial")
    app = build_app(demo_server, tmp_path, config=demo_config())
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        app.screen.query_one("#url", Input).value = DISPLAY_URL
        app.screen.query_one("#key", Input).value = key
        await pilot.click("#test")
        await wait_idle(pilot)
        result = str(app.screen.query_one("#connect-result", Static).render())
        assert "✗ albumAsset.create — needed to add photos to albums" in result
        assert "person.read" in result


async def test_saved_key_is_never_revealed(demo_server: DemoServer, tmp_path: Path) -> None:
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        app.action_connect()
        await wait_idle(pilot)
        key = app.screen.query_one("#key", Input)
        assert key.password
        await pilot.press("ctrl+r")
        assert key.password  # a saved key stays masked
        assert demo_server.api_key not in screen_text(app)
        key.value = "typed-by-hand"
        await pilot.press("ctrl+r")
        assert not key.password


async def test_saved_working_config_skips_to_main(demo_server: DemoServer, tmp_path: Path) -> None:
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        assert isinstance(app.screen, MainScreen)
        header = str(app.screen.query_one("#status-header", Static).render())
        assert "photos.local:2283 (Immich 3.1" in header and "auto-sync" in header


# ---- people ---------------------------------------------------------------------------------


async def test_people_named_first_filter_toggles_and_select(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    lib = demo_server.library
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("v")  # People opens as the face grid: this is the list
        await wait_idle(pilot)
        table = app.screen.query_one(PeopleTable)
        named = [p.name for p in lib.named_people()]
        shown = [table.people[k].name for k in table.keys]
        assert sorted(shown) == sorted(named)  # named only by default, in the server's order
        anna = lib.person_by_name("Anna")
        assert table.counts[anna.id] == lib.timeline_count(anna.id)
        await pilot.press("u")
        await wait_idle(pilot)
        assert len(table.keys) > len(named)
        assert all(table.people[k].name for k in table.keys[: len(named)])  # named first
        await pilot.press("u")
        await pilot.press("c", "l")  # type-to-filter
        await wait_idle(pilot)
        assert [table.people[k].name for k in table.keys] == ["Clara"]
        await pilot.press("escape")
        await wait_idle(pilot)
        assert len(table.keys) == len(named)
        assert table.current_key() == lib.person_by_name("Clara").id  # the cursor stayed
        await pilot.press("home", "space", "down", "space", "down", "x")
        assert list(table.marks.values()) == ["+", "+", "-"]
        bar = str(app.screen.query_one("#people-selection", Static).render())
        assert f"2 selected: {shown[0]}, {shown[1]}" in bar and f"excluding {shown[2]}" in bar


async def test_faces_load_lazily_and_come_from_disk_next_launch(
    big_demo_server: object, tmp_path: Path
) -> None:
    with big_demo_server(people=300, assets=1500, seed=3) as server:  # type: ignore[operator]
        app = build_app(server, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_idle(pilot)
            fetched = app.thumbs.downloads
            assert 0 < fetched < 40  # the face grid: tiles on and near the screen only
            await pilot.press("v")  # the list
            await wait_idle(pilot)
            table = app.screen.query_one(PeopleTable)
            assert len(table.keys) == sum(1 for p in app.people if p.name) > 250
            assert app.thumbs.downloads < 60  # rows on and near the screen only
            table.scroll_end(animate=False)
            await wait_idle(pilot)
            assert table.keys[-1] in table.counts
            assert app.thumbs.downloads < 80
        server.clear_log()
        second = build_app(server, tmp_path)
        async with second.run_test(size=SIZE) as pilot:
            await wait_idle(pilot)
            assert second.thumbs.downloads == 0
            assert second.thumbs.hits > 0
        assert not [r for r in server.request_log if r.path.endswith("/thumbnail")]


# ---- rule, preview, veto, apply --------------------------------------------------------------


async def test_pick_two_people_preview_veto_apply(demo_server: DemoServer, tmp_path: Path) -> None:
    lib = demo_server.library
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await preview_scene(
            pilot, demo_server.api_key
        )  # Anna & Ben → new album "Kids"; first photo vetoed
        pane = app.screen.query_one(PreviewPane)
        plan = shown(pane).plan
        assert len(plan.vetoed) == 1
        vetoed = plan.vetoed[0].id
        to_add = {a.id for a in plan.to_add}
        anna, ben = lib.person_by_name("Anna"), lib.person_by_name("Ben")
        assert vetoed not in to_add and to_add
        assert all(
            anna.id in lib.assets[i].people or ben.id in lib.assets[i].people for i in to_add
        )
        counts = str(app.screen.query_one("#preview-counts", Static).render())
        assert f"to add {len(to_add):,}" in counts and "vetoed 1" in counts
        saved = load_config(tmp_path / "config.toml")
        assert saved.rules[0].never_add == [vetoed]

        await pilot.press("a")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"Add {len(to_add):,} photos to “Kids”?" in screen_text(app)
        await pilot.click("#yes")
        await wait_idle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert f"added {len(to_add):,}" in screen_text(app)
        await pilot.press("escape")
        await wait_idle(pilot)

        assert album_ids(demo_server, "Kids") == to_add  # on the server
        assert (
            load_config(tmp_path / "config.toml").rules[0].album_id == lib.album_by_name("Kids").id
        )
        assert not shown(pane).plan.to_add  # recomputed: nothing left to add
        assert len(shown(pane).plan.already) == len(to_add)


async def test_restore_a_vetoed_photo(demo_server: DemoServer, tmp_path: Path) -> None:
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await preview_scene(pilot, demo_server.api_key)
        pane = app.screen.query_one(PreviewPane)
        vetoed = shown(pane).plan.vetoed[0].id
        pane.query_one("#preview-tabs", TabbedContent).active = "sec-vetoed"
        pane.query_one("#table-vetoed").focus()
        await pilot.press("space")
        await wait_idle(pilot)
        assert not shown(pane).plan.vetoed
        assert shown(pane).plan.to_add[0].id == vetoed  # back in its place, not at the end
        assert pane.query_one("#table-to_add", AssetView).grid.tiles[0].key == vetoed
        assert load_config(tmp_path / "config.toml").rules[0].never_add == []


async def test_rule_editor_validates_and_uses_server_albums(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    lib = demo_server.library
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("2")
        await wait_idle(pilot)
        await pilot.press("ctrl+s")
        error = str(app.screen.query_one("#rule-error", Static).render())
        assert "Pick at least one person" in error
        await pilot.click("#rule-name")
        name = app.screen.query_one("#rule-name", Input)
        name.value = ""
        await pilot.press("1")  # typed into the name box
        assert name.value == "1"
        name.value = ""
        await pilot.press("escape", "1")  # out of the form, 1 is the People tab again
        await wait_idle(pilot)
        assert app.screen.query_one("#tabs", TabbedContent).active == "people"
        await pilot.press("space", "n")
        await wait_idle(pilot)
        from textual.widgets import Checkbox, Select

        family = lib.album_by_name("Family")
        select = app.screen.query_one("#rule-album", Select)
        assert (f"Family ({len(family.asset_ids):,})", family.id) in select._options
        select.value = family.id
        app.screen.query_one("#rule-after", Input).value = "2019-13-01"
        await pilot.press("ctrl+s")
        error = str(app.screen.query_one("#rule-error", Static).render())
        assert "date like 2019-01-31" in error
        app.screen.query_one("#rule-after", Input).value = "2019-01-01"
        app.screen.query_one("#rule-auto", Checkbox).value = False
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        rule = load_config(tmp_path / "config.toml").rules[0]
        assert rule.album_id == family.id and rule.auto_apply is False
        assert str(rule.taken_after) == "2019-01-01"
        assert [p.name for p in rule.people] == ["Anna"]


# ---- auto-sync ----------------------------------------------------------------------------


async def test_autosync_tick_adds_a_newly_recognised_photo(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    lib = demo_server.library
    clock = FakeClock()
    rule = anna_ben_rule(demo_server)
    app = build_app(
        demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]), clock=clock
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        state = app.sync_state
        app.tick()  # not due yet: nothing happens
        await wait_idle(pilot)
        assert state.cycles == 0
        clock.advance(state.interval)
        app.tick()
        await wait_idle(pilot)
        assert state.cycles == 1
        first = album_ids(demo_server, "Kids")
        assert first and state.rules["Kids"].added == len(first)

        anna = lib.person_by_name("Anna")
        new = lib.add_asset(people=[anna.id], file_name="NEW_0001.JPG")  # a new upload
        old = next(
            a for a in lib.assets.values()
            if not a.people and a.visibility == "timeline" and a.deleted_at is None
        )  # fmt: skip
        lib.assign_face(old.id, anna.id)  # late face recognition on an old photo
        clock.advance(state.interval)
        app.tick()
        await wait_idle(pilot)
        assert album_ids(demo_server, "Kids") == first | {new.id, old.id}
        assert state.rules["Kids"].added == 2
        assert any("Kids: +2 photos added (" in line for line in state.activity)
        await pilot.press("4")
        await wait_idle(pilot)
        assert "+2 photos added" in screen_text(app)


async def test_pause_resume_and_no_overlapping_cycles(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    clock = FakeClock()
    rule = anna_ben_rule(demo_server)
    app = build_app(
        demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]), clock=clock
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        state = app.sync_state
        await pilot.press("p")
        assert state.paused
        assert "paused" in str(app.screen.query_one("#status-header", Static).render())
        clock.advance(state.interval * 3)
        app.tick()
        await wait_idle(pilot)
        assert state.cycles == 0  # paused: the timer does nothing
        await pilot.press("p")
        assert not state.paused
        assert app.start_cycle("test")
        assert not app.start_cycle("test")  # never two at once
        await wait_idle(pilot)
        assert state.cycles == 1


async def test_manual_rules_only_refresh_counts(demo_server: DemoServer, tmp_path: Path) -> None:
    rule = anna_ben_rule(demo_server, auto_apply=False)
    app = build_app(demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]))
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("s")
        await wait_idle(pilot)
        status = app.sync_state.rules["Kids"]
        assert status.pending > 0 and status.added == 0
        with pytest.raises(KeyError):
            demo_server.library.album_by_name("Kids")  # nothing written
        await pilot.press("4")
        await wait_idle(pilot)
        assert f"{status.pending:,} waiting for review" in screen_text(app)


async def test_errors_become_notifications_and_the_next_tick_retries(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    clock = FakeClock()
    rule = anna_ben_rule(demo_server)
    app = build_app(
        demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]), clock=clock
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        demo_server.faults.add(path="/api/albums", method="GET", status=503, count=20)
        await pilot.press("s")
        await wait_idle(pilot)
        state = app.sync_state
        assert state.rules["Kids"].errors
        assert any(n.severity == "error" for n in app._notifications)
        assert any("Will retry at the next tick" in line for line in state.activity)
        demo_server.faults.clear()
        clock.advance(state.interval)
        app.tick()
        await wait_idle(pilot)
        assert not state.rules["Kids"].errors
        assert album_ids(demo_server, "Kids")


async def test_interval_change_is_saved(demo_server: DemoServer, tmp_path: Path) -> None:
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("4", "i")
        await wait_idle(pilot)
        box = app.screen.query_one("#ask-input", Input)
        box.value = "5"
        await pilot.press("enter")
        assert "at least 10 seconds" in str(app.screen.query_one("#ask-error", Static).render())
        box.value = "2m"
        await pilot.press("enter")
        await wait_idle(pilot)
        assert app.sync_state.interval == 120
        assert load_config(tmp_path / "config.toml").sync.interval_seconds == 120


# ---- global -----------------------------------------------------------------------------------


async def test_help_palette_and_quit(demo_server: DemoServer, tmp_path: Path) -> None:
    rule = anna_ben_rule(demo_server)
    app = build_app(demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]))
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("question_mark")
        await wait_idle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "pause / resume auto-sync" in screen_text(app)
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Sync now", "Pause auto-sync", "New rule", "Connect"):
            assert wanted in titles
        await pilot.press("s")
        await wait_idle(pilot)
        assert any(t.startswith("Open album “Kids”") for t in
                   (c.title for c in app.get_system_commands(app.screen)))  # fmt: skip
        await pilot.press("q")
        await wait_idle(pilot)
    assert app.return_code == 0


async def test_quit_during_a_sync_finishes_the_running_chunk(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    config = demo_config(demo_server.api_key, [anna_ben_rule(demo_server)])
    config.sync.chunk_size = 20
    app = build_app(demo_server, tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        demo_server.latency = 0.05  # slow enough to quit in the middle
        app.action_sync_now()
        for _ in range(1000):  # until the first chunk is in the album
            await pilot.pause(0.01)
            albums = [a for a in demo_server.library.albums.values() if a.name == "Kids"]
            if albums and albums[0].asset_ids:
                break
        await pilot.press("q")
        for _ in range(1000):
            if not app.is_running:
                break
            await pilot.pause(0.01)
    demo_server.latency = 0
    added = album_ids(demo_server, "Kids")
    assert added and len(added) % 20 == 0  # whole chunks only: none cut in the middle
    assert len(added) < 300  # it stopped: Anna and Ben have 309 photos
    assert app.return_code == 0
    journal = Journal(tmp_path / "data" / "journal.jsonl")
    album = demo_server.library.album_by_name("Kids")
    assert journal.added_ids("Kids", album.id) == added  # every confirmed chunk is journaled


async def test_undo_the_last_apply_from_the_palette(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    app = kids_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("s")
        await wait_idle(pilot)
        added = album_ids(demo_server, "Kids")
        assert added
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Undo the last apply of “Kids”" in titles
        app.action_undo("Kids")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"{len(added):,} photos it added will be taken out" in screen_text(app)
        await pilot.click("#yes")
        await wait_idle(pilot)
        assert album_ids(demo_server, "Kids") == set()
        assert any("undo took" in line for line in app.sync_state.activity)


async def test_large_view_of_a_photo(demo_server: DemoServer, tmp_path: Path) -> None:
    from ppl2album_tui.tui.screens.modals import PhotoScreen

    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await preview_scene(pilot, demo_server.api_key)
        await pilot.press("enter")
        await wait_idle(pilot)
        assert isinstance(app.screen, PhotoScreen)
        assert app.screen.query("#photo-image")  # the picture, drawn by textual-image
        # vetoed there, the photo leaves To add: → shows the one that took its place
        order = [a.id for a in shown(app.screen_stack[-2].query_one(PreviewPane)).plan.to_add]
        assert app.screen.asset.id == order[0]
        await pilot.click("#photo-veto")
        await wait_idle(pilot)
        await pilot.press("right")
        await wait_idle(pilot)
        assert app.screen.asset.id == order[1]
        assert (
            app.screen.query_one("#photo-title", Label).content
            == app.screen.asset.original_file_name
        )
        await pilot.press("escape")
        await wait_idle(pilot)
        assert isinstance(app.screen, MainScreen)
