"""What a sync cycle did, per rule: counts for the TUI, log lines and the ``--json`` report.

A rule's errors and warnings are `Problem` records (the rule, and a sentence about it that does
not name it); `Problem.sentence` is how the text and JSON output word them ("Rule 'Kids': …"),
the app words them itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ppl2album_tui.errors import UserError


@dataclass(frozen=True)
class Problem:
    """Something that went wrong for `rule` (or is worth a warning); `text` is one sentence."""

    rule: str
    text: str

    @classmethod
    def of(cls, rule: str, err: UserError | str) -> Problem:
        """The problem an error (or sentence) is for `rule`."""
        return cls(rule, str(err))

    @property
    def sentence(self) -> str:
        """The sentence naming the rule, as the command line prints it."""
        return f"Rule '{self.rule}': {self.text}"


def sentences(problems: list[Problem]) -> list[str]:
    return [p.sentence for p in problems]


@dataclass
class AlbumReport:
    """One album of a rule with one album per year (yearly.py): its counts and what was done."""

    album: str
    album_id: str | None
    year: int
    new: bool  # to be created (a dry run) or created by this run
    matched: int = 0
    already: int = 0
    to_add: int = 0
    to_remove: int = 0
    added: int = 0
    removed: int = 0

    def line(self, dry_run: bool = False) -> str:
        """'  Kids 2019 (new): matched 12, already 0, to add 12, added 12'."""
        parts = [f"matched {self.matched}", f"already {self.already}", f"to add {self.to_add}"]
        if not dry_run:
            parts.append(f"added {self.added}")
        if self.to_remove or self.removed:
            parts.append(f"to remove {self.to_remove}")
            if not dry_run:
                parts.append(f"removed {self.removed}")
        return f"  {self.album}{' (new)' if self.new else ''}: {', '.join(parts)}"


@dataclass
class RuleReport:
    """One rule's outcome in a cycle. `problems` (errors) and `notices` (warnings) name the
    rule once each; `errors` and `warnings` are them worded for the command line."""

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
    to_remove: int = 0  # mirror mode: photos it added that no longer match
    removed: int = 0
    held: int = 0  # of to_remove, held back by the bound (not removed this run)
    waiting: int = 0  # approve_new: new matches waiting for approval in the app (not added)
    shared_with: list[dict[str, str]] = field(default_factory=list)  # {user, role} each
    shared_link: str | None = None  # the album's shared link, once made
    link_to_make: bool = False  # a dry run: the shared link would be made
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    sample: list[str] = field(default_factory=list)  # first file names to add
    stopped: bool = False
    unchanged: bool = False  # incremental tick: no change signal moved, counts are the last run's
    albums: list[AlbumReport] = field(default_factory=list)  # one album per year: each of them
    # a rule over several accounts (accounts.py): each account's part, by account name
    accounts: dict[str, RuleReport] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[str]:
        return sentences(self.problems)

    @property
    def warnings(self) -> list[str]:
        return sentences(self.notices)

    def fail(self, err: UserError | str) -> None:
        """Record an error of this rule."""
        self.problems.append(Problem.of(self.rule, err))

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` shape: counts, and errors and warnings as sentences."""
        out = asdict(self)
        del out["problems"], out["notices"]
        out["errors"], out["warnings"] = self.errors, self.warnings
        parts = out.pop("accounts")
        if parts:
            out["accounts"] = {name: part.to_dict() for name, part in self.accounts.items()}
        return out

    def summary(self, dry_run: bool = False) -> str:
        """One line: ``Kids → 'Kids': matched 40, already 30, to add 10, added 10 …``; a line
        per album of a rule with one album per year, and per account of a rule over several
        (``  account Ben: matched 12, …``, ``(failed)`` when it failed)."""
        head = f"{self.rule} → {self.album or self.album_id or '?'}"
        parts = self._counts(dry_run)
        line = f"{head}: {', '.join(parts)}"
        if self.shared_with:
            users = ", ".join(f"{s['user']} ({s['role']})" for s in self.shared_with)
            line += f"; shared with {users}"
        if self.shared_link:
            line += f"; shared link {self.shared_link}"
        elif self.link_to_make:
            line += "; a shared link will be made"
        if self.stopped:
            line += " (stopped)"
        if self.unchanged:
            line += " (unchanged since the last full check)"
        accounts = [
            f"  account {name}{' (failed)' if part.problems else ''}: "
            f"{', '.join(part._counts(dry_run))}"
            for name, part in self.accounts.items()
        ]
        return "\n".join([line, *(a.line(dry_run) for a in self.albums), *accounts])

    def _counts(self, dry_run: bool) -> list[str]:
        parts = [f"matched {self.matched}", f"already {self.already}", f"to add {self.to_add}"]
        if not dry_run:
            parts += [
                f"added {self.added}",
                f"duplicates {self.duplicates}",
                f"failed {self.failed}",
            ]
        parts += [f"filtered {self.filtered}", f"vetoed {self.vetoed}",
                  f"removed by hand {self.removed_by_hand}"]  # fmt: skip
        if self.to_remove or self.removed:
            parts.append(f"to remove {self.to_remove}")
            if not dry_run:
                parts.append(f"removed {self.removed}")
        if self.waiting:
            parts.append(f"waiting {self.waiting}")
        return parts


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
