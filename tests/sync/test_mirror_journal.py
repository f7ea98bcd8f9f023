"""The journal's mirror-mode records: removals, their settling, and undo putting them back."""

from __future__ import annotations

from pathlib import Path

from ppl2album_tui.sync.journal import Journal

ALBUM = "album-1"


def test_removals_are_recorded_undoable_and_survive_a_reload(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.jsonl")
    first = j.new_apply_id()
    j.record_apply(first, "kids", ALBUM, added=["a", "b", "c"])
    j.record_apply(j.new_apply_id(), "other", ALBUM, added=["d"])
    mirror = j.new_apply_id()
    j.record_apply(mirror, "kids", ALBUM, added=["e"])
    j.record_removing(mirror, "kids", ALBUM, ["a", "b"])
    assert j.unresolved_remove(ALBUM) == {mirror: ("kids", {"a", "b"})}
    j.record_remove(mirror, "kids", ALBUM, removed=["a"], kept=["b"])

    fresh = Journal(tmp_path / "j.jsonl")
    assert fresh.unresolved_remove(ALBUM) == {}
    assert fresh.added_ids("kids", ALBUM) == {"b", "c", "e"}  # "d" is the other rule's
    assert fresh.previously_added(ALBUM) == {"b", "c", "d", "e"}  # "a" is no tombstone
    last = fresh.last_apply("kids")
    assert last is not None and last.apply_id == mirror
    assert (last.undoable, last.restorable) == (["e"], ["a"])

    fresh.record_undo(mirror, "kids", ALBUM, removed=["e"])
    fresh.record_restore(mirror, "kids", ALBUM, restored=["a"])
    again = Journal(tmp_path / "j.jsonl")
    assert again.previously_added(ALBUM) == {"a", "b", "c", "d"}
    assert again.added_ids("kids", ALBUM) == {"b", "c"}  # put back by undo: mirror leaves it
    last = again.last_apply("kids")
    assert last is not None and last.apply_id == first  # the next undo goes one further back


def test_an_apply_that_only_removed_is_undoable(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.jsonl")
    j.record_apply(j.new_apply_id(), "kids", ALBUM, added=["a"])
    only_removed = j.new_apply_id()
    j.record_removing(only_removed, "kids", ALBUM, ["a"])
    j.record_remove(only_removed, "kids", ALBUM, removed=["a"])
    last = j.last_apply("kids")
    assert last is not None and last.apply_id == only_removed and last.restorable == ["a"]
    assert j.albums_of("kids") == {ALBUM}
