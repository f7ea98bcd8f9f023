"""Full cycles inside one running process, as the sync loop runs them (start-up paid once).

Run by path with a contender's own interpreter, so that ``ppl2album_tui`` is the one installed
in that venv (``python -m`` from the repository would import the working tree instead):
``<venv>/bin/python bench/contenders/warm.py CONFIG DATA_DIR [CONFIG DATA_DIR ...]``. Each pair
is one ``sync --once`` through ``ppl2album_tui.cli.main`` with its own data dir (so each is a
first sync, like the cold runs). Prints one JSON line: the CPU seconds of each cycle and of the
start-up before the first, and each cycle's exit code.
"""

from __future__ import annotations

import json
import os
import resource
import sys


def _cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def main(argv: list[str]) -> int:
    start = _cpu()
    from ppl2album_tui import cli  # the contender's own; its start-up is counted apart

    pairs = list(zip(argv[::2], argv[1::2], strict=True))
    cycles: list[float] = []
    codes: list[int] = []
    for config, data_dir in pairs:
        os.environ["PPL2ALBUM_TUI_DATA_DIR"] = data_dir
        before = _cpu()
        codes.append(cli.main(["sync", "--once", "--config", config]))
        cycles.append(_cpu() - before)
    print(json.dumps({"start": start, "cycles": cycles, "codes": codes}))
    sys.stdout.flush()
    os._exit(0 if not any(codes) else 1)  # no teardown, as the console script ends


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
