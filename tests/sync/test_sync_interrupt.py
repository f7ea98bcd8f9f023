"""Interruption: a real `sync` process stopped or killed mid-apply against a slowed demo server
leaves the journal and the album in agreement (after the next run, for a hard kill)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import Config, save_config
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import PersonRef, Rule


def start_sync(config: Path, data: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IMMICH_", "PPL2ALBUM_"))}
    env["PPL2ALBUM_TUI_DATA_DIR"] = str(data)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return subprocess.Popen(
        [sys.executable, "-m", "ppl2album_tui", "sync", "--once", "--config", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def wait_for_adds(journal: Path, proc: subprocess.Popen[str], n: int = 2) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists():
            lines = journal.read_text().splitlines()
            if sum(1 for x in lines if '"kind":"add"' in x) >= n:
                return
        time.sleep(0.02)
    pytest.fail("the sync process never applied a chunk")


@pytest.fixture
def slow_setup(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> tuple[Path, Path, str]:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("anna", [PersonRef(lib.person_by_name("Anna").id, "Anna")], album_id=drafts)
    config = Config(rules=[rule])
    config.server.url, config.server.api_key = demo_server.url, demo_server.api_key
    config.sync.chunk_size = 5
    path = tmp_path / "config.toml"
    save_config(config, path)
    demo_server.latency = 0.05
    return path, tmp_path / "data", drafts


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stop_signal_mid_apply_keeps_journal_and_album_in_step(
    slow_setup: tuple[Path, Path, str], demo_library: Library, sig: signal.Signals
) -> None:
    config, data, drafts = slow_setup
    proc = start_sync(config, data)
    try:
        wait_for_adds(data / "journal.jsonl", proc)
        proc.send_signal(sig)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Stopping" in err and "Traceback" not in err
    journal = Journal(data / "journal.jsonl")
    album = set(demo_library.albums[drafts].asset_ids)
    assert album and album == journal.previously_added(drafts)
    assert journal.unresolved(drafts) == {}
    lines = [json.loads(x) for x in journal.path.read_text().splitlines()]
    assert lines[-1]["kind"] == "add"  # stopped between chunks, after recording the last one


def test_hard_kill_mid_apply_is_settled_by_the_next_run(
    slow_setup: tuple[Path, Path, str], demo_library: Library
) -> None:
    config, data, drafts = slow_setup
    proc = start_sync(config, data)
    try:
        wait_for_adds(data / "journal.jsonl", proc, n=3)
        proc.kill()  # SIGKILL: no chance to clean up
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    journal = Journal(data / "journal.jsonl")
    album = set(demo_library.albums[drafts].asset_ids)
    pending = {i for _, ids in journal.unresolved(drafts).values() for i in ids}
    # nothing recorded that was not added; nothing added that the journal cannot account for
    assert journal.previously_added(drafts) <= album <= journal.previously_added(drafts) | pending
    rerun = start_sync(config, data)
    _out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    album = set(demo_library.albums[drafts].asset_ids)
    fresh = Journal(journal.path)
    assert fresh.unresolved(drafts) == {} and fresh.previously_added(drafts) == album
