"""`ior run --lines-per-day N` generates the running stack's sample company again at N billing lines
a day, with the seed, days and start it was made with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from ior_tools.cli.run import resize_sample
from ior_tools.sample import generate


def test_the_sample_is_made_again_at_the_new_size_with_its_seed_and_dates(tmp_path: Path) -> None:
    generate(tmp_path, seed=11, days=1, lines_per_day=200, fiscal_year_boundary=False)
    before = json.loads((tmp_path / "manifest.json").read_text())
    resize_sample(tmp_path, 300)
    after = json.loads((tmp_path / "manifest.json").read_text())
    assert after["counts"]["sap"]["ZSDR002"] == 300
    assert (after["seed"], after["business_dates"]) == (before["seed"], before["business_dates"])
    assert after["parameters"] == before["parameters"] | {"lines_per_day": 300}


def test_without_a_sample_there_is_nothing_to_resize(tmp_path: Path) -> None:
    with pytest.raises(typer.Exit):
        resize_sample(tmp_path / "nothing", 300)
