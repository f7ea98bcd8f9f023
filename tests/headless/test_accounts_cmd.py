"""`sync` and `undo` over two accounts in real processes: every account's part in one cycle under
one lock, per-account outcomes in text and `--json`, a revoked second key failing that account
only (exit 1, one sentence, no key printed), and `undo` taking out what each account added."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from tests.accounts_helpers import (
    ALBUM,
    RULE,
    emma_rule,
    person,
    photos,
    two_accounts,
    write_config,
)
from tests.fault_helpers import is_clear_sentence
from tests.headless.test_interrupt import run

pytestmark = pytest.mark.accounts(2)


def test_sync_text_and_json_name_each_account(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    robin_key = srv.user_key(robin_id)
    key_file = tmp_path / "robin.key"
    key_file.write_text(robin_key + "\n")
    config = two_accounts(srv, "", emma_rule(lib, robin_id))
    config.server.api_key = srv.api_key
    config.accounts[0].api_key, config.accounts[0].api_key_file = "", str(key_file)
    path = write_config(tmp_path, config)
    assert load_config(path).accounts[0].api_key_file == str(key_file)
    data = tmp_path / "data"
    dry = run(data, "sync", "--dry-run", "--config", str(path))
    assert dry.returncode == 0, dry.stderr
    assert ALBUM not in {a.name for a in lib.albums.values()}
    assert "would be shared with 'Robin' as editor" in dry.stderr
    done = run(data, "sync", "--once", "--json", "--config", str(path))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)["rules"][0]
    mine, robins = photos(lib, "Emma", None), photos(lib, "Emma", robin_id)
    assert report["rule"] == RULE and report["added"] == len(mine | robins)
    assert {n: r["added"] for n, r in report["accounts"].items()} == {
        "main": len(mine), "Robin": len(robins)}  # fmt: skip
    assert set(lib.album_by_name(ALBUM).asset_ids) == mine | robins
    text = run(data, "sync", "--once", "--full", "--config", str(path))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith(f"{RULE} → {ALBUM}: matched {len(mine | robins)}")
    assert lines[1].startswith(f"  account main: matched {len(mine)}, already {len(mine)}")
    assert lines[2].startswith(f"  account Robin: matched {len(robins)}, already {len(robins)}")
    for out in (dry, done, text):
        assert robin_key not in out.stdout + out.stderr and srv.api_key not in out.stderr


def test_a_revoked_second_key_fails_that_account_only(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    robin_key = srv.user_key(robin_id)
    srv.revoke_api_key(robin_key)
    other = emma_rule(lib, robin_id)
    path = write_config(tmp_path, two_accounts(srv, robin_key, other))
    done = run(tmp_path / "data", "sync", "--once", "--json", "--config", str(path))
    assert done.returncode == 1
    report = json.loads(done.stdout)["rules"][0]
    assert report["accounts"]["main"]["errors"] == []
    assert report["accounts"]["main"]["added"] == len(photos(lib, "Emma", None))
    assert set(lib.album_by_name(ALBUM).asset_ids) == photos(lib, "Emma", None)
    lines = done.stderr.splitlines()
    assert f"Warning: Rule '{RULE}': album '{ALBUM}' created by account 'main'." in lines
    errors = [line for line in lines if line.strip() and not line.startswith("Warning: ")]
    assert len(errors) == 1 and is_clear_sentence(errors[0])
    assert errors[0].startswith(f"Rule '{RULE}': account 'Robin' cannot be used: ")
    assert robin_key not in done.stdout + done.stderr


def test_undo_takes_back_each_accounts_own_last_apply(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    """The second sync adds one new photo of Robin's only: undo takes that back for Robin and
    main's first apply for main (each account's own last apply, not the last cycle's)."""
    srv, lib = demo_server, demo_library
    path = write_config(tmp_path, two_accounts(srv, srv.user_key(robin_id),
                                               emma_rule(lib, robin_id)))  # fmt: skip
    data = tmp_path / "data"
    assert run(data, "sync", "--once", "--config", str(path)).returncode == 0
    album = lib.album_by_name(ALBUM)
    mine, robins = photos(lib, "Emma", None), photos(lib, "Emma", robin_id)
    new = lib.add_asset([person(lib, "Emma", robin_id).id], "ROBIN_NEW.JPG")
    new.owner_id, new.json_cache = robin_id, None
    assert run(data, "sync", "--once", "--config", str(path)).returncode == 0
    assert new.id in album.asset_ids
    undo = run(data, "undo", "--rule", RULE, "--yes", "--config", str(path))
    assert undo.returncode == 0, undo.stderr
    assert f"Removed {len(mine) + 1} photo(s) from album '{ALBUM}' (rule '{RULE}')." in undo.stdout
    assert f"account main: removed {len(mine)} photo(s)" in undo.stdout
    assert "account Robin: removed 1 photo(s)" in undo.stdout
    assert set(album.asset_ids) == robins
    again = run(data, "undo", "--rule", RULE, "--yes", "--config", str(path))
    assert again.returncode == 0 and f"Removed {len(robins)} photo(s)" in again.stdout
    assert not album.asset_ids
    last = run(data, "undo", "--rule", RULE, "--yes", "--config", str(path))
    assert last.returncode == 2 and "undone already" in last.stderr
