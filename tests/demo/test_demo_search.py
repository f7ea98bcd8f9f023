"""POST /api/search/metadata on the demo server: Immich 3.1 semantics over real HTTP."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import httpx

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from tests.spec import spec_violations_allowed


def search(http: httpx.Client, **body: Any) -> dict[str, Any]:
    response = http.post("/search/metadata", json=body)
    assert response.status_code == 200, response.text
    assets: dict[str, Any] = response.json()["assets"]
    return assets


def all_ids(http: httpx.Client, **body: Any) -> list[str]:
    ids: list[str] = []
    page: str | None = "1"
    while page is not None:
        result = search(http, **body, page=int(page), size=1000)
        ids += [item["id"] for item in result["items"]]
        page = result["nextPage"]
    return ids


def expected(lib: Library, person: str, visibilities: set[str]) -> set[str]:
    return {
        a.id
        for a in lib.assets_of(lib.person_by_name(person).id)
        if a.visibility in visibilities and not a.is_trashed
    }


def test_response_shape(demo_http: httpx.Client) -> None:
    response = demo_http.post("/search/metadata", json={"size": 3})
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["albums"] == {"total": 0, "count": 0, "items": [], "facets": []}
    assets = body["assets"]
    assert assets["total"] == assets["count"] == 3 and assets["nextPage"] == "2"
    assert assets["facets"] == [] and "people" not in assets["items"][0]


def test_default_size_is_250_and_archive_is_included(
    demo_http: httpx.Client, demo_library: Library
) -> None:
    anna = demo_library.person_by_name("Anna").id
    first = search(demo_http, personIds=[anna])
    assert first["count"] == 242 and first["nextPage"] is None  # 229 timeline + 13 archived
    assert set(all_ids(demo_http, personIds=[anna])) == expected(
        demo_library, "Anna", {"timeline", "archive"}
    )
    timeline = all_ids(demo_http, personIds=[anna], visibility="timeline")
    assert set(timeline) == expected(demo_library, "Anna", {"timeline"})


def test_trashed_excluded_unless_with_deleted_and_locked_never(
    demo_http: httpx.Client, demo_library: Library
) -> None:
    anna = demo_library.person_by_name("Anna").id
    trashed = {a.id for a in demo_library.assets_of(anna) if a.is_trashed}
    locked = {a.id for a in demo_library.assets_of(anna) if a.visibility == "locked"}
    assert trashed and locked
    plain = set(all_ids(demo_http, personIds=[anna]))
    with_deleted = set(all_ids(demo_http, personIds=[anna], withDeleted=True))
    assert not plain & trashed and trashed <= with_deleted
    assert not (plain | with_deleted | set(all_ids(demo_http))) & locked
    response = demo_http.post("/search/metadata", json={"visibility": "locked"})
    assert response.status_code == 401


def test_person_ids_mean_all_and_a_repeated_id_matches_nothing(
    demo_http: httpx.Client, demo_library: Library
) -> None:
    anna = demo_library.person_by_name("Anna").id
    ben = demo_library.person_by_name("Ben").id
    both = set(all_ids(demo_http, personIds=[anna, ben]))
    assert both == expected(demo_library, "Anna", {"timeline", "archive"}) & expected(
        demo_library, "Ben", {"timeline", "archive"}
    )
    assert both
    assert all_ids(demo_http, personIds=[anna, anna]) == []


def test_paging_beyond_a_thousand_with_string_next_page(
    big_demo_server: Callable[..., AbstractContextManager[DemoServer]],
) -> None:
    with big_demo_server(assets=5000) as server:
        lib = server.library
        anna = lib.person_by_name("Anna").id
        http = httpx.Client(base_url=f"{server.url}/api", headers={"x-api-key": server.api_key})
        with http:
            first = search(http, personIds=[anna], size=1000)
            assert first["count"] == 1000 and first["nextPage"] == "2"
            ids = all_ids(http, personIds=[anna], visibility="timeline")
        assert len(ids) == len(set(ids)) == lib.timeline_count(anna) > 1000


def test_order_desc_by_default_asc_on_request(demo_http: httpx.Client) -> None:
    desc = [i["fileCreatedAt"] for i in search(demo_http, size=100)["items"]]
    asc = [i["fileCreatedAt"] for i in search(demo_http, size=100, order="asc")["items"]]
    assert desc == sorted(desc, reverse=True) and asc == sorted(asc)
    assert desc[0] > asc[0]


def test_size_and_page_bounds(demo_http: httpx.Client, demo_library: Library) -> None:
    for body in ({"size": 0}, {"size": 1001}, {"page": 0}, {"size": "10"}, {"order": "up"}):
        response = demo_http.post("/search/metadata", json=body)
        assert response.status_code == 400, body
        assert response.json()["message"] == "Validation failed"
    visible = [a for a in demo_library.assets.values() if a.visibility != "locked"]
    assert (
        search(demo_http, size=1000)["count"]
        == 582
        == len([a for a in visible if not a.is_trashed])
    )


def test_ids_and_datetimes_are_validated(demo_http: httpx.Client) -> None:
    bad = [
        {"personIds": ["not-a-uuid"]},
        {"albumIds": ["6f1c1a4e-2b3d-1c5e-8f70-123456789abc"]},
        {"takenAfter": "2020-01-01T00:00:00"},  # no offset
        {"isFavorite": "true"},
    ]
    for body in bad:
        response = demo_http.post("/search/metadata", json=body)
        assert response.status_code == 400, body
        assert response.json()["errors"], body


def test_unknown_fields_are_dropped(demo_http: httpx.Client, demo_server: DemoServer) -> None:
    plain = search(demo_http, size=50)
    with spec_violations_allowed(demo_server):  # fields removed in v3 are sent on purpose
        assert search(demo_http, size=50, isArchived=False, withArchived=True) == plain


def test_taken_and_updated_ranges(demo_http: httpx.Client, demo_library: Library) -> None:
    items = search(
        demo_http,
        size=1000,
        takenAfter="2019-01-01T00:00:00.000Z",
        takenBefore="2019-12-31T23:59:59+00:00",
    )["items"]
    assert items and all(i["fileCreatedAt"].startswith("2019") for i in items)
    new = demo_library.add_asset(people=[demo_library.person_by_name("Emma").id])
    recent = search(demo_http, updatedAfter="2026-01-02T00:00:00Z")["items"]
    assert [i["id"] for i in recent] == [new.id]


def test_filters_type_favorite_album_and_with_people(
    demo_http: httpx.Client, demo_library: Library
) -> None:
    videos = search(demo_http, type="VIDEO", size=1000)["items"]
    assert videos and {v["type"] for v in videos} == {"VIDEO"}
    favorites = search(demo_http, isFavorite=True, size=1000)["items"]
    assert favorites and all(f["isFavorite"] for f in favorites)
    family = demo_library.album_by_name("Family")
    in_album = all_ids(demo_http, albumIds=[family.id])
    assert set(in_album) == set(family.asset_ids)
    anna = demo_library.person_by_name("Anna").id
    items = search(demo_http, personIds=[anna], withPeople=True, size=5)["items"]
    assert all(anna in [p["id"] for p in i["people"]] for i in items)
    unknown = "6f1c1a4e-2b3d-4c5e-8f70-123456789abc"
    response = demo_http.post("/search/metadata", json={"albumIds": [unknown]})
    assert response.status_code == 400
