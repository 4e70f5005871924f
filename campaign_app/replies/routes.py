from campaign_app.replies import bp, models  # noqa: F401
