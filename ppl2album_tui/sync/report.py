"""What a sync cycle did, per rule: counts for the TUI, log lines and the ``--json`` report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RuleReport:
    """One rule's outcome in a cycle. `errors` are complete sentences (never the API key)."""

    rule: str
    album: str = ""
    album_id: str | None = None
    matched: int = 0
    already: int = 0
    to_add: int = 0
    added: int = 0
    duplicates: int = 0
    failed: int = 0
    filtered: int = 0
    vetoed: int = 0
    removed_by_hand: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sample: list[str] = field(default_factory=list)  # first file names to add
    stopped: bool = False
    unchanged: bool = False  # incremental tick: no change signal moved, counts are the last run's

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self, dry_run: bool = False) -> str:
        """One line: ``Kids → 'Kids': matched 40, already 30, to add 10, added 10 …``."""
        head = f"{self.rule} → {self.album or self.album_id or '?'}"
        parts = [f"matched {self.matched}", f"already {self.already}", f"to add {self.to_add}"]
        if not dry_run:
            parts += [
                f"added {self.added}",
                f"duplicates {self.duplicates}",
                f"failed {self.failed}",
            ]
        parts += [f"filtered {self.filtered}", f"vetoed {self.vetoed}",
                  f"removed by hand {self.removed_by_hand}"]  # fmt: skip
        line = f"{head}: {', '.join(parts)}"
        if self.stopped:
            line += " (stopped)"
        if self.unchanged:
            line += " (unchanged since the last full check)"
        return line


@dataclass
class CycleReport:
    """Every selected rule's report for one cycle."""

    rules: list[RuleReport] = field(default_factory=list)
    started: str = ""
    finished: str = ""
    dry_run: bool = False
    stopped: bool = False

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rules)

    def to_dict(self) -> dict[str, Any]:
        return {
            "started": self.started,
            "finished": self.finished,
            "dry_run": self.dry_run,
            "stopped": self.stopped,
            "ok": self.ok,
            "rules": [r.to_dict() for r in self.rules],
        }
