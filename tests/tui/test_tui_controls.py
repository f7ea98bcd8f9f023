"""Every control does what it says: on each screen, every button is clicked and every key the
footer or Help lists is pressed, and its documented effect is checked (config on disk, server
state, focused tab, screen shown). A key or button added without a row here fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Button, Input, Static, TabbedContent

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.tui.app import PplApp
from ppl2album_tui.tui.panes.people import PeoplePane
from ppl2album_tui.tui.panes.preview import PreviewPane
from ppl2album_tui.tui.screens.connect import ConnectScreen
from ppl2album_tui.tui.screens.main import MainScreen
from ppl2album_tui.tui.screens.modals import (
    HELP,
    AskScreen,
    ConfirmScreen,
    HelpScreen,
    PhotoScreen,
    SummaryScreen,
)
from ppl2album_tui.tui.screenshots import DISPLAY_URL, SIZE, demo_config, select_people, wait_idle
from ppl2album_tui.tui.widgets.asset_view import AssetView
from ppl2album_tui.tui.widgets.key_footer import KeyFooter
from ppl2album_tui.tui.widgets.people_view import PeopleView
from ppl2album_tui.tui.widgets.tile_layout import keys_of
from tests.tui.helpers import FakeClock, build_app, kids_app, screen_text

# every key Help lists -> the keys a user presses for it (each is pressed below)
HELP_KEYS = {
    "1 2 3 4": ["1", "2", "3", "4"],
    "F1-F4": ["f1", "f2", "f3", "f4", "alt+1", "alt+2", "alt+3", "alt+4"],
    "ctrl+p": ["ctrl+p"],
    "s": ["s"],
    "p": ["p"],
    "?": ["question_mark"],
    "q": ["q"],
    "v": ["v"],
    "+ / -": ["plus", "minus"],
    "/ or type": ["slash", "b"],
    "space": ["space"],
    "x": ["x"],
    "u / h": ["u", "h"],
    "n": ["n"],
    "r": ["r"],
    "ctrl+s": ["ctrl+s"],
    "ctrl+o": ["ctrl+o"],
    "ctrl+e": ["ctrl+e"],
    "esc": ["escape"],
    "enter": ["enter"],
    "← / →": ["left", "right"],
    "a": ["a"],
    "c": ["c"],
    "k": ["k"],  # with two accounts in a cluster group: tests/tui/test_tui_onekey.py presses it
    "ctrl+r": ["ctrl+r"],
    "i": ["i"],
    "e": ["e"],
    "o": ["o"],
    "w": ["w"],
    "a / x": ["a", "x"],
    "A / X": ["A", "X"],  # on the review screen: tests/tui/test_tui_approve.py presses them
}


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMMICH_API_KEY", raising=False)


def footer_keys(app: PplApp) -> set[str]:
    """The keys the footer shows now."""
    return {item.key for item in app.screen.query_one(KeyFooter).items}


def buttons(app: PplApp) -> set[str]:
    """The ids of the buttons a user can see and click on the top screen."""
    return {b.id or "" for b in app.screen.query(Button) if b.display and b.visible}


def tab(app: PplApp) -> str:
    return app.screen.query_one("#tabs", TabbedContent).active


def test_help_lists_only_keys_this_test_presses() -> None:
    listed = {key for key, what in HELP if what}
    assert listed == set(HELP_KEYS)


async def test_connect_screen_controls(demo_server: DemoServer, tmp_path: Path) -> None:
    app = build_app(demo_server, tmp_path, config=demo_config())
    pressed: set[str] = set()
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        assert footer_keys(app) == {"ctrl+r", "ctrl+t", "ctrl+s"}
        assert buttons(app) == {"reveal", "test", "save"}
        app.screen.query_one("#url", Input).value = DISPLAY_URL
        key = app.screen.query_one("#key", Input)
        key.value = demo_server.api_key
        await pilot.click("#reveal")
        assert key.password is False
        await pilot.press("ctrl+r")
        pressed.add("ctrl+r")
        assert key.password is True
        result = app.screen.query_one("#connect-result", Static)
        await pilot.click("#test")
        await wait_idle(pilot)
        assert "Immich 3.1" in str(result.render())
        result.update("")
        await pilot.press("ctrl+t")
        pressed.add("ctrl+t")
        await wait_idle(pilot)
        assert "Immich 3.1" in str(result.render())
        assert not (tmp_path / "config.toml").exists()  # Test saves nothing
        await pilot.click("#save")
        await wait_idle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert load_config(tmp_path / "config.toml").server.url == DISPLAY_URL
        # from the palette, with Cancel, and ctrl+s saving
        app.action_connect()
        await wait_idle(pilot)
        assert buttons(app) == {"reveal", "test", "save", "cancel"}
        await pilot.click("#cancel")
        await wait_idle(pilot)
        assert isinstance(app.screen, MainScreen)
        app.action_connect()
        await wait_idle(pilot)
        (tmp_path / "config.toml").unlink()
        await pilot.press("ctrl+s")
        pressed.add("ctrl+s")
        await wait_idle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert load_config(tmp_path / "config.toml").server.url == DISPLAY_URL
    assert pressed == {"ctrl+r", "ctrl+t", "ctrl+s"}


@pytest.mark.timeout(600)  # one long session: every tab, every key (slow on a loaded machine)
async def test_main_screen_controls(
    demo_server: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = demo_server.library
    clock = FakeClock()
    app = kids_app(demo_server, tmp_path, clock)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    config_path = tmp_path / "config.toml"
    pressed: set[str] = set()

    async def press(*keys: str) -> None:
        pressed.update(keys)
        await pilot.press(*keys)
        await wait_idle(pilot)

    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        people = screen.query_one(PeoplePane)

        # ---- tabs, from the people table and from inside a form
        for keys, expected in (
            (["2", "3", "4", "1"], ["rules", "preview", "sync", "people"]),
            (["f2", "f3", "f4", "f1"], ["rules", "preview", "sync", "people"]),
            (["alt+2", "alt+3", "alt+4", "alt+1"], ["rules", "preview", "sync", "people"]),
        ):
            for key, name in zip(keys, expected, strict=True):
                await press(key)
                assert tab(app) == name

        # ---- People
        assert footer_keys(app) >= {"slash", "n", "space", "x", "s", "p", "question_mark", "q"}
        await press("slash")
        assert app.focused is not None and app.focused.id == "people-filter"
        await press("escape")
        await press("b")  # a letter on the table filters by name
        assert people.query_one("#people-filter", Input).value == "b"
        assert {p.name for p in people.table.people.values()} == {"Ben"}
        await press("escape")
        assert people.query_one("#people-filter", Input).value == ""
        summary = people.query_one("#people-summary", Static)
        await press("u")
        assert "(u to hide)" in str(summary.render())
        await press("h")
        assert "(h to hide)" in str(summary.render())
        await press("u", "h")
        ben = lib.person_by_name("Ben")
        await select_people(pilot, ["Anna"])
        table = people.table
        view = people.query_one(PeopleView)
        assert view.grid.display  # People opens as the face grid
        view.grid.move_to(ben.id)
        await press("x")
        width = view.grid.tile_width
        await press("plus")
        assert view.grid.tile_width > width
        await press("minus")
        assert view.grid.tile_width == width
        await press("v")  # the list, on Ben, and back
        assert table.display and table.current_key() == ben.id
        await press("v")
        assert view.grid.display and view.grid.current_key() == ben.id
        assert table.marks == {lib.person_by_name("Anna").id: "+", ben.id: "-"}
        await press("space")  # space on an excluded person selects them
        assert table.marks[ben.id] == "+"
        await press("n")
        assert tab(app) == "rules"
        assert screen.query_one("#rule-name", Input).value == "Anna & Ben"
        await press("1", "space")  # Ben out again
        await press("r")
        assert tab(app) == "rules"
        assert "Ben" not in str(screen.query_one("#rule-people").children)

        # ---- Rules: every button and key
        assert buttons(app) == {"rule-edit-people", "rule-save", "rule-preview", "rule-share"}
        assert footer_keys(app) >= {"ctrl+s", "ctrl+o", "ctrl+e"}
        await pilot.click("#rule-save")
        await wait_idle(pilot)
        assert [r.name for r in load_config(config_path).rules] == ["Kids", "Anna & Ben"]
        assert buttons(app) == {"rule-edit-people", "rule-save", "rule-preview", "rule-delete",
                                "rule-share"}  # fmt: skip
        screen.query_one("#rule-globs", Input).value = "*.jpg"
        await press("ctrl+s")
        assert load_config(config_path).rules[1].globs == ["*.jpg"]
        await pilot.click("#rule-edit-people")
        await wait_idle(pilot)
        assert tab(app) == "people"
        assert set(people.table.marks.values()) == {"+"}
        await press("2")
        screen.query_one("#rule-globs").focus()
        await pilot.pause()
        await press("escape")
        assert app.focused is not None and app.focused.id == "rules-list"
        await press("ctrl+e")
        assert tab(app) == "people"
        await press("2")
        await pilot.click("#rule-preview")
        await wait_idle(pilot)
        assert tab(app) == "preview"
        preview = screen.query_one(PreviewPane)
        assert preview.preview is not None and preview.preview.rule.name == "Anna & Ben"
        await press("2")
        screen.query_one("#rule-globs", Input).value = ""
        await press("ctrl+o")
        assert tab(app) == "preview" and preview.preview.rule.globs == []
        await press("2")
        await pilot.click("#rule-delete")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert buttons(app) == {"cancel", "yes"}
        await pilot.click("#cancel")
        await wait_idle(pilot)
        assert [r.name for r in load_config(config_path).rules] == ["Kids", "Anna & Ben"]
        await pilot.click("#rule-delete")
        await wait_idle(pilot)
        await pilot.click("#yes")
        await wait_idle(pilot)
        assert [r.name for r in load_config(config_path).rules] == ["Kids"]

        # ---- Preview of Kids: every key
        await pilot.click("#rules-list ListItem")  # the first rule of the list: Kids
        await wait_idle(pilot)
        await press("ctrl+o")
        assert tab(app) == "preview"
        assert footer_keys(app) >= {"space", "a", "c", "ctrl+r"}
        kids = preview.preview
        assert kids is not None and kids.rule.name == "Kids"
        first = kids.plan.to_add[0].id
        await press("space")
        assert load_config(config_path).rules[0].never_add == [first]
        await press("enter")
        assert isinstance(app.screen, PhotoScreen)
        assert buttons(app) == {"photo-veto", "photo-close"}
        shown_id = app.screen.asset.id
        await pilot.click("#photo-veto")  # veto from the large view, space restores
        await wait_idle(pilot)
        assert load_config(config_path).rules[0].never_add == [first, shown_id]
        await press("space")
        assert load_config(config_path).rules[0].never_add == [first]
        # the arrows: the next photo in To add and back, then the first and one before it
        to_add_view = preview.query_one("#table-to_add", AssetView)
        order = list(keys_of(to_add_view.grid.tiles))  # as the grid shows them
        at = order.index(shown_id)
        await press("right")
        assert app.screen.asset.id == order[at + 1]
        assert app.screen.asset.original_file_name in screen_text(app)
        await press("left")
        assert app.screen.asset.id == shown_id
        await press("escape")
        assert to_add_view.current_key() == shown_id  # the grid's cursor went along
        await press("home", "enter", "left")  # before the first photo: it stays there
        assert app.screen.asset.id == order[0]
        await press("escape")
        await press("c")  # To add: c says where it works
        assert isinstance(app.screen, MainScreen)
        before = preview.computed_at
        clock.advance(60)
        await press("ctrl+r")
        assert preview.computed_at is not None and preview.computed_at != before
        to_add = {a.id for a in preview.preview.plan.to_add}
        await press("a")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await wait_idle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert buttons(app) == {"close"}
        assert set(lib.album_by_name("Kids").asset_ids) == to_add
        await pilot.click("#close")
        await wait_idle(pilot)
        assert isinstance(app.screen, MainScreen)

        # ---- Sync: every key
        await press("4")
        assert footer_keys(app) >= {"i", "e", "o", "s", "p"}
        await press("i")
        assert isinstance(app.screen, AskScreen)
        assert buttons(app) == {"cancel", "ok"}
        await pilot.click("#cancel")
        await wait_idle(pilot)
        await press("i")
        app.screen.query_one("#ask-input", Input).value = "2m"
        await pilot.click("#ok")
        await wait_idle(pilot)
        assert load_config(config_path).sync.interval_seconds == 120
        await press("o")
        assert opened == [f"{DISPLAY_URL}/albums/{lib.album_by_name('Kids').id}"]
        await press("w")  # Kids adds new photos itself: nothing waits for approval
        assert isinstance(app.screen, MainScreen)
        await press("e")
        assert load_config(config_path).rules[0].enabled is False
        await press("e")
        assert load_config(config_path).rules[0].enabled is True
        await press("p")
        assert app.sync_state.paused
        await press("p")
        assert not app.sync_state.paused
        cycles = app.sync_state.cycles
        await press("s")
        assert app.sync_state.cycles == cycles + 1

        # ---- everywhere: help, palette, quit
        await press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press("escape")
        await press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await press("escape")
        assert isinstance(app.screen, MainScreen)
        await press("q")
    assert app.return_code == 0
    every = {k for keys in HELP_KEYS.values() for k in keys} - {"ctrl+t", "A", "X", "k"}
    assert every <= pressed | {"b"}, every - pressed
