"""The engine on Immich 3.1.0 and 3.3.5: the same rules give the same albums, the 3.3 no-op tick
costs one request per rule, stale person ids are re-linked by name, partners' photos are only
taken when the rule says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library, generate_library
from ppl2album_tui.demo.partners import add_partner_photos
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.capabilities import Capabilities
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.models import ApiKeyInfo, AssetQuery, ServerVersion
from ppl2album_tui.immich.search_v2 import FilterIgnored, V2Query
from ppl2album_tui.sync.config import Config
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import PersonRef, Rule
from tests.conftest import running_server
from tests.spec import spec_violations_allowed
from tests.sync_helpers import IMMICH_VERSIONS, kids_engine, photos_of


def own(lib: Library, ids: set[str]) -> set[str]:
    return {i for i in ids if lib.assets[i].owner_id is None}


def ref(lib: Library, name: str) -> PersonRef:
    return PersonRef(lib.person_by_name(name).id, name)


def rules(lib: Library) -> list[Rule]:
    drafts, family = lib.album_by_name("Drafts").id, lib.album_by_name("Family").id
    return [
        Rule("kids", [ref(lib, "Anna"), ref(lib, "Ben")], album_id=drafts),
        Rule("pair", [ref(lib, "Anna"), ref(lib, "Clara")], album_id=family, match="all"),
        Rule("not ben", [ref(lib, "Clara")], album_name="Clara", exclude=[ref(lib, "Ben")],
             include_archived=True),
    ]  # fmt: skip


async def test_the_same_rules_give_the_same_albums_on_3_1_and_3_3(tmp_path: Path) -> None:
    albums = {}
    for version in IMMICH_VERSIONS:
        lib = generate_library(people=12, assets=600, seed=7)
        add_partner_photos(lib, 30)  # on 3.3 the searches find them: they stay out
        with running_server(lib, version) as srv:
            async with ImmichClient(srv.url, srv.api_key) as client:
                config = Config(rules=rules(lib))
                eng = SyncEngine(client, config, Journal(tmp_path / version / "journal.jsonl"))
                cycle = await eng.run_cycle()
                assert all(r.ok for r in cycle.rules), [r.errors for r in cycle.rules]
                notes = [w for r in cycle.rules for w in r.warnings if "partner" in w]
                assert bool(notes) == (version != "3.1.0")
        albums[version] = {a.name: set(a.asset_ids) for a in lib.albums.values()}
        kids = albums[version]["Drafts"]
        assert kids == own(lib, photos_of(lib, "Anna", "Ben"))
    assert albums["3.1.0"] == albums["3.3.5"]


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_the_noop_tick_on_3_3_is_one_request_per_rule(
    client: ImmichClient,
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    immich_version: str,
) -> None:
    lib = demo_library
    eng = kids_engine(client, lib, tmp_path)
    eng.config.rules.append(Rule("c", [ref(lib, "Clara")], album_id=lib.album_by_name("Family").id))
    assert all(r.ok and r.added for r in (await eng.run_cycle(incremental=True)).rules)

    async def tick(c: ImmichClient = client) -> list[bool]:
        demo_server.clear_log()
        engine = SyncEngine(c, eng.config, eng.journal, eng.state)
        return [r.unchanged for r in (await engine.run_cycle(incremental=True)).rules]

    assert await tick() == [True, True]
    log = [f"{r.method} {r.path}" for r in demo_server.request_log]
    if immich_version == "3.3.5":
        assert log == ["POST /api/search/statistics"] * 2
        bodies = [r.body for r in demo_server.request_log]
        assert all(set(b) == {"filter"} for b in bodies)  # never a flat field beside it
    else:
        assert len(log) == (1 + 2) + (1 + 1)  # per rule: the album and one count per person
    async with ImmichClient(demo_server.url, demo_server.api_key) as fresh:  # a new process
        assert await tick(fresh) == [True, True]
        assert len(demo_server.request_log) == len(log)

    anna = lib.person_by_name("Anna").id
    lib.add_asset(people=[anna], file_name="NEW.JPG")
    assert await tick() == [False, True]
    assert await tick() == [True, True]
    drafts = lib.album_by_name("Drafts").id
    taken_out = next(iter(lib.albums[drafts].asset_ids))
    await client.remove_from_album(drafts, [taken_out])
    assert await tick() == [False, True]  # the removal by hand is seen (and reported)


def merge_body(version: str, survivor: str, gone: str) -> tuple[str, dict[str, list[str]]]:
    if version == "3.1.0":
        return f"/api/people/{survivor}/merge", {"ids": [gone]}
    return "/api/people/merge", {"ids": [survivor, gone]}


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_a_merged_away_person_is_relinked_by_name(
    client: ImmichClient,
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    immich_version: str,
) -> None:
    import httpx

    lib = demo_library
    eng = kids_engine(client, lib, tmp_path)
    anna = lib.person_by_name("Anna").id
    wanted = photos_of(lib, "Anna", "Ben")
    unnamed = next(p.id for p in lib.people.values() if not p.name and not p.is_hidden)
    path, body = merge_body(immich_version, unnamed, anna)  # the unnamed one survives as Anna
    headers = {"x-api-key": demo_server.api_key}
    async with httpx.AsyncClient(base_url=demo_server.url, headers=headers) as http:
        assert (await http.post(path, json=body)).json()[0]["success"] is True
    assert lib.person_by_name("Anna").id == unnamed
    (report,) = (await eng.run_cycle()).rules
    assert report.ok, report.errors
    assert any(f"{anna} → {unnamed}" in w for w in report.warnings)
    assert eng.config.rules[0].people[0] == PersonRef(unnamed, "Anna")
    album = set(lib.albums[lib.album_by_name("Drafts").id].asset_ids)
    assert album == wanted | photos_of(lib, "Anna")
    (again,) = (await eng.run_cycle()).rules
    assert again.ok and not again.warnings


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_a_gone_person_whose_name_is_ambiguous_fails_in_one_sentence(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    eng = kids_engine(client, lib, tmp_path)
    anna, ben = lib.person_by_name("Anna").id, lib.person_by_name("Ben")
    unnamed = next(p.id for p in lib.people.values() if not p.name and not p.is_hidden)
    lib.people[unnamed].name = "Anna"
    lib.merge_person(unnamed, anna)
    ben.name = "Anna"  # two people called Anna now
    demo_server.clear_log()
    (report,) = (await eng.run_cycle()).rules
    assert report.errors == [
        f"Rule 'kids': the person 'Anna' ({anna}) no longer exists on the server (merged or "
        "deleted) and 2 people have that name; edit the rule to pick them again."
    ]
    assert not any(r.method in ("PUT", "DELETE") for r in demo_server.request_log)


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_partner_photos_only_when_the_rule_includes_them(
    client: ImmichClient,
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    immich_version: str,
) -> None:
    lib = demo_library
    partner = {a.id for a in add_partner_photos(lib, 20)}
    eng = kids_engine(client, lib, tmp_path, include_partners=True)
    (report,) = (await eng.run_cycle()).rules
    album = set(lib.albums[lib.album_by_name("Drafts").id].asset_ids)
    theirs = album & partner
    own_photos = own(lib, photos_of(lib, "Anna", "Ben"))
    # 3.1: your person ids never match a partner's photos; 3.3: cluster groups, they do
    assert album - partner == own_photos
    assert theirs == (
        set() if immich_version == "3.1.0" else partner & photos_of(lib, "Anna", "Ben")
    )
    assert not [w for w in report.warnings if "partner" in w]


async def test_an_answer_without_next_cursor_is_discarded(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    anna = demo_library.person_by_name("Anna").id
    client._capabilities = Capabilities.of(ServerVersion(3, 3, 5))  # wrongly told it is 3.3
    with spec_violations_allowed(demo_server), pytest.raises(FilterIgnored):
        await client.search_v2(V2Query(any_people=(anna,)))
    assert len(demo_server.api.profile.violations) == 1  # the 3.1 server dropped the filter
    demo_server.api.profile.violations.clear()


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_capabilities_are_read_once(
    client: ImmichClient, demo_server: DemoServer, immich_version: str
) -> None:
    caps = await client.capabilities()
    assert await client.capabilities() is caps
    assert sum(r.path == "/api/server/version" for r in demo_server.request_log) == 1
    new = immich_version == "3.3.5"
    assert (caps.search_v2, caps.merge_v2, caps.people_sharing) == (new, new, new)
    assert caps.note is None
    assert caps.summary() == (
        "Immich 3.3.5 · search v2 · people sharing" if new else "Immich 3.1.0"
    )


def test_a_newer_server_gets_a_note_not_a_refusal() -> None:
    caps = Capabilities.of(ServerVersion(3, 4, 0))
    assert caps.search_v2 and caps.merge_v2 and caps.people_sharing
    assert caps.note == (
        "Immich 3.4.0 is newer than 3.3.5, the newest version ppl2album-tui is tested with."
    )
    older = Capabilities.of(ServerVersion(3, 2, 0))
    assert older.search_v2 and not older.merge_v2 and not older.people_sharing


@pytest.mark.parametrize("immich_version", ["3.3.5"])
async def test_v2_any_finds_the_union_of_the_flat_searches(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    lib = demo_library
    people = tuple(p.id for p in lib.named_people()[:4])
    flat = await client.search_many([AssetQuery(person_ids=(p,)) for p in people])
    demo_server.clear_log()
    found = await client.search_v2(V2Query(any_people=people))
    assert {a.id for a in found} == {a.id for res in flat for a in res}
    assert len(found) == len({a.id for a in found})  # each photo once
    bodies = [r.body for r in demo_server.request_log if r.path == "/api/search/metadata"]
    assert len(bodies) == 1 and set(bodies[0]) == {"filter", "orderBy", "size", "withExif"}


@pytest.mark.parametrize("immich_version", ["3.3.5"])
async def test_a_key_with_the_new_permission_names_is_read_as_it_is(
    demo_server: DemoServer,
) -> None:
    from ppl2album_tui.demo.versions import PERMISSIONS_3_2

    secret = demo_server.add_api_key(["person.read", *PERMISSIONS_3_2])
    async with ImmichClient(demo_server.url, secret) as limited:
        key = await limited.key_permissions()
    assert set(key.permissions) == {"person.read", *PERMISSIONS_3_2}
    assert key.allows("person.read") and not key.allows("asset.read")
    later = ApiKeyInfo.from_json({"id": key.id, "permissions": ["some.future.scope"]})
    assert later.permissions == ("some.future.scope",)  # a newer server's names: kept, not refused
