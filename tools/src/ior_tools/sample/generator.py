"""generate(): the sample company's SAP extracts, legacy CSVs and manifest, streamed to disk."""

from __future__ import annotations

import hashlib
import random
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from ior_contracts.calendar import BusinessCalendar

from ior_tools.sample.billing_run import BillingResult, write_billing
from ior_tools.sample.company import (
    BELOW_COST_PRODUCTS,
    FIXTURE_ONLY_PACKAGING,
    FIXTURE_ONLY_PRODUCTS,
    Company,
    sample_company,
)
from ior_tools.sample.customs_model import Tolerances
from ior_tools.sample.disagreements import MANUAL_OVERRIDES, disagreement_records, fixtures_for_day
from ior_tools.sample.exchange_rates import FOREIGN_CURRENCIES, RateBook, RateRow, market_rates
from ior_tools.sample.faults import Faults, plan_targets
from ior_tools.sample.invoices import DayGenerator, DayPlan
from ior_tools.sample.legacy_writer import write_reference
from ior_tools.sample.manifest import DroppedRate, FaultsRecord, Manifest
from ior_tools.sample.provisions import sample_provisions
from ior_tools.sample.sap_writer import write_master_extracts
from ior_tools.sample.supplier_invoices import supplier_items

DEFAULT_START = date(2026, 3, 30)  # Section 122 in force, Section 232 still on metal content
# FY2025's fee figures give way to FY2026's on 1 October 2025 (both cited): the sample has business
# days on either side, so the fee table is exercised across a fiscal-year boundary it covers.
FISCAL_YEAR_BOUNDARY = date(2025, 10, 1)
BOUNDARY_DAYS = 2  # business days on each side of it
DEFAULT_SEED = 7
DEFAULT_DAYS = 5
MIN_LINES_PER_DAY = 40
MAX_DAYS = 99  # billing document numbers carry the day index in two digits
MAX_BILLING_LAG_DAYS = 120
DEFAULT_VOLUME = (220, 320)  # lines per day when not given
RATE_HISTORY_DAYS = 45  # rates quoted before the first arrival, covering the longest ocean transit
_OUR_ENTRIES = frozenset({"sap", "legacy", "manifest.json"})


class SampleError(ValueError):
    """The arguments cannot produce a sample."""


def generate(
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    days: int = DEFAULT_DAYS,
    lines_per_day: int | None = None,
    start: date = DEFAULT_START,
    faults: Faults = Faults(),  # noqa: B008 - a frozen dataclass, safe as a default
    progress: Callable[[date, int], None] | None = None,
    billing_lag_days: int = 0,
    fiscal_year_boundary: bool = True,
) -> Manifest:
    """Write the sample company under `out_dir` and return its manifest (also written as manifest.json).

    The business dates are `days` from `start` and, with `fiscal_year_boundary`, the business days
    either side of 1 October 2025. `progress`, if given, is called after each business date is
    written, with the date and its lines. `billing_lag_days` bills every document that many days
    earlier than it ships (0: as usual)."""
    _validate(days, lines_per_day, billing_lag_days)
    out_dir = Path(out_dir)
    _prepare(out_dir)
    company, provisions = sample_company(), sample_provisions()
    dates = business_dates(start, days, fiscal_year_boundary=fiscal_year_boundary)

    quoted = market_rates(dates[0] - timedelta(days=RATE_HISTORY_DAYS + billing_lag_days), dates[-1])
    published = [row for row in quoted if not any(missing.drops(row) for missing in faults.missing_rates)]
    # Invoices are priced at the market's rates; the pipeline sees only the published ones.
    generators = [
        DayGenerator(company, RateBook(quoted), plan, seed)
        for plan in _day_plans(company, seed, dates, lines_per_day, billing_lag_days)
    ]
    targets = (
        plan_targets(faults, seed, dates, [generator.count_eligible() for generator in generators])
        if faults.needs_targets
        else [None for _ in dates]
    )

    counts = write_master_extracts(
        out_dir / "sap", company, provisions, supplier_items(company, seed, dates[0]), published
    )
    reference = write_reference(
        out_dir / "legacy" / "reference", company, provisions, published, MANUAL_OVERRIDES
    )
    counts.update({f"legacy/reference/{name}": rows for name, rows in reference.items()})
    billing = write_billing(
        out_dir, company, RateBook(published), generators, targets, faults.missing_rates, progress
    )
    counts.update(billing.counts)

    manifest = Manifest(
        seed=seed,
        parameters=_parameters(days, lines_per_day, start, faults, billing_lag_days, fiscal_year_boundary),
        business_dates=dates,
        company=_company_summary(company),
        counts={
            "sap": {name: n for name, n in sorted(counts.items()) if not name.startswith(("legacy/", "sap/"))}
            | {"ZSDR002": billing.counts["sap/ZSDR002.jsonl"]},
            "legacy": {name: n for name, n in sorted(counts.items()) if name.startswith("legacy/")},
        },
        outcomes=billing.outcomes,
        cancellations=billing.cancellations,
        comparison_tolerances={
            "money_usd": "1",
            "kg_absolute": "1",
            "kg_relative": "0.01",
            "description": "case and spaces ignored",
        },
        disagreements=disagreement_records(company, billing.fixtures, Tolerances()),
        faults=FaultsRecord(
            malformed_rows=billing.malformed_rows,
            unknown_materials=billing.unknown_lines,
            missing_rates=_dropped_rates(faults, quoted, billing),
        ),
        files=_file_hashes(out_dir, billing.hashes),
    )
    manifest.write(out_dir / "manifest.json")
    return manifest


