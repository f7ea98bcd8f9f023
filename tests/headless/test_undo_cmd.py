"""`ppl2album-tui undo` as a user runs it, in real processes (issue 10, bug 6): after a killed run
whose only chunk is still pending, after an undo, and while another sync holds the lock; the
album is named by name, as `sync` names it."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer, Exchange
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.lock import SyncLock
from tests.fault_helpers import album_now, is_clear_sentence
from tests.headless.test_interrupt import family_setup, run, start
from tests.sync_helpers import not_first_sync


def test_undo_after_a_kill_whose_only_chunk_is_pending_settles_and_removes(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    config, family = family_setup(srv, lib, tmp_path, chunk=1000)  # one chunk holds it all
    data = tmp_path / "data"
    journal_path = data / "journal.jsonl"
    not_first_sync(Journal(journal_path), family)  # a killed first sync: test_first_sync_kill
    before = album_now(lib, family)
    previous = srv.on_exchange
    killed = threading.Event()
    proc: subprocess.Popen[str] | None = None

    def kill_before_the_answer(ex: Exchange) -> None:  # the server added them; no answer
        if previous is not None:
            previous(ex)
        if ex.method == "PUT" and ex.path == f"/api/albums/{family}/assets" and proc:
            proc.kill()
            proc.wait(timeout=30)
            killed.set()

    srv.on_exchange = kill_before_the_answer
    try:
        proc = start(data, "sync", "--once", "--config", str(config))
        assert killed.wait(timeout=60), "the sync never sent its chunk"
    finally:
        srv.on_exchange = previous
        if proc is not None and proc.poll() is None:
            proc.kill()
    added = album_now(lib, family) - before
    journal = Journal(journal_path)
    assert added and journal.last_apply("fam") is None  # nothing answered: only pending
    assert {i for _, ids in journal.unresolved(family).values() for i in ids} >= added
    undo = run(data, "undo", "--rule", "fam", "--yes", "--config", str(config))
    assert undo.returncode == 0, undo.stderr
    assert f"Removed {len(added)} photo(s) from album 'Family' (rule 'fam')." in undo.stdout
    assert album_now(lib, family) == before
    assert Journal(journal_path).unresolved(family) == {}


def test_a_second_undo_says_the_last_apply_was_undone(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    config, family = family_setup(srv, lib, tmp_path, chunk=1000)
    data = tmp_path / "data"
    before = album_now(lib, family)
    assert run(data, "sync", "--once", "--config", str(config)).returncode == 0
    first = run(data, "undo", "--rule", "fam", "--yes", "--config", str(config))
    assert first.returncode == 0 and "from album 'Family'" in first.stdout, first.stderr
    assert album_now(lib, family) == before
    again = run(data, "undo", "--rule", "fam", "--yes", "--config", str(config))
    lines = [x for x in again.stderr.splitlines() if x.strip()]
    assert again.returncode == 2 and len(lines) == 1 and is_clear_sentence(lines[0])
    assert "Nothing to undo for rule 'fam'" in lines[0] and "was undone already" in lines[0]
    assert "no photos yet" not in lines[0]
    never = run(data, "undo", "--rule", "other", "--yes", "--config", str(config))
    assert never.returncode == 2 and "has added no photos yet" in never.stderr


def test_undo_reads_the_journal_only_under_the_lock(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    """While another sync holds the lock, undo refuses on the lock, not on a journal it has
    not yet been allowed to read (a running sync may be adding what it would undo)."""
    srv, lib = demo_server, demo_library
    config, family = family_setup(srv, lib, tmp_path, chunk=1000)
    data = tmp_path / "data"
    with SyncLock(config, data):  # held by this (live) process, as a running sync holds it
        undo = run(data, "undo", "--rule", "fam", "--yes", "--config", str(config))
    assert undo.returncode == 2 and "Another sync is already running" in undo.stderr
    assert "Nothing to undo" not in undo.stderr
    assert album_now(lib, family) == set(lib.album_by_name("Family").asset_ids)
