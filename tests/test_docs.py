"""The README stays true: every setting is documented, the two commands come first."""

from __future__ import annotations

from pathlib import Path

from campaign_app.config import Defaults

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_table():
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = [
        name
        for name in dir(Defaults)
        if name.isupper() and f"`CAMPAIGN_{name}`" not in table and f"`{name}`" not in table
    ]
    assert missing == []


def test_readme_starts_with_the_two_commands():
    opening = "\n".join(README.splitlines()[:8])
    assert "make run" in opening
    assert "make test" in opening
