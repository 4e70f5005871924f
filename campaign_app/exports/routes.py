"""Export pages (routes land here)."""
