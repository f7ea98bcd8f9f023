"""Every client method × every fault kind: the right answer or one clear ImmichError, no crash.

A transient fault that happens once is absorbed by retries on idempotent requests; creating an
album is never retried; persistent faults, bad bodies and a revoked key end in the matching
error class. One demo server serves the whole module (faults are cleared between cases).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from ppl2album_tui.demo.library import Library, generate_library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import (
    ImmichError,
    InvalidResponse,
    NotImmich,
    ServerError,
    ServerUnreachable,
    Unauthorized,
)
from ppl2album_tui.immich.models import AssetQuery
from tests.conftest import running_server
from tests.immich.test_client import FAST, make_client
from tests.immich.test_client_errors import one_sentence

TIMEOUT = 0.5  # only for the timeout faults: generous enough for a loaded CI machine


@dataclass(frozen=True)
class Case:
    """One endpoint: how to call it, what it should return, and its request path."""

    name: str
    method: str
    path: str
    call: Callable[[ImmichClient], Awaitable[Any]]
    check: Callable[[Any], bool]
    idempotent: bool = True


def endpoint_cases(lib: Library) -> list[Case]:
    anna = lib.person_by_name("Anna")
    family = lib.album_by_name("Family")
    asset = next(a for a in lib.assets.values() if a.visibility == "timeline")
    anna_ids = {
        a.id for a in lib.assets_of(anna.id) if a.visibility == "timeline" and a.deleted_at is None
    }
    new_ids = sorted(anna_ids - set(family.asset_ids))[:3]

    async def add(client: ImmichClient) -> Any:
        album = lib.create_album("fault add")
        return album.id, await client.add_to_album(album.id, new_ids)

    async def remove(client: ImmichClient) -> Any:
        album = lib.create_album("fault remove", new_ids)
        return album.id, await client.remove_from_album(album.id, new_ids)

    def all_ok(result: Any) -> bool:
        album_id, outcomes = result
        album = lib.albums[album_id]
        in_album = set(new_ids) <= set(album.asset_ids)
        added = [r.outcome for r in outcomes] == ["ok"] * len(new_ids)
        return added and (in_album if "add" in album.name else not album.asset_ids)

    return [
        Case("ping", "GET", "/api/server/ping", lambda c: c.ping(), lambda r: r is None),
        Case(
            "version", "GET", "/api/server/version", lambda c: c.version(), lambda r: r.major >= 3
        ),
        Case("about", "GET", "/api/server/about", lambda c: c.about(), lambda r: bool(r.version)),
        Case("me", "GET", "/api/users/me", lambda c: c.me(), lambda r: r.id == lib.user.id),
        Case(
            "key",
            "GET",
            "/api/api-keys/me",
            lambda c: c.key_permissions(),
            lambda r: r.allows("album.read"),
        ),
        Case(
            "people",
            "GET",
            "/api/people",
            lambda c: c.people(),
            lambda r: "Anna" in {p.name for p in r},
        ),
        Case(
            "person",
            "GET",
            f"/api/people/{anna.id}",
            lambda c: c.person(anna.id),
            lambda r: r.name == "Anna",
        ),
        Case(
            "face",
            "GET",
            f"/api/people/{anna.id}/thumbnail",
            lambda c: c.person_thumbnail(anna.id),
            lambda r: r.content_type == "image/jpeg" and len(r.data) > 100,
        ),
        Case(
            "statistics",
            "GET",
            f"/api/people/{anna.id}/statistics",
            lambda c: c.person_statistics(anna.id),
            lambda r: r == lib.timeline_count(anna.id),
        ),
        Case(
            "search",
            "POST",
            "/api/search/metadata",
            lambda c: c.search_assets(AssetQuery(person_ids=(anna.id,))),
            lambda r: {a.id for a in r} == anna_ids,
        ),
        Case(
            "albums",
            "GET",
            "/api/albums",
            lambda c: c.albums(),
            lambda r: family.id in {a.id for a in r},
        ),
        Case(
            "album",
            "GET",
            f"/api/albums/{family.id}",
            lambda c: c.album(family.id),
            lambda r: r.name == "Family",
        ),
        Case(
            "album ids",
            "POST",
            "/api/search/metadata",
            lambda c: c.album_asset_ids(family.id),
            lambda r: r == set(family.asset_ids),
        ),
        Case(
            "create",
            "POST",
            "/api/albums",
            lambda c: c.create_album("fault create"),
            lambda r: lib.albums[r.id].name == "fault create",
            idempotent=False,
        ),
        Case("add", "PUT", "/api/albums/*/assets", add, all_ok),
        Case("remove", "DELETE", "/api/albums/*/assets", remove, all_ok),
        Case(
            "asset thumbnail",
            "GET",
            f"/api/assets/{asset.id}/thumbnail",
            lambda c: c.asset_thumbnail(asset.id),
            lambda r: r.content_type == "image/webp" and len(r.data) > 100,
        ),
    ]


RECOVERED = "recovered"
# fault name -> (fault arguments, outcome for idempotent requests, outcome for create)
FAULTS: dict[str, tuple[dict[str, Any], object, object]] = {
    "500 once": ({"status": 500}, RECOVERED, ServerError),
    "500 always": ({"status": 500, "count": None}, ServerError, ServerError),
    "429 once": ({"status": 429, "headers": {"Retry-After": "0"}}, RECOVERED, RECOVERED),
    "503 always": ({"status": 503, "count": None}, ServerError, ServerError),
    "timeout once": ({"kind": "delay", "delay": 2 * TIMEOUT}, RECOVERED, ServerUnreachable),
    "dropped once": ({"kind": "drop"}, RECOVERED, ServerUnreachable),
    "malformed once": ({"kind": "malformed"}, InvalidResponse, InvalidResponse),
    "proxy 502 page once": ({"kind": "html", "status": 502}, RECOVERED, ServerError),
    "html 200 page once": ({"kind": "html", "status": 200}, NotImmich, NotImmich),
    "401 (key revoked)": ({"status": 401}, Unauthorized, Unauthorized),
}


@pytest.fixture(scope="module")
def fault_server() -> Iterator[DemoServer]:
    with running_server(generate_library(people=12, assets=600, seed=11)) as server:
        yield server


CASE_NAMES = [c.name for c in endpoint_cases(generate_library(people=3, assets=80, seed=11))]


@pytest.mark.parametrize("fault_name", list(FAULTS))
@pytest.mark.parametrize("case_name", CASE_NAMES)
async def test_fault_ends_in_answer_or_clear_error(
    fault_server: DemoServer, case_name: str, fault_name: str
) -> None:
    lib = fault_server.library
    case = next(c for c in endpoint_cases(lib) if c.name == case_name)
    fault, when_idempotent, when_create = FAULTS[fault_name]
    expected = when_idempotent if case.idempotent else when_create
    if case.name == "ping" and expected in (InvalidResponse, Unauthorized):
        expected = NotImmich  # no pong, or a login wall on the public ping: "not Immich"
    fault_server.faults.clear()
    fault_server.faults.add(path=case.path, method=case.method, **fault)
    try:
        timeout = TIMEOUT if fault.get("kind") == "delay" else 30.0
        async with make_client(fault_server, timeout=timeout, retry=FAST) as client:
            try:
                result = await case.call(client)
            except ImmichError as err:
                one_sentence(err, fault_server.api_key)
                assert expected is not RECOVERED, f"{case.name} failed to recover: {err}"
                assert isinstance(expected, type) and isinstance(err, expected), repr(err)
            else:
                assert expected is RECOVERED, f"{case.name} should have failed with {expected}"
                assert case.check(result)
                assert client.retries_made >= 1
    finally:
        fault_server.faults.clear()
