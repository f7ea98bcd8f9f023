"""Authentication, scopes and query validation of the demo server, as Immich 3.1 does them."""

from __future__ import annotations

import httpx

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer


def test_public_endpoints_need_no_key(demo_server: DemoServer) -> None:
    with httpx.Client(base_url=f"{demo_server.url}/api") as http:
        assert http.get("/server/ping").json() == {"res": "pong"}
        version = http.get("/server/version").json()
        assert version == {"major": 3, "minor": 1, "patch": 0, "prerelease": None}
        assert http.get("/server/features").json()["facialRecognition"] is True


def test_missing_and_wrong_keys(demo_server: DemoServer) -> None:
    with httpx.Client(base_url=f"{demo_server.url}/api") as http:
        response = http.get("/people")
        assert response.status_code == 401
        assert response.json() == {"message": "Authentication required"}
        response = http.get("/people", headers={"x-api-key": "wrong"})
        assert response.status_code == 401
        assert response.json() == {"message": "Invalid API key"}
        assert http.get("/people", params={"apiKey": demo_server.api_key}).status_code == 200


def test_scopes_are_enforced(demo_server: DemoServer, demo_library: Library) -> None:
    secret = demo_server.add_api_key(["person.read"], name="people only")
    with httpx.Client(base_url=f"{demo_server.url}/api", headers={"x-api-key": secret}) as http:
        assert http.get("/people").status_code == 200
        anna = demo_library.person_by_name("Anna").id
        response = http.get(f"/people/{anna}/statistics")
        assert response.status_code == 403
        assert response.json() == {"message": "Missing required permission: person.statistics"}
        response = http.post("/search/metadata", json={})
        assert response.json() == {"message": "Missing required permission: asset.read"}
        me = http.get("/api-keys/me").json()  # any key may read itself
        assert me["name"] == "people only" and me["permissions"] == ["person.read"]


def test_all_key_and_user(demo_http: httpx.Client) -> None:
    assert demo_http.get("/api-keys/me").json()["permissions"] == ["all"]
    me = demo_http.get("/users/me").json()
    assert me["name"] == "Demo User" and me["email"] == "demo@example.com"
    assert demo_http.get("/server/about").json()["version"] == "v3.1.0"


def test_query_booleans_are_lowercase_only(demo_http: httpx.Client) -> None:
    for value in ("True", "1", "yes", "TRUE"):
        response = demo_http.get("/people", params={"withHidden": value})
        assert response.status_code == 400, value
        assert response.json()["message"] == "Validation failed"
    assert demo_http.get("/people", params={"withHidden": "false"}).status_code == 200


def test_error_bodies_have_no_status_code_or_error(demo_http: httpx.Client) -> None:
    for response in (
        demo_http.get("/people/nope"),
        demo_http.get("/nothing/here"),
        httpx.get(str(demo_http.base_url) + "/people"),
    ):
        body = response.json()
        assert "statusCode" not in body and "error" not in body and body["message"]
    assert demo_http.get("/nothing/here").status_code == 404
