"""`flask privacy ...` commands (land here)."""
