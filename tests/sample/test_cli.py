"""`ior sample generate` writes a sample and reports bad options as errors, not tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from ior_tools.sample.cli import app
from typer.testing import CliRunner


def test_generate_writes_the_sample(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    args = ["generate", "--out", str(out), "--seed", "3", "--days", "2", "--lines-per-day", "80"]
    result = CliRunner().invoke(
        app, [*args, "--start", "2026-04-06", "--unknown-materials", "1", "--no-fiscal-year-boundary"]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 3
    assert manifest["business_dates"] == ["2026-04-06", "2026-04-07"]
    assert manifest["parameters"]["fiscal_year_boundary"] is None
    assert len(manifest["faults"]["unknown_materials"]) == 1


def test_bad_missing_rate_is_an_error(tmp_path: Path) -> None:
    args = ["generate", "--out", str(tmp_path / "bad"), "--missing-rates", "XYZ@2026-03-25"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "no rates to drop" in result.output
