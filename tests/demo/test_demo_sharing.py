"""Several accounts, partner sharing, album members with roles and shared links on the demo
server, over real HTTP, with Immich 3.1's answers (every exchange checked against the spec)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from ppl2album_tui.demo.library import Library, generate_library
from ppl2album_tui.demo.partners import share_partner, stop_sharing
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.demo.users import add_user
from ppl2album_tui.demo.versions import VERSIONS

pytestmark = pytest.mark.accounts(2)  # the default library plus Robin Roe (conftest.py)


@pytest.fixture
def robin(demo_server: DemoServer, robin_id: str) -> Iterator[httpx.Client]:
    """Raw HTTP as Robin (an all-permission key of the second account)."""
    headers = {"x-api-key": demo_server.user_key(robin_id)}
    with httpx.Client(base_url=f"{demo_server.url}/api", headers=headers, timeout=10) as http:
        yield http


def robin_photos(lib: Library, robin_id: str) -> list[str]:
    return [a.id for a in lib.sorted_assets() if a.owner_id == robin_id]


def my_photos(lib: Library) -> list[str]:
    return [a.id for a in lib.sorted_assets() if a.owner_id is None and a.visibility == "timeline"]


def message(r: httpx.Response) -> str:
    return str(r.json()["message"])


# ------------------------------------------------------------------ library
def test_the_default_library_has_one_account_and_keeps_its_content() -> None:
    plain = generate_library(people=12, assets=600, seed=7)
    two = generate_library(people=12, assets=600, seed=7, users=2)
    assert plain.users == {} and len(two.users) == 1
    owned = {i for i, a in two.assets.items() if a.owner_id is None}
    assert owned == set(plain.assets)
    assert {i for i, p in two.people.items() if p.owner_id is None} == set(plain.people)
    assert set(two.albums) == set(plain.albums)


def test_a_further_account_is_deterministic_with_its_own_people_and_photos() -> None:
    a, b = (generate_library(people=12, assets=600, seed=7, users=3) for _ in range(2))
    assert list(a.users) == list(b.users)
    assert [u.name for u in a.users.values()] == ["Robin Roe", "Sam Sample"]
    robin = next(iter(a.users))
    people = [p for p in a.people.values() if p.owner_id == robin]
    assert [p.name for p in people] == ["Anna", "Ben", "Clara", "David", "Emma", "Felix"]
    assert [p.id for p in people] == [p.id for p in b.people.values() if p.owner_id == robin]
    photos = [x for x in a.assets.values() if x.owner_id == robin]
    assert len(photos) == 120
    assert all(set(x.people) <= {p.id for p in people} for x in photos)
    # "Emma" in Robin's account is another person than the library user's Emma
    emmas = [p for p in a.people.values() if p.name == "Emma"]
    assert len(emmas) == 3 and len({p.id for p in emmas}) == 3
    user = add_user(a, people=2, assets=5, name="Extra", email="extra@example.com")
    assert user.name == "Extra" and sum(x.owner_id == user.id for x in a.assets.values()) == 5


# ---------------------------------------------------------------- per key
@pytest.mark.parametrize("immich_version", VERSIONS)
def test_each_key_sees_its_own_account_people_and_photos(
    demo_http: httpx.Client, robin: httpx.Client, demo_library: Library, robin_id: str
) -> None:
    assert robin.get("/users/me").json()["id"] == robin_id
    assert robin.get("/users/me").json()["isAdmin"] is False
    me = demo_http.get("/users/me").json()
    assert me["id"] == demo_library.user.id and me["isAdmin"] is True
    users = demo_http.get("/users").json()
    assert [(u["name"], u["email"]) for u in users] == [
        ("Demo User", "demo@example.com"),
        ("Robin Roe", "robin@example.com"),
    ]
    robins_people = robin.get("/people").json()["people"]
    assert {p["name"] for p in robins_people} == {"Anna", "Ben", "Clara", "David", "Emma", "Felix"}
    mine = demo_http.get("/people").json()
    assert len(mine["people"]) == 15 and mine["total"] == 18  # unchanged by the second account
    robin_emma = next(p["id"] for p in robins_people if p["name"] == "Emma")
    assert message(demo_http.get(f"/people/{robin_emma}")) == "Not found or no person.read access"
    found = robin.post("/search/metadata", json={"personIds": [robin_emma], "size": 1000}).json()
    ids = {a["id"] for a in found["assets"]["items"]}
    assert ids == {a.id for a in demo_library.assets_of(robin_emma)}
    assert all(a["ownerId"] == robin_id for a in found["assets"]["items"])
    everything = demo_http.post("/search/metadata", json={"size": 1000}).json()
    assert everything["assets"]["count"] == 582  # the documented figure: no photo of Robin's
    theirs = robin.post("/search/statistics", json={}).json()
    assert theirs == {"total": 120}
    photo = robin_photos(demo_library, robin_id)[0]
    assert demo_http.get(f"/assets/{photo}").status_code == 400
    assert robin.get(f"/assets/{photo}/thumbnail").status_code == 200


def test_partner_sharing_between_two_accounts(
    demo_http: httpx.Client, demo_library: Library, robin_id: str
) -> None:
    photo = robin_photos(demo_library, robin_id)[0]
    album = demo_library.album_by_name("Drafts").id

    def search_finds_it() -> bool:
        body = {"id": photo}
        count: int = demo_http.post("/search/metadata", json=body).json()["assets"]["count"]
        return count == 1

    def add() -> str:
        r = demo_http.put(f"/albums/{album}/assets", json={"ids": [photo]}).json()[0]
        return "ok" if r["success"] else r["error"]

    assert not search_finds_it() and add() == "no_permission"
    share_partner(demo_library, robin_id, demo_library.user.id, in_timeline=False)
    assert not search_finds_it()  # "show in timeline" is off
    assert add() == "ok"  # AssetShare: a partner's photo may be added all the same
    demo_http.request("DELETE", f"/albums/{album}/assets", json={"ids": [photo]})
    share_partner(demo_library, robin_id, demo_library.user.id, in_timeline=True)
    assert search_finds_it()
    stop_sharing(demo_library, robin_id, demo_library.user.id)
    assert not search_finds_it() and add() == "no_permission"


# ------------------------------------------------------------ album roles
def share(http: httpx.Client, album: str, user: str, role: str) -> httpx.Response:
    return http.put(f"/albums/{album}/users", json={"albumUsers": [{"userId": user, "role": role}]})


@pytest.mark.parametrize("immich_version", VERSIONS)
def test_album_members_are_listed_with_their_roles(
    demo_http: httpx.Client, robin: httpx.Client, demo_library: Library, robin_id: str
) -> None:
    family = demo_library.album_by_name("Family").id
    assert robin.get(f"/albums/{family}").status_code == 400
    assert robin.get("/albums").json() == []
    answer = share(demo_http, family, robin_id, "viewer")
    assert answer.status_code == 200
    body = answer.json()
    assert [(u["user"]["name"], u["role"]) for u in body["albumUsers"]] == [
        ("Demo User", "owner"),
        ("Robin Roe", "viewer"),
    ]
    assert body["shared"] is True and body["hasSharedLink"] is False
    assert [a["albumName"] for a in robin.get("/albums").json()] == ["Family"]
    assert robin.get("/albums", params={"isOwned": "true"}).json() == []
    assert len(robin.get("/albums", params={"isOwned": "false"}).json()) == 1
    assert [a["albumName"] for a in demo_http.get("/albums", params={"isShared": "true"}).json()]
    not_shared = demo_http.get("/albums", params={"isShared": "false"}).json()
    assert sorted(a["albumName"] for a in not_shared) == ["Drafts", "Summer 2019"]
    # Robin can read what the album holds, also Demo User's photos in it
    inside = robin.post("/search/metadata", json={"albumIds": [family], "size": 1000}).json()
    assert inside["assets"]["count"] == 50
    first = next(iter(demo_library.albums[family].asset_ids))
    assert robin.get(f"/assets/{first}").status_code == 200
    r = robin.post("/search/metadata", json={"albumIds": [demo_library.album_by_name("Drafts").id]})
    assert message(r) == "Not found or no album.read access"
    assert demo_http.put(f"/albums/{family}/user/{robin_id}", json={"role": "editor"}).status_code
    assert robin.get(f"/albums/{family}").json()["albumUsers"][1]["role"] == "editor"
    assert robin.delete(f"/albums/{family}/user/me").status_code == 204
    assert robin.get("/albums").json() == []


@pytest.mark.parametrize("immich_version", VERSIONS)
def test_roles_are_enforced_as_immich_does(
    demo_http: httpx.Client, robin: httpx.Client, demo_library: Library, robin_id: str
) -> None:
    family = demo_library.album_by_name("Family").id
    drafts = demo_library.album_by_name("Drafts").id
    theirs, mine = robin_photos(demo_library, robin_id)[:2], my_photos(demo_library)
    # a non-member cannot add their own photo to someone else's album
    r = robin.put(f"/albums/{family}/assets", json={"ids": theirs})
    assert (r.status_code, message(r)) == (400, "Not found or no albumAsset.create access")
    share(demo_http, family, robin_id, "viewer")
    r = robin.put(f"/albums/{family}/assets", json={"ids": theirs})
    assert (r.status_code, message(r)) == (400, "Not found or no albumAsset.create access")
    multi = robin.put("/albums/assets", json={"albumIds": [family], "assetIds": theirs}).json()
    assert multi == {"success": False, "error": "no_permission"}
    demo_http.put(f"/albums/{family}/user/{robin_id}", json={"role": "editor"})
    added = robin.put(f"/albums/{family}/assets", json={"ids": [*theirs, mine[1]]}).json()
    assert [(x["success"], x.get("error")) for x in added] == [
        (True, None),
        (True, None),
        (False, "no_permission"),  # an editor adds only what they may share
    ]
    assert set(theirs) <= set(demo_library.albums[family].asset_ids)
    assert demo_http.get(f"/albums/{family}").json()["assetCount"] == 52
    # an editor removes their own photos only; the owner removes anybody's
    someone_elses = next(iter(demo_library.albums[family].asset_ids))
    removed = robin.request(
        "DELETE", f"/albums/{family}/assets", json={"ids": [theirs[0], someone_elses]}
    ).json()
    assert [(x["success"], x.get("error")) for x in removed] == [
        (True, None),
        (False, "no_permission"),
    ]
    gone = demo_http.request("DELETE", f"/albums/{family}/assets", json={"ids": [theirs[1]]})
    assert gone.json() == [{"id": theirs[1], "success": True}]
    # only the owner shares, deletes, or makes links
    r = share(robin, family, demo_library.user.id, "editor")
    assert message(r) == "Not found or no album.share access"
    assert message(robin.delete(f"/albums/{family}")) == "Not found or no album.delete access"
    r = robin.post("/shared-links", json={"type": "ALBUM", "albumId": family})
    assert message(r) == "Not found or no album.share access"
    assert robin.get(f"/albums/{drafts}").status_code == 400


def test_album_user_refusals_carry_immichs_messages(
    demo_http: httpx.Client, robin: httpx.Client, demo_library: Library, robin_id: str
) -> None:
    family = demo_library.album_by_name("Family").id
    me = demo_library.user.id
    assert message(share(demo_http, family, me, "editor")) == "Cannot be shared with owner"
    share(demo_http, family, robin_id, "editor")
    assert message(share(demo_http, family, robin_id, "viewer")) == "User already added"
    stranger = "0b6f0fd4-8a3e-4d1e-9c55-3d4d1f3e2a10"
    assert message(share(demo_http, family, stranger, "viewer")) == "User not found"
    assert message(demo_http.delete(f"/albums/{family}/user/{me}")) == "Cannot remove album owner"
    assert message(demo_http.delete(f"/albums/{family}/user/{stranger}")) == (
        "Album not shared with user"
    )
    assert message(robin.delete(f"/albums/{family}/user/{me}")) == "Cannot remove album owner"
    assert demo_http.delete(f"/albums/{family}/user/{robin_id}").status_code == 204
    assert robin.get(f"/albums/{family}").status_code == 400
    bad = demo_http.put(f"/albums/{family}/users", json={"albumUsers": [{"role": "boss"}]})
    assert bad.status_code == 400 and message(bad) == "Validation failed"
    album = robin.post(
        "/albums", json={"albumName": "Robin's", "assetIds": [my_photos(demo_library)[0]]}
    )
    assert album.json()["assetCount"] == 0  # another account's photo is dropped, as Immich does
    assert album.json()["albumUsers"][0]["user"]["id"] == robin_id


# ------------------------------------------------------------ shared links
@pytest.mark.parametrize("immich_version", VERSIONS)
def test_shared_links_are_made_listed_and_deleted(
    demo_http: httpx.Client, robin: httpx.Client, demo_library: Library
) -> None:
    family = demo_library.album_by_name("Family").id
    made = demo_http.post(
        "/shared-links",
        json={
            "type": "ALBUM",
            "albumId": family,
            "expiresAt": "2030-06-01T12:00:00.000Z",
            "password": "grandma",
            "allowDownload": False,
        },
    )
    assert made.status_code == 201
    link = made.json()
    assert link["type"] == "ALBUM" and link["album"]["id"] == family
    assert link["expiresAt"] == "2030-06-01T12:00:00.000Z"
    assert link["allowDownload"] is False and link["password"] == "grandma"
    assert len(link["key"]) == 67  # 50 random bytes, base64url
    assert link["userId"] == demo_library.user.id
    assert demo_http.get(f"/albums/{family}").json()["hasSharedLink"] is True
    assert demo_http.get(f"/albums/{family}").json()["shared"] is True
    listed = demo_http.get("/shared-links", params={"albumId": family}).json()
    assert [x["id"] for x in listed] == [link["id"]]
    assert robin.get("/shared-links").json() == []
    assert demo_http.delete(f"/shared-links/{link['id']}").status_code == 204
    assert demo_http.get("/shared-links").json() == []
    assert message(demo_http.get(f"/shared-links/{link['id']}")) == "Shared link not found"
    assert demo_http.post("/shared-links", json={"type": "ALBUM"}).json()["message"] == (
        "Invalid albumId"
    )


# ------------------------------------------------------------ birth dates
def test_a_birth_date_is_set_and_cleared(demo_http: httpx.Client, demo_library: Library) -> None:
    ben = demo_library.person_by_name("Ben")
    assert demo_http.get(f"/people/{ben.id}").json()["birthDate"] is None
    answer = demo_http.put(f"/people/{ben.id}", json={"birthDate": "2019-02-28"})
    assert answer.json()["birthDate"] == "2019-02-28" and ben.birth_date == "2019-02-28"
    assert demo_http.get(f"/people/{ben.id}").json()["birthDate"] == "2019-02-28"
    bad = demo_http.put(f"/people/{ben.id}", json={"birthDate": "2019-02-30"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == ["birthDate"]
    future = demo_http.put(f"/people/{ben.id}", json={"birthDate": "2999-01-01"})
    assert future.json()["errors"][0]["message"] == "Birth date cannot be in the future"
    cleared = demo_http.put(f"/people/{ben.id}", json={"birthDate": None})
    assert cleared.json()["birthDate"] is None


@pytest.mark.parametrize("immich_version", ["3.3.5"])
def test_a_v2_search_sees_the_callers_photos_and_readable_albums(
    demo_http: httpx.Client, robin: httpx.Client, demo_library: Library, robin_id: str
) -> None:
    family = demo_library.album_by_name("Family").id
    trash = {"trashedAt": {"eq": None}}
    theirs = robin.post("/search/metadata", json={"filter": trash, "size": 1000}).json()
    assert {a["ownerId"] for a in theirs["assets"]["items"]} == {robin_id}
    in_family = {"filter": {"albumIds": {"any": [family]}}}
    assert message(robin.post("/search/metadata", json=in_family)) == (
        "Not found or no album.read access"
    )
    share(demo_http, family, robin_id, "viewer")
    assert robin.post("/search/statistics", json=in_family).json() == {"total": 50}


def test_an_album_is_created_already_shared(
    demo_http: httpx.Client, robin: httpx.Client, demo_library: Library, robin_id: str
) -> None:
    body = {"albumName": "Kids", "albumUsers": [{"userId": robin_id, "role": "viewer"}]}
    made = demo_http.post("/albums", json=body)
    assert made.status_code == 201
    assert [u["role"] for u in made.json()["albumUsers"]] == ["owner", "viewer"]
    assert [a["albumName"] for a in robin.get("/albums").json()] == ["Kids"]
    mine = {"albumName": "x", "albumUsers": [{"userId": demo_library.user.id, "role": "editor"}]}
    assert message(demo_http.post("/albums", json=mine)) == "Cannot share album with owner"
    no_role = demo_http.post(
        "/albums", json={"albumName": "x", "albumUsers": [{"userId": robin_id}]}
    )
    assert message(no_role) == "Validation failed"
    assert len(demo_library.albums) == 4
