"""The client's accounts and sharing calls against the demo server over real HTTP: users, album
members and roles, shared links and birth dates, each checked against the Immich 3.1 spec by the
`demo_server` fixture, with what landed on the server asserted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import BadRequest, MissingPermission, NotFound
from ppl2album_tui.immich.models import Album, SharedLink

pytestmark = pytest.mark.accounts(2)  # the default library plus Robin Roe (conftest.py)


@pytest.fixture
async def robin(demo_server: DemoServer, robin_id: str) -> AsyncIterator[ImmichClient]:
    async with ImmichClient(demo_server.url, demo_server.user_key(robin_id)) as c:
        yield c


async def test_users_and_me_per_key(
    client: ImmichClient, robin: ImmichClient, demo_library: Library, robin_id: str
) -> None:
    users = await client.users()
    assert [(u.name, u.email) for u in users] == [
        ("Demo User", "demo@example.com"),
        ("Robin Roe", "robin@example.com"),
    ]
    assert (await robin.me()).id == robin_id
    assert (await client.me()).id == demo_library.user.id
    assert await robin.owner_id() == robin_id
    robins = await robin.people()
    assert {p.name for p in robins} == {"Anna", "Ben", "Clara", "David", "Emma", "Felix"}
    assert not {p.id for p in robins} & {p.id for p in await client.people()}


async def test_sharing_an_album_with_roles(
    client: ImmichClient, robin: ImmichClient, demo_library: Library, robin_id: str
) -> None:
    family = demo_library.album_by_name("Family")
    album = await client.add_album_users(family.id, {robin_id: "viewer"})
    assert album.owner_id == demo_library.user.id
    assert album.role_of(robin_id) == "viewer" and album.shared
    assert family.members == {robin_id: "viewer"}
    assert [a.id for a in await robin.albums()] == [family.id]
    photo = next(a.id for a in demo_library.assets.values() if a.owner_id == robin_id)
    with pytest.raises(NotFound) as refused:
        await robin.add_to_album(family.id, [photo])
    assert refused.value.server_message == "Not found or no albumAsset.create access"
    await client.set_album_user_role(family.id, robin_id, "editor")
    assert (await robin.album(family.id)).role_of(robin_id) == "editor"
    results = await robin.add_to_album(family.id, [photo])
    assert [r.outcome for r in results] == ["ok"] and photo in family.asset_ids
    with pytest.raises(BadRequest) as again:
        await client.add_album_users(family.id, {robin_id: "viewer"})
    assert again.value.server_message == "User already added"
    await client.remove_album_user(family.id, robin_id)
    assert family.members == {}
    assert await robin.albums() == []


async def test_a_member_leaves_with_me(
    client: ImmichClient, robin: ImmichClient, demo_library: Library, robin_id: str
) -> None:
    drafts = demo_library.album_by_name("Drafts")
    await client.add_album_users(drafts.id, {robin_id: "editor"})
    await robin.remove_album_user(drafts.id, "me")
    assert drafts.members == {}


async def test_shared_links_are_made_listed_and_deleted(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library
) -> None:
    family = demo_library.album_by_name("Family")
    expiry = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
    link = await client.create_shared_link(
        family.id, expires_at=expiry, password="grandma", allow_download=False
    )
    assert link.album_id == family.id and link.expires_at == expiry
    assert link.has_password and not link.allow_download and not link.allow_upload
    assert link.url(demo_server.url) == f"{demo_server.url}/share/{link.key}"
    assert "grandma" not in repr(link)  # the password is kept as a flag only
    stored = demo_library.shared_links[link.id]
    assert (stored.password, stored.allow_download, stored.expires_at) == ("grandma", False, expiry)
    assert [x.id for x in await client.shared_links(family.id)] == [link.id]
    assert await client.shared_links(demo_library.album_by_name("Drafts").id) == []
    assert (await client.album(family.id)).has_shared_link
    await client.delete_shared_link(link.id)
    assert demo_library.shared_links == {}
    assert await client.shared_links() == []


async def test_a_birth_date_is_set_and_cleared(client: ImmichClient, demo_library: Library) -> None:
    ben = demo_library.person_by_name("Ben")
    person = await client.set_birth_date(ben.id, date(2019, 2, 28))
    assert person.birth_date == "2019-02-28" == ben.birth_date
    assert (await client.person(ben.id)).birth_date == "2019-02-28"
    assert (await client.set_birth_date(ben.id, None)).birth_date is None


async def test_missing_sharing_scopes_are_named(
    demo_server: DemoServer, demo_library: Library
) -> None:
    key = demo_server.add_api_key(["album.read", "albumAsset.create"])
    family = demo_library.album_by_name("Family")
    async with ImmichClient(demo_server.url, key) as limited:
        for call, scope in [
            (limited.users(), "user.read"),
            (
                limited.add_album_users(family.id, {demo_library.user.id: "viewer"}),
                "albumUser.create",
            ),
            (limited.remove_album_user(family.id, "me"), "albumUser.delete"),
            (limited.create_shared_link(family.id), "sharedLink.create"),
        ]:
            with pytest.raises(MissingPermission) as err:
                await call
            assert err.value.scope == scope


def test_models_parse_leniently() -> None:
    album = Album.from_json(
        {
            "id": "a",
            "albumName": "x",
            "albumUsers": [
                {"user": {"id": "u1", "name": "Owner"}, "role": "owner"},
                {"user": {"name": "no id"}, "role": "viewer"},
                "junk",
                {"user": {"id": "u2"}},
            ],
        }
    )
    assert [(u.user.id, u.role) for u in album.users] == [("u1", "owner"), ("u2", "viewer")]
    assert album.owner_id == "u1" and album.role_of("u3") is None
    assert Album.from_json({"id": "b"}).users == ()
    link = SharedLink.from_json({"id": "l", "key": "k", "password": None, "album": None})
    assert not link.has_password and link.album_id is None and link.allow_download


async def test_an_album_is_created_already_shared(
    client: ImmichClient, robin: ImmichClient, robin_id: str
) -> None:
    made = await client.create_album("Kids", shared_with={robin_id: "viewer"})
    assert made.role_of(robin_id) == "viewer"
    assert [a.name for a in await robin.albums()] == ["Kids"]
