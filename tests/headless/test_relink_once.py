"""Headless `sync` and a person id that changed on the server: a cron user hears it once.

The first run re-links by name and says so; it remembers the new id in the data dir, so later
runs use it without the people lookup and without repeating the notice. The config file is never
rewritten; a second change is said again."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.cli import main
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.rules import PersonRef, Rule
from tests.sync_helpers import make_config, photos_of


def test_a_relinked_person_is_said_once_and_remembered(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = demo_library
    anna = lib.person_by_name("Anna").id
    drafts = lib.album_by_name("Drafts").id
    config = make_config(
        tmp_path, demo_server, Rule("kids", [PersonRef(anna, "Anna")], album_id=drafts)
    )
    written = config.read_text()
    unnamed = next(p.id for p in lib.people.values() if not p.name and not p.is_hidden)
    lib.merge_person(unnamed, anna)  # the unnamed one survives and is now Anna
    lib.people[unnamed].name = "Anna"
    assert lib.person_by_name("Anna").id == unnamed
    sync = ["sync", "--once", "--full", "--config", str(config)]

    assert main(sync) == 0
    err = capsys.readouterr().err
    assert f"{anna} → {unnamed}" in err and err.count("person id changed") == 1
    assert photos_of(lib, "Anna") <= set(lib.albums[drafts].asset_ids)

    demo_server.clear_log()
    assert main(sync) == 0  # cron's next run: quiet, and no lookup of the gone id
    assert "person id changed" not in capsys.readouterr().err
    paths = [r.path for r in demo_server.request_log]
    assert not any(anna in p for p in paths) and any(unnamed in p for p in paths)
    assert config.read_text() == written  # the config file is the user's: never rewritten

    other = next(p.id for p in lib.people.values() if not p.name and not p.is_hidden)
    lib.merge_person(other, unnamed)  # Anna's id changes once more: said again
    lib.people[other].name = "Anna"
    assert main(sync) == 0
    assert f"{unnamed} → {other}" in capsys.readouterr().err
