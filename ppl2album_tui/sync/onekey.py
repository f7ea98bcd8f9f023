"""The one-key path of a rule over several accounts (Immich 3.2+): when the album owner's key
alone sees every photo the other accounts' keys match, the rule can run with that key only.

That is so when the accounts are in one cluster group (the same ``clusterGroupId`` on
``GET /users/me``: a person has one id for all of them, and the owner has the person too) and
the others share their photos with the owner as partners with "show in timeline" on (the
owner's person searches then cover their photos, which the owner may add to an album). It is
checked, not assumed: the owner's preview of the rewritten rule must hold every photo each
account's own key matched. The rewritten rule names the owner's people (one per person id)
and sets ``include_partners`` (the partners' photos are what it is for). On 3.1 there are no
cluster groups (no ``clusterGroupId``): a partner's person can be searched with another key
but not read, so nothing is offered.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Album
from ppl2album_tui.sync.engine import RulePreview, SyncEngine
from ppl2album_tui.sync.rules import PersonRef, Rule, RuleError
from ppl2album_tui.sync.settings import Config


@dataclass
class OneKey:
    """The rule rewritten for one account's key, that key's preview of it, and how many of
    its matched photos each account owns."""

    account: str
    rule: Rule
    preview: RulePreview
    owned: dict[str, int]

    def from_where(self) -> str:
        """'40 from main · 35 from Robin'."""
        return " · ".join(f"{n:,} from {name}" for name, n in self.owned.items())

    def sentence(self) -> str:
        """The preview's sentence saying so."""
        total = sum(self.owned.values())
        return (
            f"One key is enough: account '{self.account}' sees all {total:,} photos "
            f"({self.from_where()}) through your cluster group and partner sharing."
        )


def one_key_rule(rule: Rule, config: Config, account: str) -> Rule:
    """`rule` with `account`'s people only (one per person id) and its partners' photos."""
    mine = "" if account == config.server.account_label else account

    def own(refs: list[PersonRef]) -> list[PersonRef]:
        return list({ref.id: replace(ref, account=mine) for ref in refs}.values())

    return replace(
        rule,
        people=own(rule.people),
        exclude=own(rule.exclude),
        include_partners=True,
        album_account=mine,
    )


async def find_one_key(
    rule: Rule,
    config: Config,
    engines: Mapping[str, SyncEngine],
    previews: Mapping[str, RulePreview],
    album: Album | None,
) -> OneKey | None:
    """The one-key path for `rule`, whose accounts' `previews` (the album owner's first) hold
    every account of it, or None when one key cannot do it."""
    names = list(previews)
    owner = names[0]
    clients = [engines[name].client for name in names]
    try:
        if not (await clients[0].capabilities()).search_v2:
            return None  # 3.1: no cluster groups (read once per client, nothing asked here)
        users = dict(zip(names, await asyncio.gather(*(c.me() for c in clients)), strict=True))
        group = users[owner].cluster_group_id
        if group is None or any(u.cluster_group_id != group for u in users.values()):
            return None
        one = one_key_rule(rule, config, owner)
        engine = engines[owner]
        await asyncio.gather(*(engine.client.person(ref.id) for ref in one.people))
        preview = await engine.preview(one, album=album)
    except (ImmichError, RuleError):  # the owner has not every person, or cannot search
        return None
    seen = {a.id for a in preview.matched.assets}
    if any({a.id for a in p.matched.assets} - seen for p in previews.values()):
        return None  # a partner does not share (in the timeline) with the owner
    account_of = {user.id: name for name, user in users.items()}
    mine = users[owner].id
    owned = Counter(
        account_of.get(a.owner_id or mine, "other partners") for a in preview.matched.assets
    )
    return OneKey(owner, one, preview, {n: owned[n] for n in [*names, *owned] if owned[n]})
