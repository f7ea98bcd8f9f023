"""ImmichClient against the demo server over real HTTP: every method, paging, request shapes."""

from __future__ import annotations

import asyncio
import json
import math
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest

from ppl2album_tui.demo.library import Library, generate_library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import Unauthorized
from ppl2album_tui.immich.models import AssetQuery
from ppl2album_tui.immich.retry import RetryPolicy
from tests.conftest import running_server

FAST = RetryPolicy(attempts=4, base=0.01, max_wait=0.05, total=10)


def make_client(server: DemoServer, url: str | None = None, **kw: Any) -> ImmichClient:
    """A client on the demo server with a tiny retry policy (tests stay fast)."""
    kw.setdefault("retry", FAST)
    return ImmichClient(url or server.url, kw.pop("api_key", server.api_key), **kw)


def body_of(record: Any) -> Any:
    """The JSON request body of a request-log record."""
    body = record.body
    if isinstance(body, bytes | str):
        return json.loads(body) if body else None
    return body


def query_of(record: Any) -> dict[str, str]:
    """The query string of a request-log record as a flat dict."""
    query = record.query
    if isinstance(query, dict):
        return {k: v[0] if isinstance(v, list) else v for k, v in query.items()}
    return {k: v[0] for k, v in parse_qs(query or "", keep_blank_values=True).items()}


def requests_to(server: DemoServer, method: str, path: str) -> list[Any]:
    return [r for r in server.request_log if r.method == method and r.path == path]


def timeline_ids(lib: Library, person_id: str, visibilities: tuple[str, ...]) -> set[str]:
    return {
        a.id
        for a in lib.assets_of(person_id)
        if a.visibility in visibilities and a.deleted_at is None
    }


@pytest.fixture
async def fresh(demo_server: DemoServer) -> AsyncIterator[ImmichClient]:
    async with make_client(demo_server) as client:
        demo_server.clear_log()
        yield client


# ------------------------------------------------------------------ server and account


@pytest.mark.parametrize("suffix", ["", "/", "/api", "/api/"])
async def test_url_forms_reach_the_same_api(demo_server: DemoServer, suffix: str) -> None:
    async with make_client(demo_server, demo_server.url + suffix) as client:
        assert client.base_url == demo_server.url + "/api"
        await client.ping()


async def test_server_and_account_methods(fresh: ImmichClient, demo_library: Library) -> None:
    version = await fresh.check_version()
    assert version.major >= 2
    about = await fresh.about()
    assert about.version.lstrip("v").startswith(str(version.major))
    me = await fresh.me()
    assert me.id == demo_library.user.id
    key = await fresh.key_permissions()
    assert key.allows("album.create")
    assert fresh.requests_made == 5
    assert fresh.bytes_received > 0


async def test_only_the_api_key_header_is_sent(fresh: ImmichClient, demo_server: Any) -> None:
    seen: list[Any] = []
    previous = demo_server.on_exchange  # keep the contract validator, if any, in the loop

    def hook(exchange: Any) -> None:
        seen.append(exchange)
        if previous is not None:
            previous(exchange)

    demo_server.on_exchange = hook
    try:
        await fresh.me()
        await fresh.me()
    finally:
        demo_server.on_exchange = previous
    assert seen
    for exchange in seen:
        headers = exchange.request_headers
        assert headers.get("x-api-key") == demo_server.api_key
        assert "cookie" not in headers and "authorization" not in headers
        assert headers.get("user-agent", "").startswith("ppl2album-tui/")


# ------------------------------------------------------------------ people


