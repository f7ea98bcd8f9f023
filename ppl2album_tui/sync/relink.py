"""Stored person ids that no longer exist (merged, regenerated cluster groups on Immich 3.2+).

A rule keeps each person's name beside the id. When the id is gone and exactly one person on the
server has that name, the rule is re-linked to them (the caller tells the user, and the TUI
saves it); otherwise the rule fails with one sentence naming the person. It never guesses
between two people of the same name and never syncs someone else.
"""

from __future__ import annotations

from collections.abc import Sequence

from ppl2album_tui.immich.errors import NotFound
from ppl2album_tui.immich.models import Person
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.rules import PersonRef, Rule, RuleError


async def gone(client: ImmichApi, refs: Sequence[PersonRef]) -> list[PersonRef]:
    """The refs whose person id the server does not know (one ``GET /people/{id}`` each)."""
    missing = []
    for ref in refs:
        try:
            await client.person(ref.id)
        except NotFound:
            missing.append(ref)
    return missing


def _gone(rule: Rule, ref: PersonRef, why: str) -> RuleError:
    return RuleError(
        f"the person {ref.label!r} ({ref.id}) no longer exists on the server "
        f"(merged or deleted) and {why}; edit the rule to pick them again.",
        rule=rule.name,
    )


def relink(rule: Rule, missing: Sequence[PersonRef], people: Sequence[Person]) -> list[str]:
    """Point the rule's missing refs at the one person of the same name; one notice per ref.

    RuleError (naming the person) when a ref has no name, or no or several people have it."""
    notices = []
    for ref in missing:
        if not ref.name:
            raise _gone(rule, ref, "the rule keeps no name to find them by")
        same = [p for p in people if p.name == ref.name]
        if len(same) != 1:
            why = "nobody has that name now" if not same else f"{len(same)} people have that name"
            raise _gone(rule, ref, why)
        new = PersonRef(same[0].id, ref.name, ref.account)
        for refs in (rule.people, rule.exclude):
            refs[:] = [new if r.id == ref.id else r for r in refs]
        notices.append(
            f"{ref.name}'s person id changed on the server (merged or "
            f"regrouped): {ref.id} → {new.id}; the rule now uses the new id."
        )
    return notices


async def check_and_relink(client: ImmichApi, rule: Rule, refs: Sequence[PersonRef]) -> list[str]:
    """Look up `refs`; re-link the gone ones by name (notices) or raise RuleError."""
    missing = await gone(client, refs)
    if not missing:
        return []
    return relink(rule, missing, await client.people(with_hidden=True))
