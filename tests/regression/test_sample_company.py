"""The critical regression: the sample company end to end at domain level, no AWS.

GIVEN the sample company (seed 7, its default business days, with the days either side of the
FY2025/FY2026 boundary), the official HTS export and the fee notices the product ships,
WHEN every dataset is built on both paths — automated from the SAP extracts, manual from the
analysts' CSVs — and the fee table from the notices, published as snapshots and read back as customs
reads them, customs lines are produced for each business date in both modes and the manual lines
(expected) are compared with the automated ones (actual),
THEN the datasets differ exactly where the manifest's `dataset_differences` say, the comparison
finds exactly the manifest's `predicted_differences` of each date, the formatting disagreement
reaches the lines and causes nothing, each side of the fiscal-year boundary is charged its own
year's fees, and a second run of the whole chain gives the same bytes."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from ior_compare.adapters.lines import quantity_text, read_document
from ior_compare.domain.engine import compare
from ior_compare.domain.result import ComparisonResult
from ior_compare.domain.tolerances import DEFAULT_TOLERANCES
from ior_contracts.claims import ClaimCheck
from ior_contracts.datasets import DATASETS, SCHEMA_VERSION
from ior_contracts.vocabulary import Mode
from ior_customs.adapters.datasets import parse_snapshot
from ior_customs.domain import FeeTable, process
from ior_customs.ports import DatasetVersion
from ior_customs.service_layer.loading import Inputs
from ior_etl.domain import shadow
from ior_etl.domain.building import LEGACY_FILES, build_automated, build_manual
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.extracts import read_extract, records_frame
from ior_etl.domain.fee_table import build_fee_table
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.legacy.files import MANUAL
from ior_etl.domain.official_hts import parse_official_revision
from ior_etl.domain.sap_fields import CBP_FEES, TABLES
from ior_etl.domain.snapshot import Snapshot, read_snapshot, write_snapshot
from ior_ingestion.domain.fee_notices import shipped_notices
from ior_tools.sample import DEFAULT_START, Manifest, generate
from ior_tools.sample.generator import DEFAULT_DAYS, boundary_days, business_dates
from ior_tools.sample.manifest import PredictedDifference

OFFICIAL_HTS = (
    Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "hts" / "hts_2026_rev_10.json.gz"
)
REVISION_LABEL = "2026 Rev. 10"
SEED = 7
DATES = business_dates(DEFAULT_START, DEFAULT_DAYS)
MODES: tuple[Mode, ...] = ("automated", "manual")
TRANSACTIONS = "transactions"
REFERENCE = tuple(d for d in DATASETS if d != TRANSACTIONS)
LEGACY_KIND = {file.dataset: kind for kind, file in MANUAL.items()}
PUBLISHED_AT = "2026-03-27T00:00:00Z"

# The engine's entry fields under the names the manifest gives them; line fields share their names.
ENGINE_TO_MANIFEST = {"entry_value": "value", "entry_duty": "duty"}
NUMERIC_FIELDS = frozenset({"value", "duty", "net_kg", "gross_kg", "mpf", "hmf"})
UNPAIRED = ("missing", "extra", "duplicate")

Key = tuple[str, str, str | None, str | None, str | None, str]  # level, entry, hts10, origin, part, field


# --- the chain -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    build: DatasetBuild
    snapshot: Snapshot


@dataclass(frozen=True)
class Chain:
    manifest: Manifest
    automated: dict[str, Published]  # all six datasets
    manual: dict[str, Published]  # the five reference datasets
    manual_transactions: dict[date, Published]  # one Invoice_Lines.csv per business date
    fee_table: Published  # from the shipped notices, for both modes
    customs: dict[tuple[date, Mode], bytes]  # the processor's canonical JSON

    def published(self, mode: Mode, day: date) -> dict[str, Published]:
        if mode == "automated":
            return self.automated
        return {**self.manual, TRANSACTIONS: self.manual_transactions[day]}


def _publish(build: DatasetBuild) -> Published:
    return Published(build, write_snapshot(build.frame, build.dataset))


def _landed(jsonl: Path) -> bytes:
    """An extract as ingestion lands it: gzip JSON Lines."""
    return gzip.compress(jsonl.read_bytes(), mtime=0)


def _version(dataset: str, mode: str, snapshot: Snapshot) -> DatasetVersion:
    claim = ClaimCheck(
        uri=f"s3://regression/{mode}/{dataset}/{snapshot.sha256}.csv.gz",
        sha256=snapshot.sha256,
        row_count=snapshot.rows,
        schema_version=SCHEMA_VERSION,
    )
    # Content-addressed, so equal snapshots give equal lineage and a rerun can be byte-identical.
    return DatasetVersion(dataset, mode, snapshot.sha256[:24], claim, PUBLISHED_AT)


def _customs_json(day: date, mode: Mode, published: Mapping[str, Published], fees: Published) -> bytes:
    """One run as the customs service makes it: snapshots read as text, mapped by `Inputs`."""
    frames: dict[str, pd.DataFrame] = {}
    used: dict[str, DatasetVersion] = {}
    for dataset, item in published.items():
        frames[dataset] = parse_snapshot(item.snapshot.data, dataset)
        used[dataset] = _version(dataset, mode, item.snapshot)
    fee_version = _version("fee-table", "all", fees.snapshot)
    fee_table = FeeTable.from_dataset(parse_snapshot(fees.snapshot.data, "fee-table"), fee_version.version)
    inputs = Inputs(day, mode, frames, used, (), fee_table, fee_version)
    return process(inputs.processor_inputs()).to_json_bytes()


def run_chain(out: Path, official: bytes) -> Chain:
    """Generate the sample company, build and publish every dataset on both paths, run customs."""
    generate(out, seed=SEED)
    manifest = Manifest.model_validate_json((out / "manifest.json").read_text(encoding="utf-8"))
    policy = HoldPolicy()
    revision = parse_official_revision(official, REVISION_LABEL)

    frames = {
        name: read_extract(_landed(out / "sap" / f"{name}.jsonl"), table) for name, table in TABLES.items()
    }
    automated = {d: _publish(build_automated(d, frames, policy=policy, revision=revision)) for d in REFERENCE}
    # Transactions convert prices with the exchange-rates version as published, as the ETL service does.
    rates = read_snapshot(automated["exchange-rates"].snapshot.data, "exchange-rates")
    automated[TRANSACTIONS] = _publish(build_automated(TRANSACTIONS, frames, policy=policy, rates=rates))

    legacy = out / "legacy"
    manual = {
        d: _publish(
            build_manual(
                LEGACY_KIND[d],
                (legacy / "reference" / LEGACY_FILES[d]).read_bytes(),
                policy=policy,
                revision=revision,  # HTS_Code.csv is cross-checked against the official revision
            )
        )
        for d in REFERENCE
    }
    manual_transactions = {
        day: _publish(
            build_manual(
                LEGACY_KIND[TRANSACTIONS],
                (legacy / day.isoformat() / LEGACY_FILES[TRANSACTIONS]).read_bytes(),
                policy=policy,
            )
        )
        for day in manifest.business_dates
    }
    notices = records_frame([n.record() for n in shipped_notices()], CBP_FEES)
    fee_table = _publish(build_fee_table(notices, policy=policy))
    chain = Chain(manifest, automated, manual, manual_transactions, fee_table, {})
    customs = {
        (day, mode): _customs_json(day, mode, chain.published(mode, day), fee_table)
        for day in manifest.business_dates
        for mode in MODES
    }
    return replace(chain, customs=customs)


def compare_day(chain: Chain, day: date) -> ComparisonResult:
    """Manual (expected) against automated (actual), through the compare service's lines adapter."""
    expected = read_document(chain.customs[day, "manual"], f"manual/{day}")
    actual = read_document(chain.customs[day, "automated"], f"automated/{day}")
    assert expected.lines is not None
    assert actual.lines is not None
    return compare(expected.lines, actual.lines, expected.entries, actual.entries)


