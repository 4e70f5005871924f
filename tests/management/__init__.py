"""Tests of the management pages (campaigns, petitions, prisoners, reference data)."""
