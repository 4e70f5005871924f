"""The organiser side of hand-ins: record, edit, publish, photos."""
