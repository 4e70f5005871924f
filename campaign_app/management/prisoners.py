"""Management pages: prisoners (routes land here)."""
