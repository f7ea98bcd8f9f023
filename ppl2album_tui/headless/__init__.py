"""The headless commands: `sync`, `undo` and `import-env` (no Textual here)."""
