"""The layers below the app never load the UI toolkits: a fresh interpreter imports every module
of `immich`, `sync` and `headless` and must not end up with Textual or Rich loaded."""

from __future__ import annotations

import ast
import graphlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import ppl2album_tui

LAYERS = ("immich", "sync", "headless")
UI_PACKAGES = ("textual", "rich")

PROBE = """
import importlib, json, pkgutil, sys
import ppl2album_tui
names = []
for layer in {layers!r}:
    pkg = importlib.import_module(f"ppl2album_tui.{{layer}}")
    names.append(pkg.__name__)
    for info in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + "."):
        importlib.import_module(info.name)
        names.append(info.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {ui!r})
print(json.dumps({{"imported": names, "ui": loaded}}))
"""


def test_immich_sync_and_headless_load_neither_textual_nor_rich() -> None:
    code = PROBE.format(layers=LAYERS, ui=UI_PACKAGES)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    result = json.loads(done.stdout)
    assert result["ui"] == [], f"UI toolkits loaded below the app: {result['ui']}"
    for layer in LAYERS:  # the probe did walk each layer's modules
        path = [f"{ppl2album_tui.__path__[0]}/{layer}"]
        expected = {i.name for i in pkgutil.iter_modules(path, f"ppl2album_tui.{layer}.")}
        assert expected and expected <= set(result["imported"])


def test_the_probe_sees_a_ui_import() -> None:
    """The check itself can fail: importing the app's package does load Textual."""
    code = PROBE.format(layers=("tui",), ui=UI_PACKAGES)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "textual" in json.loads(done.stdout)["ui"]


def _imports_within(package: str) -> dict[str, set[str]]:
    """module → the modules of the same package it imports (at any level of its code)."""
    root = Path(ppl2album_tui.__path__[0]) / package
    prefix = f"ppl2album_tui.{package}"
    graph: dict[str, set[str]] = {}
    for file in root.glob("*.py"):
        deps: set[str] = set()
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == prefix:
                    deps |= {a.name for a in node.names}
                elif node.module.startswith(prefix + "."):
                    deps.add(node.module.removeprefix(prefix + "."))
            elif isinstance(node, ast.Import):
                deps |= {
                    a.name.removeprefix(prefix + ".")
                    for a in node.names
                    if a.name.startswith(prefix + ".")
                }
        graph[file.stem] = deps - {file.stem}
    return graph


def test_sync_has_no_import_cycle() -> None:
    graph = _imports_within("sync")
    assert {"engine", "watermark", "planner"} <= set(graph)
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the cycle


def test_the_cycle_check_sees_a_cycle() -> None:
    with pytest.raises(graphlib.CycleError):
        graphlib.TopologicalSorter({"engine": {"watermark"}, "watermark": {"engine"}}).prepare()
