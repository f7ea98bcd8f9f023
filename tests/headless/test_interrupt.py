"""Interruption and concurrency (issue 5), with real `python -m ppl2album_tui` processes:

- one sync per config: a second `sync` refuses with a clear sentence while the first applies; a
  lock left by a dead process is taken over; the TUI's auto-sync skips its tick while a headless
  sync holds the config's lock;
- SIGINT / SIGTERM / SIGHUP mid-apply, then `undo`: the album returns exactly to its state before
  the run (the sync engineer's tests/sync/test_sync_interrupt.py proves journal == album after the
  signal; here the journal is also shown to be usable by undo);
- a hard kill mid-apply, then `undo` straight away (no sync in between);
- a torn last journal line: sync and undo still work.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import Config, save_config
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.lock import SyncLock, lock_path_for
from ppl2album_tui.sync.rules import Rule
from tests.fault_helpers import album_now, is_clear_sentence, puts_to, ref, timeline_photos
from tests.sync_helpers import not_first_sync

REPO = Path(__file__).resolve().parents[2]


def child_env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IMMICH_", "PPL2ALBUM_"))}
    env["PPL2ALBUM_TUI_DATA_DIR"] = str(data)
    env["PYTHONPATH"] = str(REPO)
    return env


def app_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "ppl2album_tui", *args]


def start(data: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        app_cmd(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=child_env(data),
    )  # fmt: skip


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        app_cmd(*args), capture_output=True, text=True, env=child_env(data), timeout=120
    )


def wait_until(cond: object, what: str, proc: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if cond():  # type: ignore[operator]
            return
        if proc is not None and proc.poll() is not None:
            _out, err = proc.communicate()
            pytest.fail(f"the process ended before {what}: {err}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def family_setup(srv: DemoServer, lib: Library, root: Path, chunk: int = 5) -> tuple[Path, str]:
    """A config: Anna and Ben into 'Family' (which already holds 50 of Anna's photos)."""
    family = lib.album_by_name("Family").id
    config = Config(rules=[Rule("fam", [ref(lib, "Anna"), ref(lib, "Ben")], album_id=family)])
    config.server.url, config.server.api_key = srv.url, srv.api_key
    config.sync.chunk_size = chunk
    path = root / "config.toml"
    save_config(config, path)
    return path, family


def puts(srv: DemoServer, album: str) -> int:
    return puts_to(srv, album)


# ------------------------------------------------------------------------ one sync per config


def test_second_sync_refuses_while_the_first_applies(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    config, family = family_setup(srv, lib, tmp_path)
    data = tmp_path / "data"
    # the first sync's adds are held at the server until the second sync has been refused
    release = threading.Event()
    held = srv.faults.add(
        path="/api/albums/*/assets", method="PUT", kind="delay", count=None, hold=release
    )
    first = start(data, "sync", "--once", "--config", str(config))
    try:
        wait_until(lambda: held.fired, "the first sync to apply", first)
        second = run(data, "sync", "--once", "--config", str(config))
        assert first.poll() is None, "the first sync finished too early to prove anything"
    finally:
        release.set()
        _out, err = first.communicate(timeout=120)
    assert second.returncode == 2
    lines = [x for x in second.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and is_clear_sentence(lines[0]), second.stderr
    assert "Another sync is already running" in lines[0] and f"pid {first.pid}" in lines[0]
    assert first.returncode == 0, err
    expected = set(lib.album_by_name("Family").asset_ids)
    assert album_now(lib, family) == expected
    # the refused run sent nothing: every add request came from the first process
    assert Journal(data / "journal.jsonl").unresolved(family) == {}


def test_stale_lock_of_a_dead_process_is_taken_over(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    config, family = family_setup(srv, lib, tmp_path, chunk=1000)
    data = tmp_path / "data"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = lock_path_for(config, data)
    lock.parent.mkdir(parents=True)
    lock.write_text(f"{dead.pid}\n{config}\n")  # left behind by a crashed sync
    done = run(data, "sync", "--once", "--config", str(config))
    assert done.returncode == 0, done.stderr
    expected = timeline_photos(lib, [lib.person_by_name(n).id for n in ("Anna", "Ben")])
    assert album_now(lib, family) == expected
    assert not lock.exists()  # released at the end


def test_lock_held_by_a_live_process_that_is_not_syncing_is_respected(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    """A live holder (here: a process holding the lock and sleeping) is never taken over."""
    srv, lib = demo_server, demo_library
    config, family = family_setup(srv, lib, tmp_path, chunk=1000)
    data = tmp_path / "data"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from ppl2album_tui.sync.lock import SyncLock;"
         f"l = SyncLock(Path({str(config)!r}), Path({str(data)!r})); l.acquire();"
         "print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True, env=child_env(data),
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        before = album_now(lib, family)
        refused = run(data, "sync", "--once", "--config", str(config))
        assert refused.returncode == 2 and "Another sync is already running" in refused.stderr
        assert album_now(lib, family) == before and puts(srv, family) == 0
    finally:
        holder.kill()
        holder.wait()
    again = run(data, "sync", "--once", "--config", str(config))  # the kernel let go of it
    assert again.returncode == 0, again.stderr


async def test_tui_autosync_skips_while_a_headless_sync_holds_the_lock(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    pytest.importorskip("textual")
    from ppl2album_tui.tui.screenshots import SIZE, demo_config, wait_idle
    from tests.tui.helpers import anna_ben_rule, build_app

    rule = anna_ben_rule(demo_server)
    app = build_app(demo_server, tmp_path, config=demo_config(demo_server.api_key, [rule]))
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        assert app.engine is not None
        with SyncLock(app.config_path, app.data_dir):  # `ppl2album-tui sync` is running
            demo_server.clear_log()
            assert app.start_cycle("timer")
            await wait_idle(pilot)
            log = "\n".join(app.sync_state.activity)
            assert "Sync skipped: Another sync is already running" in log
            assert not [r for r in demo_server.request_log if r.method in ("PUT", "POST")
                        and not r.path.endswith("/search/metadata")]  # fmt: skip
        assert app.start_cycle("timer")  # the lock is free again: the tick syncs
        await wait_idle(pilot)
        kids = [a for a in demo_server.library.albums.values() if a.name == "Kids"]
        assert len(kids) == 1 and kids[0].asset_ids


# ------------------------------------------------------------------- signals mid-apply, then undo


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_signal_mid_apply_then_undo_restores_the_album(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path, sig: signal.Signals
) -> None:
    srv, lib = demo_server, demo_library
    config, family = family_setup(srv, lib, tmp_path)
    data = tmp_path / "data"
    before = album_now(lib, family)
    srv.faults.add(path="/api/albums/*/assets", method="PUT", kind="delay", delay=0.05, count=None)
    proc = start(data, "sync", "--once", "--config", str(config))
    try:
        wait_until(lambda: puts(srv, family) >= 6, "several chunks", proc)
        proc.send_signal(sig)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "Traceback" not in err, err
    journal = Journal(data / "journal.jsonl")
    album = album_now(lib, family)
    added = album - before
    assert added and album < before | timeline_photos(
        lib, [lib.person_by_name(n).id for n in ("Anna", "Ben")]
    )  # stopped part-way, nothing foreign
    assert journal.unresolved(family) == {}
    last = journal.last_apply("fam")
    assert last is not None and set(last.undoable) == added  # exactly what was added
    undo = run(data, "undo", "--rule", "fam", "--yes", "--config", str(config))
    assert undo.returncode == 0, undo.stderr
    assert f"Removed {len(added)} photo(s)" in undo.stdout
    assert album_now(lib, family) == before


def test_hard_kill_mid_apply_then_undo_straight_away(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    """SIGKILL while a chunk is in flight: undo (with no sync in between) must still take out
    everything the killed run added, including the chunk whose answer it never recorded."""
    srv, lib = demo_server, demo_library
    config, family = family_setup(srv, lib, tmp_path)
    data = tmp_path / "data"
    not_first_sync(Journal(data / "journal.jsonl"), family)  # first syncs: test_first_sync_kill
    before = album_now(lib, family)
    srv.faults.add(path="/api/albums/*/assets", method="PUT", kind="delay", delay=0.3, count=None)
    proc = start(data, "sync", "--once", "--config", str(config))
    journal_path = data / "journal.jsonl"

    def in_flight() -> bool:  # a chunk journaled as pending has reached the server
        return (
            journal_path.exists()
            and puts(srv, family) >= 3
            and bool(Journal(journal_path).unresolved(family))
        )

    try:
        wait_until(in_flight, "a chunk in flight", proc)
        proc.kill()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.5)  # let the server finish the request the dead process left behind
    added = album_now(lib, family) - before
    assert added
    journal = Journal(journal_path)
    pending = {i for _, ids in journal.unresolved(family).values() for i in ids}
    assert journal.previously_added(family) <= album_now(lib, family)
    assert added <= journal.previously_added(family) | pending  # every add has a record
    undo = run(data, "undo", "--rule", "fam", "--yes", "--config", str(config))
    assert undo.returncode == 0, undo.stderr
    assert album_now(lib, family) == before, "undo left photos the killed run had added"


def test_torn_last_journal_line_end_to_end(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    config, family = family_setup(srv, lib, tmp_path, chunk=1000)
    data = tmp_path / "data"
    before = album_now(lib, family)
    first = run(data, "sync", "--once", "--config", str(config))
    assert first.returncode == 0, first.stderr
    journal = data / "journal.jsonl"
    with journal.open("ab") as fh:  # a crash in the middle of writing a record
        fh.write(b'{"v":1,"kind":"add","apply":"x","rule":"fam","album":"' + family.encode())
    lib.add_asset(people=[lib.person_by_name("Ben").id], file_name="NEW_0001.JPG")
    second = run(data, "sync", "--once", "--config", str(config))
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in second.stderr
    expected = timeline_photos(lib, [lib.person_by_name(n).id for n in ("Anna", "Ben")])
    assert album_now(lib, family) == expected
    undo = run(data, "undo", "--rule", "fam", "--yes", "--config", str(config))
    assert undo.returncode == 0 and "Removed 1 photo(s)" in undo.stdout, undo.stderr
    undo = run(data, "undo", "--rule", "fam", "--yes", "--config", str(config))
    assert undo.returncode == 0, undo.stderr
    assert album_now(lib, family) == before
