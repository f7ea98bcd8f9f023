"""The generated demo library: deterministic, with the documented people, assets and albums."""

from __future__ import annotations

import re

from ppl2album_tui.demo.library import FIRST_NAMES, VISIBILITIES, Library, generate_library

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def snapshot(lib: Library) -> list[object]:
    people = [(p.id, p.name, p.is_hidden) for p in lib.people.values()]
    assets = [
        (a.id, a.original_file_name, a.type, a.file_created_at, a.visibility, tuple(a.people))
        for a in lib.assets.values()
    ]
    albums = [(a.id, a.name, tuple(a.asset_ids)) for a in lib.albums.values()]
    return [lib.user.id, *people, *assets, *albums]


def test_same_seed_same_library_other_seed_other_library() -> None:
    a = generate_library(people=12, assets=600, seed=7)
    b = generate_library(people=12, assets=600, seed=7)
    c = generate_library(people=12, assets=600, seed=8)
    assert snapshot(a) == snapshot(b)
    assert snapshot(a) != snapshot(c)


def test_every_id_is_a_uuid4(demo_library: Library) -> None:
    ids = [demo_library.user.id, *demo_library.people, *demo_library.assets, *demo_library.albums]
    assert all(UUID4.match(i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_named_people_come_from_the_fixed_list(demo_library: Library) -> None:
    names = [p.name for p in demo_library.named_people()]
    assert names == FIRST_NAMES[:12]
    assert names[:5] == ["Anna", "Ben", "Clara", "David", "Emma"]
    assert demo_library.person_by_name("Anna").name == "Anna"


def test_unnamed_clusters_hidden_person_and_archive_only_cluster(demo_library: Library) -> None:
    lib = demo_library
    unnamed = [p for p in lib.people.values() if not p.name]
    counts = sorted(lib.timeline_count(p.id) for p in unnamed if not p.is_hidden)
    assert counts[:3] == [0, 1, 2]  # archive-only, and the two small clusters
    assert all(n >= 3 for n in counts[3:]) and len(counts[3:]) >= 2
    hidden = [p for p in lib.people.values() if p.is_hidden]
    assert len(hidden) == 1 and lib.timeline_count(hidden[0].id) >= 3


def test_asset_mix(demo_library: Library) -> None:
    assets = list(demo_library.assets.values())
    visibilities = {a.visibility for a in assets}
    assert visibilities == {"timeline", "archive", "hidden", "locked"}
    assert any(a.is_trashed for a in assets)
    assert any(a.type == "VIDEO" for a in assets)
    assert any(a.is_favorite for a in assets)
    assert any(not a.people and a.visibility == "timeline" for a in assets)
    assert any(len(a.people) == 4 for a in assets)
    assert all(len(a.people) <= 4 for a in assets)
    assert all(not a.people for a in assets if a.visibility == "hidden")
    names = {a.original_file_name for a in assets}
    assert {
        "IMG_0001.JPG",
        "beach.jpg",
        "scan.png",
        "clip.MP4",
        "img.HEIC",
        "DSC_0042.jpeg",
    } <= names
    years = {a.file_created_at.year for a in assets}
    assert min(years) == 2016 and max(years) == 2025


def test_a_locked_photo_of_anna_exists(demo_library: Library) -> None:
    anna = demo_library.person_by_name("Anna")
    locked = [a for a in demo_library.assets_of(anna.id) if a.visibility == "locked"]
    assert locked


def test_family_album_holds_some_of_annas_timeline_photos(demo_library: Library) -> None:
    lib = demo_library
    anna = lib.person_by_name("Anna")
    family = lib.album_by_name("Family")
    annas = {a.id for a in lib.assets_of(anna.id)}
    assert len(family.asset_ids) == 50
    assert set(family.asset_ids) <= annas
    assert lib.timeline_count(anna.id) > len(family.asset_ids)
    assert len(lib.album_by_name("Drafts").asset_ids) == 0


def test_popularity_is_skewed_past_a_thousand_in_5k_assets() -> None:
    lib = generate_library(people=12, assets=5000, seed=7)
    counts = {p.name: lib.timeline_count(p.id) for p in lib.named_people()}
    assert max(counts, key=counts.__getitem__) == "Anna"
    assert counts["Anna"] > 1000


def test_add_asset_is_a_new_upload(demo_library: Library) -> None:
    lib = demo_library
    anna = lib.person_by_name("Anna")
    newest = max(a.updated_at for a in lib.assets.values())
    version = lib.version
    asset = lib.add_asset(people=[anna.id], file_name="new.JPG")
    assert asset.updated_at > newest and asset.created_at == asset.updated_at
    assert asset.id in lib.assets and asset.people == [anna.id]
    assert asset in lib.assets_of(anna.id)
    assert lib.version > version


def test_assign_face_keeps_updated_at_but_changes_statistics(demo_library: Library) -> None:
    lib = demo_library
    ben = lib.person_by_name("Ben")
    asset = next(
        a
        for a in lib.assets.values()
        if a.visibility == "timeline" and not a.is_trashed and ben.id not in a.people
    )
    before, stats = asset.updated_at, lib.timeline_count(ben.id)
    lib.assign_face(asset.id, ben.id)
    assert asset.updated_at == before
    assert lib.timeline_count(ben.id) == stats + 1


def test_merge_person_moves_faces(demo_library: Library) -> None:
    lib = demo_library
    anna, leo = lib.person_by_name("Anna"), lib.person_by_name("Leo")
    expected = {a.id for a in lib.assets_of(anna.id)} | {a.id for a in lib.assets_of(leo.id)}
    lib.merge_person(anna.id, leo.id)
    assert leo.id not in lib.people
    assert {a.id for a in lib.assets_of(anna.id)} == expected


def test_album_add_and_remove_report_per_id(demo_library: Library) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts")
    a, b = list(lib.assets)[:2]
    locked = next(x.id for x in lib.assets.values() if x.visibility == "locked")
    outcome = lib.add_to_album(drafts.id, [a, a, locked, b])
    assert [r.get("error") for r in outcome] == [None, "duplicate", "no_permission", None]
    assert drafts.thumbnail_asset_id == a
    outcome = lib.remove_from_album(drafts.id, [a, a])
    assert [r.get("error") for r in outcome] == [None, "not_found"]
    assert list(drafts.asset_ids) == [b]


def test_documented_seed_7_facts(demo_library: Library) -> None:
    lib = demo_library
    stats = {p.name: lib.timeline_count(p.id) for p in lib.named_people()}
    assert stats == {
        "Anna": 229, "Ben": 146, "Clara": 107, "David": 76, "Emma": 68, "Felix": 54,
        "Greta": 56, "Hugo": 64, "Ines": 47, "Jonas": 31, "Karla": 27, "Leo": 31,
    }  # fmt: skip
    assets = list(lib.assets.values())
    visibility = {v: sum(a.visibility == v for a in assets) for v in VISIBILITIES}
    assert visibility == {"timeline": 564, "archive": 25, "hidden": 10, "locked": 1}
    assert sum(a.is_trashed for a in assets) == 17
    assert sum(a.type == "VIDEO" for a in assets) == 46
    assert sum(a.is_favorite for a in assets) == 36
    assert [p.name for p in lib.people.values() if p.is_favorite] == ["Anna", "Clara"]
    assert {a.name: len(a.asset_ids) for a in lib.albums.values()} == {
        "Family": 50, "Summer 2019": 10, "Drafts": 0,
    }  # fmt: skip
