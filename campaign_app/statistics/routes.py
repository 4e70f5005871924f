"""Statistics pages (routes land here)."""
