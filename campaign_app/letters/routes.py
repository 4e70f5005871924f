"""Letters: routes (being written)."""

from campaign_app.letters import bp, models  # noqa: F401
