"""The fault-injection suite's figures, printed in pytest's terminal summary (with or without -s).

Tests call `record(...)` once per run; `pytest_terminal_summary` (imported into tests/conftest.py
so pytest registers it) prints one row per endpoint × fault and the totals. Under pytest-xdist each
worker hands its rows to the controller (`workeroutput`), which sums them before printing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class Row:
    runs: int = 0
    injected: int = 0
    recovered: int = 0
    failed_clearly: int = 0
    healed: int = 0  # failed clearly, then the next clean cycle made the album right
    wrong_adds: int = 0
    wrong_removes: int = 0
    crashes: int = 0


@dataclass
class Figures:
    rows: dict[tuple[str, str], Row] = field(default_factory=lambda: defaultdict(Row))

    def record(
        self,
        endpoint: str,
        fault: str,
        *,
        injected: int,
        recovered: bool,
        healed: bool = False,
        wrong_adds: int = 0,
        wrong_removes: int = 0,
        crashed: bool = False,
    ) -> None:
        row = self.rows[(endpoint, fault)]
        row.runs += 1
        row.injected += injected
        row.crashes += int(crashed)
        row.recovered += int(recovered and not crashed)
        row.failed_clearly += int(not recovered and not crashed)
        row.healed += int(healed and not recovered and not crashed)
        row.wrong_adds += wrong_adds
        row.wrong_removes += wrong_removes

    def total(self) -> Row:
        out = Row()
        for row in self.rows.values():
            for name in vars(out):
                setattr(out, name, getattr(out, name) + getattr(row, name))
        return out

    def table(self) -> list[str]:
        head = (
            f"{'endpoint':<40} {'fault':<17} {'runs':>4} {'faults':>6} {'recov':>5} "
            f"{'failed':>6} {'healed':>6} {'wrong+':>6} {'wrong-':>6} {'crash':>5}"
        )
        lines = [head, "-" * len(head)]
        for (endpoint, fault), r in sorted(self.rows.items()):
            lines.append(
                f"{endpoint:<40} {fault:<17} {r.runs:>4} {r.injected:>6} {r.recovered:>5} "
                f"{r.failed_clearly:>6} {r.healed:>6} {r.wrong_adds:>6} {r.wrong_removes:>6} "
                f"{r.crashes:>5}"
            )
        t = self.total()
        lines.append("-" * len(head))
        lines.append(
            f"TOTAL: faults injected {t.injected}, runs {t.runs}, wrong adds {t.wrong_adds}, "
            f"wrong removes {t.wrong_removes}, crashes {t.crashes}, recovered {t.recovered}, "
            f"failed clearly {t.failed_clearly} (healed by the next clean cycle "
            f"{t.healed}/{t.failed_clearly})"
        )
        return lines


FIGURES = Figures()


def record(endpoint: str, fault: str, **kw: Any) -> None:
    """Count one fault-injection run (see `Figures.record`)."""
    FIGURES.record(endpoint, fault, **kw)


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: send the rows to the controller
        workeroutput["fault_rows"] = [[e, f, vars(r)] for (e, f), r in FIGURES.rows.items()]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    for endpoint, fault, counts in node.workeroutput.get("fault_rows", []):
        row = FIGURES.rows[(endpoint, fault)]
        for name, value in counts.items():
            setattr(row, name, getattr(row, name) + value)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    if not FIGURES.rows:
        return
    terminalreporter.section("fault-injection figures (issue 5)")
    for line in FIGURES.table():
        terminalreporter.write_line(line)
