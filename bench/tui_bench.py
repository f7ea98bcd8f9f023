"""The TUI, headless: two launches (each its own process) on a library with many people."""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.contenders import ours
from bench.measure import run_child
from ppl2album_tui.demo.library import generate_library
from ppl2album_tui.demo.server import DemoServer

REPO = Path(__file__).resolve().parent.parent
KEYS = "key 'down' / 'end' / 'home' on People, after it settled (ms)"


def run(tmp: Path, people: int = 2000, assets: int = 20_000, log: Callable[..., Any] = print) -> (
    dict[str, Any]
):  # fmt: skip
    """First and second launch: times, faces downloaded, thumbnail requests seen by the server."""
    start = time.perf_counter()
    lib = generate_library(people=people, assets=assets, seed=5)
    log(f"TUI: library of {people} named people, {assets} assets "
        f"({time.perf_counter() - start:.1f} s to build)")  # fmt: skip
    root = tmp / "tui"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    out: dict[str, Any] = {"people": people}
    fetched: set[str] = set()  # thumbnail paths the first launch downloaded
    with DemoServer(lib) as srv:
        for launch in ("first", "second"):
            srv.clear_log()
            cmd = [sys.executable, "-m", "bench.tui_probe", "--url", srv.url, "--root", str(root)]
            res = run_child(cmd, ours.env(root / "home", srv.api_key), cwd=REPO)
            lines = [x for x in res.stdout.splitlines() if x.startswith("{")]
            if res.returncode != 0 or not lines:
                tail = " | ".join(res.stderr.strip().splitlines()[-3:])
                log(f"  ! TUI probe failed (exit {res.returncode}): {tail}")
                out[f"{launch} launch"] = "failed"
                continue
            probe = json.loads(lines[-1])
            log_ = srv.request_log
            paths = [r.path for r in log_ if r.path.endswith("/thumbnail")]
            thumbs = len(paths)
            again = sum(1 for p in paths if p in fetched)
            fetched.update(paths)
            if launch == "first":
                out["people listed (server)"] = probe["people_listed"]
                out["people rows on the People tab"] = probe["people_rows"]
                out["time to first screen (s)"] = round(probe["first_screen_s"], 2)
                out["main screen shown (s)"] = round(probe["main_screen_s"], 2)
                out["people screen ready (s)"] = round(probe["people_ready_s"], 2)
                out["people screen ready after the main screen (s)"] = round(
                    probe["people_ready_s"] - probe["main_screen_s"], 2
                )
                out["rows on screen complete with faces and counts (s)"] = round(
                    probe["settled_s"], 2
                )
                out[KEYS] = (
                    f"{probe['down_ms']:.0f} / {probe['end_ms']:.0f} / {probe['home_ms']:.0f}"
                )
                out["faces downloaded, first launch"] = probe["faces_downloaded"]
                out["requests, first launch"] = len(log_)
                out["peak RSS, first launch (MB)"] = round(res.peak_rss_kb / 1024)
            else:
                out["people screen ready, second launch (s)"] = round(probe["people_ready_s"], 2)
                out["faces from the disk cache, second launch"] = probe["faces_from_cache"]
                out["faces downloaded, second launch"] = probe["faces_downloaded"]
                out["thumbnail requests, second launch"] = thumbs
                out["thumbnails downloaded again (fetched by the first launch)"] = again
                out["requests, second launch"] = len(log_)
            log(f"  TUI {launch} launch: {probe}, {thumbs} thumbnail requests")
    return out
