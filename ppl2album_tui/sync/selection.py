"""Which rules a cycle runs: one policy for `sync` and the app's cycles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ppl2album_tui.sync.rules import Rule, RuleError
from ppl2album_tui.sync.settings import Config


@dataclass
class Selection:
    """The rules a cycle applies, and those it only previews (counts, nothing written)."""

    apply: list[Rule] = field(default_factory=list)
    preview: list[Rule] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.apply or self.preview)


def select_rules(
    config: Config, names: Sequence[str] | None = None, *, previews: bool = False
) -> Selection:
    """Named rules, whatever their `auto_apply` (RuleError for an unknown name); else every
    enabled rule with `auto_apply`.

    `previews` (the app): the other enabled rules are previewed, and with ``sync.auto_apply =
    false`` every enabled rule only is.
    """
    if names:
        known = {r.name: r for r in config.rules}
        missing = [n for n in names if n not in known]
        if missing:
            listed = ", ".join(repr(n) for n in missing)
            have = ", ".join(repr(n) for n in known) or "none"
            raise RuleError(f"No rule named {listed} in the config (rules: {have}).")
        return Selection(apply=[known[n] for n in dict.fromkeys(names)])
    enabled = [r for r in config.rules if r.enabled]
    auto = [r for r in enabled if r.auto_apply]
    if not previews:
        return Selection(apply=auto)
    manual = [r for r in enabled if not r.auto_apply]
    if not config.sync.auto_apply:  # the config says: the app's timer only previews
        return Selection(preview=auto + manual)
    return Selection(apply=auto, preview=manual)
