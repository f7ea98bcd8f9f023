"""Whose photos a rule takes: by default only the key owner's (``ownerId`` = ``/users/me``).

On Immich 3.2+ person ids are cluster-group ids, so a person's search also returns photos a
partner shares; on 3.1 the user's person ids match the user's own photos only. The same rule
gives the same album on both: partners' photos are left out unless the rule sets
``include_partners = true``. The user id is read (once per client) only when it can matter: on
3.2+, or when the results hold photos of more than one owner.
"""

from __future__ import annotations

from collections.abc import Sequence

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.rules import Rule

PARTNER_HINT = "(set include_partners = true to take them too)."


async def own_photos(
    client: ImmichApi, rule: Rule, assets: Sequence[Asset], clustered: bool
) -> tuple[list[Asset], int]:
    """(the photos the rule takes, how many partners' photos were left out)."""
    owners = {a.owner_id for a in assets} - {None}
    if rule.include_partners or not owners or (not clustered and len(owners) == 1):
        return list(assets), 0
    me = await client.owner_id()
    kept = [a for a in assets if a.owner_id in (None, me)]
    return kept, len(assets) - len(kept)


def partner_note(left_out: int) -> str | None:
    """The preview's sentence about partners' photos left out, if any were."""
    if not left_out:
        return None
    photos = "photo" if left_out == 1 else "photos"
    return f"{left_out} {photos} shared by a partner left out {PARTNER_HINT}"
