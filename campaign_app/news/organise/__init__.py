"""The organiser side of news: write, preview, test, approve, watch the sending."""
