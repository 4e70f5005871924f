"""Letters: printing_routes (being written)."""

from campaign_app.letters import bp  # noqa: F401
