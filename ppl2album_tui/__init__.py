"""ppl2album-tui: keep Immich albums filled with the photos of chosen people."""

__version__ = "0.1.0"
APP_NAME = "ppl2album-tui"
