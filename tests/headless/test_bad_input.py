"""Bad input from the user (issue 5), end to end through every entry point: `sync`, `undo`,
`import-env` and the TUI. Each gets one clear sentence (exit code 2), no traceback, and a broken
config file is left byte-for-byte as it was (content, mode and mtime).

The parser-level cases (every key, line numbers) and the hypothesis properties for config
parsing and the .env reader live in the sync engineer's tests/sync/test_config.py,
tests/sync/test_config_properties.py and tests/sync/test_envfile.py; they are not repeated here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ppl2album_tui.cli import main
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.rules import Rule
from tests.fault_helpers import album_now, is_clear_sentence, ref, timeline_photos
from tests.sync_helpers import make_config

ANNA = "0b7e8c52-4a4e-4f6e-9d2a-7f3f1c2b9a10"
BROKEN: dict[str, bytes] = {
    "corrupt TOML": b'[server\nurl = "http://photos.local:2283"\n',
    "wrong type": (
        b'[server]\nurl = "http://photos.local:2283"\n[sync]\ninterval_seconds = "often"\n'
    ),
    "unknown key": b'[server]\nurl = "http://photos.local:2283"\napi_kee = "abc"\n',
    "empty file": b"",
    "newer version": b'version = 99\n[server]\nurl = "http://photos.local:2283"\n',
    "not UTF-8": b'[server]\nurl = "http://ph\xf6tos.local"\n',
    "bad rule": (
        b'[server]\nurl = "http://photos.local:2283"\napi_key = "k"\n'
        b"[[rules]]\nname = 'a'\nalbum_name = 'A'\npeople = ['anna']\n"
    ),
    "BOM and CRLF junk": b'\xef\xbb\xbf[server]\r\nurl = "http://x:1"\r\n\x00\r\n',
}
NEEDLES = {
    "corrupt TOML": "not valid TOML at line 1",
    "wrong type": "sync.interval_seconds must be an integer",
    "unknown key": "server.api_kee is not a known setting",
    "empty file": "server.url is not set",
    "newer version": "newer ppl2album-tui",
    "not UTF-8": "not UTF-8",
    "bad rule": "rules[1].people[1] must be an Immich id",
    "BOM and CRLF junk": "",
}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for var in list(os.environ):
        if var.startswith(("IMMICH_", "PPL2ALBUM_", "SYNC_INTERVAL")):
            monkeypatch.delenv(var)
    monkeypatch.setenv("PPL2ALBUM_TUI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def snapshot(path: Path) -> tuple[bytes, int, int]:
    st = path.stat()
    return path.read_bytes(), stat.S_IMODE(st.st_mode), st.st_mtime_ns


def one_sentence(err: str) -> str:
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1, err
    assert is_clear_sentence(lines[0]), lines[0]
    return lines[0]


ENTRY_POINTS = {
    "sync": ["sync", "--once", "--config"],
    "sync --dry-run": ["sync", "--dry-run", "--json", "--config"],
    "undo": ["undo", "--rule", "a", "--yes", "--config"],
    "tui": ["--config"],
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_config_is_one_sentence_and_left_untouched(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    entry: str,
) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(BROKEN[case])
    os.chmod(path, 0o600)
    before = snapshot(path)
    started: list[object] = []

    def run_app(*args: object, **kwargs: object) -> int:  # not run: only whether it would start
        started.append(args)
        return 0

    monkeypatch.setattr("ppl2album_tui.tui.launch._run_app", run_app)
    code = main([*ENTRY_POINTS[entry], str(path)])
    captured = capsys.readouterr()
    if entry == "tui" and case == "empty file":  # valid for the app: the first-run screen
        assert code == 0 and started and snapshot(path) == before
        return
    assert not started
    assert code == 2
    sentence = one_sentence(captured.err)
    assert NEEDLES[case] in sentence
    assert "Traceback" not in captured.out + captured.err
    assert snapshot(path) == before, "the broken config was touched"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".config")] == []


def test_import_env_never_overwrites_a_broken_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(BROKEN["corrupt TOML"])
    before = snapshot(path)
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "IMMICH_BASE_URL=http://photos.local:2283\nIMMICH_API_KEY=abc\n"
        f"IMMICH_ALBUM_ID={ANNA}\nIMMICH_PERSONS=Anna\n"
    )
    code = main(["import-env", str(dotenv), "--config", str(path)])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    one_sentence(err)
    assert snapshot(path) == before


async def test_tui_never_rewrites_a_config_broken_on_disk(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """The user breaks the file in an editor while the app runs; the app's next save refuses
    with a visible error and leaves the file alone."""
    pytest.importorskip("textual")
    from ppl2album_tui.tui.screenshots import SIZE, demo_config, wait_idle
    from tests.tui.helpers import anna_ben_rule, build_app

    app = build_app(demo_server, tmp_path, config=demo_config(demo_server.api_key))
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        app.config_path.write_bytes(BROKEN["wrong type"])
        before = snapshot(app.config_path)
        app.config.rules.append(anna_ben_rule(demo_server))
        app.save_config()
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("Not saving" in m and "does not load" in m for m in shown), shown
        assert snapshot(app.config_path) == before


# ------------------------------------------------------------------------ .env odd quoting

ODD_ENVS = {
    "unterminated quote": ('IMMICH_API_KEY="abc\n', "line"),
    "no equals sign": ("IMMICH_BASE_URL http://x\n", "line 1 is not of the form NAME=value"),
    "empty persons": ("IMMICH_PERSONS=\n", "IMMICH_PERSONS"),
    "album not an id": ("IMMICH_ALBUM_ID='my album'\n", "IMMICH_ALBUM_ID"),
    "interval not a number": ("SYNC_INTERVAL_SECONDS=soon\n", "SYNC_INTERVAL_SECONDS"),
}


@pytest.mark.parametrize("case", list(ODD_ENVS))
def test_odd_env_files_are_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    line, needle = ODD_ENVS[case]
    base = {
        "IMMICH_BASE_URL": "IMMICH_BASE_URL=http://127.0.0.1:9\n",
        "IMMICH_API_KEY": "IMMICH_API_KEY='k3y'\n",
        "IMMICH_ALBUM_ID": f'IMMICH_ALBUM_ID="{ANNA}"\n',
        "IMMICH_PERSONS": 'IMMICH_PERSONS="Anna"\n',
    }
    name = line.split("=")[0].split(" ")[0]
    base[name] = line
    dotenv = tmp_path / ".env"
    dotenv.write_text("".join(base.values()))
    before = snapshot(dotenv)
    code = main(["sync", "--once", "--env-file", str(dotenv)])
    sentence = one_sentence(capsys.readouterr().err)
    assert code == 2 and needle in sentence
    assert snapshot(dotenv) == before


def test_env_quoting_as_dotenv_reads_it(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    """Single quotes, double quotes with a comment after, export, spaces: all read as values."""
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        f"export IMMICH_BASE_URL = '{demo_server.url}'\n"
        f'IMMICH_API_KEY="{demo_server.api_key}"  # the key\n'
        f"IMMICH_ALBUM_ID={drafts} # inline comment\n"
        "IMMICH_PERSONS=' Anna , Ben '\n"
        'IMMICH_NAME_FILTERS="*.jpg,*.JPG"\n'
    )
    assert main(["sync", "--once", "--env-file", str(dotenv)]) == 0
    got = album_now(lib, drafts)
    want = {
        a for a in timeline_photos(lib, [lib.person_by_name(n).id for n in ("Anna", "Ben")])
        if lib.assets[a].original_file_name.lower().endswith(".jpg")
    }  # fmt: skip
    assert got == want and got


# ------------------------------------------------------- input that is valid but matches nothing


def test_globs_matching_nothing_warn_and_add_nothing(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("raw", [ref(lib, "Anna")], album_id=drafts, globs=["*.CR3", "*.nef"])
    code = main(["sync", "--once", "--config", str(make_config(tmp_path, demo_server, rule))])
    err = capsys.readouterr().err
    assert code == 0 and album_now(lib, drafts) == set()
    warning = one_sentence(err)
    assert warning.startswith("Warning:") and "*.CR3" in warning


@pytest.mark.parametrize("names", ["Nobody", "Anna,Nobody,anna"])
def test_names_matching_nobody(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    names: str,
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        f"IMMICH_BASE_URL={demo_server.url}\nIMMICH_API_KEY={demo_server.api_key}\n"
        f"IMMICH_ALBUM_ID={drafts}\nIMMICH_PERSONS={names}\n"
    )
    code = main(["sync", "--once", "--env-file", str(dotenv)])
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.strip()]
    assert "Traceback" not in err and all(is_clear_sentence(x) for x in lines), err
    if names == "Nobody":  # nobody at all: the rule fails, nothing is written
        assert code == 1 and album_now(lib, drafts) == set()
        assert "Nobody" in one_sentence(err)
    else:  # one warning per unknown name; the others still sync ('anna' is not 'Anna')
        assert code == 0 and len(lines) == 2
        assert "'Nobody'" in lines[0] and "'anna'" in lines[1]
        assert album_now(lib, drafts) == timeline_photos(lib, [lib.person_by_name("Anna").id])


def test_album_name_existing_twice(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = demo_library
    one, two = lib.create_album("Kids").id, lib.create_album("Kids").id
    drafts = lib.album_by_name("Drafts").id
    rules = [
        Rule("kids", [ref(lib, "Anna")], album_name="Kids"),
        Rule("ben", [ref(lib, "Ben")], album_id=drafts),
    ]
    code = main(["sync", "--once", "--config", str(make_config(tmp_path, demo_server, *rules))])
    err = capsys.readouterr().err
    sentence = one_sentence(err)
    assert code == 1 and "Rule 'kids'" in sentence and one in sentence and two in sentence
    assert album_now(lib, one) == album_now(lib, two) == set()  # neither was guessed
    assert album_now(lib, drafts) == timeline_photos(lib, [lib.person_by_name("Ben").id])
