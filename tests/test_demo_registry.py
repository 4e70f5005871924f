"""`flask demo registry`: an invented registry of prisoners in institutions, by the import."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign_app.demo.data import CAMPAIGN_SLUG
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution
from campaign_app.prisoners.models import Prisoner


def test_registry_loads_once_and_again_changes_nothing(app, runner):
    first = runner.invoke(args=["demo", "registry", "--prisoners", "30", "--institutions", "3"])
    assert first.exit_code == 0, first.output
    assert (
        f"Registry loaded into {CAMPAIGN_SLUG}: 30 new prisoners, 3 new institutions"
        in first.output
    )
    held = db.session.scalar(
        select(func.count()).select_from(Prisoner).where(Prisoner.institution_id.is_not(None))
    )
    assert held == 30
    assert db.session.scalar(select(func.count()).select_from(Institution)) == 3
    again = runner.invoke(args=["demo", "registry", "--prisoners", "30", "--institutions", "3"])
    assert again.exit_code == 0, again.output
    assert "0 new prisoners, 0 new institutions, 30 unchanged" in again.output


def test_registry_as_a_csv_file(app, runner, tmp_path):
    path = tmp_path / "registry.csv"
    result = runner.invoke(
        args=["demo", "registry", "--prisoners", "20", "--institutions", "2", "--csv", str(path)]
    )
    assert result.exit_code == 0, result.output
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("record,code,kind,name_ru")
    assert sum(1 for line in lines if line.startswith("prisoner,")) == 20
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 0
