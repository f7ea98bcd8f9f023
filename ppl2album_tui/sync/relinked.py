"""Person ids a headless run re-linked by name (relink.py), remembered in the data dir.

`sync` never rewrites the config file (it is the user's, comments and all), so without this a
re-link costs a people read and prints its notice on every cron run until the config is
edited. The first run that re-links says so and records old id → new id here; later runs
start from the new id, quietly. A further change on the server is re-linked and said again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ppl2album_tui.sync.fsutil import read_json_object, write_json_private
from ppl2album_tui.sync.rules import PersonRef, Rule


def _refs(rule: Rule) -> list[list[PersonRef]]:
    return [rule.people, rule.exclude]


def ids_of(rules: Iterable[Rule]) -> dict[str, list[str]]:
    """Each rule's person ids (people, then exclusions) as the run starts."""
    return {r.name: [ref.id for refs in _refs(r) for ref in refs] for r in rules}


class Relinked:
    """The remembered re-links (``relinked.json`` beside the journal)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def apply(self, rules: Iterable[Rule]) -> None:
        """Point the rules' refs at the ids remembered for them (in memory only)."""
        known = {k: v for k, v in read_json_object(self.path).items() if isinstance(v, str)}
        for rule in rules:
            for refs in _refs(rule):
                refs[:] = [replace(r, id=known.get(r.id, r.id)) for r in refs]

    def learn(self, before: dict[str, list[str]], rules: Iterable[Rule]) -> None:
        """Remember the ids a run changed (`before`: `ids_of` as it started)."""
        changed = {
            old: new
            for rule, now in ids_of(rules).items()
            for old, new in zip(before.get(rule, []), now, strict=False)
            if old and new and old != new
        }
        if changed:
            data = read_json_object(self.path)  # an earlier re-link to a changed id follows it
            write_json_private(self.path, {o: changed.get(n, n) for o, n in data.items()} | changed)