# --- reading the comparison in the manifest's terms ------------------------------------------------


def _loose(text: str) -> str:
    return "".join(text.split()).casefold()


def _dotted(hts10: str) -> str:
    return f"{hts10[:4]}.{hts10[4:6]}.{hts10[6:8]}.{hts10[8:]}"


def _canonical(field: str, value: Any, stack: str | None) -> Any:
    """A value as the manifest or the engine writes it → one comparable form."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if field == "rates":
        if isinstance(value, dict):  # the manifest keys rates by HTS number: take them in stack order
            numbers = (stack or "").split(";")
            if set(value) != set(numbers):
                return tuple(sorted(value.items()))  # other numbers than the line's: never equal
            return tuple(Decimal(value[n]) for n in numbers)
        return tuple(Decimal(v) for v in str(value).split(";"))
    if field == "stack" and isinstance(value, list):
        return ";".join(value)
    if field == "quantity" and isinstance(value, dict):
        return quantity_text(value)
    if field in NUMERIC_FIELDS:
        return Decimal(str(value))
    return str(value)


def _none(value: Any) -> Any:
    return None if pd.isna(value) else str(value)


def observed_differences(result: ComparisonResult) -> dict[Key, tuple[Any, Any]]:
    """Every field out of tolerance and every line or entry unpaired, keyed as the manifest keys them."""
    found: dict[Key, tuple[Any, Any]] = {}
    for row in result.mismatches.astype(object).itertuples(index=False):
        field = ENGINE_TO_MANIFEST.get(row.field, row.field) if row.level == "entry" else row.field
        stack = _none(row.stack)
        key = (row.level, str(row.entry_id), _none(row.hts10), _none(row.origin), _none(row.part), field)
        found[key] = (
            _canonical(field, _none(row.expected), stack),
            _canonical(field, _none(row.actual), stack),
        )
    for row in result.lines.astype(object).itertuples(index=False):
        if row.outcome in UNPAIRED:
            found["line", str(row.entry_id), row.hts10, row.origin, row.part, f"({row.outcome})"] = (
                None,
                None,
            )
    for row in result.entries.astype(object).itertuples(index=False):
        if row.outcome in UNPAIRED:
            found["entry", str(row.entry_id), None, None, None, f"({row.outcome})"] = (None, None)
    return found


def predicted_differences(
    manifest: Manifest, day: date, stacks: Mapping[Key, str]
) -> dict[Key, tuple[Any, Any]]:
    """The manifest's predictions for `day`; rates are read in the stack order the lines report."""
    predicted: dict[Key, tuple[Any, Any]] = {}
    for p in _predictions(manifest, day):
        key = (p.level, p.entry_id, p.hts10, p.origin, p.part, p.field)
        stack = stacks.get(key)
        predicted[key] = (_canonical(p.field, p.expected, stack), _canonical(p.field, p.actual, stack))
    return predicted


