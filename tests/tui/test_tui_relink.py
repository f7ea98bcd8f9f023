"""The app keeps a person id the server changed: the preview re-links it by name and saves it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.tui.screenshots import SIZE, demo_config, wait_idle
from tests.tui.helpers import anna_ben_rule, build_app


@pytest.mark.parametrize("immich_version", ["3.3.5"])
async def test_preview_relinks_a_merged_person_and_saves_the_rule(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    lib = demo_server.library
    rule = anna_ben_rule(demo_server)
    app = build_app(demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]))
    anna = lib.person_by_name("Anna").id
    unnamed = next(p.id for p in lib.people.values() if not p.name and not p.is_hidden)
    lib.people[unnamed].name = "Anna"  # what POST /people/merge [unnamed, anna] leaves
    lib.merge_person(unnamed, anna)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("2")
        await wait_idle(pilot)
        await pilot.click("#rule-preview")
        await wait_idle(pilot)
        counts = str(app.screen.query_one("#preview-counts").render())
        assert f"{anna} → {unnamed}" in counts
    saved = load_config(tmp_path / "config.toml").rules[0]
    assert saved.people[0].id == unnamed
