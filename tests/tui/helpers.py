"""What the TUI tests share beyond the screenshot scenes (ppl2album_tui/tui/screenshots.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import Config
from ppl2album_tui.sync.engine import RulePreview
from ppl2album_tui.sync.rules import Rule
from ppl2album_tui.tui.app import PplApp, make_app
from ppl2album_tui.tui.panes.preview import PreviewPane
from ppl2album_tui.tui.screenshots import FIXED_NOW, demo_config, kids_rule, redirecting_factory


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(seconds=seconds)


def build_app(
    server: DemoServer,
    root: Path,
    *,
    config: Config | None = None,
    clock: FakeClock | None = None,
    autosync: bool = True,
) -> PplApp:
    """The app on `server`, with every file under `root` and a fake clock; no timer ticks
    (tests call app.tick() themselves) and no animations (see scene_app)."""
    app = make_app(
        config if config is not None else demo_config(server.api_key),
        config_path=root / "config.toml",
        data_dir=root / "data",
        cache_dir=root / "cache",
        image_protocol="halfcell",
        clock=clock or FakeClock(),
        client_factory=redirecting_factory(server.url),
        autosync=autosync,
        tick_seconds=3600,
    )
    app.animation_level = "none"
    return app


def anna_ben_rule(server: DemoServer, **fields: Any) -> Rule:
    """Anna and Ben into a new album 'Kids', with `fields` changed."""
    rule = kids_rule(server)
    for name, value in fields.items():
        setattr(rule, name, value)
    return rule


def kids_app(server: DemoServer, root: Path, clock: FakeClock | None = None) -> PplApp:
    """The app with the rule Anna & Ben → new album "Kids" saved."""
    config = demo_config(server.api_key, [kids_rule(server)])
    return build_app(server, root, config=config, clock=clock)


def screen_text(app: PplApp) -> str:
    """Everything on screen (the top screen and what shows through it) as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def shown(pane: PreviewPane) -> RulePreview:
    """The preview `pane` shows (failing the test when it shows none)."""
    assert pane.preview is not None, "the Preview shows no preview"
    return pane.preview
