"""Journal and lock: durable records, torn lines, undo bookkeeping, tombstones, stale locks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.lock import LockBusy, SyncLock, lock_path_for

ALBUM = "album-1"


def test_records_and_queries(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.jsonl")
    a1 = j.new_apply_id()
    j.record_pending(a1, "kids", ALBUM, ["a", "b", "c"])
    j.record_apply(a1, "kids", ALBUM, added=["a", "b"], duplicate=["c"])
    a2 = j.new_apply_id()
    j.record_apply(a2, "kids", ALBUM, added=["d"])
    j.record_apply(j.new_apply_id(), "other", ALBUM, added=["e"])
    fresh = Journal(tmp_path / "j.jsonl")  # everything is on disk
    assert fresh.previously_added(ALBUM) == {"a", "b", "d", "e"}
    assert fresh.added_ids("kids", ALBUM) == {"a", "b", "d"}
    last = fresh.last_apply("kids")
    assert last is not None and last.apply_id == a2 and last.undoable == ["d"]
    fresh.record_undo(a2, "kids", ALBUM, ["d"])
    assert j.last_apply("kids").apply_id == a1  # type: ignore[union-attr]  # j re-reads the file
    assert j.previously_added(ALBUM) == {"a", "b", "e"}
    j.clear_removed_by_hand("kids", ["a"], ALBUM)
    assert Journal(j.path).previously_added(ALBUM) == {"b", "e"}
    assert j.unresolved(ALBUM) == {}
    lines = [json.loads(x) for x in j.path.read_text().splitlines()]
    assert {x["kind"] for x in lines} == {"pending", "add", "undo", "clear"}
    assert all("time" in x and x["v"] == 1 for x in lines)
    assert os.stat(j.path).st_mode & 0o077 == 0


def test_torn_last_line_is_ignored_and_appends_stay_clean(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    j = Journal(path)
    a1 = j.new_apply_id()
    j.record_pending(a1, "kids", ALBUM, ["a", "b"])
    j.record_apply(a1, "kids", ALBUM, added=["a"])
    a2 = j.new_apply_id()
    j.record_pending(a2, "kids", ALBUM, ["x", "y"])
    with path.open("a") as fh:
        fh.write('{"v":1,"kind":"add","apply":"' + a2 + '","rule":"kids","alb')  # torn write
    j2 = Journal(path)
    assert j2.previously_added(ALBUM) == {"a"}
    assert any("last line" in w for w in j2.warnings)
    assert j2.unresolved(ALBUM) == {a1: ("kids", {"b"}), a2: ("kids", {"x", "y"})}
    j2.record_pending(a2, "kids", ALBUM, ["z"])  # a second chunk of the apply in flight
    assert j2.unresolved(ALBUM)[a2] == ("kids", {"x", "y", "z"})
    j2.record_apply(a2, "kids", ALBUM, added=["z"])
    j2.record_apply(a2, "kids", ALBUM, added=["x"], failed=["y"])
    j3 = Journal(path)
    assert j3.previously_added(ALBUM) == {"a", "x", "z"}
    assert a2 not in j3.unresolved(ALBUM)
    assert any("line 4" in w for w in j3.warnings)  # the torn fragment now sits mid-file


def test_lock_refuses_second_holder_and_takes_over_stale(tmp_path: Path) -> None:
    key = tmp_path / "config.toml"
    with SyncLock(key, tmp_path):
        with pytest.raises(
            LockBusy, match=rf"Another sync is already running for .*pid {os.getpid()}"
        ):
            SyncLock(key, tmp_path).acquire()
        SyncLock(tmp_path / "other.toml", tmp_path).acquire()  # another config is independent
    # a lock left by a dead process is stale and taken over
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    path = lock_path_for(key, tmp_path)
    path.write_text(f"{dead}\n{key}\n")
    with SyncLock(key, tmp_path) as lock:
        assert lock.path.read_text().startswith(str(os.getpid()))
    assert not path.exists()


def test_lock_held_by_another_live_process(tmp_path: Path) -> None:
    key = tmp_path / "config.toml"
    code = (
        "import sys, time; from pathlib import Path;"
        "from ppl2album_tui.sync.lock import SyncLock;"
        f"l = SyncLock(Path({str(key)!r}), Path({str(tmp_path)!r})); l.acquire();"
        "print('held', flush=True); sys.stdin.readline()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        with pytest.raises(LockBusy, match=f"pid {proc.pid}"):
            SyncLock(key, tmp_path).acquire()
    finally:
        proc.kill()
        proc.wait()
    with SyncLock(key, tmp_path):  # the kernel let go when it died
        pass
