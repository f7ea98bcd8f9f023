"""An apply of a preview made before a run created the rule's album goes to that album."""

from __future__ import annotations

import copy
from pathlib import Path

from ppl2album_tui.demo.library import Library
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import Rule
from tests.fault_helpers import ref
from tests.sync_helpers import engine, photos_of


async def test_an_old_preview_applies_to_the_album_a_run_created(
    client: ImmichClient, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    rule = Rule("kids", [ref(lib, "Anna"), ref(lib, "Ben")], album_name="Kids")
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
    preview = await eng.preview(copy.deepcopy(rule))  # a copy, as an edited form holds
    assert preview.album is None
    await eng.run_cycle()  # creates "Kids" and fills it
    (made,) = [a for a in lib.albums.values() if a.name == "Kids"]
    result = await eng.apply(preview)
    assert [a.id for a in lib.albums.values() if a.name == "Kids"] == [made.id]
    assert result.album is not None and result.album.id == made.id
    assert result.added == 0 and result.duplicates == len(photos_of(lib, "Anna", "Ben"))
