"""The Preview of a ~100,000-match rule, without the 1,000,000-asset library's 15 minutes.

``python -m bench.preview_scale [--assets 330000] [--runs 1] [--serve]``: the bench library of
`assets` (scenario.build: a rule of 3 people on ~30% of it, 2/3 of them already in the album),
served with no added costs, and the app's Preview of the rule driven by Pilot in its own process
(preview_probe.py, as ``bench.scale`` does at 1,000,000): the first screen after the data
arrived, each scrolling key, the app's peak RSS and CPU seconds. Prints one JSON line per run;
``--serve`` instead keeps the server up and prints the probe's command (for profiling).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.contenders import ours
from bench.scale import preview_run
from bench.scenario import build
from ppl2album_tui.demo.server import DemoServer


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.preview_scale", description=__doc__)
    p.add_argument("--assets", type=int, default=330_000)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--serve", action="store_true", help="serve only; print the probe's command")
    args = p.parse_args(argv)
    started = time.perf_counter()
    sc = build(args.assets)
    print(f"library of {args.assets:,}: {len(sc.matches):,} matches, {sc.new:,} new "
          f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="ppl2album-preview-"))
    with DemoServer(sc.lib) as srv:
        cfg = ours.write_config(tmp / "config.toml", srv.url, sc.album_id, sc.people, sc.names)
        if args.serve:
            print(f"IMMICH_API_KEY={srv.api_key} {sys.executable} -m bench.preview_probe "
                  f"--url {srv.url} --root {tmp / 'root'} --config {cfg}", flush=True)  # fmt: skip
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
        for run in range(args.runs):
            out = preview_run(srv, cfg, tmp / f"run-{run}", lambda m: print(m, file=sys.stderr))
            print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
