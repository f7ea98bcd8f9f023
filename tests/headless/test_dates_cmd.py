"""Birthdays, ages and years from the command line: `sync` text and --json name each year's
album with its counts, a missing birth date is one warning, and `undo` takes every album back."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from ppl2album_tui.cli import main
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.rules import Rule
from tests.fault_helpers import album_now, albums_named, ref
from tests.sync_helpers import make_config, photos_of


def test_kids_year_text_and_json_name_each_album_and_undo_empties_them(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = demo_library
    rule = Rule("Kids", [ref(lib, "Emma"), ref(lib, "Jonas")], album_name="Kids {year}")
    path = make_config(tmp_path, demo_server, rule)
    ids = photos_of(lib, "Emma", "Jonas")
    per_year = Counter(lib.assets[i].file_created_at.year for i in ids)

    assert main(["sync", "--once", "--dry-run", "--config", str(path)]) == 0
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Kids → Kids {year}:"))
    assert lines[head + 1 : head + 1 + len(per_year)] == [
        f"  Kids {y} (new): matched {n}, already 0, to add {n}" for y, n in sorted(per_year.items())
    ]
    assert not albums_named(lib, "Kids 2019")

    assert main(["sync", "--once", "--json", "--config", str(path)]) == 0
    (report,) = json.loads(capsys.readouterr().out)["rules"]
    assert report["added"] == len(ids) and report["errors"] == []
    assert [(a["album"], a["new"], a["added"]) for a in report["albums"]] == [
        (f"Kids {y}", True, n) for y, n in sorted(per_year.items())
    ]
    for a in report["albums"]:
        assert albums_named(lib, a["album"]) == [a["album_id"]]

    assert main(["undo", "--rule", "Kids", "--yes", "--config", str(path)]) == 0
    out, _ = capsys.readouterr()
    named = ", ".join(f"'Kids {y}'" for y in sorted(per_year))
    assert out.strip() == f"Removed {len(ids)} photo(s) from albums {named} (rule 'Kids')."
    assert all(album_now(lib, a["album_id"]) == set() for a in report["albums"])


def test_age_rule_without_a_birth_date_warns_in_one_sentence_and_adds_nothing(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("Emma 0-2", [ref(lib, "Emma")], album_id=drafts, age=[0, 2])
    path = make_config(tmp_path, demo_server, rule)

    assert main(["sync", "--once", "--json", "--config", str(path)]) == 0
    out, err = capsys.readouterr()
    (report,) = json.loads(out)["rules"]
    sentence = ("Rule 'Emma 0-2': Emma has no birth date in Immich, so this rule adds nothing; "
                "set it on Emma's page in Immich (People → Emma → Set date of birth).")  # fmt: skip
    assert report["warnings"] == [sentence] and report["added"] == 0
    assert sentence in err and "Traceback" not in err
    assert album_now(lib, drafts) == set()

    lib.people[lib.person_by_name("Emma").id].birth_date = "2019-03-10"
    assert main(["sync", "--once", "--config", str(path)]) == 0
    want = {
        i
        for i in photos_of(lib, "Emma")
        if date(2019, 3, 10) <= lib.assets[i].file_created_at.date() <= date(2022, 3, 9)
    }
    assert want and album_now(lib, drafts) == want  # fmt: skip
