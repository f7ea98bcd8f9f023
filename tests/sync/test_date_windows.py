"""Age, yearly and birthday windows over real HTTP: the birth date comes from Immich
(`PUT /people/{id}` sets it, `GET /people/{id}` is read), the album holds exactly the photos
whose local date is inside the window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ppl2album_tui.demo.library import DemoAsset, Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import Rule
from tests.fault_helpers import album_now, ref
from tests.sync_helpers import engine, visible


def local(a: DemoAsset) -> date:
    return (a.file_created_at + timedelta(minutes=a.utc_offset_minutes)).date()


def emmas(lib: Library) -> list[DemoAsset]:
    return [a for a in lib.assets_of(lib.person_by_name("Emma").id) if visible(a)]


def moved(lib: Library, asset_id: str, when: datetime, offset: int) -> None:
    """A photo taken at `when` (UTC) where the clock was UTC + `offset` minutes."""
    lib.update_asset(asset_id, file_created_at=when, utc_offset_minutes=offset)


async def test_emma_age_0_to_2_holds_her_photos_up_to_the_day_before_her_third_birthday(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    emma = lib.person_by_name("Emma").id
    await client.set_birth_date(emma, date(2019, 3, 10))
    photos = emmas(lib)
    # the last evening of age 2 in UTC is already her birthday in Berlin: not in the album
    moved(lib, photos[0].id, datetime(2022, 3, 9, 23, 30, tzinfo=UTC), 60)
    # 2019-03-10 03:00 UTC is 2019-03-09 22:00 in New York: the day before she was born
    moved(lib, photos[1].id, datetime(2019, 3, 10, 3, 0, tzinfo=UTC), -300)
    moved(lib, photos[2].id, datetime(2022, 3, 9, 12, 0, tzinfo=UTC), 0)  # the last day of 2
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("Emma 0-2", [ref(lib, "Emma")], album_id=drafts, age=[0, 2])
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)

    preview = await eng.preview(rule)

    want = {a.id for a in emmas(lib) if date(2019, 3, 10) <= local(a) <= date(2022, 3, 9)}
    assert {a.id for a in preview.plan.to_add} == want
    assert photos[2].id in want and not {photos[0].id, photos[1].id} & want
    reasons = dict((a.id, why) for a, why in preview.plan.filtered)
    assert reasons[photos[0].id] == reasons[photos[1].id] == "age: not age 0–2"
    assert any(r.path == f"/api/people/{emma}" for r in demo_server.request_log)
    report = (await eng.run_cycle()).rules[0]
    assert report.ok and report.added == len(want)
    assert album_now(lib, drafts) == want


async def test_a_person_without_a_birth_date_gets_one_sentence_and_the_rule_adds_nothing(
    client: ImmichClient, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("Emma 0-2", [ref(lib, "Emma")], album_id=drafts, age=[0, 2])
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)

    report = (await eng.run_cycle()).rules[0]

    assert report.ok and report.added == 0 and report.to_add == 0
    assert report.filtered == len(emmas(lib))
    assert report.warnings == [
        "Rule 'Emma 0-2': Emma has no birth date in Immich, so this rule adds nothing; set it "
        "on Emma's page in Immich (People → Emma → Set date of birth)."
    ]
    assert album_now(lib, drafts) == set()


async def test_christmas_every_year_spans_the_new_year_on_local_dates(
    client: ImmichClient, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    anna = lib.person_by_name("Anna").id
    eve = lib.add_asset(
        [anna], "eve.jpg", file_created_at=datetime(2020, 12, 31, 23, 0, tzinfo=UTC)
    )
    # 2021-01-06 23:30 UTC is 2021-01-07 in Berlin: outside; 2020-12-19 23:30 UTC is the 20th there
    late = lib.add_asset(
        [anna], "late.jpg", file_created_at=datetime(2021, 1, 6, 23, 30, tzinfo=UTC)
    )
    early = lib.add_asset(
        [anna], "early.jpg", file_created_at=datetime(2020, 12, 19, 23, 30, tzinfo=UTC)
    )
    for a in (late, early):
        lib.update_asset(a.id, utc_offset_minutes=60)
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("Christmas", [ref(lib, "Anna")], album_id=drafts, yearly=["12-20", "01-06"])
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)

    report = (await eng.run_cycle()).rules[0]

    def christmas(d: date) -> bool:
        return (d.month, d.day) >= (12, 20) or (d.month, d.day) <= (1, 6)

    photos = [a for a in lib.assets_of(anna) if visible(a)]
    want = {a.id for a in photos if christmas(local(a))}
    assert report.ok and album_now(lib, drafts) == want
    assert {eve.id, early.id} <= want and late.id not in want
    assert len({local(lib.assets[i]).year for i in want}) > 3  # every year, not one


async def test_birthday_plus_minus_days_every_year(
    client: ImmichClient, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    anna = lib.person_by_name("Anna").id
    await client.set_birth_date(anna, date(2016, 6, 15))
    for year in (2017, 2020):  # a photo on her birthday and one just outside its window
        lib.add_asset([anna], f"party{year}.jpg",
                      file_created_at=datetime(year, 6, 18, 12, tzinfo=UTC))  # fmt: skip
        lib.add_asset([anna], f"after{year}.jpg",
                      file_created_at=datetime(year, 6, 19, 12, tzinfo=UTC))  # fmt: skip
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("Anna's birthdays", [ref(lib, "Anna")], album_id=drafts, birthday_days=3)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)

    await eng.run_cycle()

    photos = [a for a in lib.assets_of(anna) if visible(a)]
    want = {a.id for a in photos
            if abs((local(a) - date(local(a).year, 6, 15)).days) <= 3}  # fmt: skip
    names = {lib.assets[i].original_file_name for i in album_now(lib, drafts)}
    assert album_now(lib, drafts) == want
    assert {"party2017.jpg", "party2020.jpg"} <= names and not names & {"after2017.jpg"}
