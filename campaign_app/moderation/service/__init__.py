"""Moderation use cases, one module each: searching, invalidating (and restoring), reporting.

They run on the request side and may queue work (``moderation.jobs``); the jobs never import
them, only the shared building blocks (``moderation.criteria``, ``moderation.changes``).
"""
