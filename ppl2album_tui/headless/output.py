"""How `sync` talks: a one-line progress bar on a terminal, plain log lines otherwise, or one
JSON report per cycle (``--json``: stdout holds only JSON lines). Errors always go to stderr,
one sentence each, with the API key masked."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import TextIO

from ppl2album_tui.headless.context import scrub
from ppl2album_tui.sync.report import CycleReport, RuleReport

BAR_WIDTH = 30


class Output:
    def __init__(
        self,
        *,
        json_mode: bool = False,
        dry_run: bool = False,
        timestamps: bool = False,
        secret: str | Iterable[str] = "",
        out: TextIO | None = None,
        err: TextIO | None = None,
    ) -> None:
        self.json_mode = json_mode
        self.dry_run = dry_run
        self.timestamps = timestamps
        self.secret = secret
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.tty = self.err.isatty()
        self._bar_open = False

    def _clean(self, text: str) -> str:
        return scrub(text, self.secret)

    def _stamp(self, text: str) -> str:
        if not self.timestamps:
            return text
        return f"{datetime.now().astimezone().strftime('%Y-%m-%d %H:%M:%S')} {text}"

    def end_bar(self) -> None:
        if self._bar_open:
            print(file=self.err, flush=True)
            self._bar_open = False

    def info(self, text: str) -> None:
        """A log line (stdout; left out in JSON mode)."""
        if self.json_mode:
            return
        self.end_bar()
        print(self._stamp(self._clean(text)), file=self.out, flush=True)

    def warn(self, text: str) -> None:
        """A warning: one line on stderr."""
        self.end_bar()
        print(self._stamp(self._clean(text)), file=self.err, flush=True)

    error = warn

    def event(self, report: RuleReport) -> None:
        """A rule's line as soon as it is done (its errors are printed with the cycle's)."""
        self.info(report.summary(self.dry_run))

    def progress(self, rule: str, done: int, total: int) -> None:
        """A ``\\r`` progress bar on a terminal; nothing otherwise (the rule's line follows)."""
        if not self.tty or self.json_mode or total <= 0:
            return
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        print(f"\r{rule}: [{bar}] {done}/{total}", end="", file=self.err, flush=True)
        self._bar_open = True
        if done >= total:
            self.end_bar()

    def report(self, cycle: CycleReport) -> None:
        """The cycle's result: JSON line, or the dry-run plan; then every error on stderr."""
        self.end_bar()
        if self.json_mode:
            print(self._clean(json.dumps(cycle.to_dict())), file=self.out, flush=True)
        elif self.dry_run:
            for rule in cycle.rules:
                self.info(rule.summary(dry_run=True))
                if rule.sample:
                    more = rule.to_add - len(rule.sample)
                    tail = f" … and {more} more" if more > 0 else ""
                    self.info(f"  would add: {', '.join(rule.sample)}{tail}")
        for rule in cycle.rules:
            for warning in rule.warnings:
                self.warn(f"Warning: {warning}")
            for error in rule.errors:
                self.error(error)
