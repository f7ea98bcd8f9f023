"""Mirror mode from the command line: `sync` text and --json counts, the held-back sentence,
`--allow-removals`, and `undo` putting removed photos back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ppl2album_tui.cli import main
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config, save_config
from ppl2album_tui.sync.rules import Rule
from tests.fault_helpers import album_now, ref
from tests.sync_helpers import make_config, photos_of


def test_sync_reports_removals_and_undo_puts_them_back(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("anna", [ref(lib, "Anna")], album_id=drafts, remove_unmatched=True)
    path = make_config(tmp_path, demo_server, rule)
    assert main(["sync", "--once", "--config", str(path)]) == 0
    anna, clara = lib.person_by_name("Anna").id, lib.person_by_name("Clara").id
    moved = next(a.id for a in lib.assets_of(anna) if a.people == [anna] and
                 a.visibility == "timeline" and not a.is_trashed)  # fmt: skip
    lib.reassign_face(moved, anna, clara)
    capsys.readouterr()

    assert main(["sync", "--once", "--json", "--config", str(path)]) == 0
    out, _ = capsys.readouterr()
    (report,) = json.loads(out)["rules"]
    assert (report["to_remove"], report["removed"], report["held"]) == (1, 1, 0)
    assert album_now(lib, drafts) == photos_of(lib, "Anna")

    assert main(["undo", "--rule", "anna", "--yes", "--config", str(path)]) == 0
    out, _ = capsys.readouterr()
    assert out.strip() == "Removed 0 photo(s) from album 'Drafts' and put back 1 it had removed " \
        "(rule 'anna')."  # fmt: skip
    assert moved in album_now(lib, drafts)


def test_sync_holds_a_big_removal_back_and_says_so(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("anna", [ref(lib, "Anna")], album_id=drafts, remove_unmatched=True)
    path = make_config(tmp_path, demo_server, rule)
    assert main(["sync", "--once", "--config", str(path)]) == 0
    full = album_now(lib, drafts)
    config = load_config(path)
    config.rules[0].people = [ref(lib, "Ben")]  # Anna's photos without Ben no longer match
    save_config(config, path)
    capsys.readouterr()

    assert main(["sync", "--once", "--config", str(path)]) == 0
    out, err = capsys.readouterr()
    assert album_now(lib, drafts) == full | photos_of(lib, "Ben")  # Ben's added, none removed
    gone = len(full - photos_of(lib, "Ben"))
    assert f"to remove {gone}, removed 0" in out
    (line,) = err.strip().splitlines()
    assert line.startswith(f"Warning: Rule 'anna': {gone} photo(s) it added no longer match")
    assert line.endswith("remove them with `sync --allow-removals` or from the app's preview.")

    assert main(["sync", "--once", "--allow-removals", "--config", str(path)]) == 0
    out, err = capsys.readouterr()
    assert f"to remove {gone}, removed {gone}" in out and err == ""
    assert album_now(lib, drafts) == photos_of(lib, "Ben")
