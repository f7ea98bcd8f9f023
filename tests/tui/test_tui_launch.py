"""The app's entry point, image protocol choice, the thumbnail cache and the `none` protocol."""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.models import Person, Thumbnail
from ppl2album_tui.immich.thumbcache import ThumbCache, person_version
from ppl2album_tui.sync.schema import IMAGE_PROTOCOLS
from ppl2album_tui.tui import launch
from ppl2album_tui.tui.images import detect_protocol, initials
from ppl2album_tui.tui.screenshots import SIZE, wait_idle
from tests.tui.helpers import build_app


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    launch.add_arguments(parser)
    return parser.parse_args(argv)


def test_building_the_cli_parser_does_not_import_textual() -> None:
    code = (
        "import sys; from ppl2album_tui.cli import build_parser; build_parser(); "
        "sys.exit('textual' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_options() -> None:
    args = parse("--demo", "--image-protocol", "none", "--config", "x.toml")
    assert (args.demo, args.image_protocol, args.config) == (True, "none", "x.toml")
    with pytest.raises(SystemExit):
        parse("--image-protocol", "ascii-art")


def test_protocol_choice() -> None:
    assert detect_protocol("halfcell", {"TERM": "xterm"}) == "halfcell"
    assert detect_protocol("kitty", {"TERM": "dumb"}) == "none"
    assert detect_protocol("auto", {"TERM": "xterm", "NO_COLOR": "1"}) == "none"
    assert detect_protocol("none", {}) == "none"
    with pytest.raises(ValueError, match="Unknown image protocol 'ascii'"):
        detect_protocol("ascii", {})
    for accepted in IMAGE_PROTOCOLS:  # what the config takes, the app draws
        assert detect_protocol(accepted, {"TERM": "xterm", "NO_COLOR": "1"}) == "none"
    assert initials("Anna Maria Berg") == "AB" and initials("") == "?" and initials("ben") == "Be"


def test_a_broken_config_is_one_sentence_and_no_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text("[server\nurl = 1\n")
    assert launch.run(parse("--config", str(bad))) == 2
    err = capsys.readouterr().err.strip()
    assert "not valid TOML" in err and "\n" not in err and "Traceback" not in err


def test_demo_uses_only_temporary_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "home"
    for var in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.setattr(launch, "DEMO_UPLOAD_EVERY", 3600.0)
    with launch._demo() as (config, config_path, data_dir, cache_dir, banner):
        assert config.server.url.startswith("http://127.0.0.1:")
        assert config.server.api_key and config.server.api_key not in banner
        assert config_path.exists() and config_path.parent == data_dir.parent == cache_dir.parent
        root = config_path.parent
    assert not root.exists()  # deleted on exit
    assert not home.exists()  # the user's dirs were never touched


async def test_thumbnail_cache_refetches_a_changed_face(tmp_path: Path) -> None:
    cache = ThumbCache(tmp_path)
    calls: list[str] = []

    async def download() -> Thumbnail:
        calls.append("x")
        return Thumbnail(b"jpeg-bytes", "image/jpeg")

    old = Person("p1", "Anna", updated_at=datetime(2026, 1, 1, tzinfo=UTC))
    new = Person("p1", "Anna", updated_at=datetime(2026, 2, 1, tzinfo=UTC))
    for _ in range(2):
        assert await cache.fetch("person", old.id, person_version(old), download) == b"jpeg-bytes"
    assert len(calls) == 1  # the second came from disk
    assert await ThumbCache(tmp_path).fetch("person", old.id, person_version(old), download)
    assert len(calls) == 1  # and so does a new process's
    await cache.fetch("person", new.id, person_version(new), download)
    assert len(calls) == 2  # a changed face is fetched again
    assert len(list(tmp_path.rglob("*.img"))) == 1  # and the old file is gone


async def test_protocol_none_shows_initials(demo_server: DemoServer, tmp_path: Path) -> None:
    app = build_app(demo_server, tmp_path)
    app.image_protocol = "none"
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        text = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert " An " in text and "▀" not in text
        assert app.thumbs.downloads == 0  # no image is fetched to draw initials
        assert app.screen.query_one("#people-table").counts  # the counts still load
