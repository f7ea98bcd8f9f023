"""The headless commands end to end: `sync`, `undo`, `import-env` against the demo server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from ppl2album_tui.cli import main
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.config import load_config
from ppl2album_tui.sync.lock import SyncLock
from ppl2album_tui.sync.rules import PersonRef, Rule
from tests.sync_helpers import (
    IMMICH_VERSIONS,
    SCRIPT_ENV_VARS,
    make_config,
    photos_of,
    server_writes,
)

ENV_VARS = (*SCRIPT_ENV_VARS, "PPL2ALBUM_TUI_CONFIG")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    data = tmp_path / "data"
    monkeypatch.setenv("PPL2ALBUM_TUI_DATA_DIR", str(data))
    return data


def write_env(path: Path, srv: DemoServer, album: str, persons: str, filters: str = "") -> Path:
    path.write_text(
        "# the original script's .env\n"
        f"IMMICH_BASE_URL={srv.url}\n"
        f"export IMMICH_API_KEY='{srv.api_key}'\n"
        f'IMMICH_ALBUM_ID="{album}"\n'
        f'IMMICH_PERSONS = "{persons}"\n'
        f"IMMICH_NAME_FILTERS={filters}\n"
        "SYNC_INTERVAL_SECONDS=60\n"
    )
    return path


def assert_clean(text: str, srv: DemoServer) -> None:
    assert "Traceback" not in text and srv.api_key not in text


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
def test_env_file_like_the_original_script(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    drafts = demo_library.album_by_name("Drafts").id
    env = write_env(tmp_path / ".env", demo_server, drafts, "Anna, Nobody", "*.jpg,*.JPG")
    assert main(["sync", "--once", "--env-file", str(env)]) == 0
    out, err = capsys.readouterr()
    want = {a for a in photos_of(demo_library, "Anna")
            if demo_library.assets[a].original_file_name.lower().endswith(".jpg")}  # fmt: skip
    assert set(demo_library.albums[drafts].asset_ids) == want
    assert "'Nobody'" in err and "other people still sync" in err
    assert f"added {len(want)}" in out
    assert_clean(out + err, demo_server)
    demo_server.clear_log()
    assert main(["sync", "--once", "--json", "--env-file", str(env)]) == 0
    out, err = capsys.readouterr()
    (rule,) = json.loads(out)["rules"]
    assert rule["rule"] == "env" and rule["added"] == 0 and rule["already"] == len(want)
    assert rule["filtered"] > 0
    assert server_writes(demo_server) == []


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
def test_json_report_and_dry_run(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = demo_library
    ben = PersonRef(lib.person_by_name("Ben").id, "Ben")
    path = make_config(tmp_path, demo_server, Rule("ben", [ben], album_name="Ben's photos"))
    demo_server.clear_log()
    assert main(["sync", "--dry-run", "--config", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "ben → Ben's photos: matched" in out and "would add:" in out and "more" in out
    assert server_writes(demo_server) == []
    assert not (tmp_path / "data" / "journal.jsonl").exists()
    assert main(["sync", "--once", "--json", "--config", str(path)]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    (rule,) = report["rules"]
    keys = {
        "matched",
        "already",
        "to_add",
        "added",
        "duplicates",
        "failed",
        "filtered",
        "vetoed",
        "removed_by_hand",
        "errors",
    }
    assert keys <= set(rule) and report["ok"] is True
    assert rule["added"] == rule["to_add"] == len(photos_of(lib, "Ben"))
    assert_clean(out + err, demo_server)


def test_exit_codes_and_one_sentence_errors(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    clara = PersonRef(lib.person_by_name("Clara").id, "Clara")
    path = make_config(
        tmp_path,
        demo_server,
        Rule("ok", [clara], album_id=drafts),
        Rule("bad", [clara], album_id="0b9a2f1e-3c44-4d5e-8f00-0000000000aa"),
    )
    assert main(["sync", "--once", "--config", str(path)]) == 1
    out, err = capsys.readouterr()
    assert set(lib.albums[drafts].asset_ids) == photos_of(lib, "Clara")
    assert err.strip().startswith("Rule 'bad':") and len(err.strip().splitlines()) == 1
    assert main(["sync", "--once", "--rule", "ok", "--config", str(path)]) == 0
    assert main(["sync", "--once", "--rule", "nope", "--config", str(path)]) == 2
    assert "No rule named 'nope'" in capsys.readouterr().err
    broken = tmp_path / "broken.toml"
    broken.write_text("[server]\nurl = 'http://x'\nfoo = 1\n")
    assert main(["sync", "--once", "--config", str(broken)]) == 2
    out, err = capsys.readouterr()
    assert "line 3: server.foo is not a known setting" in err
    assert main(["sync", "--once", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "No config file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["sync", "--bogus"])
    assert exc.value.code == 2
    with SyncLock(path):
        assert main(["sync", "--once", "--config", str(path)]) == 2
        assert "Another sync is already running" in capsys.readouterr().err
    assert_clean(out + err, demo_server)


def test_exit_codes_for_photos_the_server_refuses(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A refused photo fails the run once (exit 1, one sentence), later runs exit 0 with it
    filtered, and `--full` sends it again (refused again: exit 1)."""
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    path = make_config(
        tmp_path, demo_server, Rule("clara", [PersonRef(lib.person_by_name("Clara").id)],
                                    album_id=drafts)
    )  # fmt: skip
    refused = sorted(photos_of(lib, "Clara"))[0]
    allowed = lib.add_to_album

    def add_to_album(album_id: str, ids: list[str]) -> list[dict[str, object]]:
        answers = {r["id"]: r for r in allowed(album_id, [i for i in ids if i != refused])}
        no = {"id": refused, "success": False, "error": "no_permission"}
        return [answers.get(i, no) for i in ids]

    monkeypatch.setattr(lib, "add_to_album", add_to_album)
    sync = ["sync", "--once", "--config", str(path)]
    assert main(sync) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "could not be added" in err
    assert set(lib.albums[drafts].asset_ids) == photos_of(lib, "Clara") - {refused}
    assert main(sync) == 0 and capsys.readouterr().err == ""
    assert main([*sync, "--full"]) == 1
    assert "could not be added" in capsys.readouterr().err
    assert refused not in lib.albums[drafts].asset_ids


