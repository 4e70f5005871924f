"""CSV lists of prisoners and institutions for tests (the generator is the demo's)."""

from campaign_app.demo.registry import institutions, prisoners, registry_csv, write_csv

__all__ = ["institutions", "prisoners", "registry_csv", "write_csv"]
