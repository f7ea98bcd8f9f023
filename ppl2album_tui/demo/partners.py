"""A partner who shares their photos with the demo user ("show in timeline" on).

On Immich 3.2+ person ids are cluster-group ids, so a search for one of the user's people also
finds the partner's photos of them; on 3.1 it finds the user's own photos only (search.py and
search_v2.py apply that). Either way the user may add the partner's photos to an album.

Between two accounts of the library (users.py), `share_partner` records who shares with whom;
the same table holds the partners made here (sharing with the library's user, in the timeline).
"""

from __future__ import annotations

import random

from ppl2album_tui.demo.library import DemoAsset, DemoUser, Library, make_uuid4


def add_partner_photos(lib: Library, photos: int, seed: int = 1) -> list[DemoAsset]:
    """A partner ("Pat Partner") with `photos` timeline photos of the user's named people
    (one or two of them each, the most popular first); returns the new assets."""
    rng = random.Random(f"partner-{lib.seed}-{seed}")
    with lib.lock:
        partner = DemoUser(make_uuid4(rng), "Pat Partner", f"pat{seed}@example.com")
        lib.partners[partner.id] = partner
        lib.partner_shares[(partner.id, lib.user.id)] = True
        named = [p.id for p in lib.named_people()]
        added = []
        for i in range(photos):
            people = [named[i % min(3, len(named))]]
            if i % 4 == 0 and len(named) > 3:
                people.append(named[3 + i % (len(named) - 3)])
            asset = lib.add_asset(people, f"PARTNER_{i + 1:04d}.JPG")
            asset.owner_id = partner.id
            asset.json_cache = None
            added.append(asset)
        return added


def share_partner(lib: Library, sharer_id: str, viewer_id: str, in_timeline: bool = True) -> None:
    """Account `sharer_id` shares their photos with `viewer_id` (``POST /partners/{id}``), who
    turned "show in timeline" on or not (``PUT /partners/{id}``; only then do their searches
    include the sharer's photos, while adding them to an album works either way)."""
    with lib.lock:
        lib.partner_shares[(sharer_id, viewer_id)] = in_timeline
        lib._touch()


def stop_sharing(lib: Library, sharer_id: str, viewer_id: str) -> None:
    """Account `sharer_id` stops sharing with `viewer_id` (``DELETE /partners/{id}``)."""
    with lib.lock:
        lib.partner_shares.pop((sharer_id, viewer_id), None)
        lib._touch()
