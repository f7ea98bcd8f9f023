"""What the terminal really draws: its name and version (XTVERSION) and a kitty placeholder probe.

Tables draw kitty images as Unicode placeholders (`U=1`), which kitty understands only from 0.28
on; kitty 0.26 (Debian 12) drops such a command and the placeholders show as empty boxes. So
before the app starts we ask the terminal who it is (`CSI > q`) and, unless it names itself as
kitty or ghostty (whose versions tell), send a kitty graphics query carrying `U=1` in a second
round trip. Each ends with a primary device attributes request (`CSI c`), which every terminal
answers, so a terminal that ignores the question costs one round trip, not a timeout.
"""

from __future__ import annotations

import os
import re
import select
import sys
import termios
import tty
from dataclasses import dataclass

_PROBE_ID = 4242
_XTVERSION_QUERY = "\x1b[>q"
# a kitty graphics query with the placeholder key: kitty < 0.28 drops it (and logs a parse error)
_PLACEHOLDER_QUERY = f"\x1b_Gi={_PROBE_ID},a=q,U=1,s=1,v=1,t=d,f=24;AAAA\x1b\\"
_DA1_QUERY = "\x1b[c"  # primary device attributes: always answered, ends the wait
_KNOWN = ("kitty", "ghostty")  # decided by version; the probe is not sent to them
_DA1 = re.compile(r"\x1b\[\?[\d;]*c")
_XTVERSION = re.compile(r"\x1bP>\|(?P<text>[^\x1b]*)\x1b\\")
_NAME_VERSION = re.compile(r"(?P<name>[A-Za-z][\w-]*)[ (]*(?P<version>[\d.]+)?")
_PLACEHOLDER_OK = re.compile(rf"\x1b_Gi={_PROBE_ID}(?:,[^;]*)?;OK\x1b\\")
KITTY_PLACEHOLDERS_SINCE = (0, 28)


@dataclass(frozen=True)
class TerminalReport:
    """The terminal's answers: name and version from XTVERSION, the placeholder probe's OK."""

    name: str = ""
    version: tuple[int, ...] = ()
    placeholder_ok: bool = False
    answered: bool = False  # the terminal answered at all (DA1)


def parse_replies(replies: str) -> TerminalReport:
    """The report read from everything the terminal sent back."""
    name = ""
    version: tuple[int, ...] = ()
    match = _XTVERSION.search(replies)
    if match and (parts := _NAME_VERSION.match(match["text"].strip())):
        name = parts["name"]
        version = tuple(int(v) for v in (parts["version"] or "").split(".") if v.isdigit())
    return TerminalReport(
        name=name,
        version=version,
        placeholder_ok=bool(_PLACEHOLDER_OK.search(replies)),
        answered=bool(_DA1.search(replies)),
    )


def kitty_placeholders(report: TerminalReport) -> bool:
    """True when kitty images as Unicode placeholders will show (not as boxes) in this terminal.

    kitty from 0.28 and ghostty draw them; an older kitty does not; any other terminal only when it
    accepted the placeholder probe.
    """
    name = report.name.lower()
    if name == "kitty":
        return report.version >= KITTY_PLACEHOLDERS_SINCE
    if name == "ghostty":
        return True
    return report.placeholder_ok


def query_terminal(timeout: float = 2.0) -> TerminalReport:
    """Ask the controlling terminal (before Textual owns it); an empty report when not a tty."""
    if not (
        sys.__stdin__ and sys.__stdout__ and sys.__stdin__.isatty() and sys.__stdout__.isatty()
    ):
        return TerminalReport()
    fd = sys.__stdin__.fileno()
    try:
        saved = termios.tcgetattr(fd)
    except termios.error:
        return TerminalReport()
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        replies = _ask(fd, _XTVERSION_QUERY, timeout)
        report = parse_replies(replies)
        if report.answered and report.name.lower() not in _KNOWN:
            replies += _ask(fd, _PLACEHOLDER_QUERY, timeout)
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)
    return parse_replies(replies)


def _ask(fd: int, query: str, timeout: float) -> str:
    """Send `query` and DA1; what came back until DA1's answer (or `timeout` of silence)."""
    assert sys.__stdout__ is not None
    sys.__stdout__.write(query + _DA1_QUERY)
    sys.__stdout__.flush()
    replies = ""
    while not _DA1.search(replies):
        readable, _, _ = select.select([fd], [], [], timeout)
        if not readable:
            break
        replies += os.read(fd, 1024).decode(errors="replace")
    return replies
