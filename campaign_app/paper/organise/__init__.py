"""The organiser pages of paper signatures."""
