"""Album endpoints of the demo server over real HTTP: shapes and per-id outcomes."""

from __future__ import annotations

import httpx

from ppl2album_tui.demo.library import Library

UNKNOWN = "6f1c1a4e-2b3d-4c5e-8f70-123456789abc"


def test_album_list_and_get_have_no_assets_array(
    demo_http: httpx.Client, demo_library: Library
) -> None:
    albums = demo_http.get("/albums").json()
    assert {a["albumName"] for a in albums} == {"Family", "Summer 2019", "Drafts"}
    family = next(a for a in albums if a["albumName"] == "Family")
    detail = demo_http.get(f"/albums/{family['id']}").json()
    assert "assets" not in detail and "assets" not in family
    assert detail["assetCount"] == 50
    assert detail["albumUsers"][0]["role"] == "owner"
    assert detail["albumUsers"][0]["user"]["name"] == "Demo User"
    drafts = next(a for a in albums if a["albumName"] == "Drafts")
    assert drafts["assetCount"] == 0 and drafts["albumThumbnailAssetId"] is None


def test_album_filters(demo_http: httpx.Client, demo_library: Library) -> None:
    by_name = demo_http.get("/albums", params={"name": "Family"}).json()
    assert [a["albumName"] for a in by_name] == ["Family"]
    assert demo_http.get("/albums", params={"isShared": "true"}).json() == []
    assert len(demo_http.get("/albums", params={"isOwned": "true"}).json()) == 3
    family = demo_library.album_by_name("Family")
    member = next(iter(family.asset_ids))
    holding = demo_http.get("/albums", params={"assetId": member}).json()
    assert family.id in {a["id"] for a in holding}


def test_unknown_album_messages_follow_immichs_check_order(demo_http: httpx.Client) -> None:
    adding = demo_http.put(f"/albums/{UNKNOWN}/assets", json={"ids": [UNKNOWN]})
    assert adding.status_code == 400
    assert adding.json() == {"message": "Album not found"}  # looked up before the access check
    reading = demo_http.get(f"/albums/{UNKNOWN}")
    assert reading.status_code == 400
    assert reading.json() == {"message": "Not found or no album.read access"}
    removing = demo_http.request("DELETE", f"/albums/{UNKNOWN}/assets", json={"ids": [UNKNOWN]})
    assert removing.json() == {"message": "Not found or no albumAsset.delete access"}


def test_create_album(demo_http: httpx.Client, demo_library: Library) -> None:
    photo = next(a.id for a in demo_library.assets.values() if a.visibility == "timeline")
    locked = next(a.id for a in demo_library.assets.values() if a.visibility == "locked")
    response = demo_http.post(
        "/albums", json={"albumName": "Anna", "assetIds": [photo, locked, UNKNOWN]}
    )
    assert response.status_code == 201
    album = response.json()
    assert album["albumName"] == "Anna" and album["assetCount"] == 1  # others dropped silently
    assert album["albumThumbnailAssetId"] == photo
    assert demo_library.albums[album["id"]].name == "Anna"
    assert demo_http.post("/albums", json={}).status_code == 400


def test_add_reports_each_id(demo_http: httpx.Client, demo_library: Library) -> None:
    family = demo_library.album_by_name("Family")
    inside = next(iter(family.asset_ids))
    new = next(
        a.id
        for a in demo_library.assets.values()
        if a.id not in family.asset_ids and a.visibility == "timeline"
    )
    locked = next(a.id for a in demo_library.assets.values() if a.visibility == "locked")
    ids = [new, new, inside, locked, UNKNOWN]
    response = demo_http.put(f"/albums/{family.id}/assets", json={"ids": ids})
    assert response.status_code == 200
    assert response.json() == [
        {"id": new, "success": True},
        {"id": new, "success": False, "error": "duplicate"},
        {"id": inside, "success": False, "error": "duplicate"},
        {"id": locked, "success": False, "error": "no_permission"},
        {"id": UNKNOWN, "success": False, "error": "no_permission"},
    ]
    assert demo_http.get(f"/albums/{family.id}").json()["assetCount"] == 51


def test_remove_reports_each_id(demo_http: httpx.Client, demo_library: Library) -> None:
    family = demo_library.album_by_name("Family")
    inside = next(iter(family.asset_ids))
    response = demo_http.request(
        "DELETE", f"/albums/{family.id}/assets", json={"ids": [inside, inside, UNKNOWN]}
    )
    assert [r.get("error") for r in response.json()] == [None, "not_found", "not_found"]
    assert inside not in family.asset_ids


def test_add_validates_ids(demo_http: httpx.Client, demo_library: Library) -> None:
    family = demo_library.album_by_name("Family")
    response = demo_http.put(f"/albums/{family.id}/assets", json={"ids": ["nope"]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == ["ids", 0]


def test_add_to_several_albums(demo_http: httpx.Client, demo_library: Library) -> None:
    drafts = demo_library.album_by_name("Drafts")
    photo = next(a.id for a in demo_library.assets.values() if a.visibility == "timeline")
    body = {"albumIds": [drafts.id], "assetIds": [photo]}
    assert demo_http.put("/albums/assets", json=body).json() == {"success": True}
    again = demo_http.put("/albums/assets", json=body).json()
    assert again == {"success": False, "error": "duplicate"}