def test_unreachable_server_and_bad_key(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    drafts = demo_library.album_by_name("Drafts").id
    env = write_env(tmp_path / ".env", demo_server, drafts, "Anna")
    env.write_text(env.read_text().replace(demo_server.api_key, "wrong-key-123456"))
    assert main(["sync", "--once", "--env-file", str(env)]) == 1
    err = capsys.readouterr().err
    assert "API key" in err and "wrong-key-123456" not in err and len(err.splitlines()) == 1


def test_undo_command(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = demo_library
    family = lib.album_by_name("Family").id
    before = set(lib.albums[family].asset_ids)
    anna = PersonRef(lib.person_by_name("Anna").id, "Anna")
    path = make_config(tmp_path, demo_server, Rule("anna", [anna], album_id=family))
    assert main(["sync", "--once", "--config", str(path)]) == 0
    assert set(lib.albums[family].asset_ids) == before | photos_of(lib, "Anna")
    capsys.readouterr()
    assert main(["undo", "--rule", "anna", "--config", str(path)]) == 2  # stdin is no terminal
    assert "--yes" in capsys.readouterr().err
    assert main(["undo", "--rule", "anna", "--yes", "--config", str(path)]) == 0
    assert set(lib.albums[family].asset_ids) == before
    assert main(["undo", "--rule", "anna", "--yes", "--config", str(path)]) == 2
    assert "Nothing to undo" in capsys.readouterr().err


def test_import_env_writes_equivalent_config(
    big_demo_server: Callable[..., AbstractContextManager[DemoServer]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with big_demo_server(people=1100, assets=3000) as srv:  # people list beyond 1000
        lib = srv.library
        late = lib.named_people()[1050].name
        drafts = lib.album_by_name("Drafts").id
        env = write_env(tmp_path / ".env", srv, drafts, f"Anna,{late},Nobody")
        path = tmp_path / "cfg" / "config.toml"
        assert main(["import-env", str(env), "--config", str(path)]) == 0
        out, err = capsys.readouterr()
        assert "'Nobody'" in err and f"Wrote {path}" in out
        config = load_config(path)
        (rule,) = config.rules
        named = [(p.name, bool(p.id)) for p in rule.people]
        assert named == [("Anna", True), (late, True), ("Nobody", False)]  # kept by name
        assert rule.album_id == drafts and rule.album_name == "Drafts"
        assert config.server.url == srv.url and config.sync.interval_seconds == 60
        assert os.stat(path).st_mode & 0o777 == 0o600
        assert main(["sync", "--once", "--config", str(path)]) == 0
        assert set(lib.albums[drafts].asset_ids) == photos_of(lib, "Anna", late)


def _subprocess_env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["PPL2ALBUM_TUI_DATA_DIR"] = str(data)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return env


def test_real_subprocess_once(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path, clean_env: Path
) -> None:
    drafts = demo_library.album_by_name("Drafts").id
    env = write_env(tmp_path / ".env", demo_server, drafts, "Emma,Felix")
    proc = subprocess.run(
        [sys.executable, "-m", "ppl2album_tui", "sync", "--once", "--env-file", str(env)],
        capture_output=True,
        text=True,
        env=_subprocess_env(clean_env),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert set(demo_library.albums[drafts].asset_ids) == photos_of(demo_library, "Emma", "Felix")
    assert_clean(proc.stdout + proc.stderr, demo_server)
    assert (clean_env / "journal.jsonl").exists()


def test_real_subprocess_loop_stops_on_sigterm(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path, clean_env: Path
) -> None:
    drafts = demo_library.album_by_name("Drafts").id
    env = write_env(tmp_path / ".env", demo_server, drafts, "Greta")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ppl2album_tui", "sync", "--env-file", str(env)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_subprocess_env(clean_env),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the first cycle's line: it is now waiting
        assert "env → " in line
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Stopping" in err and "Traceback" not in err
    assert set(demo_library.albums[drafts].asset_ids) == photos_of(demo_library, "Greta")


def test_process_environment_when_no_config_exists(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    drafts = demo_library.album_by_name("Drafts").id
    monkeypatch.setenv("PPL2ALBUM_TUI_CONFIG", str(tmp_path / "none.toml"))
    for key, value in {"IMMICH_BASE_URL": demo_server.url, "IMMICH_API_KEY": demo_server.api_key,
                       "IMMICH_ALBUM_ID": drafts, "IMMICH_PERSONS": "Hugo"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    assert main(["sync", "--once"]) == 0
    assert set(demo_library.albums[drafts].asset_ids) == photos_of(demo_library, "Hugo")
    assert_clean("".join(capsys.readouterr()), demo_server)


def test_progress_bar_on_a_terminal_and_plain_lines_otherwise() -> None:
    import io

    from ppl2album_tui.headless.output import Output
    from ppl2album_tui.sync.report import CycleReport, Problem, RuleReport

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out, err = io.StringIO(), Tty()
    o = Output(out=out, err=err, secret="s3cret-key")
    o.progress("kids", 500, 1000)
    o.progress("kids", 1000, 1000)
    o.event(RuleReport("kids", album="Kids", added=1000))
    o.report(
        CycleReport(rules=[RuleReport("x", problems=[Problem("x", "key s3cret-key failed.")])])
    )
    assert "\rkids: [" in err.getvalue() and "1000/1000\n" in err.getvalue()
    assert "kids → Kids:" in out.getvalue() and "added 1000" in out.getvalue()
    assert "s3cret-key" not in err.getvalue() and "***" in err.getvalue()
    plain_out, plain_err = io.StringIO(), io.StringIO()
    p = Output(out=plain_out, err=plain_err)
    p.progress("kids", 1, 2)
    assert plain_err.getvalue() == ""


def test_insecure_tls_is_announced(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = make_config(tmp_path, demo_server)
    text = path.read_text().replace("insecure = false", "insecure = true")
    path.write_text(text)
    os.chmod(path, 0o644)
    assert main(["sync", "--once", "--config", str(path)]) == 0
    err = capsys.readouterr().err
    assert "TLS certificate checks are off" in err
    assert "readable by other users" in err and "has no rules" in err
    assert_clean(err, demo_server)
