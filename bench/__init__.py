"""Throughput benchmarks of campaign_app under gunicorn (`make bench`); not tests."""
