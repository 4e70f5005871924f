"""WSGI entry point: ``gunicorn wsgi:app``."""

from campaign_app import create_app

app = create_app()