def _predictions(manifest: Manifest, day: date) -> Iterable[PredictedDifference]:
    return (p for d in manifest.disagreements for p in d.predicted_differences if p.business_date == day)


def _stacks(result: ComparisonResult) -> dict[Key, str]:
    frame = result.mismatches.astype(object)
    return {
        (r.level, str(r.entry_id), _none(r.hts10), _none(r.origin), _none(r.part), r.field): str(r.stack)
        for r in frame.itertuples(index=False)
        if r.level == "line"
    }


def _set_aside(document: bytes, kind: str) -> list[tuple[str, int, str]]:
    return sorted((r["document"], r["item"], r["reason"]) for r in _json(document)[kind])


def _json(document: bytes) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(document)
    return parsed


# --- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def official() -> bytes:
    if not OFFICIAL_HTS.is_file():
        pytest.skip(f"the official HTS export is not at {OFFICIAL_HTS}")
    return OFFICIAL_HTS.read_bytes()


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory, official: bytes) -> Chain:
    return run_chain(tmp_path_factory.mktemp("first") / "out", official)


@pytest.fixture(scope="module")
def rerun(tmp_path_factory: pytest.TempPathFactory, official: bytes) -> Chain:
    return run_chain(tmp_path_factory.mktemp("second") / "out", official)


@pytest.fixture(scope="module")
def comparisons(chain: Chain) -> dict[date, ComparisonResult]:
    return {day: compare_day(chain, day) for day in chain.manifest.business_dates}


# --- datasets -----------------------------------------------------------------------------------------


def test_the_sample_covers_the_default_business_days_and_a_fiscal_year_boundary(chain: Chain) -> None:
    assert chain.manifest.seed == SEED
    assert chain.manifest.business_dates == DATES
    assert boundary_days() == [date(2025, 9, 29), date(2025, 9, 30), date(2025, 10, 1), date(2025, 10, 2)]
    assert set(boundary_days()) < set(DATES)


def test_every_dataset_publishes_on_both_paths_without_rejects(chain: Chain) -> None:
    builds = {
        **{("automated", d): p.build for d, p in chain.automated.items()},
        **{("manual", d): p.build for d, p in chain.manual.items()},
        **{("manual", f"transactions {day}"): p.build for day, p in chain.manual_transactions.items()},
    }
    problems = {
        key: (build.outcome.status, build.outcome.rejected_rows)
        for key, build in builds.items()
        if build.held or build.outcome.rejected_rows or build.frame.empty
    }
    assert problems == {}


