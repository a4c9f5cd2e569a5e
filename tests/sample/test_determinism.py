"""Same arguments, same bytes; a different seed, different invoices; the manifest's hashes are true."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from ior_tools.sample import SampleError, generate

from tests.sample.conftest import Sample


def _tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_same_seed_gives_a_byte_identical_tree(sample: Sample, tmp_path: Path) -> None:
    generate(tmp_path / "again")
    assert _tree(tmp_path / "again") == _tree(sample.root)


def test_a_different_seed_gives_different_invoices_and_the_same_company(
    sample: Sample, tmp_path: Path
) -> None:
    generate(tmp_path / "other", seed=8)
    first, second = _tree(sample.root), _tree(tmp_path / "other")
    assert first["sap/ZSDR002.jsonl"] != second["sap/ZSDR002.jsonl"]
    for name in ("ZEMM005", "ZFMIOR001", "ZFMIOR002", "ZFMIOR003", "ZEMM07"):
        assert first[f"sap/{name}.jsonl"] == second[f"sap/{name}.jsonl"], name


def test_manifest_hashes_every_file_it_wrote(sample: Sample) -> None:
    tree = _tree(sample.root)
    assert tree.pop("manifest.json")
    assert sample.manifest.files == tree
    assert len(tree) == 7 + 5 + len(sample.manifest.business_dates)


def test_lines_per_day_is_exact(tmp_path: Path) -> None:
    manifest = generate(
        tmp_path / "sized", days=2, lines_per_day=120, start=date(2026, 6, 18), fiscal_year_boundary=False
    )
    assert manifest.business_dates == [date(2026, 6, 18), date(2026, 6, 22)]  # Juneteenth skipped
    assert [outcome.lines for outcome in manifest.outcomes.values()] == [120, 120]


def test_the_sample_has_days_either_side_of_a_fiscal_year_boundary_the_cited_fees_cover(
    sample: Sample,
) -> None:
    # FY2025 ends on 30 September 2025 and FY2026 begins on 1 October; both are cited.
    assert sample.manifest.business_dates[:4] == [
        date(2025, 9, 29),
        date(2025, 9, 30),
        date(2025, 10, 1),
        date(2025, 10, 2),
    ]
    assert sample.manifest.business_dates[4:] == [
        date(2026, 3, 30),
        date(2026, 3, 31),
        *[date(2026, 4, d) for d in (1, 2, 3)],
    ]
    assert sample.manifest.parameters["fiscal_year_boundary"] == "2025-10-01"


def test_regenerating_into_a_sample_replaces_it_but_foreign_files_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "out"
    generate(root, days=1, lines_per_day=60, fiscal_year_boundary=False)
    generate(root, days=2, lines_per_day=60, fiscal_year_boundary=False)
    assert len(list((root / "legacy").iterdir())) == 3
    (root / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SampleError, match="did not write"):
        generate(root, days=1)
    with pytest.raises(SampleError, match="lines per day"):
        generate(tmp_path / "small", lines_per_day=10)


def test_a_billing_lag_bills_every_document_that_much_earlier(tmp_path: Path) -> None:
    # GIVEN the same day generated as usual and with its documents billed 10 days earlier
    usual = generate(tmp_path / "usual", days=1, lines_per_day=60, fiscal_year_boundary=False)
    lagged = generate(
        tmp_path / "lagged", days=1, lines_per_day=60, billing_lag_days=10, fiscal_year_boundary=False
    )
    (day,) = lagged.business_dates

    def lags(root: Path) -> list[int]:
        rows = [json.loads(line) for line in (root / "sap" / "ZSDR002.jsonl").read_text().splitlines()]
        return [(day - date.fromisoformat(r["FKDAT"])).days for r in rows]

    # THEN every line is billed at least 10 days before it arrives, and only the lag names itself
    assert min(lags(tmp_path / "lagged")) >= 10 > min(lags(tmp_path / "usual"))
    assert lagged.parameters["billing_lag_days"] == 10
    assert "billing_lag_days" not in usual.parameters
    with pytest.raises(SampleError, match="billing lag"):
        generate(tmp_path / "negative", days=1, billing_lag_days=-1)
