"""Mirror mode in the app: the Preview's "To remove" section and an apply confirming both
numbers, driven by keys and clicks against the demo server."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TabbedContent

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.tui.panes.preview import PreviewPane
from ppl2album_tui.tui.screens.modals import ConfirmScreen, SummaryScreen
from ppl2album_tui.tui.screenshots import SIZE, demo_config, wait_idle
from tests.tui.helpers import anna_ben_rule, build_app, screen_text, shown


async def test_preview_shows_to_remove_and_apply_confirms_both_numbers(
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
        await pilot.click("#yes")  # the first apply fills "Kids"
        await wait_idle(pilot)
        await pilot.press("escape")
        await wait_idle(pilot)
        anna, ben = lib.person_by_name("Anna").id, lib.person_by_name("Ben").id
        kids = lib.album_by_name("Kids").id
        moved = next(i for i in lib.albums[kids].asset_ids if lib.assets[i].people == [anna])
        lib.reassign_face(moved, anna, lib.person_by_name("Clara").id)

        pane = app.screen.query_one(PreviewPane)
        pane.query_one("#table-to_add").focus()
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        assert [a.id for a, _ in shown(pane).plan.to_remove] == [moved]
        tabs = pane.query_one("#preview-tabs", TabbedContent)
        assert str(tabs.get_tab("sec-to_remove").label) == "To remove 1"
        await pilot.press("a")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert "Add 0 and remove 1 photo in “Kids”?" in text
        assert "1 photo this rule added no longer matches and will be removed." in text
        await pilot.click("#yes")
        await wait_idle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert moved not in lib.albums[kids].asset_ids
        assert set(lib.albums[kids].asset_ids) == {
            a.id for p in (anna, ben) for a in lib.assets_of(p)
            if a.visibility == "timeline" and not a.is_trashed
        }  # fmt: skip
        await pilot.press("escape")
        await wait_idle(pilot)

        app.action_undo("Kids")  # the palette's "Undo the last apply of “Kids”"
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.body == (  # as drawn in the dialog (wrapped)
            "0 photos it added will be taken out of “Kids” and 1 it removed (mirror mode) put "
            "back (nothing else is touched)."
        )
        await pilot.click("#yes")
        await wait_idle(pilot)
        assert moved in lib.albums[kids].asset_ids
