"""Campaigns: the umbrella an organiser runs, holding petitions and prisoners."""
