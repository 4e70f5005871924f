"""Management pages: reference (routes land here)."""