async def test_people_listing_and_hidden(
    fresh: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    people = await fresh.people()
    names = {p.name for p in people}
    assert {"Anna", "Ben", "Clara"} <= names
    hidden = [p for p in demo_library.people.values() if p.is_hidden]
    assert hidden and not any(p.is_hidden for p in people)
    with_hidden = await fresh.people(with_hidden=True)
    assert {p.id for p in hidden} <= {p.id for p in with_hidden}
    flags = [query_of(r)["withHidden"] for r in requests_to(demo_server, "GET", "/api/people")]
    assert flags == ["false", "true"]
    assert all(
        query_of(r)["size"] == "1000" for r in requests_to(demo_server, "GET", "/api/people")
    )


async def test_person_statistics_and_thumbnail(fresh: ImmichClient, demo_library: Library) -> None:
    anna = demo_library.person_by_name("Anna")
    person = await fresh.person(anna.id)
    assert (person.id, person.name) == (anna.id, "Anna")
    assert await fresh.person_statistics(anna.id) == demo_library.timeline_count(anna.id)
    thumb = await fresh.person_thumbnail(anna.id)
    assert thumb.content_type == "image/jpeg"
    assert thumb.data[:2] == b"\xff\xd8"


async def test_hidden_person_is_readable_by_id(fresh: ImmichClient, demo_library: Library) -> None:
    hidden = next(p for p in demo_library.people.values() if p.is_hidden)
    assert (await fresh.person(hidden.id)).is_hidden


# ------------------------------------------------------------------ search


async def test_search_one_person_timeline(
    fresh: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    anna = demo_library.person_by_name("Anna")
    assets = await fresh.search_assets(AssetQuery(person_ids=(anna.id,)))
    assert {a.id for a in assets} == timeline_ids(demo_library, anna.id, ("timeline",))
    assert len(assets) == len({a.id for a in assets})
    sample = next(a for a in assets)
    assert sample.original_file_name and sample.taken_at and sample.taken_at.tzinfo
    assert sample.updated_at is not None and sample.people == ()
    (record,) = requests_to(demo_server, "POST", "/api/search/metadata")
    body = body_of(record)
    assert body["visibility"] == "timeline"
    assert body["withExif"] is False and "withPeople" not in body
    assert body["size"] == 1000 and body["personIds"] == [anna.id]


async def test_search_none_visibility_means_timeline_and_archive(
    fresh: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    anna = demo_library.person_by_name("Anna")
    assets = await fresh.search_assets(AssetQuery(person_ids=(anna.id,), visibility=None))
    assert {a.id for a in assets} == timeline_ids(demo_library, anna.id, ("timeline", "archive"))
    assert {a.visibility for a in assets} <= {"timeline", "archive"}
    assert "visibility" not in body_of(requests_to(demo_server, "POST", "/api/search/metadata")[0])


async def test_search_repeated_person_ids_are_deduplicated(
    fresh: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    anna = demo_library.person_by_name("Anna")
    ben = demo_library.person_by_name("Ben")
    query = AssetQuery(person_ids=(anna.id, ben.id, anna.id), with_people=True, is_favorite=False)
    assets = await fresh.search_assets(query)
    expected = {
        a.id
        for a in demo_library.assets.values()
        if {anna.id, ben.id} <= set(a.people)
        and a.visibility == "timeline"
        and a.deleted_at is None
        and not a.is_favorite
    }
    assert expected and {a.id for a in assets} == expected
    assert all({anna.id, ben.id} <= set(a.people) for a in assets)
    body = body_of(requests_to(demo_server, "POST", "/api/search/metadata")[0])
    assert body["personIds"] == [anna.id, ben.id]
    assert body["withPeople"] is True and body["isFavorite"] is False


async def test_iter_search_assets_yields_pages(fresh: ImmichClient, demo_library: Library) -> None:
    anna = demo_library.person_by_name("Anna")
    pages = [page async for page in fresh.iter_search_assets(AssetQuery(person_ids=(anna.id,)))]
    assert len(pages) == 1
    assert len(pages[0]) == len(timeline_ids(demo_library, anna.id, ("timeline",)))


# ------------------------------------------------------------------ albums


async def test_albums_and_album_asset_ids(fresh: ImmichClient, demo_library: Library) -> None:
    family = demo_library.album_by_name("Family")
    albums = await fresh.albums()
    assert {a.name for a in albums} >= {"Family", "Summer 2019", "Drafts"}
    album = await fresh.album(family.id)
    assert (album.name, album.asset_count) == ("Family", len(family.asset_ids))
    assert await fresh.album_asset_ids(family.id) == set(family.asset_ids)
    drafts = demo_library.album_by_name("Drafts")
    assert await fresh.album_asset_ids(drafts.id) == set()


async def test_create_add_remove_outcomes(
    fresh: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    album = await fresh.create_album("Kids")
    assert album.name == "Kids" and album.asset_count == 0
    anna = demo_library.person_by_name("Anna")
    ids = sorted(timeline_ids(demo_library, anna.id, ("timeline",)))[:5]
    await fresh.add_to_album(album.id, ids[:2])
    unknown = str(uuid.uuid4())
    wanted = [ids[3], ids[0], unknown, ids[3], ids[4]]
    chunks: list[list[str]] = []
    results = await fresh.add_to_album(
        album.id, wanted, chunk_size=2, on_chunk=lambda rs: chunks.append([r.id for r in rs])
    )
    assert [r.id for r in results] == [ids[3], ids[0], unknown, ids[4]]
    assert [r.outcome for r in results] == ["ok", "duplicate", "no_permission", "ok"]
    assert chunks == [[ids[3], ids[0]], [unknown, ids[4]]]
    assert set(demo_library.albums[album.id].asset_ids) == {ids[0], ids[1], ids[3], ids[4]}
    assert await fresh.album_asset_ids(album.id) == {ids[0], ids[1], ids[3], ids[4]}

    removed = await fresh.remove_from_album(album.id, [ids[1], ids[2], ids[1]])
    assert [(r.id, r.outcome) for r in removed] == [(ids[1], "ok"), (ids[2], "not_found")]
    assert set(demo_library.albums[album.id].asset_ids) == {ids[0], ids[3], ids[4]}
    assert await fresh.add_to_album(album.id, []) == []
    puts = requests_to(demo_server, "PUT", f"/api/albums/{album.id}/assets")
    assert [len(body_of(r)["ids"]) for r in puts] == [2, 2, 2]


async def test_asset_thumbnail_content_type_from_header(
    fresh: ImmichClient, demo_library: Library
) -> None:
    asset = next(a for a in demo_library.assets.values() if a.visibility == "timeline")
    thumb = await fresh.asset_thumbnail(asset.id)
    assert thumb.content_type == "image/webp"
    assert thumb.data[:4] == b"RIFF"
    preview = await fresh.asset_thumbnail(asset.id, size="preview")
    assert preview.content_type == "image/jpeg"
    with pytest.raises(ValueError):
        await fresh.asset_thumbnail(asset.id, size="huge")


# ------------------------------------------------------------------ a library beyond one page


@pytest.fixture(scope="module")
def big_server() -> Iterator[DemoServer]:
    with running_server(generate_library(people=1100, assets=8000, seed=3)) as server:
        yield server


async def test_search_follows_next_page_beyond_1000(big_server: DemoServer) -> None:
    lib = big_server.library
    anna = lib.person_by_name("Anna")
    expected = timeline_ids(lib, anna.id, ("timeline",))
    assert len(expected) > 1000
    big_server.clear_log()
    async with make_client(big_server) as client:
        assets = await client.search_assets(AssetQuery(person_ids=(anna.id,)))
    assert len(assets) == len(expected) and {a.id for a in assets} == expected
    searches = requests_to(big_server, "POST", "/api/search/metadata")
    assert [body_of(r)["page"] for r in searches] == list(
        range(1, math.ceil(len(expected) / 1000) + 1)
    )


async def test_people_follow_has_next_page(big_server: DemoServer) -> None:
    big_server.clear_log()
    async with make_client(big_server) as client:
        people = await client.people()
    assert len(people) > 1000 and len({p.id for p in people}) == len(people)
    pages = [query_of(r)["page"] for r in requests_to(big_server, "GET", "/api/people")]
    assert pages == ["1", "2"]


async def test_search_many_runs_queries_concurrently_in_order(big_server: DemoServer) -> None:
    lib = big_server.library
    named = lib.named_people()[:6]
    async with make_client(big_server, max_connections=3) as client:
        results = await client.search_many([AssetQuery(person_ids=(p.id,)) for p in named])
        empty = await client.search_many([])
    assert empty == []
    for person, found in zip(named, results, strict=True):
        assert {a.id for a in found} == timeline_ids(lib, person.id, ("timeline",))


async def test_album_asset_ids_beyond_1000_includes_archived(big_server: DemoServer) -> None:
    lib = big_server.library
    anna = lib.person_by_name("Anna")
    ids = sorted(timeline_ids(lib, anna.id, ("timeline", "archive")))
    album = lib.create_album("Everything Anna", ids)
    async with make_client(big_server) as client:
        assert await client.album_asset_ids(album.id) == set(ids)


def searched_pages(server: DemoServer) -> list[int]:
    """The search pages the server answered, sorted."""
    return sorted(body_of(r)["page"] for r in requests_to(server, "POST", "/api/search/metadata"))


def anna_and_hint(lib: Library, hint: int | str | None) -> tuple[str, set[str], int | None]:
    """Anna's id, her timeline ids, and the count hint `hint` stands for ("exact": hers)."""
    anna = lib.person_by_name("Anna").id
    count = lib.timeline_count(anna) if hint == "exact" else hint
    assert count is None or isinstance(count, int)
    return anna, timeline_ids(lib, anna, ("timeline",)), count


def pages_for(found: int, hint: int | None) -> list[int]:
    """The pages a search of `found` assets asks for with the count hint `hint`."""
    return list(range(1, max(math.ceil(found / 1000), math.ceil((hint or 0) / 1000)) + 1))


@pytest.mark.parametrize("hint", [None, 1, "exact", 4500])
async def test_count_hint_prefetches_pages_without_changing_results(
    big_server: DemoServer, hint: int | str | None
) -> None:
    lib = big_server.library
    anna, expected, count = anna_and_hint(lib, hint)
    big_server.clear_log()
    async with make_client(big_server) as client:
        assets = await client.search_assets(AssetQuery(person_ids=(anna,)), expected=count)
        pages = searched_pages(big_server)
        album_ids = await client.album_asset_ids(lib.album_by_name("Family").id, expected=count)
    assert len(assets) == len(expected) and {a.id for a in assets} == expected
    assert pages == pages_for(len(expected), count)
    assert album_ids == set(lib.album_by_name("Family").asset_ids)


@pytest.mark.parametrize("hint", ["exact", None, 4500])
async def test_a_count_hint_on_its_way_does_not_hold_back_the_first_page(
    big_server: DemoServer, hint: str | int | None
) -> None:
    anna, expected, count = anna_and_hint(big_server.library, hint)
    known = asyncio.Event()

    async def later() -> int | None:
        await known.wait()
        return count

    big_server.clear_log()
    async with make_client(big_server) as client:
        task = asyncio.ensure_future(
            client.search_assets(AssetQuery(person_ids=(anna,)), expected=later)
        )
        while not searched_pages(big_server):  # page 1 is answered before the hint is known
            await asyncio.sleep(0.01)
        assert searched_pages(big_server) == [1] and not task.done()
        known.set()
        assets = await task
    assert {a.id for a in assets} == expected and len(assets) == len(expected)
    assert len(expected) > 1000
    assert searched_pages(big_server) == pages_for(len(expected), count)


async def test_pages_after_the_first_go_out_once_the_hint_is_known(big_server: DemoServer) -> None:
    lib = big_server.library
    anna = lib.person_by_name("Anna")
    count = lib.timeline_count(anna.id)

    async def soon() -> int | None:
        await asyncio.sleep(0.2)  # page 1 is at the server by then, held there for 1 s
        return count

    big_server.faults.add(path="/api/search/metadata", method="POST", kind="delay", delay=1.0)
    big_server.clear_log()  # the delay holds the first request to arrive: page 1
    async with make_client(big_server) as client:
        assets = await client.search_assets(AssetQuery(person_ids=(anna.id,)), expected=soon)
    answered = [body_of(r)["page"] for r in requests_to(big_server, "POST", "/api/search/metadata")]
    assert len(assets) == count and sorted(answered) == list(range(1, math.ceil(count / 1000) + 1))
    assert answered[-1] == 1  # the others did not wait for it


async def test_a_failing_count_hint_fails_the_search(big_server: DemoServer) -> None:
    anna = big_server.library.person_by_name("Anna")

    async def broken() -> int | None:
        raise Unauthorized("The API key was refused.")

    async with make_client(big_server) as client:
        with pytest.raises(Unauthorized):
            await client.search_assets(AssetQuery(person_ids=(anna.id,)), expected=broken)
