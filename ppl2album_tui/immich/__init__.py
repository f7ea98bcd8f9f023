"""HTTP client and models for the Immich API (no UI imports)."""
