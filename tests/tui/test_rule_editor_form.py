"""The rule editor is derived from the key declarations: every rule key that is not picked
elsewhere has a control, and what the form holds is what the config file gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.sync.ruleform import FORM
from ppl2album_tui.tui.panes.rules import MORE, RulesPane
from ppl2album_tui.tui.screenshots import SIZE, select_people, wait_idle
from tests.tui.helpers import build_app


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMMICH_API_KEY", raising=False)


def test_keys_without_a_placed_control_get_one() -> None:
    assert {"remove_unmatched", "only", "include_partners"} <= {f.key for f in MORE}
    assert all(f.control in ("switch", "text") for f in MORE)
    assert len({f.key for f in FORM}) == len(FORM)


async def test_a_declared_switch_is_saved_through_the_form(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await select_people(pilot, ["Anna"])
        await pilot.press("n")
        await wait_idle(pilot)
        pane = app.screen.query_one(RulesPane)
        pane.query_one("#rule-more-remove_unmatched").scroll_visible(animate=False)
        await wait_idle(pilot)
        await pilot.click("#rule-more-remove_unmatched")
        await pilot.click("#rule-save")
        await wait_idle(pilot)
    saved = load_config(tmp_path / "config.toml").rules
    assert [(r.name, r.remove_unmatched, r.only) for r in saved] == [("Anna", True, False)]
