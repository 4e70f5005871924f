"""Management pages: campaigns (routes land here)."""
