"""Moved to campaign_app.fonts (shared by letters, exports and sharing); this name stays only
for management/reference_service.py, which another branch is re-cutting: delete this module
once that import reads ``from campaign_app.fonts import missing_glyphs``."""

from campaign_app.fonts import missing_glyphs

__all__ = ["missing_glyphs"]
