""" "Only Anna and Ben" made in the app the way a person does: the two marked on the People tab,
n, the editor's "only" box clicked, Preview ▶, a and the dialog's Add; the album on the demo
server holds just the photos in which nobody else appears."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.tui.screenshots import SIZE, wait_idle
from tests.fault_helpers import album_now, albums_named
from tests.tui.helpers import build_app
from tests.tui.test_tui_dates import new_rule, preview_and_apply

pytestmark = pytest.mark.timeout(300)


async def test_only_anna_and_ben_through_the_editor(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    anna, ben = lib.person_by_name("Anna").id, lib.person_by_name("Ben").id
    others = lib.person_by_name("Clara").id
    both = lib.add_asset([anna, ben], "both.jpg").id
    crowded = lib.add_asset([anna, others], "crowded.jpg").id
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await new_rule(pilot, ["Anna", "Ben"], {"rule-new-album": "Just us"})
        box = app.screen.query_one("#rule-more-only")
        box.scroll_visible(animate=False)
        await wait_idle(pilot)
        await pilot.click("#rule-more-only")
        await wait_idle(pilot)
        app.screen.query_one("#rule-preview").scroll_visible(animate=False)
        await wait_idle(pilot)
        pane, said = await preview_and_apply(pilot)
        assert pane.preview is not None and pane.preview.rule.only
        reasons = dict((a.id, why) for a, why in pane.preview.plan.filtered)
        assert reasons[crowded] == "also shows Clara"
    [album] = albums_named(lib, "Just us")
    held = album_now(lib, album)
    assert both in held and crowded not in held
    assert held and all(set(lib.assets[i].people) <= {anna, ben} for i in held)
    assert "Add" in said