def _manifest_dataset_differences(manifest: Manifest) -> set[tuple[str, str, str, str, str]]:
    """The manifest's dataset differences the shadow comparison must list (dataset, key, field,
    automated, manual), with the companions of the stale rate.

    HTS_Code.csv's Duty Rate is the manual path's company rate as well as its general rate, and the
    manual hts-reference is cross-checked against the official revision, which agrees with SAP's
    rate: one stale rate therefore shows as `general_rate`, `company_rate` and `rate_differs`
    (docs/field-mapping.md, hts-reference). The manifest lists `general_rate` only."""
    found = set()
    for disagreement in manifest.disagreements:
        for d in disagreement.dataset_differences:
            if d.equivalent_in_comparison:  # the documented adjustments treat these as equal
                continue
            key = "/".join(d.key[name] for name in DATASETS[d.dataset].key)
            found.add((d.dataset, key, d.field, d.automated, d.manual))
            if (d.dataset, d.field) == ("hts-reference", "general_rate"):
                found.add((d.dataset, key, "company_rate", d.automated, d.manual))
                found.add((d.dataset, key, "rate_differs", "false", "true"))
    return found


def _read_back(item: Published) -> pd.DataFrame:
    return read_snapshot(item.snapshot.data, item.build.dataset)


def test_reference_datasets_differ_exactly_where_the_manifest_says(chain: Chain) -> None:
    listed = {
        (d.dataset, d.key, d.field, d.automated, d.manual)
        for dataset in REFERENCE
        for d in shadow.compare(
            dataset, _read_back(chain.automated[dataset]), _read_back(chain.manual[dataset])
        )
    }

    assert listed == _manifest_dataset_differences(chain.manifest)


def test_the_formatting_difference_is_published_and_ignored_by_the_shadow_comparison(chain: Chain) -> None:
    (formatting,) = [d for d in chain.manifest.disagreements if d.kind == "formatting"]
    (difference,) = formatting.dataset_differences
    hts = {
        mode: _read_back(published["hts-reference"])
        for mode, published in (("automated", chain.automated), ("manual", chain.manual))
    }
    descriptions = {
        mode: frame.loc[frame["hts10"] == difference.key["hts10"], "description"].item()
        for mode, frame in hts.items()
    }

    # Both descriptions reach the datasets as their sources write them (whitespace runs made one)...
    assert descriptions == {
        "automated": difference.automated,
        "manual": " ".join(difference.manual.split()),
    }
    # ...and differ only in what the documented adjustment ignores.
    assert _loose(descriptions["automated"]) == _loose(descriptions["manual"])
    assert formatting.predicted_differences == []


@pytest.mark.parametrize("day", DATES, ids=str)
def test_the_days_transactions_are_the_same_on_both_paths(chain: Chain, day: date) -> None:
    automated = _read_back(chain.automated[TRANSACTIONS])
    manual = _read_back(chain.manual_transactions[day])

    assert len(manual) == chain.manifest.outcomes[day.isoformat()].lines
    assert shadow.compare(TRANSACTIONS, automated, manual) == []


@pytest.mark.parametrize("day", DATES, ids=str)
def test_lines_invoiced_in_kilograms_reach_the_customs_lines_on_both_paths(chain: Chain, day: date) -> None:
    # GIVEN the day's lines of products invoiced by the kilogram (VRKME KGM, the CSV's unit KG)
    automated = _read_back(chain.automated[TRANSACTIONS])
    automated = automated[automated["arrival"].astype(str).str.startswith(day.isoformat())]
    manual = _read_back(chain.manual_transactions[day])
    by_weight = {
        mode: sorted((str(r.document), int(r.item)) for r in frame.itertuples() if r.unit == "KGM")
        for mode, frame in (("automated", automated), ("manual", manual))
    }
    assert by_weight["automated"] == by_weight["manual"]
    # THEN every one of them is the source of a customs line on both paths, none set aside
    for mode in MODES:
        document = _json(chain.customs[day, mode])
        sources = {
            (str(d), int(i)) for e in document["entries"] for line in e["lines"] for d, i in line["sources"]
        }
        invoices = {k for k in by_weight[mode] if k not in _credits_and_cancelled(document)}
        assert invoices <= sources, mode


def test_the_sample_invoices_lines_in_kilograms(chain: Chain) -> None:
    units = _read_back(chain.automated[TRANSACTIONS])["unit"].astype(str).value_counts()
    assert units.get("KGM", 0) > 10, units.to_dict()


def _credits_and_cancelled(document: dict[str, Any]) -> set[tuple[str, int]]:
    return {(r["document"], r["item"]) for kind in ("held_out", "dropped") for r in document[kind]}


# --- customs lines -----------------------------------------------------------------------------------


@pytest.mark.parametrize("day", DATES, ids=str)
def test_the_comparison_finds_exactly_the_predicted_differences(
    chain: Chain, comparisons: dict[date, ComparisonResult], day: date
) -> None:
    result = comparisons[day]
    observed = observed_differences(result)
    predicted = predicted_differences(chain.manifest, day, _stacks(result))

    assert sorted(observed, key=str) == sorted(predicted, key=str)
    assert observed == predicted  # expected (manual) and actual (automated) values too


