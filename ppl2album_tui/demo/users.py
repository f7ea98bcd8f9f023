"""Further accounts in the demo library, each with their own people, faces and photos.

The library's own user (`lib.user`) keeps every object whose ``owner_id`` is None; an account
added here owns the people, assets and albums that carry its id. As on Immich 3.1, each account
has its own people: "Emma" in two accounts is two persons, and a person's faces are on their
owner's photos only. Who may see or share what follows Immich: an account sees its own photos,
its partners' (partners.py) and those of albums it is a member of.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ppl2album_tui.demo.library import (
    _SPAN_SECONDS,
    _START,
    FIRST_NAMES,
    DemoAlbum,
    DemoAsset,
    DemoPerson,
    DemoUser,
    Library,
    _b64,
    _hsl_hex,
    make_uuid4,
)

#: (name, email) of the accounts `add_user` adds, in order.
ACCOUNTS = [
    ("Robin Roe", "robin@example.com"),
    ("Sam Sample", "sam@example.com"),
    ("Kim Kay", "kim@example.com"),
    ("Alex Able", "alex@example.com"),
]


def add_user(
    lib: Library, people: int = 6, assets: int = 120, name: str = "", email: str = ""
) -> DemoUser:
    """A further account (deterministic per library seed and position) with `people` named
    people (Anna, Ben, ... like the library's own, but other persons) on `assets` timeline photos
    of one or two of them each."""
    with lib.lock:
        index = len(lib.users)
        rng = random.Random(f"user-{lib.seed}-{index}")
        default_name, default_email = ACCOUNTS[index % len(ACCOUNTS)]
        if index >= len(ACCOUNTS):
            default_email = default_email.replace("@", f"{index}@")
        user = DemoUser(make_uuid4(rng), name or default_name, email or default_email)
        lib.users[user.id] = user
        named: list[DemoPerson] = []
        for i in range(people):
            created = _START + timedelta(days=rng.randrange(900))
            p = DemoPerson(
                make_uuid4(rng),
                FIRST_NAMES[i % len(FIRST_NAMES)],
                look=1000 * (index + 1) + i,
                created_at=created,
                updated_at=created + timedelta(days=rng.randrange(1, 400)),
                color=_hsl_hex((i * 97 + index * 31) % 360),
                owner_id=user.id,
            )
            lib.people[p.id] = p
            lib.faces[p.id] = set()
            named.append(p)
        for i in range(assets):
            taken = _START + timedelta(seconds=rng.randrange(_SPAN_SECONDS))
            upload = taken + timedelta(days=rng.randrange(30))
            checksum = _b64(rng, 20)
            asset = DemoAsset(
                id=make_uuid4(rng),
                original_file_name=f"{user.name.split()[0].upper()}_{i + 1:04d}.JPG",
                type="IMAGE",
                file_created_at=taken,
                created_at=upload,
                updated_at=upload,
                checksum=checksum,
                thumbhash=checksum[:24],
                look=rng.getrandbits(32),
                owner_id=user.id,
            )
            lib.assets[asset.id] = asset
            if named:
                chosen = {named[min(int(rng.paretovariate(1.2)) - 1, len(named) - 1)].id: None}
                if rng.random() < 0.3:
                    chosen[rng.choice(named).id] = None
                for pid in chosen:
                    lib._add_face(asset, pid)
        lib._sorted = None
        lib._touch()
        return user


def owner_of(lib: Library, obj: DemoAsset | DemoPerson | DemoAlbum) -> str:
    """The user id that owns a person, asset or album."""
    return obj.owner_id or lib.user.id


def user_by_id(lib: Library, user_id: str) -> DemoUser | None:
    """The account `user_id` (the library's user or a further one); None for anybody else."""
    if user_id == lib.user.id:
        return lib.user
    return lib.users.get(user_id)


def accounts(lib: Library) -> list[DemoUser]:
    """Every account of the server, the library's user first."""
    return [lib.user, *lib.users.values()]


def partner_owners(lib: Library, viewer: str, timeline_only: bool) -> set[str]:
    """`viewer` and the users who share their photos with them (with "show in timeline" on,
    when `timeline_only`)."""
    return {viewer} | {
        sharer
        for (sharer, to), in_timeline in lib.partner_shares.items()
        if to == viewer and (in_timeline or not timeline_only)
    }


def album_role(lib: Library, album: DemoAlbum, user_id: str) -> str | None:
    """ "owner", "editor", "viewer", or None for a user who is not a member."""
    if owner_of(lib, album) == user_id:
        return "owner"
    return album.members.get(user_id)


def owner_key(lib: Library, user_id: str) -> str | None:
    """The ``owner_id`` value of what `user_id` owns (None for the library's own user)."""
    return None if user_id == lib.user.id else user_id