def boundary_days() -> list[date]:
    """The business days either side of `FISCAL_YEAR_BOUNDARY`."""
    calendar = BusinessCalendar()
    first = FISCAL_YEAR_BOUNDARY
    for _ in range(BOUNDARY_DAYS):
        first = calendar.previous_business_day(first)
    return calendar.first_business_days(first, 2 * BOUNDARY_DAYS)


def business_dates(start: date, days: int, *, fiscal_year_boundary: bool = True) -> list[date]:
    """The sample's arrival dates, in order."""
    chosen = set(BusinessCalendar().first_business_days(start, days))
    if fiscal_year_boundary:
        chosen |= set(boundary_days())
    return sorted(chosen)


def _validate(days: int, lines_per_day: int | None, billing_lag_days: int) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise SampleError(f"days must be between 1 and {MAX_DAYS}, got {days}")
    if not 0 <= billing_lag_days <= MAX_BILLING_LAG_DAYS:
        raise SampleError(f"the billing lag must be 0 to {MAX_BILLING_LAG_DAYS} days, got {billing_lag_days}")
    if lines_per_day is not None and lines_per_day < MIN_LINES_PER_DAY:
        raise SampleError(f"lines per day must be at least {MIN_LINES_PER_DAY}, got {lines_per_day}")


def _prepare(out_dir: Path) -> None:
    """Start from an empty layout; refuse a directory holding anything the generator did not write."""
    if out_dir.exists():
        if not out_dir.is_dir():
            raise SampleError(f"{out_dir} is not a directory")
        strangers = sorted(entry.name for entry in out_dir.iterdir() if entry.name not in _OUR_ENTRIES)
        if strangers:
            raise SampleError(
                f"{out_dir} holds files the generator did not write ({', '.join(strangers[:5])}); "
                "choose an empty or new directory"
            )
        for name in ("sap", "legacy"):
            if (out_dir / name).exists():
                shutil.rmtree(out_dir / name)
        (out_dir / "manifest.json").unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)


def _day_plans(
    company: Company, seed: int, dates: list[date], lines_per_day: int | None, billing_lag_days: int
) -> list[DayPlan]:
    return [
        DayPlan(
            business_date=day,
            day_index=index,
            lines=lines_per_day or random.Random(f"{seed}:volume:{day.isoformat()}").randint(*DEFAULT_VOLUME),
            fixtures=fixtures_for_day(company, seed, index, len(dates), day),
            with_cancellation=index == min(1, len(dates) - 1),
            billing_lag_days=billing_lag_days,
        )
        for index, day in enumerate(dates)
    ]


def _parameters(
    days: int,
    lines_per_day: int | None,
    start: date,
    faults: Faults,
    billing_lag_days: int,
    fiscal_year_boundary: bool,
) -> dict[str, object]:
    # The lag is named only when set, so a sample made without it is byte for byte what it was.
    return {
        **({"billing_lag_days": billing_lag_days} if billing_lag_days else {}),
        "days": days,
        "fiscal_year_boundary": FISCAL_YEAR_BOUNDARY.isoformat() if fiscal_year_boundary else None,
        "lines_per_day": lines_per_day,
        "start": start.isoformat(),
        "faults": {
            "malformed_rows": faults.malformed_rows,
            "unknown_materials": faults.unknown_materials,
            "missing_rates": [f"{m.currency}@{m.billing_date.isoformat()}" for m in faults.missing_rates],
        },
    }


def _company_summary(company: Company) -> dict[str, object]:
    return {
        "products": len(company.products),
        "packaging_materials": len(company.packaging),
        "hts_lines": len(company.hts),
        "provisions": len(sample_provisions()),
        "foreign_currencies": list(FOREIGN_CURRENCIES),
        "below_cost_products": sorted(BELOW_COST_PRODUCTS),
        "fixture_only_materials": sorted(FIXTURE_ONLY_PRODUCTS | FIXTURE_ONLY_PACKAGING),
    }


def _dropped_rates(faults: Faults, quoted: list[RateRow], billing: BillingResult) -> list[DroppedRate]:
    return [
        DroppedRate(
            currency=missing.currency,
            billing_date=missing.billing_date,
            dropped_gdatu=sorted({row.gdatu for row in quoted if missing.drops(row)}),
            affected=billing.by_missing_rate.get(missing, []),
        )
        for missing in faults.missing_rates
    ]


def _file_hashes(out_dir: Path, known: dict[str, str]) -> dict[str, str]:
    """SHA-256 of every file written; the streamed ones were hashed on the way out."""
    hashes = {}
    for path in sorted(out_dir.rglob("*")):
        name = path.relative_to(out_dir).as_posix()
        if path.is_file() and name != "manifest.json":
            hashes[name] = known.get(name) or _sha256(path)
    return hashes


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
