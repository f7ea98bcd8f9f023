from ppl2album_tui.cli import entry

entry()
