"""The image protocol follows what the terminal really draws: kitty placeholders where they show."""

from __future__ import annotations

import pytest

from ppl2album_tui.tui.images import choose_protocol
from ppl2album_tui.tui.terminal import TerminalReport, kitty_placeholders, parse_replies

DA1 = "\x1b[?62;c"
KITTY_OK = "\x1b_Gi=4242;OK\x1b\\"


def test_replies_of_real_terminals_are_read() -> None:
    # kitty 0.26.5 (Debian 12): a version, no answer to the U=1 query (it drops the command)
    old = parse_replies("\x1bP>|kitty(0.26.5)\x1b\\" + DA1)
    assert old == TerminalReport("kitty", (0, 26, 5), placeholder_ok=False, answered=True)
    new = parse_replies("\x1bP>|kitty(0.35.2)\x1b\\" + KITTY_OK + DA1)
    assert (new.name, new.version, new.placeholder_ok) == ("kitty", (0, 35, 2), True)
    assert parse_replies("\x1bP>|XTerm(379)\x1b\\" + DA1).name == "XTerm"
    assert parse_replies("\x1bP>|WezTerm 20240203-110809-5046fc22\x1b\\").version[0] == 20240203
    assert parse_replies(DA1) == TerminalReport(answered=True)  # no XTVERSION (e.g. tmux)
    assert parse_replies("") == TerminalReport()  # not a terminal, or no answer in time


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        (TerminalReport("kitty", (0, 26, 5), answered=True), False),
        (TerminalReport("kitty", (0, 27, 1), placeholder_ok=True, answered=True), False),
        (TerminalReport("kitty", (0, 28, 0), answered=True), True),
        (TerminalReport("kitty", (0, 35, 2), placeholder_ok=True, answered=True), True),
        (TerminalReport("ghostty", (1, 1), answered=True), True),
        (TerminalReport("", (), placeholder_ok=True, answered=True), True),
        (TerminalReport("Konsole", (23,), answered=True), False),
        (TerminalReport(), False),
    ],
)
def test_kitty_placeholders_where_they_show(report: TerminalReport, expected: bool) -> None:
    assert kitty_placeholders(report) is expected


def test_choice_never_draws_boxes() -> None:
    old_kitty = parse_replies("\x1bP>|kitty(0.26.5)\x1b\\" + DA1)
    new_kitty = parse_replies("\x1bP>|kitty(0.35.2)\x1b\\" + KITTY_OK + DA1)
    assert choose_protocol("auto", "kitty", old_kitty) == "halfcell"
    assert choose_protocol("kitty", "kitty", old_kitty) == "halfcell"  # even when asked for
    assert choose_protocol("auto", "kitty", new_kitty) == "kitty"
    assert choose_protocol("kitty", "halfcell", new_kitty) == "kitty"
    assert choose_protocol("kitty", "none", TerminalReport()) == "halfcell"  # no answer at all
    assert choose_protocol("auto", "sixel", TerminalReport(answered=True)) == "sixel"
    assert choose_protocol("halfcell", "kitty", new_kitty) == "halfcell"
    assert choose_protocol("auto", "none", TerminalReport()) == "none"
