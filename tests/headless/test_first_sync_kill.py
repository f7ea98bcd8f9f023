"""A first sync killed mid-apply, then `undo`, in real processes (issue 15 §3): the first sync
does not read the album, so the chunk in flight when it died cannot be told apart from photos a
person had put there. Undo takes out what was answered, leaves that chunk's photos and says so;
no photo that was in the album before is ever removed."""

from __future__ import annotations

import time
from pathlib import Path

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.journal import Journal
from tests.fault_helpers import album_now
from tests.headless.test_interrupt import family_setup, puts, run, start, wait_until


def test_undo_after_a_killed_first_sync_keeps_every_photo_that_may_have_been_there(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    config, family = family_setup(srv, lib, tmp_path)  # 5 a chunk; Family holds 50 already
    data = tmp_path / "data"
    journal_path = data / "journal.jsonl"
    before = album_now(lib, family)
    srv.faults.add(path="/api/albums/*/assets", method="PUT", kind="delay", delay=0.3, count=None)
    proc = start(data, "sync", "--once", "--config", str(config))

    def in_flight() -> bool:
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
    srv.faults.clear()
    journal = Journal(journal_path)
    answered = journal.previously_added(family)
    lost = {i for _, ids in journal.unresolved(family).values() for i in ids}
    assert journal.unresolved_unread(family) == lost  # the first sync's chunks: unread
    assert answered and not answered & before  # the duplicates answered are not its own
    kept = (lost & album_now(lib, family)) | before

    undo = run(data, "undo", "--rule", "fam", "--yes", "--config", str(config))
    assert undo.returncode == 0, undo.stderr
    assert f"Removed {len(answered)} photo(s) from album 'Family'" in undo.stdout
    unknown = len(lost & album_now(lib, family))
    if unknown:
        assert f"Left: {unknown} photo(s) that its interrupted first sync sent" in undo.stdout
    assert album_now(lib, family) == kept and before <= album_now(lib, family)
    assert Journal(journal_path).unresolved(family) == {}
