"""The demo server as Immich 3.1.0, 3.2.2 and 3.3.5 (immich-3.3-changes.md §7 item 11)."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.partners import add_partner_photos
from ppl2album_tui.demo.server import DemoServer
from tests.spec import spec_violations_allowed

NEW = ["3.2.2", "3.3.5"]
ALL = ["3.1.0", *NEW]


def ids(lib: Library, *names: str) -> list[str]:
    return [lib.person_by_name(n).id for n in names]


def assets_of(resp: httpx.Response) -> dict[str, object]:
    assert resp.status_code == 200, resp.text
    out: dict[str, object] = resp.json()["assets"]
    return out


@pytest.mark.parametrize("immich_version", ALL)
def test_version_and_new_fields(
    demo_http: httpx.Client, demo_server: DemoServer, immich_version: str
) -> None:
    v = demo_http.get("/server/version").json()
    assert f"{v['major']}.{v['minor']}.{v['patch']}" == immich_version
    assert demo_http.get("/server/about").json()["version"] == f"v{immich_version}"
    me = demo_http.get("/users/me").json()
    assert ("clusterGroupId" in me) == (immich_version != "3.1.0")
    person = demo_http.get("/people").json()["people"][0]
    sharing = immich_version == "3.3.5"
    assert all((k in person) == sharing for k in ("sharedBy", "sharedWith", "otherPeople"))
    flat = assets_of(demo_http.post("/search/metadata", json={"size": 1}))
    assert flat["nextPage"] == "2"
    if immich_version == "3.1.0":
        assert "nextCursor" not in flat  # absent, not null
    else:
        assert flat["nextCursor"] is None


@pytest.mark.parametrize("immich_version", NEW)
def test_mixed_shapes_are_a_400_on_3_2_and_later(
    demo_http: httpx.Client, demo_server: DemoServer
) -> None:
    anna = ids(demo_server.library, "Anna")
    for extra in ({"page": 1}, {"visibility": "timeline"}, {"withDeleted": False}):
        for path in ("/search/metadata", "/search/statistics"):
            body = {"filter": {"personIds": {"any": anna}}, **extra}
            r = demo_http.post(path, json=body)
            assert r.status_code == 400, (path, body)
            assert "cannot be combined with filter/orderBy/cursor" in r.text
    assert len(demo_server.api.profile.violations) == 6  # the suite fails on any of these
    demo_server.api.profile.violations.clear()


def test_3_1_drops_the_filter_silently_and_the_demo_records_it(
    demo_http: httpx.Client, demo_server: DemoServer
) -> None:
    anna = ids(demo_server.library, "Anna")
    with spec_violations_allowed(demo_server):
        r = demo_http.post("/search/statistics", json={"filter": {"personIds": {"any": anna}}})
    assert r.json()["total"] == 582  # every photo: the filter was dropped
    assert demo_server.api.profile.violations == [
        "POST /search/statistics: filter sent to Immich 3.1.0, which drops it silently "
        "(an unfiltered search)"
    ]
    demo_server.api.profile.violations.clear()


@pytest.mark.parametrize("immich_version", NEW)
def test_v2_returns_trashed_photos_unless_trashed_at_eq_null(
    demo_http: httpx.Client, demo_server: DemoServer
) -> None:
    anna = ids(demo_server.library, "Anna")
    people = {"personIds": {"any": anna}}
    stats = "/search/statistics"
    assert demo_http.post(stats, json={"filter": people}).json()["total"] == 247  # 5 trashed
    body = {"filter": {**people, "trashedAt": {"eq": None}}}
    assert demo_http.post(stats, json=body).json()["total"] == 242  # = the flat default
    flat = demo_http.post(stats, json={"personIds": anna}).json()["total"]
    assert flat == 242
    timeline = {**people, "trashedAt": {"eq": None}, "visibility": {"eq": "timeline"}}
    assert demo_http.post(stats, json={"filter": timeline}).json()["total"] == 229


@pytest.mark.parametrize("immich_version", NEW)
def test_v2_any_all_none_and_cursor_paging(
    demo_http: httpx.Client, demo_server: DemoServer
) -> None:
    anna, ben = ids(demo_server.library, "Anna", "Ben")
    base = {"trashedAt": {"eq": None}, "visibility": {"eq": "timeline"}}

    def search(people: dict[str, list[str]], size: int = 1000) -> set[str]:
        body: dict[str, object] = {"filter": {**base, "personIds": people}, "size": size}
        found: set[str] = set()
        while True:
            page = assets_of(demo_http.post("/search/metadata", json=body))
            assert page["nextPage"] is None
            found |= {i["id"] for i in page["items"]}  # type: ignore[attr-defined]
            if page["nextCursor"] is None:
                return found
            body["cursor"] = page["nextCursor"]

    a, b = search({"any": [anna]}), search({"any": [ben]})
    assert search({"any": [anna, ben]}) == a | b
    assert search({"all": [anna, ben]}) == a & b
    assert search({"any": [anna], "none": [ben]}) == a - b
    assert search({"any": [anna, ben]}, size=50) == a | b  # 7 pages, one after another
    cursor = base64.b64encode(json.dumps({"offset": 50}).encode()).decode()
    body = {"filter": {**base, "personIds": {"any": [anna]}}, "size": 50}
    assert assets_of(demo_http.post("/search/metadata", json=body))["nextCursor"] == cursor


@pytest.mark.parametrize("immich_version", NEW)
@pytest.mark.parametrize(
    "visibility", [{"ne": "hidden"}, {"notIn": ["hidden"]}, {"eq": "locked"}, {"in": ["locked"]}]
)
def test_a_locked_capable_visibility_is_a_401_for_an_api_key(
    demo_http: httpx.Client, visibility: dict[str, object]
) -> None:
    r = demo_http.post("/search/metadata", json={"filter": {"visibility": visibility}})
    assert r.status_code == 401


@pytest.mark.parametrize("immich_version", NEW)
@pytest.mark.parametrize(
    "bad",
    [
        {"personId": {"any": []}},  # unknown key
        {"personIds": {}},  # no operator
        {"personIds": {"some": []}},  # unknown operator
        {"isFavorite": {}},  # BoolFilter needs eq
        {"or": []},  # at least one branch
        {"or": [{"or": [{"isFavorite": {"eq": True}}]}]},  # branches have no `or`
    ],
)
def test_filter_objects_are_strict(demo_http: httpx.Client, bad: dict[str, object]) -> None:
    r = demo_http.post("/search/metadata", json={"filter": bad})
    assert r.status_code == 400, r.text


@pytest.mark.parametrize("immich_version", ALL)
def test_merge_endpoints_per_version(
    demo_http: httpx.Client, demo_server: DemoServer, immich_version: str
) -> None:
    lib = demo_server.library
    anna, ben, clara = ids(lib, "Anna", "Ben", "Clara")
    legacy = demo_http.post(f"/people/{anna}/merge", json={"ids": [ben]})
    assert legacy.json() == [{"id": ben, "success": True}]
    merged = demo_http.post("/people/merge", json={"ids": [anna, clara]})
    if immich_version == "3.1.0":
        assert merged.status_code == 404
    else:
        assert merged.json() == [{"id": clara, "success": True}]
        assert demo_http.get(f"/people/{clara}").status_code == 400  # the id is gone


@pytest.mark.parametrize("immich_version", ALL)
def test_partner_photos_match_your_people_from_3_2(
    demo_http: httpx.Client, demo_server: DemoServer, immich_version: str
) -> None:
    lib = demo_server.library
    partner = add_partner_photos(lib, 12)
    anna = ids(lib, "Anna")
    flat = assets_of(demo_http.post("/search/metadata", json={"personIds": anna, "size": 1000}))
    owners = {i["ownerId"] for i in flat["items"]}  # type: ignore[attr-defined]
    mine = {lib.user.id}
    if immich_version == "3.1.0":
        assert owners == mine
    else:
        assert owners == mine | {partner[0].owner_id}
    statistics = demo_http.get(f"/people/{anna[0]}/statistics").json()["assets"]
    assert statistics == 229  # the user's own photos on every version
    album = lib.album_by_name("Drafts").id
    added = demo_http.put(f"/albums/{album}/assets", json={"ids": [partner[0].id]})
    assert added.json() == [{"id": partner[0].id, "success": True}]  # a partner's: shareable


@pytest.mark.parametrize("immich_version", ALL)
def test_people_inside_assets_have_the_version_shape(
    demo_http: httpx.Client, demo_server: DemoServer, immich_version: str
) -> None:
    anna = ids(demo_server.library, "Anna")
    body = {"personIds": anna, "size": 3, "withPeople": True}
    item = assets_of(demo_http.post("/search/metadata", json=body))["items"][0]  # type: ignore[index]
    one = demo_http.get(f"/assets/{item['id']}").json()
    for person in [*item["people"], *one["people"]]:
        assert ("sharedBy" in person) == (immich_version == "3.3.5")
