#!/bin/sh
# Screenshots of `ppl2album-tui --demo` in real terminals on a virtual X screen: kitty (kitty
# graphics, or half blocks where its version cannot draw the app's placeholders) and xterm as a
# VT340 (sixel). For each terminal it writes <out>/<name>-detect.txt (what the terminal answered and
# the protocol `auto` picks there) and these <name>-*.png: people-grid (the People tab's face grid,
# two people selected), people-grid-resized (the window made smaller) and -resized-back,
# people-list, preview (a rule of them, previewed as a grid), preview-scrolled, preview-resized
# (and -back), tab-switch (People and back), large (the large view), large-vetoed (vetoed there:
# a notification), large-notifications (restored, vetoed again: four more stacked over the
# photo), large-resized (and -back), large-next (closed, the next photo's opened) and
# after-large (closed: nothing left behind); plus the terminal's own log. SHOTS_START: seconds to
# wait for the demo (default 20). xterm runs with COLORTERM=truecolor (else Textual draws in 16
# colours), 256 colour registers (a VT340 has 16) and otherwise its defaults.
#
# Needs (Debian): kitty xterm xvfb x11-apps xdotool imagemagick fonts-dejavu-core
# Usage: [SHOTS_TERMINALS=kitty] scripts/terminal_shots.sh [out-dir]   (default: screenshots/terminals)
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/screenshots/terminals}
py=${PYTHON:-$here/.venv/bin/python}
display=${SHOTS_DISPLAY:-:77}
mkdir -p "$out"
for tool in kitty xterm Xvfb xwd xdotool convert; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install kitty xterm xvfb x11-apps xdotool imagemagick)" >&2; exit 2; }
done

Xvfb "$display" -screen 0 1280x820x24 >"$out/xvfb.log" 2>&1 &
xvfb=$!
work=$(mktemp -d)
trap 'kill "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 2
export DISPLAY="$display"

cat >"$work/detect.py" <<'PY'
import json
import sys

from ppl2album_tui.tui.images import detect_protocol
from ppl2album_tui.tui.terminal import query_terminal
r = query_terminal()
found = {"name": r.name, "version": r.version, "placeholder_ok": r.placeholder_ok,
         "answered": r.answered, "auto": detect_protocol("auto")}
with open(sys.argv[1], "w") as f:  # stdout stays the terminal, for the queries
    f.write(json.dumps(found) + "\n")
PY

shot() {  # shot NAME: screenshot of the whole screen
    xwd -root -silent | convert xwd:- "$out/$1.png"
    echo "wrote $out/$1.png"
}

keys() {  # keys KEY...: typed into the focused terminal, with a pause after each
    for k in "$@"; do xdotool key --clearmodifiers "$k"; sleep 0.7; done
}

resize() {  # resize NAME: the terminal made smaller, NAME shot, then back to its size
    [ -n "$window" ] || return 0
    xdotool windowsize "$window" 900 600
    sleep 5
    shot "$1"
    xdotool windowsize "$window" 1270 810
    sleep 5
    shot "$1-back"
}

run_in() {  # run_in NAME COMMAND...: the terminal NAME running COMMAND, screenshots taken
    name=$1
    shift
    case $name in
    kitty) kitty -o font_size=10 -o remember_window_size=no -o initial_window_width=1270 \
        -o initial_window_height=810 -o placement_strategy=top-left "$@" >"$out/$name.log" 2>&1 & ;;
    xterm) xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256' \
        -fa 'DejaVu Sans Mono' -fs 10 -geometry 150x44+0+0 -e env COLORTERM=truecolor "$@" >"$out/$name.log" 2>&1 & ;;
    esac
    echo $!
}

for term in ${SHOTS_TERMINALS:-kitty xterm}; do
    rm -f "$out/$term-detect.txt"
    pid=$(run_in "$term" sh -c "cd '$here' && '$py' '$work/detect.py' '$out/$term-detect.txt' 2>'$out/$term-detect.err'")
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$out/$term-detect.txt" ] && break; sleep 1; done
    kill "$pid" 2>/dev/null || true
    echo "$term: $(cat "$out/$term-detect.txt" 2>/dev/null || echo 'no answer')"

    pid=$(run_in "$term" sh -c "cd '$here' && exec '$py' -m ppl2album_tui --demo")
    sleep "${SHOTS_START:-20}"
    window=$(xdotool search --pid "$pid" 2>/dev/null | head -n 1)
    [ -n "$window" ] && xdotool windowfocus "$window" 2>/dev/null || true
    # People opens as the face grid: select the first two (marks on their tiles), resized, the list
    keys space Right space
    sleep 3
    shot "$term-people-grid"
    resize "$term-people-grid-resized"
    keys v
    sleep 2
    shot "$term-people-list"
    keys v
    # a rule of them, saved and previewed as a grid; scrolled; resized; a tab switch and back
    keys n
    sleep 1
    keys Escape ctrl+o
    sleep 12
    shot "$term-preview"
    keys Next Next
    sleep 4
    shot "$term-preview-scrolled"
    resize "$term-preview-resized"
    keys 1 3
    sleep 4
    shot "$term-tab-switch"
    # the large view of the photo under the cursor; vetoed there (notifications); resized; the
    # next photo's; closed (nothing left behind)
    keys Return
    sleep 12
    shot "$term-large"
    keys space
    sleep 2
    shot "$term-large-vetoed"
    keys space space space space  # restored, vetoed, ...: notifications stacked over the photo
    shot "$term-large-notifications"
    resize "$term-large-resized"
    keys Escape Right Return
    sleep 10
    shot "$term-large-next"
    keys Escape
    sleep 4
    shot "$term-after-large"
    keys q
    sleep 1
    kill "$pid" 2>/dev/null || true
    sleep 1
done
