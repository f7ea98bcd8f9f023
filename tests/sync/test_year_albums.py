"""One album per year over real HTTP: "Kids {year}" puts each photo in the album of its local
year, creates the missing ones, uses one that exists by name, keeps tombstones and vetoes per
album, mirror mode moves a re-dated photo, and one undo takes the whole apply back."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import Rule
from ppl2album_tui.sync.yearly import album_reports
from ppl2album_tui.sync.yearly import by_year as by_local_year
from tests.fault_helpers import album_now, albums_named, ref
from tests.sync_helpers import engine, photos_of, server_writes


def by_year(lib: Library, ids: set[str]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for i in ids:
        out[lib.assets[i].file_created_at.year].add(i)
    return dict(out)


async def test_kids_year_fills_one_album_per_year_and_undo_takes_the_apply_back(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    ids = photos_of(lib, "Emma", "Jonas")
    years = by_year(lib, ids)
    made = await client.create_album("Kids 2019")  # exists already by name: used, not doubled
    rule = Rule("Kids", [ref(lib, "Emma"), ref(lib, "Jonas")], album_name="Kids {year}")
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)

    dry = (await eng.run_cycle(dry_run=True)).rules[0]
    assert server_writes(demo_server) == ["POST /api/albums"]  # only the test's own album
    assert [(a.album, a.new, a.to_add) for a in dry.albums] == [
        (f"Kids {y}", y != 2019, len(years[y])) for y in sorted(years)
    ]
    report = (await eng.run_cycle()).rules[0]

    assert report.ok and report.added == len(ids)
    assert 2019 in years and albums_named(lib, "Kids 2019") == [made.id]
    for year, want in years.items():
        [album_id] = albums_named(lib, f"Kids {year}")  # one each, made on demand
        assert album_now(lib, album_id) == want
    assert rule.album_id is None and rule.album_name == "Kids {year}"
    again = (await eng.run_cycle()).rules[0]
    assert again.to_add == 0 and again.already == len(ids)

    plan = await eng.plan_undo(rule)
    assert plan.count == len(ids)
    assert await eng.undo(plan) == len(ids)
    assert all(album_now(lib, albums_named(lib, f"Kids {y}")[0]) == set() for y in years)


async def test_year_albums_keep_tombstones_and_vetoes_and_mirror_a_redated_photo(
    client: ImmichClient, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    rule = Rule("Kids", [ref(lib, "Emma")], album_name="Kids {year}", remove_unmatched=True)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
    await eng.run_cycle()
    years = by_year(lib, photos_of(lib, "Emma"))
    first, second = sorted(years)[:2]
    album1 = albums_named(lib, f"Kids {first}")[0]
    album2 = albums_named(lib, f"Kids {second}")[0]
    by_hand = sorted(years[first])[0]
    lib.remove_from_album(album1, [by_hand])  # taken out by hand: a tombstone of that album
    redated = sorted(years[first])[1]
    lib.update_asset(redated, file_created_at=datetime(second, 7, 1, 12, tzinfo=UTC))
    fresh = lib.add_asset([lib.person_by_name("Emma").id], "new.jpg",
                          file_created_at=datetime(second, 8, 1, tzinfo=UTC))  # fmt: skip
    rule.never_add.append(fresh.id)

    preview = await eng.preview(rule)

    assert [a.id for a in preview.plan.removed_by_hand] == [by_hand]
    assert [a.id for a in preview.plan.vetoed] == [fresh.id]
    assert [a.id for a in preview.plan.to_add] == [redated]  # into its new year's album
    assert [a.id for a, _ in preview.plan.to_remove] == [redated]  # out of the old one
    part = {y.year: y.plan.counts() for y in preview.years}
    assert part[first]["to_remove"] == 1 and part[second]["to_add"] == 1
    result = await eng.apply(preview, remove=True)
    assert result.added == 1 and result.removed == 1
    assert album_now(lib, album1) == years[first] - {by_hand, redated}
    assert album_now(lib, album2) == years[second] | {redated}


async def test_a_veto_in_the_preview_keeps_its_year_albums_matched_count(
    client: ImmichClient, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    rule = Rule("Kids", [ref(lib, "Emma")], album_name="Kids {year}")
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
    preview = await eng.preview(rule)
    before = {a.year: a for a in album_reports(preview.plan, preview.years)}
    vetoed = preview.plan.to_add[0]  # as the Preview's space moves it
    preview.plan.to_add.remove(vetoed)
    preview.plan.vetoed.append(vetoed)
    after = {a.year: a for a in album_reports(preview.plan, preview.years)}
    [year] = by_local_year([vetoed])
    assert year is not None
    assert after[year].matched == before[year].matched
    assert after[year].to_add == before[year].to_add - 1
