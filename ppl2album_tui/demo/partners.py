"""A partner who shares their photos with the demo user ("show in timeline" on).

On Immich 3.2+ person ids are cluster-group ids, so a search for one of the user's people also
finds the partner's photos of them; on 3.1 it finds the user's own photos only (search.py and
search_v2.py apply that). Either way the user may add the partner's photos to an album.
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
