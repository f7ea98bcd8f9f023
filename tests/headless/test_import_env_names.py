"""import-env keeps a name that matches nobody; every sync warns until it exists, then syncs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.cli import main
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from tests.sync_helpers import photos_of, visible

MISSING = "No person is named 'Zed' on the server"


def sync_once(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["sync", "--once", "--config", str(config)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.err


def test_a_name_nobody_has_is_kept_warned_about_and_synced_once_it_exists(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts")
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        f"IMMICH_BASE_URL={demo_server.url}\nIMMICH_API_KEY={demo_server.api_key}\n"
        f"IMMICH_ALBUM_ID={drafts.id}\nIMMICH_PERSONS=Anna, Zed\n"
    )
    config = tmp_path / "config.toml"
    assert main(["import-env", str(dotenv), "--config", str(config)]) == 0
    captured = capsys.readouterr()
    assert MISSING in captured.err and "Kept 'Zed' in the rule by name" in captured.err
    (rule,) = load_config(config).rules
    assert [(p.name, bool(p.id)) for p in rule.people] == [("Anna", True), ("Zed", False)]
    assert '{ name = "Zed" }' in config.read_text()

    for _ in range(2):  # every cycle says so while nobody is called Zed; Anna still syncs
        code, err = sync_once(config, capsys)
        assert code == 0 and err.count(MISSING) == 1
        assert set(drafts.asset_ids) == photos_of(lib, "Anna")

    cluster = next(p for p in lib.people.values() if not p.name and lib.timeline_count(p.id) == 12)
    lib.name_person(cluster.id, "Zed")  # the user names a face cluster in Immich
    demo_server.clear_log()
    code, err = sync_once(config, capsys)
    assert code == 0 and MISSING not in err
    zed = {a.id for a in lib.assets_of(cluster.id) if visible(a)}
    assert len(zed) == 12 and zed - photos_of(lib, "Anna")
    assert set(drafts.asset_ids) == photos_of(lib, "Anna") | zed
    people_reads = [r for r in demo_server.request_log if r.path == "/api/people"]
    assert len(people_reads) == 1  # one lookup of the names per tick
    assert '{ name = "Zed" }' in config.read_text()  # sync never writes the config

    code, err = sync_once(config, capsys)  # resolved again, and nothing left to do
    assert code == 0 and MISSING not in err
    assert set(drafts.asset_ids) == photos_of(lib, "Anna") | zed


def test_a_rule_whose_people_are_all_unknown_fails_with_one_sentence(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[server]\nurl = "{demo_server.url}"\napi_key = "{demo_server.api_key}"\n'
        '[[rules]]\nname = "later"\nalbum_name = "Later"\npeople = [{ name = "Zed" }]\n'
    )
    code, err = sync_once(config, capsys)
    assert code == 1
    assert "Rule 'later': None of the rule's people is on the server yet: Zed (names" in err
    assert "Later" not in {a.name for a in demo_library.albums.values()}
