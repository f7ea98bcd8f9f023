"""Every endpoint the app uses, driven through the real client and raw httpx, checked against the
official Immich 3.1 spec by the `demo_server` fixture's on_exchange validator."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from ppl2album_tui.demo.library import Library, generate_library
from ppl2album_tui.demo.server import DemoServer, Exchange
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.models import AssetQuery
from tests.contract.test_contract_sharing import SHARING_ROUTES
from tests.spec import (
    APP_ENDPOINTS,
    ContractRecorder,
    attach_contract_checker,
    get_validator,
    load_spec,
    recorder_for,
    spec_missing_reason,
    spec_violations_allowed,
)

SKIP_REASON = spec_missing_reason()
pytestmark = pytest.mark.skipif(SKIP_REASON is not None, reason=str(SKIP_REASON))


def recorder(server: DemoServer) -> ContractRecorder:
    found = recorder_for(server)
    assert found is not None, "the demo_server fixture did not install the contract validator"
    return found


def templates_seen(server: DemoServer) -> set[tuple[str, str]]:
    spec = load_spec()
    seen = set()
    for record in server.request_log:
        hits = spec.match_path(record.path.removeprefix("/api"))
        for tpl, _ in hits:
            if record.method in tpl.operations:
                seen.add((record.method, tpl.template))
                break
    return seen


def take_violations(server: DemoServer) -> list[str]:
    """The violations recorded so far, removed so the fixture's teardown stays green."""
    rec = recorder(server)
    found = [str(v) for v in rec.violations]
    rec.violations.clear()
    return found


@pytest.fixture
def http(demo_server: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=demo_server.url + "/api", headers={"x-api-key": demo_server.api_key}
    ) as c:
        yield c


@pytest.fixture
def captured(demo_server: DemoServer) -> list[Exchange]:
    """The server's real Exchange objects, still validated by the installed recorder."""
    rec = recorder(demo_server)
    seen: list[Exchange] = []

    def hook(ex: Exchange) -> None:
        seen.append(ex)
        rec(ex)

    demo_server.on_exchange = hook
    return seen


# -- the real client ----------------------------------------------------------------------


