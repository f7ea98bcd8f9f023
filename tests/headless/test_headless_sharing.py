"""`sync` headless with sharing and the approval queue: the text line and `--json` name who has
access, the shared link (made once) and the waiting count; the link's password never shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ppl2album_tui.cli import main
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.rules import Rule, ShareRef
from tests.fault_helpers import album_now, ref
from tests.sync_helpers import make_config, photos_of

pytestmark = pytest.mark.accounts(2)
PASSWORD = "grandma-knows-it"


def test_sync_shares_makes_one_link_and_counts_the_waiting(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path, robin_id: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    lib = demo_library
    shared = Rule("shared", [ref(lib, "Anna")], album_name="Grandparents",
                  share_with=[ShareRef("robin@example.com", "viewer")], shared_link=True,
                  shared_link_password=PASSWORD)  # fmt: skip
    drafts = lib.album_by_name("Drafts").id
    queued = Rule("queued", [ref(lib, "Ben")], album_id=drafts, approve_new=True)
    config = make_config(tmp_path, demo_server, shared, queued)
    before = album_now(lib, drafts)
    waiting = len(photos_of(lib, "Ben") - before)

    assert main(["sync", "--once", "--dry-run", "--config", str(config)]) == 0
    out, err = capsys.readouterr()
    assert "shared with Robin Roe <robin@example.com> (viewer); a shared link will be made" in out
    assert not lib.shared_links

    assert main(["sync", "--once", "--config", str(config)]) == 0
    out, err = capsys.readouterr()
    [link] = lib.shared_links.values()
    url = f"{demo_server.url}/share/{link.key}"
    assert f"shared with Robin Roe <robin@example.com> (viewer); shared link {url}" in out
    assert f"waiting {waiting}" in out and album_now(lib, drafts) == before
    assert lib.album_by_name("Grandparents").members == {robin_id: "viewer"}

    assert main(["sync", "--once", "--json", "--config", str(config)]) == 0
    out, err = capsys.readouterr()
    by_rule = {r["rule"]: r for r in json.loads(out)["rules"]}
    assert by_rule["shared"]["shared_link"] == url and len(lib.shared_links) == 1
    robin = {"user": "Robin Roe <robin@example.com>", "role": "viewer"}
    assert by_rule["shared"]["shared_with"] == [robin]
    assert (by_rule["queued"]["waiting"], by_rule["queued"]["added"]) == (waiting, 0)
    assert album_now(lib, drafts) == before
    assert PASSWORD not in out + err and "Traceback" not in out + err


def test_an_unknown_user_is_one_sentence(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    rule = Rule("r", [ref(demo_library, "Anna")], album_name="New",
                share_with=[ShareRef("nobody@example.com")])  # fmt: skip
    assert main(["sync", "--once", "--config", str(make_config(tmp_path, demo_server, rule))]) == 1
    err = capsys.readouterr().err
    assert "Rule 'r': share_with names 'nobody@example.com', but no user of the server" in err
    assert "Traceback" not in err
