"""Letters: commands (being written)."""

from campaign_app.letters import bp  # noqa: F401
