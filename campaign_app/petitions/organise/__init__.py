"""The organiser side of petitions: create, edit, preview, open and close, translate."""
