"""Sharing in the app: the rule editor picks a user of the server (Users…) as viewer and turns
on a shared link with a password; the Preview says who gets access and that a link will be made
before anything is shared; the apply shares and shows the link. Driven by clicks and keys
against the demo server; the password never shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.sync.rules import ShareRef
from ppl2album_tui.tui.screens.modals import ConfirmScreen, SummaryScreen
from ppl2album_tui.tui.screens.share_picker import SharePickerScreen
from ppl2album_tui.tui.screenshots import SIZE, demo_config, wait_idle
from tests.tui.helpers import anna_ben_rule, build_app, screen_text

pytestmark = pytest.mark.accounts(2)
PASSWORD = "only-for-grandma"


async def test_share_with_a_viewer_and_a_link_from_the_editor(
    demo_server: DemoServer, tmp_path: Path, robin_id: str
) -> None:
    lib = demo_server.library
    rule = anna_ben_rule(demo_server, auto_apply=False)
    app = build_app(demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]))
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("2")
        await wait_idle(pilot)
        app.screen.query_one("#rule-share").scroll_visible(animate=False)
        await wait_idle(pilot)
        await pilot.click("#rule-share")
        await wait_idle(pilot)
        assert isinstance(app.screen, SharePickerScreen)
        text = screen_text(app)
        assert "Robin Roe" in text and "robin@example.com" in text
        assert "demo@example.com" not in text  # the owner has access anyway
        await pilot.press("space")  # Robin: no access → viewer
        await wait_idle(pilot)
        await pilot.click("#share-done")
        await wait_idle(pilot)
        assert "robin@example.com (viewer)" in screen_text(app)
        app.screen.query_one("#rule-link").scroll_visible(animate=False)
        await wait_idle(pilot)
        await pilot.click("#rule-link")
        await pilot.click("#rule-link-password")
        await pilot.press(*PASSWORD)
        await wait_idle(pilot)
        assert PASSWORD not in screen_text(app)  # masked
        app.screen.query_one("#rule-preview").scroll_visible(animate=False)
        await wait_idle(pilot)
        await pilot.click("#rule-preview")  # save and preview
        await wait_idle(pilot)

        saved = load_config(tmp_path / "config.toml").rules[0]
        assert saved.share_with == [ShareRef("robin@example.com", "viewer")]
        assert saved.shared_link and saved.shared_link_password == PASSWORD
        text = screen_text(app)
        assert "Shared with: Robin Roe <robin@example.com> (viewer, new)" in text
        assert "A shared link will be created" in text
        assert not lib.shared_links and PASSWORD not in text

        await pilot.press("a")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Robin Roe <robin@example.com> (viewer, new)" in screen_text(app)
        await pilot.click("#yes")
        await wait_idle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        kids = lib.album_by_name("Kids")
        assert kids.members == {robin_id: "viewer"}
        [link] = lib.shared_links.values()
        assert link.password == PASSWORD and link.album_id == kids.id
        assert f"/share/{link.key}" in screen_text(app)
        await pilot.press("escape")
        await wait_idle(pilot)
        await pilot.press("4")
        await wait_idle(pilot)
        assert "Shared link: " in screen_text(app) and PASSWORD not in screen_text(app)
