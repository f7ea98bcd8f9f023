"""The console entry ends a subcommand without the interpreter's teardown (`cli.entry`): what
the sync printed and its exit code must still come out whole, through a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.rules import PersonRef, Rule
from tests.sync_helpers import make_config, photos_of

REPO = Path(__file__).resolve().parents[2]


def _run(config: Path, data: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IMMICH_", "PPL2ALBUM_"))}
    env.update(PPL2ALBUM_TUI_DATA_DIR=str(data), PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "ppl2album_tui", "sync", "--once", "--config", str(config)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_a_failing_rule_keeps_its_exit_code_and_every_line(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    drafts = demo_library.album_by_name("Drafts").id
    greta = PersonRef(demo_library.person_by_name("Greta").id, "Greta")
    gone = "00000000-0000-4000-8000-000000000000"  # no such album: that rule fails
    config = make_config(
        tmp_path, demo_server, Rule("greta", [greta], album_id=drafts),
        Rule("lost", [greta], album_id=gone),
    )  # fmt: skip
    proc = _run(config, tmp_path / "data")
    assert proc.returncode == 1, proc.stderr
    assert "greta → Drafts" in proc.stdout and "lost" in proc.stdout + proc.stderr
    assert photos_of(demo_library, "Greta") <= set(demo_library.albums[drafts].asset_ids)
    assert (tmp_path / "data" / "journal.jsonl").stat().st_size > 0
