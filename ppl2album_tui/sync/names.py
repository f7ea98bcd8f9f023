"""People given by name alone (not on the server yet): kept in the rule, looked up each sync.

A `PersonRef` with an empty id is such a name. Names are exact and case-sensitive; several people
sharing a name are all used, as the original script did. A name that matches nobody is named in a
warning every sync until a person of that name exists (created, or a face cluster named so).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from ppl2album_tui.immich.models import Person
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.rules import PersonRef, Rule, RuleError


def missing_warning(name: str) -> str:
    """The warning for a name that matches nobody."""
    return (
        f"No person is named {name!r} on the server (names are exact and case-sensitive); "
        "the other people still sync."
    )


def resolve_refs(
    refs: Sequence[PersonRef], people: Iterable[Person]
) -> tuple[list[PersonRef], list[str], list[str]]:
    """`refs` with each name-only ref replaced by the people of that exact name.

    Returns (resolved refs, names that match nobody, warnings); refs with an id pass unchanged.
    """
    by_name: dict[str, list[Person]] = {}
    for person in people:
        by_name.setdefault(person.name, []).append(person)
    resolved: dict[str, PersonRef] = {}  # by id: a person named twice counts once
    missing: list[str] = []
    warnings: list[str] = []
    for ref in refs:
        found = [ref] if ref.id else [PersonRef(p.id, p.name) for p in by_name.get(ref.name, [])]
        if not found:
            missing.append(ref.name)
            warnings.append(missing_warning(ref.name))
        elif len(found) > 1:
            warnings.append(
                f"{len(found)} people are named {ref.name!r}; the photos of all are used."
            )
        for match in found:
            resolved.setdefault(match.id, match)
    return list(resolved.values()), missing, warnings


def pending(rule: Rule) -> list[str]:
    """The names of `rule` (people and exclude) that wait for a person on the server."""
    return [ref.name for ref in (*rule.people, *rule.exclude) if not ref.id]


async def resolve_names(client: ImmichApi, rule: Rule) -> tuple[Rule, list[str]]:
    """`rule` as it runs now: its name-only people looked up (one request, only if it has any).

    Returns the rule to run (the config's own is left as written, names and all) and a warning
    per name still unknown. RuleError when none of its people is on the server.
    """
    if not pending(rule):
        return rule, []
    everyone = await client.people(with_hidden=True)
    people, missing, warnings = resolve_refs(rule.people, everyone)
    exclude, _, exclude_warnings = resolve_refs(rule.exclude, everyone)
    if not people:
        raise RuleError(
            f"None of the rule's people is on the server yet: {', '.join(missing)} (names are "
            "exact and case-sensitive)."
        )
    return replace(rule, people=people, exclude=exclude), warnings + exclude_warnings
