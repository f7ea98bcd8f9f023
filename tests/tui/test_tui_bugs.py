"""Issue 10's TUI bugs, each driven the way a user meets it (demo server over real HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.lock import SyncLock
from ppl2album_tui.sync.rules import PersonRef, Rule
from ppl2album_tui.tui.app import PplApp
from ppl2album_tui.tui.panes.preview import PreviewPane
from ppl2album_tui.tui.screens.connect import ConnectScreen
from ppl2album_tui.tui.screens.main import MainScreen
from ppl2album_tui.tui.screens.modals import ConfirmScreen
from ppl2album_tui.tui.screenshots import SIZE, demo_config, preview_scene, select_people, wait_idle
from tests.tui.helpers import build_app, kids_app, shown


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMMICH_API_KEY", raising=False)


def active_tab(app: PplApp) -> str:
    return app.screen.query_one("#tabs", TabbedContent).active


# ---- bug 1: the Rules tab's Save button saves ----------------------------------------------------


async def test_clicking_save_on_the_rules_tab_writes_the_rule(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await select_people(pilot, ["Anna"])
        await pilot.press("n")
        await wait_idle(pilot)
        await pilot.click("#rule-save")
        await wait_idle(pilot)
        rules = load_config(tmp_path / "config.toml").rules
        assert [r.name for r in rules] == ["Anna"]
        assert rules[0].album_name == "Anna"


# ---- bug 2: a new rule after a rule with a server album has an album -----------------------------


async def test_new_rule_after_a_server_album_rule_gets_a_new_album(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    lib = demo_server.library
    family = lib.album_by_name("Family")
    ben = lib.person_by_name("Ben")
    shown = Rule(name="Family", people=[PersonRef(ben.id, "Ben")], album_id=family.id)
    app = build_app(demo_server, tmp_path, config=demo_config(demo_server.api_key, [shown]))
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("2")  # the saved rule is shown, its album picked
        await wait_idle(pilot)
        assert app.screen.query_one("#rule-album", Select).value == family.id
        await pilot.press("1")
        await select_people(pilot, ["Anna"])
        await pilot.press("n")
        await wait_idle(pilot)
        assert app.screen.query_one("#rule-name", Input).value == "Anna"
        assert app.screen.query_one("#rule-new-album", Input).value == "Anna"
        assert app.screen.query_one("#rule-album", Select).is_blank()
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        saved = load_config(tmp_path / "config.toml").rules
        assert [(r.name, r.album_id, r.album_name) for r in saved] == [
            ("Family", family.id, None),
            ("Anna", None, "Anna"),
        ]


# ---- bug 3: no single-letter global key inside a form --------------------------------------------


async def test_q_on_the_connect_reveal_button_does_not_quit(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    app = build_app(demo_server, tmp_path, config=demo_config())
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.click("#key")
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "reveal"
        await pilot.press("q", "question_mark")
        await wait_idle(pilot)
        assert app.is_running and isinstance(app.screen, ConnectScreen)


async def test_letters_in_the_rule_form_stay_in_the_form(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    app = kids_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("2")
        await wait_idle(pilot)
        assert not isinstance(app.focused, Input)  # no caret waiting to swallow 1-4
        app.screen.query_one("#rule-auto").focus()  # a checkbox in the form
        await pilot.pause()
        await pilot.press("1", "s", "p", "q")
        await wait_idle(pilot)
        assert app.is_running and active_tab(app) == "rules"
        assert not app.sync_state.paused and app.sync_state.cycles == 0
        await pilot.press("f4")  # the tabs stay reachable from a form
        await wait_idle(pilot)
        assert active_tab(app) == "sync"
        await pilot.press("f2")
        await wait_idle(pilot)
        assert active_tab(app) == "rules"
        app.screen.query_one("#rule-auto").focus()
        await pilot.pause()
        await pilot.press("alt+1")
        await wait_idle(pilot)
        assert active_tab(app) == "people"


# ---- bug 4: a preview that could not be refreshed says so ----------------------------------------


async def test_a_failed_recompute_marks_the_preview_stale(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await preview_scene(pilot, demo_server.api_key)
        pane = app.screen.query_one(PreviewPane)
        tabs = pane.query_one("#preview-tabs", TabbedContent)
        to_add = len(shown(pane).plan.to_add)
        assert str(tabs.get_tab("sec-to_add").label) == f"To add {to_add:,}"
        demo_server.faults.add(path="/api/search/metadata", method="POST", status=503, count=50)
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        demo_server.faults.clear()
        labels = [str(tabs.get_tab(f"sec-{k}").label) for k in ("to_add", "already")]
        assert labels == ["To add", "In album"]  # no number that may be wrong
        counts = str(pane.query_one("#preview-counts", Static).render())
        assert "could not be refreshed" in counts and "computed at 10:42" in counts
        await pilot.press("a")  # nothing is applied from a stale preview
        await wait_idle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)


# ---- bug 5: the Sync tab names the rule once and does not cut the sentence -----------------------


async def test_sync_status_is_short_and_the_sentence_is_whole(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    app = kids_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        demo_server.faults.add(path="/api/albums", method="GET", status=503, count=20)
        await pilot.press("s")
        await wait_idle(pilot)
        demo_server.faults.clear()
        await pilot.press("4")
        await wait_idle(pilot)
        error = app.sync_state.rules["Kids"].errors[-1]
        table = app.screen.query_one("#sync-rules", DataTable)
        assert str(table.get_cell("Kids", "status")) == "⚠ failed (details below)"
        detail = str(app.screen.query_one("#sync-detail", Static).render())
        sentence = error.removeprefix("Rule 'Kids': ")
        assert sentence in detail.replace("\n", " ") and detail.count("Kids") == 1
        lines = [line for line in app.sync_state.activity if "Will retry" in line]
        assert lines and all(line.count("Kids") == 1 for line in lines)


# ---- bug 7: the app's undo takes the sync lock ---------------------------------------------------


async def test_undo_waits_for_the_sync_lock(demo_server: DemoServer, tmp_path: Path) -> None:
    app = kids_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("s")
        await wait_idle(pilot)
        album = demo_server.library.album_by_name("Kids")
        added = set(album.asset_ids)
        assert added
        other = SyncLock(tmp_path / "config.toml", tmp_path / "data")  # a headless sync
        other.acquire()
        try:
            app.action_undo("Kids")
            await wait_idle(pilot)
            await pilot.click("#yes")
            await wait_idle(pilot)
            assert set(album.asset_ids) == added  # nothing removed while the lock is held
            busy = "Another sync is already running"
            assert any(busy in str(n.message) for n in app._notifications)
        finally:
            other.release()


# ---- bug 8: removed-by-hand and refused photos can be allowed again ------------------------------


async def test_restore_photos_removed_by_hand(demo_server: DemoServer, tmp_path: Path) -> None:
    app = kids_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("s")
        await wait_idle(pilot)
        album = demo_server.library.album_by_name("Kids")
        gone = sorted(album.asset_ids)[:2]
        demo_server.library.remove_from_album(album.id, gone)  # by hand, in Immich
        await pilot.press("2", "ctrl+o")
        await wait_idle(pilot)
        pane = app.screen.query_one(PreviewPane)
        assert {a.id for a in shown(pane).plan.removed_by_hand} == set(gone)
        pane.query_one("#preview-tabs", TabbedContent).active = "sec-removed_by_hand"
        pane.query_one("#table-removed_by_hand").focus()
        await pilot.press("c")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "2 photos removed by hand" in str(app.screen.query_one(".dialog-title").render())
        await pilot.click("#yes")
        await wait_idle(pilot)
        assert not shown(pane).plan.removed_by_hand
        assert set(gone) <= {a.id for a in shown(pane).plan.to_add}
        assert not Journal(tmp_path / "data" / "journal.jsonl").previously_added(album.id) & set(
            gone
        )


async def test_retry_photos_the_server_refused(demo_server: DemoServer, tmp_path: Path) -> None:
    lib = demo_server.library
    family = lib.album_by_name("Family")
    anna = lib.person_by_name("Anna")
    rule = Rule(name="Anna", people=[PersonRef(anna.id, "Anna")], album_id=family.id)
    refused = next(
        a.id for a in lib.assets.values()
        if anna.id in a.people and a.id not in family.asset_ids and a.visibility == "timeline"
    )  # fmt: skip
    journal = Journal(tmp_path / "data" / "journal.jsonl")
    # an earlier apply the server answered no_permission for this photo (since shared again)
    journal.record_apply("a" * 32, "Anna", family.id, [], failed=[refused], denied=[refused])
    app = build_app(demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]))
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("2", "ctrl+o")
        await wait_idle(pilot)
        pane = app.screen.query_one(PreviewPane)
        assert refused in {a.id for a, _ in shown(pane).plan.filtered}
        pane.query_one("#preview-tabs", TabbedContent).active = "sec-filtered"
        pane.query_one("#table-filtered").focus()
        await pilot.press("c")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "1 refused photo" in str(app.screen.query_one(".dialog-title").render())
        await pilot.click("#yes")
        await wait_idle(pilot)
        assert refused in {a.id for a in shown(pane).plan.to_add}
        assert refused not in journal.denied(family.id)


# ---- a clicked button's tab took the tab back (the Preview ▶ flake) ------------------------------


async def test_a_tab_switch_moves_the_focus_into_the_tab_at_once(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """The focus goes into the new tab before the tab is shown: a focused button left in the
    hidden tab hands the focus to its neighbour there, whose tab then takes the screen back
    (clicking Preview ▶ sometimes left the Rules tab showing)."""
    from textual.widgets import TabPane

    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await preview_scene(pilot, demo_server.api_key)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for tab in ("rules", "preview", "people", "sync", "preview"):
            screen.query_one("#rule-preview").focus(scroll_visible=False)
            await pilot.pause()
            screen.action_tab(tab)  # what 1-4 and every "show that tab" do
            focused = app.focused
            assert focused is not None
            assert screen.query_one(f"TabPane#{tab}", TabPane) in focused.ancestors, tab
            await wait_idle(pilot)
            assert active_tab(app) == tab
