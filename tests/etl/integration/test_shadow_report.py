"""Shadow validation of the sample company: the automated datasets (SAP extracts, official HTS)
against the ones built from the analysts' CSVs differ exactly where the generator's manifest says,
and nowhere else; `ior shadow-report` lists them and writes them out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from ior_contracts.datasets import DATASETS
from ior_etl.entrypoints.operations import compare_sample
from ior_tools.cli.shadow import shadow_report
from ior_tools.paths import OFFICIAL_HTS
from typer.testing import CliRunner

Found = tuple[str, str, str, str, str]  # dataset, key, field, automated, manual

pytestmark = pytest.mark.skipif(
    not OFFICIAL_HTS.exists(), reason="the official HTS export is not beside the repo"
)


def manifest_differences(sample: Path) -> set[Found]:
    """The disagreements the generator injected, as the comparison lists them.

    A stale rate in HTS_Code.csv is the manual path's company rate as well as its general rate, and
    then differs from the official rate, which SAP's agrees with: one disagreement, three fields.
    The manifest lists the general rate; its two companions are derived here from it."""
    manifest = json.loads((sample / "manifest.json").read_text())
    found: set[Found] = set()
    for disagreement in manifest["disagreements"]:
        for d in disagreement["dataset_differences"]:
            if d["equivalent_in_comparison"]:
                continue
            key = "/".join(d["key"][name] for name in DATASETS[d["dataset"]].key)
            found.add((d["dataset"], key, d["field"], d["automated"], d["manual"]))
    for dataset, key, field, automated, manual in list(found):
        if (dataset, field) == ("hts-reference", "general_rate"):
            found.add((dataset, key, "company_rate", automated, manual))
            found.add((dataset, key, "rate_differs", "false", "true"))
    return found


def listed(comparisons: list[Any]) -> set[Found]:
    return {(d.dataset, d.key, d.field, d.automated, d.manual) for c in comparisons for d in c.differences}


def test_the_sample_company_differs_exactly_where_its_manifest_says(sample: Path) -> None:
    comparisons = compare_sample(sample, official=OFFICIAL_HTS)

    assert [c.dataset for c in comparisons] == [
        "product-master",
        "packaging-materials",
        "hts-reference",
        "tariff-provisions",
        "exchange-rates",
    ]
    assert listed(comparisons) == manifest_differences(sample)
    assert sum(len(c.differences) for c in comparisons) == len(manifest_differences(sample)) == 6
    assert all(c.automated_rejected == c.manual_rejected == 0 for c in comparisons)


def test_the_command_lists_and_writes_every_difference(sample: Path, tmp_path: Path) -> None:
    app = typer.Typer()
    app.command("shadow-report")(shadow_report)
    app.callback()(lambda: None)
    out = tmp_path / "shadow.json"

    result = CliRunner().invoke(
        app,
        ["shadow-report", "--sample", str(sample), "--date", "2026-03-31", "--out", str(out)],
        env={"COLUMNS": "200"},
    )

    assert result.exit_code == 0, result.output
    assert "8536698000" in result.output
    assert "rate_differs" in result.output
    report = json.loads(out.read_text())
    assert report["date"] == "2026-03-31"
    written = {
        (d["dataset"], x["key"], x["field"], x["automated"], x["manual"])
        for d in report["datasets"]
        for x in d["differences"]
    }
    assert written == manifest_differences(sample)
    # AND the day's invoice lines are the automated transactions of that day, line for line
    (transactions,) = [d for d in report["datasets"] if d["dataset"] == "transactions"]
    assert transactions["automated_rows"] == transactions["manual_rows"] > 0
    assert transactions["differences"] == []
    markdown = tmp_path / "shadow.md"
    assert (
        CliRunner().invoke(app, ["shadow-report", "--sample", str(sample), "--out", str(markdown)]).exit_code
        == 0
    )
    assert "| packaging-materials | 90000059 | is_packaging | true | false |" in markdown.read_text()


def test_the_command_says_which_file_is_missing(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command("shadow-report")(shadow_report)
    app.callback()(lambda: None)

    result = CliRunner().invoke(app, ["shadow-report", "--sample", str(tmp_path)])

    assert result.exit_code == 2
    assert f"{tmp_path}/sap/" in result.output
