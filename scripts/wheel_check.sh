#!/usr/bin/env bash
# The Python package as a user gets it (not part of CI): `python -m build` makes an sdist and a
# wheel (built from that sdist), `twine check --strict` passes both, `pipx install` of the wheel
# into a fresh pipx home works, and the installed command starts: --version, the headless
# commands, and `--demo` (the TUI on its demo library, driven in tmux and quit with q).
# build, twine and pipx go into a throw-away venv, never into the app's dependencies.
#   scripts/wheel_check.sh            (needs python3 >= 3.11 and tmux)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/ppl2album-wheel.XXXXXX)"
sock="ppl2album-wheel-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
command -v tmux >/dev/null || fail "tmux is not installed (apt-get install tmux)."

version="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$root/ppl2album_tui/__init__.py")"
[ -n "$version" ] || fail "no __version__ in ppl2album_tui/__init__.py"

python3 -m venv "$work/tools"
"$work/tools/bin/pip" install -q build twine pipx
echo "tools: $("$work/tools/bin/pip" list 2>/dev/null | grep -E '^(build|twine|pipx) ' | tr -s ' ' | paste -sd, -)"

"$work/tools/bin/python" -m build --outdir "$work/dist" "$root" >"$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log"; fail "python -m build failed"; }
sdist="$work/dist/ppl2album_tui-$version.tar.gz"
wheel="$work/dist/ppl2album_tui-$version-py3-none-any.whl"
[ -f "$sdist" ] && [ -f "$wheel" ] || fail "expected $sdist and $wheel, got: $(ls "$work/dist")"
"$work/tools/bin/twine" check --strict "$work/dist"/*
echo "built $(basename "$sdist") ($(du -k "$sdist" | cut -f1) kB) and $(basename "$wheel") ($(du -k "$wheel" | cut -f1) kB)"

# a fresh pipx: its own home and bin dir, and a $HOME with no config of ours
export PIPX_HOME="$work/pipx" PIPX_BIN_DIR="$work/bin" HOME="$work/home"
unset PPL2ALBUM_TUI_CONFIG PPL2ALBUM_TUI_DATA_DIR XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME IMMICH_BASE_URL IMMICH_API_KEY
mkdir -p "$HOME"
started=$(date +%s)
"$work/tools/bin/pipx" install "$wheel" >"$work/pipx.log" 2>&1 || { cat "$work/pipx.log"; fail "pipx install failed"; }
echo "pipx install: $(( $(date +%s) - started )) s; $("$work/tools/bin/pipx" --version) with $("$PIPX_HOME/venvs/ppl2album-tui/bin/python" --version)"
app="$PIPX_BIN_DIR/ppl2album-tui"
installed="$("$work/tools/bin/pipx" runpip ppl2album-tui list 2>/dev/null)"
if grep -qiE '^(build|twine|pipx|pytest) ' <<<"$installed"; then fail "test tools were installed with the app"; fi

[ "$("$app" --version)" = "ppl2album-tui $version" ] || fail "--version says $("$app" --version)"
"$app" sync --help >/dev/null && "$app" demo-server --help >/dev/null || fail "a subcommand's --help failed"
set +e
out="$("$app" sync --once 2>&1)"; code=$?
set -e
[ "$code" = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] || fail "sync without a config: exit $code, $out"
echo "--version, sync --help, demo-server --help ok; sync without a config: exit 2, '$out'"

tmux -L "$sock" new-session -d -s demo -x 120 -y 40 "'$app' --demo; echo exited \$? > '$work/demo.rc'"
screen=""
for _ in $(seq 60); do
  sleep 1
  screen="$(tmux -L "$sock" capture-pane -p -t demo 2>/dev/null || true)"
  grep -q "1 People" <<<"$screen" && grep -q "Anna" <<<"$screen" && break
done
grep -q "1 People" <<<"$screen" && grep -q "Anna" <<<"$screen" || { echo "$screen"; fail "--demo did not show the People tab within 60 s"; }
echo "--demo started; its first lines:"
head -8 <<<"$screen" | sed 's/^/  | /'
tmux -L "$sock" send-keys -t demo q
for _ in $(seq 20); do [ -f "$work/demo.rc" ] && break; sleep 1; done
[ "$(cat "$work/demo.rc" 2>/dev/null)" = "exited 0" ] || fail "--demo did not quit with exit 0 on q"
echo "q quit the demo with exit 0"
echo "wheel check passed"
