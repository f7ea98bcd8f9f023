"""The app builds "Emma from both of us" as a person does, over the demo server with two
accounts: ctrl+p → Add an account (tested, the key masked), People's `a` switches to Robin's
people and then to every account's (each tagged), both Emmas selected, `n` makes the rule,
the More row's album account (clicked, "Robin") makes it Robin's album, the preview names each
account's counts and the sharing, `a` applies after a confirmation saying so; every photo of
both Emmas lands in one album, Robin's, that main can open."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.tui.panes.preview import PreviewPane
from ppl2album_tui.tui.screens.add_account import AddAccountScreen
from ppl2album_tui.tui.screens.modals import ConfirmScreen, SummaryScreen
from ppl2album_tui.tui.screenshots import SIZE, wait_idle
from ppl2album_tui.tui.widgets.people_table import PeopleTable
from tests.accounts_helpers import person, photos
from tests.tui.helpers import build_app, screen_text

pytestmark = pytest.mark.accounts(2)


async def test_emma_from_both_of_us_in_the_app(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    robin_key = srv.user_key(robin_id)
    app = build_app(srv, tmp_path, autosync=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Add an account")
        await wait_idle(pilot)
        await pilot.press("enter")
        await wait_idle(pilot)
        assert isinstance(app.screen, AddAccountScreen)
        await pilot.press(*"Robin")
        key = app.screen.query_one("#account-key", Input)
        assert key.password  # masked
        key.value = srv.api_key
        await pilot.click("#account-add")  # the first account's own key is refused
        await wait_idle(pilot)
        assert "the account you are connected with" in screen_text(app)
        key.value = robin_key
        await pilot.click("#account-test")
        await wait_idle(pilot)
        assert "signed in as Robin Roe" in screen_text(app) and robin_key not in screen_text(app)
        await pilot.click("#account-add")
        await wait_idle(pilot)
        assert not isinstance(app.screen, AddAccountScreen)
        saved = load_config(tmp_path / "config.toml")
        assert [(a.name, a.api_key) for a in saved.accounts] == [("Robin", robin_key)]

        table = app.screen.query_one(PeopleTable)
        mine, robins = person(lib, "Emma", None), person(lib, "Emma", robin_id)
        await pilot.press("a")  # Robin's people
        await wait_idle(pilot)
        assert set(table.keys) == {p.id for p in lib.people.values()
                                   if p.owner_id == robin_id and p.name}  # fmt: skip
        assert "account: Robin" in str(app.screen.query_one("#people-summary", Static).render())
        await pilot.press("a")  # every account's
        await wait_idle(pilot)
        assert {mine.id, robins.id} <= set(table.keys)
        assert table.counts[robins.id] == lib.timeline_count(robins.id)  # with Robin's key
        assert "Emma · Robin" in screen_text(app)  # the face grid tags each tile
        await pilot.press("v")  # the list (the footer's Grid/list), to select by row
        await wait_idle(pilot)
        for pid in (mine.id, robins.id):
            table.move_cursor(row=table.keys.index(pid))
            await pilot.press("space")
        await wait_idle(pilot)
        await pilot.press("n")
        await wait_idle(pilot)
        app.screen.query_one("#rule-name", Input).value = "Emma from both of us"
        app.screen.query_one("#rule-new-album", Input).value = "Emma"
        owner = app.screen.query_one("#rule-more-album_account", Input)  # the More row
        owner.scroll_visible(animate=False)
        await wait_idle(pilot)
        await pilot.click("#rule-more-album_account")
        await pilot.press(*"Robin")  # Robin's album, shared with main
        assert owner.has_focus and owner.value == "Robin"
        await pilot.press("ctrl+o")  # save and preview (the Rules footer and Help)
        await wait_idle(pilot)
        pane = app.screen.query_one(PreviewPane)
        counts = str(app.screen.query_one("#preview-counts", Static).render())
        ours, theirs = photos(lib, "Emma", None), photos(lib, "Emma", robin_id)
        assert f"to add {len(ours | theirs):,}" in counts
        assert f"account main: matched {len(ours):,} · in album 0 · to add {len(ours):,}" in counts
        assert f"account Robin: matched {len(theirs):,}" in counts
        assert "Applying shares “Emma” with main as editor (owner: Robin)" in counts
        assert pane.multi is not None

        await pilot.press("a")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "with main as editor" in screen_text(app)
        await pilot.click("#yes")
        await wait_idle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert f"added {len(ours | theirs):,}" in screen_text(app)
        await pilot.press("escape")
        await wait_idle(pilot)
    album = lib.album_by_name("Emma")
    assert set(album.asset_ids) == ours | theirs
    assert album.owner_id == robin_id and album.members == {lib.user.id: "editor"}
    rule = load_config(tmp_path / "config.toml").rules[0]
    assert rule.album_id == album.id and {r.account for r in rule.people} == {"", "Robin"}
    assert rule.album_account == "Robin"
    async with ImmichClient(srv.url, srv.api_key) as main:  # main opens Robin's album
        assert await main.album_asset_ids(album.id) == ours | theirs
