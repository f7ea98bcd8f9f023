"""`only` over real HTTP: photos in which nobody but the rule's people appears, with the reason
naming who else is in the others (hidden people too), and unnamed clusters by the rule option."""

from __future__ import annotations

from pathlib import Path

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import Rule
from tests.fault_helpers import album_now, ref
from tests.sync_helpers import engine


def _clusters(lib: Library) -> tuple[str, str]:
    """(a listed unnamed cluster, the hidden unnamed cluster)."""
    unnamed = [p for p in lib.people.values() if not p.name]
    hidden = next(p.id for p in unnamed if p.is_hidden)
    listed = max((p for p in unnamed if not p.is_hidden), key=lambda p: lib.timeline_count(p.id))
    return listed.id, hidden


async def test_only_keeps_anna_and_ben_and_names_who_else_is_in_a_photo(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    anna, ben = lib.person_by_name("Anna").id, lib.person_by_name("Ben").id
    olga, hidden = _clusters(lib)
    lib.name_person(olga, "Olga")
    both = lib.add_asset([anna, ben], "both.jpg").id
    with_olga = lib.add_asset([anna, olga], "olga.jpg").id
    with_hidden = lib.add_asset([ben, hidden], "hidden.jpg").id
    rule = Rule("ab", [ref(lib, "Anna"), ref(lib, "Ben")], album_id=drafts, only=True)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)

    preview = await eng.preview(rule)

    reasons = {a.id: why for a, why in preview.plan.filtered}
    assert reasons[with_olga] == "also shows Olga"
    assert reasons[with_hidden] == "also shows an unnamed person (hidden)"
    to_add = {a.id for a in preview.plan.to_add}
    assert both in to_add and not to_add & {with_olga, with_hidden}
    assert all(set(lib.assets[i].people) <= {anna, ben} for i in to_add)
    searches = [r.body for r in demo_server.request_log if r.path == "/api/search/metadata"]
    assert all(b.get("withPeople") is True for b in searches if b.get("personIds"))
    report = (await eng.run_cycle()).rules[0]
    assert report.ok and album_now(lib, drafts) == to_add

    rule.only_ignore_unnamed = True  # unnamed clusters no longer count as somebody
    again = await eng.preview(rule)
    assert with_hidden in {a.id for a in again.plan.to_add}
    assert dict((a.id, why) for a, why in again.plan.filtered)[with_olga] == "also shows Olga"


async def test_rules_without_only_do_not_ask_for_people(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    rule = Rule("a", [ref(lib, "Anna")], album_id=lib.album_by_name("Drafts").id)
    await engine(client, Journal(tmp_path / "journal.jsonl"), rule).run_cycle(dry_run=True)
    bodies = [r.body for r in demo_server.request_log if r.path == "/api/search/metadata"]
    assert bodies and not any(b.get("withPeople") for b in bodies)
    assert not any(r.path == "/api/people" for r in demo_server.request_log)
