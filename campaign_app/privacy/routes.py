"""Privacy pages (routes land here)."""