@pytest.mark.parametrize("day", DATES, ids=str)
def test_a_day_passes_unless_a_critical_difference_is_predicted(
    chain: Chain, comparisons: dict[date, ComparisonResult], day: date
) -> None:
    critical = {f.name for f in DEFAULT_TOLERANCES.fields if f.critical}
    critical_names = {ENGINE_TO_MANIFEST.get(name, name) for name in critical}
    predicted = list(_predictions(chain.manifest, day))
    result = comparisons[day]

    assert result.passed is not any(p.field in critical_names for p in predicted), result.failure_reasons()
    if not predicted:  # a day without injected disagreements matches line for line
        assert result.counts.lines.match == len(result.lines) > 0
        assert result.counts.entries.match == len(result.entries) > 0


@pytest.mark.parametrize("day", DATES, ids=str)
def test_each_path_sets_aside_the_lines_the_manifest_says(chain: Chain, day: date) -> None:
    outcome = chain.manifest.outcomes[day.isoformat()]
    automated_quarantine = sorted((q.document, q.item, q.reason) for q in outcome.quarantined)
    manual_only = sorted(
        (q.document, q.item, q.reason)
        for d in chain.manifest.disagreements
        for q in d.manual_only_quarantine
        if q.business_date == day
    )

    assert _set_aside(chain.customs[day, "automated"], "quarantined") == automated_quarantine
    assert _set_aside(chain.customs[day, "manual"], "quarantined") == sorted(
        automated_quarantine + manual_only
    )
    for mode in MODES:
        document = _json(chain.customs[day, mode])
        assert (len(document["held_out"]), len(document["dropped"])) == (
            outcome.held_out_credit,
            outcome.dropped_cancelled,
        ), mode


def test_the_formatting_difference_reaches_the_lines_and_causes_nothing(
    chain: Chain, comparisons: dict[date, ComparisonResult]
) -> None:
    (formatting,) = [d for d in chain.manifest.disagreements if d.kind == "formatting"]
    hts10 = _dotted(formatting.dataset_differences[0].key["hts10"])
    descriptions: dict[Mode, set[str]] = {mode: set() for mode in MODES}
    for (_, mode), document in chain.customs.items():
        for entry in _json(document)["entries"]:
            descriptions[mode].update(
                line["description"] for line in entry["lines"] if line["hts10"] == hts10
            )

    assert descriptions["automated"], f"no customs line of {hts10} in the sample"
    assert descriptions["automated"].isdisjoint(descriptions["manual"])
    assert {_loose(t) for t in descriptions["automated"]} == {_loose(t) for t in descriptions["manual"]}
    assert not [
        key
        for result in comparisons.values()
        for key in observed_differences(result)
        if key[5] == "description"
    ]


# --- determinism ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("day", DATES, ids=str)
def test_the_whole_chain_is_byte_identical_when_run_twice(
    chain: Chain, rerun: Chain, day: date, mode: Mode
) -> None:
    # The lineage names every snapshot by its content hash: equal JSON means equal snapshots too.
    assert rerun.customs[day, mode] == chain.customs[day, mode]


# --- fees across the fiscal-year boundary ----------------------------------------------------------


CENT = Decimal("0.01")
FISCAL_YEARS = {day: 2025 if day < date(2025, 10, 1) else 2026 for day in boundary_days()}
LIMITS = {2025: (Decimal("32.71"), Decimal("634.62")), 2026: (Decimal("33.58"), Decimal("651.50"))}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("day", sorted(FISCAL_YEARS), ids=str)
def test_each_side_of_the_fiscal_year_boundary_is_charged_its_own_years_fees(
    chain: Chain, day: date, mode: Mode
) -> None:
    year = FISCAL_YEARS[day]
    low, high = LIMITS[year]
    entries = _json(chain.customs[day, mode])["entries"]
    formal = [e for e in entries if e["formal"]]
    assert formal, f"no formal entry on {day}"
    for entry in entries:
        assert "fee_rate_missing" not in entry["flags"]
        lineage = entry["lineage"]
        if entry["formal"]:
            assert lineage["mpf"].startswith(f"FY{year} ("), lineage
            mpf = Decimal(entry["totals"]["mpf"])
            assert low <= mpf <= high
            assert mpf == min(
                max((Decimal("0.003464") * entry["totals"]["value"]).quantize(CENT, ROUND_HALF_UP), low), high
            )
        if entry["mode"] in ("10", "11"):
            assert lineage["hmf"].startswith(f"FY{year} ("), lineage
