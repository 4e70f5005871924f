"""Moderation pages (routes land here)."""
