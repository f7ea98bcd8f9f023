"""The approval queue of a rule with ``approve_new``: what waits, and approving part of it.

Nothing is stored for the queue: it is the rule's plan's `to_add` (matches not in the album,
not vetoed, not removed by hand), which a sync cycle holds back for such a rule (engine.py) and
only the app adds, once a person approved them. A veto joins the rule's ``never_add``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING

from ppl2album_tui.immich.models import Asset

if TYPE_CHECKING:
    from ppl2album_tui.sync.engine import RulePreview


def waiting(preview: RulePreview) -> list[Asset]:
    """The photos of `preview` that wait for approval (none unless the rule has approve_new)."""
    return list(preview.plan.to_add) if preview.rule.approve_new else []


def approving(preview: RulePreview, ids: Collection[str]) -> RulePreview:
    """`preview` with only the photos `ids` to add (and none to remove): apply it to approve
    them."""
    chosen = [a for a in preview.plan.to_add if a.id in ids]
    return replace(preview, plan=replace(preview.plan, to_add=chosen, to_remove=[]))
