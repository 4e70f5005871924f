"""The organiser side of prisoners: each campaign's records, names, dates and addresses."""
