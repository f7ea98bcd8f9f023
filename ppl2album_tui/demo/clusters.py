"""Cluster groups (Immich 3.2+, immich-3.3-changes.md §3.1): the users of one group see the same
person id for the same person, and a person search matches that id's faces on the caller's and
their timeline partners' photos (search.py, as `Profile.clustered`).

Every user starts in a group of their own, whose id is their user id (``clusterGroupId`` on
``GET /users/me``). `join_cluster_group` puts accounts in one group; Immich then re-clusters
faces across the group, which the demo does by name: each of the later accounts' people
named like one of the first account's becomes that person (its faces move onto the first's id,
and the account now has the person too, with its own count of its own photos).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ppl2album_tui.demo import dto, users
from ppl2album_tui.demo.library import DemoPerson, Library, make_uuid4
from ppl2album_tui.demo.routing import Request, Response, json_response, route
from ppl2album_tui.demo.validate import ApiError

if TYPE_CHECKING:
    from ppl2album_tui.demo.api import Api


def group_of(lib: Library, user_id: str) -> str:
    """The cluster group id of `user_id`."""
    return lib.cluster_groups.get(user_id, user_id)


def join_cluster_group(lib: Library, user_ids: list[str]) -> str:
    """Put the accounts `user_ids` in one new cluster group, the first's people surviving a
    merge by name (see the module); returns the group's id."""
    with lib.lock:
        group = make_uuid4(lib._rng)
        lead, others = user_ids[0], user_ids[1:]
        for uid in user_ids:
            lib.cluster_groups[uid] = group
        by_name = {
            p.name: p for p in lib.people.values() if p.name and users.owner_of(lib, p) == lead
        }
        for p in list(lib.people.values()):
            target = by_name.get(p.name)
            if target is None or users.owner_of(lib, p) not in others:
                continue
            for aid in lib.faces.pop(p.id, set()):
                asset = lib.assets[aid]
                asset.people = [target.id if q == p.id else q for q in asset.people]
                asset.json_cache = None
                lib.faces[target.id].add(aid)
            target.members.add(users.owner_of(lib, p))
            del lib.people[p.id]
        lib._touch()
        return group


def has_person(lib: Library, user_id: str, person: DemoPerson) -> bool:
    """Whether `user_id` has `person` (owns it, or shares it through a cluster group)."""
    return users.owner_of(lib, person) == user_id or user_id in person.members


def own_count(lib: Library, person_id: str, user_id: str) -> int:
    """Faces of the person on `user_id`'s own timeline photos, non-trashed (what that user's
    people listing and statistics count; whether Immich counts partners' too is unverified)."""
    owner = users.owner_key(lib, user_id)
    with lib.lock:
        return sum(
            1
            for aid in lib.faces.get(person_id, ())
            if (a := lib.assets[aid]).visibility == "timeline"
            and a.deleted_at is None
            and a.owner_id == owner
        )


@route("GET", "/cluster-groups/{id}/users", "clusterGroup.read", since=(3, 2, 0))
def cluster_group_users(api: Api, req: Request) -> Response:
    """The users of the caller's own cluster group (any other group: Immich's access 400)."""
    group = api.path_id(req)
    lib = api.lib
    with lib.lock:
        if group != group_of(lib, api.caller(req)):
            raise ApiError(400, "Not found or no clusterGroup.read access")
        members = [u for u in users.accounts(lib) if group_of(lib, u.id) == group]
        return json_response([dto.user_dto(lib, u) for u in members])
