from campaign_app.appeals import bp, models  # noqa: F401
