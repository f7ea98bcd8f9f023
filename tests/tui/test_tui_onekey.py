"""The one-key path as a person takes it (Immich 3.3.5, main and Robin in one cluster group,
Robin sharing with main in the timeline): Emma is listed once among every account's people and
a rule made from her names her for both accounts; its Preview says main's key
sees every photo and how many come from whom, `k` shows the rewritten rule's numbers before it
writes, Rewrite rule saves it, and `a` fills the album with main's key alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from ppl2album_tui.demo.clusters import join_cluster_group
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.partners import share_partner
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.sync.settings import AccountSettings
from ppl2album_tui.tui.panes.preview import PreviewPane
from ppl2album_tui.tui.screens.modals import ConfirmScreen
from ppl2album_tui.tui.screenshots import SIZE, demo_config, wait_idle
from ppl2album_tui.tui.widgets.people_table import PeopleTable
from tests.accounts_helpers import ALBUM, RULE
from tests.sync.test_onekey import emma_of_both
from tests.tui.helpers import build_app, screen_text

pytestmark = pytest.mark.accounts(2)


@pytest.mark.parametrize("immich_version", ["3.3.5"])
async def test_k_rewrites_the_rule_to_one_key_after_showing_its_numbers(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    join_cluster_group(lib, [lib.user.id, robin_id])
    share_partner(lib, robin_id, lib.user.id, in_timeline=True)
    rule, mine, robins = emma_of_both(lib)
    config = demo_config(srv.api_key)
    config.accounts = [AccountSettings("Robin", srv.user_key(robin_id))]
    app = build_app(srv, tmp_path, config=config, autosync=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("a", "a", "v")  # every account's people, as a list
        await wait_idle(pilot)
        table = app.screen.query_one(PeopleTable)
        emma = rule.people[0].id
        assert table.keys.count(emma) == 1  # one person in the cluster group: listed once
        assert table.account_label(emma) == "main, Robin"  # the row says "account main, Robin"
        table.move_cursor(row=table.keys.index(emma))
        await pilot.press("space", "n")
        await wait_idle(pilot)
        app.screen.query_one("#rule-name", Input).value = RULE
        app.screen.query_one("#rule-new-album", Input).value = ALBUM
        await wait_idle(pilot)
        await pilot.press("ctrl+o")
        await wait_idle(pilot)
        made = load_config(tmp_path / "config.toml").rules[0]
        assert [(r.id, r.account) for r in made.people] == [(emma, ""), (emma, "Robin")]
        counts = str(app.screen.query_one("#preview-counts", Static).render())
        assert (f"One key is enough: account 'main' sees all {len(mine | robins)} photos "
                f"({len(mine)} from main · {len(robins)} from Robin)") in counts  # fmt: skip
        assert "k use main's key alone" in screen_text(app) and "left out" not in counts
        await pilot.press("k")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"{len(mine | robins)} to add" in screen_text(app)  # the rewritten rule's
        assert load_config(tmp_path / "config.toml").rules[0].people == made.people  # not yet
        await pilot.click("#yes")
        await wait_idle(pilot)
        saved = load_config(tmp_path / "config.toml").rules[0]
        assert [(r.id, r.account) for r in saved.people] == [(rule.people[0].id, "")]
        assert saved.include_partners
        pane = app.screen.query_one(PreviewPane)
        assert pane.multi is None and pane.preview is not None
        assert pane.preview.plan.counts()["to_add"] == len(mine | robins)
        await pilot.press("a")
        await wait_idle(pilot)
        await pilot.click("#yes")
        await wait_idle(pilot)
    assert set(lib.album_by_name(ALBUM).asset_ids) == mine | robins
    assert lib.album_by_name(ALBUM).members == {}  # main's own album: nobody to share with