async def test_client_covers_every_app_endpoint_within_the_spec(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    anna = demo_library.person_by_name("Anna")
    ben = demo_library.person_by_name("Ben")
    await client.ping()
    await client.version()
    await client.about()
    await client.me()
    await client.key_permissions()
    assert await client.people()
    assert await client.people(with_hidden=True)
    await client.person(anna.id)
    await client.person_thumbnail(anna.id)
    await client.person_statistics(anna.id)
    photos = await client.search_assets(AssetQuery(person_ids=(anna.id, anna.id)))
    assert photos
    await client.search_assets(
        AssetQuery(
            person_ids=(anna.id, ben.id),
            type="IMAGE",
            visibility=None,
            is_favorite=False,
            taken_after=datetime(2015, 1, 1, tzinfo=UTC),
            taken_before=datetime(2030, 1, 1, tzinfo=UTC),
            updated_after=datetime(2000, 1, 1, tzinfo=UTC),
            with_people=True,
        )
    )
    await client.search_assets(AssetQuery(person_ids=(anna.id,), visibility="archive"))
    existing = await client.albums()
    await client.album(existing[0].id)
    made = await client.create_album("Contract check")
    ids = [a.id for a in photos[:6]]
    added = await client.add_to_album(made.id, [*ids, ids[0]], chunk_size=4)
    assert {r.id for r in added} == set(ids)
    assert await client.album_asset_ids(made.id) == set(ids)
    removed = await client.remove_from_album(made.id, [ids[0], str(uuid.uuid4())])
    assert [r.success for r in removed] == [True, False]
    thumb = await client.asset_thumbnail(ids[1])
    assert thumb.content_type.startswith("image/")
    await client.asset_thumbnail(ids[1], size="preview")

    assert not take_violations(demo_server)
    assert recorder(demo_server).exchanges == len(demo_server.request_log)
    # Beyond the schema (notes §2.2): ids de-duplicated (a repeated id matches nothing), pages
    # of 1000, and visibility sent explicitly unless the query asks for timeline + archive.
    searches = [r.body for r in demo_server.request_log if r.path == "/api/search/metadata"]
    assert searches[0]["personIds"] == [anna.id]
    assert searches[0]["visibility"] == "timeline"
    for body in searches:
        for key in ("personIds", "albumIds"):
            assert len(body.get(key, [])) == len(set(body.get(key, []))), body
        assert body["size"] == 1000, body
    missing = APP_ENDPOINTS - templates_seen(demo_server)
    assert not missing, f"the client run never called: {sorted(missing)}"


async def test_client_error_paths_stay_within_the_spec(
    client: ImmichClient, demo_server: DemoServer
) -> None:
    from ppl2album_tui.immich.errors import ImmichError

    unknown = str(uuid.uuid4())
    for call in (client.person(unknown), client.album(unknown), client.person_statistics(unknown)):
        with pytest.raises(ImmichError):
            await call
    assert all(r.status == 400 for r in demo_server.request_log)
    assert not take_violations(demo_server)


async def test_limited_key_is_refused_with_403_and_that_conforms(demo_server: DemoServer) -> None:
    from ppl2album_tui.immich.errors import ImmichError

    key = demo_server.add_api_key(["person.read"], name="people only")
    async with ImmichClient(demo_server.url, key) as limited:
        assert (await limited.key_permissions()).permissions == ("person.read",)
        await limited.people()
        with pytest.raises(ImmichError):
            await limited.albums()
    assert [r.status for r in demo_server.request_log][-1] == 403
    assert not take_violations(demo_server)


# -- raw httpx: every parameter the app may send, and the server's refusals ----------------


def test_raw_requests_over_every_app_endpoint(
    http: httpx.Client, demo_server: DemoServer, demo_library: Library
) -> None:
    anna = demo_library.person_by_name("Anna")
    album = next(iter(demo_library.albums.values()))
    asset_id = next(iter(demo_library.assets))
    ok: list[httpx.Response] = [
        http.get("/server/ping"),
        http.get("/server/version"),
        http.get("/server/about"),
        http.get("/users/me"),
        http.get("/api-keys/me"),
        http.get("/people", params={"withHidden": "true", "page": 1, "size": 3}),
        http.get("/people", params={"withHidden": "false", "page": 2, "size": 1000}),
        http.get(f"/people/{anna.id}"),
        http.get(f"/people/{anna.id}/statistics"),
        http.get(f"/people/{anna.id}/thumbnail"),
        http.post(
            "/search/metadata",
            json={
                "personIds": [anna.id],
                "visibility": "timeline",
                "withDeleted": False,
                "withPeople": True,
                "withExif": True,
                "order": "asc",
                "page": 1,
                "size": 1000,
            },
        ),
        http.post("/search/metadata", json={"albumIds": [album.id], "size": 1, "page": 2}),
        http.get("/albums"),
        http.get("/albums", params={"isOwned": "true", "isShared": "false"}),
        http.get("/albums", params={"assetId": asset_id}),
        http.get(f"/albums/{album.id}"),
        http.get(f"/assets/{asset_id}/thumbnail", params={"size": "thumbnail", "edited": "false"}),
        http.get(f"/assets/{asset_id}/thumbnail", params={"size": "preview"}),
    ]
    created = http.post("/albums", json={"albumName": "Raw", "description": "", "assetIds": []})
    ok.append(created)
    new_id = created.json()["id"]
    ok.append(http.put(f"/albums/{new_id}/assets", json={"ids": [asset_id, asset_id]}))
    ok.append(http.request("DELETE", f"/albums/{new_id}/assets", json={"ids": [asset_id]}))
    assert [r.status_code for r in ok if r.status_code >= 300] == []
    assert not take_violations(demo_server)


def unnamed_person(lib: Library) -> str:
    return next(p.id for p in lib.people.values() if not p.name)


def test_raw_requests_over_every_other_demo_route(
    http: httpx.Client, demo_server: DemoServer, demo_library: Library
) -> None:
    from ppl2album_tui.demo.api import scope_table

    anna = demo_library.person_by_name("Anna")
    album = next(iter(demo_library.albums.values()))
    asset_id = next(iter(demo_library.assets))
    answers = [
        http.get("/server/features"),
        http.get("/search/person", params={"name": "an", "withHidden": "true"}),
        http.post("/search/statistics", json={"personIds": [anna.id], "visibility": "timeline"}),
        http.get(f"/assets/{asset_id}"),
        http.get(f"/assets/{asset_id}/original"),
        http.put("/albums/assets", json={"albumIds": [album.id], "assetIds": [asset_id]}),
        http.request("HEAD", "/server/ping"),
        http.post(f"/people/{anna.id}/merge", json={"ids": [unnamed_person(demo_library)]}),
    ]
    assert [r.status_code for r in answers] == [200] * len(answers)
    redirect = http.get(f"/assets/{asset_id}/thumbnail", params={"size": "fullsize"})
    assert redirect.status_code == 302
    doomed = http.post("/albums", json={"albumName": "Doomed"}).json()["id"]
    assert http.delete(f"/albums/{doomed}").status_code == 204
    assert not take_violations(demo_server)
    # Together with the app endpoints above, the demo's whole route table is exercised.
    untested = set(scope_table()) - APP_ENDPOINTS - SHARING_ROUTES - templates_seen(demo_server)
    assert not untested, f"demo routes without a contract check: {sorted(untested)}"


def test_server_refusals_conform(http: httpx.Client, demo_server: DemoServer) -> None:
    unknown = str(uuid.uuid4())
    refusals = {
        400: [
            http.get("/people", params={"withHidden": "True"}),
            http.get("/people", params={"size": 1001}),
            http.get(f"/people/{uuid.uuid1()}"),
            http.get(f"/people/{unknown}"),
            http.get(f"/albums/{unknown}"),
            http.post("/search/metadata", json={"size": 2000}),
            http.post("/search/metadata", json={"personIds": ["nope"]}),
            http.put(f"/albums/{unknown}/assets", json={"ids": [unknown]}),
        ],
        401: [
            http.get("/people", headers={"x-api-key": ""}),
            http.get("/people", headers={"x-api-key": "wrong"}),
        ],
        404: [http.get("/nothing-here"), http.get("/server/nothing")],
    }
    for status, responses in refusals.items():
        assert [r.status_code for r in responses] == [status] * len(responses)
    assert not take_violations(demo_server)


# -- the validator on the suite's real exchanges ------------------------------------------


def test_real_exchanges_reach_the_validator(
    http: httpx.Client, demo_server: DemoServer, captured: list[Exchange]
) -> None:
    assert http.get("/server/ping").status_code == 200
    assert len(captured) == 1
    assert captured[0].path == "/api/server/ping"
    assert recorder(demo_server).exchanges == 1


def test_key_without_scope_is_flagged_unless_refused(
    demo_server: DemoServer, captured: list[Exchange]
) -> None:
    key = demo_server.add_api_key(["album.read"], name="albums only")
    refused = httpx.get(demo_server.url + "/api/people", headers={"x-api-key": key})
    assert refused.status_code == 403
    assert refused.json() == {"message": "Missing required permission: person.read"}
    assert not take_violations(demo_server)
    # The same request answered 200 (a server that forgot the scope check) is a violation.
    people = httpx.get(demo_server.url + "/api/people", headers={"x-api-key": demo_server.api_key})
    lax = dataclasses.replace(
        captured[0],
        status=200,
        response_headers=captured[1].response_headers,
        response_body=people.content,
    )
    found = get_validator().check(lax)
    assert [v.half for v in found] == ["scope"]
    assert "lacks 'person.read'" in found[0].message


def test_lax_server_answers_are_caught(http: httpx.Client, demo_server: DemoServer) -> None:
    # `shared` was removed in v3; Immich (and the demo) drop it silently -> a client bug.
    assert http.get("/albums", params={"shared": "true"}).status_code == 200
    assert take_violations(demo_server) == [
        "GET /api/albums?shared=true -> 200: request: unknown query parameter 'shared' "
        "(and the server answered 200)"
    ]
    with spec_violations_allowed(demo_server):
        http.get("/albums", params={"shared": "true"})
    assert recorder(demo_server).exempted == 1
    assert not take_violations(demo_server)


def test_injected_faults_check_the_request_only(
    http: httpx.Client, demo_server: DemoServer
) -> None:
    demo_server.faults.add(path="/api/people", method="GET", status=500, count=1)
    demo_server.faults.add(path="/api/albums", method="GET", kind="html", status=502, count=1)
    demo_server.faults.add(path="/api/server/version", method="GET", kind="malformed", count=1)
    assert http.get("/people").status_code == 500
    assert http.get("/albums").status_code == 502
    assert http.get("/server/version").status_code == 200
    assert not take_violations(demo_server)
    demo_server.faults.add(path="/api/people", method="GET", status=500, count=1)
    http.get("/people", params={"withHidden": "True"})
    found = take_violations(demo_server)
    assert len(found) == 1 and "'True' is not exactly 'true' or 'false'" in found[0]


def test_the_fixture_fails_a_test_that_broke_the_contract() -> None:
    from tests.conftest import running_server

    library = generate_library(people=3, assets=20, seed=1)
    with (
        pytest.raises(pytest.fail.Exception, match="1 Immich OpenAPI contract violation"),
        running_server(library) as server,
    ):
        httpx.get(
            server.url + "/api/people",
            params={"withHidden": "false", "foo": "1"},
            headers={"x-api-key": server.api_key},
        )


def test_nothing_is_installed_without_the_spec(
    monkeypatch: pytest.MonkeyPatch, demo_library: Library
) -> None:
    monkeypatch.setenv("IMMICH_OPENAPI_SPEC", "/nonexistent/immich-openapi-specs.json")
    assert "not at /nonexistent" in str(spec_missing_reason())
    with DemoServer(demo_library) as server:
        assert attach_contract_checker(server) is None
        assert server.on_exchange is None
