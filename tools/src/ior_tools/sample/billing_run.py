"""Writing the billing days: ZSDR002 and each day's Invoice_Lines.csv from one stream of invoices.

Each day is generated, written to both files and tallied invoice by invoice, so memory stays flat
however many lines a day holds; what the manifest needs is kept small (outcomes, fixtures, faults)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ior_tools.sample.company import Company
from ior_tools.sample.exchange_rates import RateBook
from ior_tools.sample.faults import MALFORMATIONS, MissingRate
from ior_tools.sample.invoices import UNKNOWN, DayGenerator, FaultAction, Invoice
from ior_tools.sample.legacy_writer import InvoiceLinesCsv
from ior_tools.sample.manifest import (
    Cancellation,
    DayOutcome,
    LineOutcome,
    MalformedRow,
    SourceValue,
    UnknownMaterialLine,
)
from ior_tools.sample.outcomes import DayTally
from ior_tools.sample.sap_writer import BillingWriter


@dataclass
class BillingResult:
    """What the written billing days hold, as the manifest reports it."""

    counts: dict[str, int] = field(default_factory=dict)  # records per file
    hashes: dict[str, str] = field(default_factory=dict)  # SHA-256 per file, computed while writing
    outcomes: dict[str, DayOutcome] = field(default_factory=dict)
    fixtures: list[tuple[date, Invoice]] = field(default_factory=list)
    cancellations: list[Cancellation] = field(default_factory=list)
    malformed_rows: list[MalformedRow] = field(default_factory=list)
    unknown_lines: list[UnknownMaterialLine] = field(default_factory=list)
    by_missing_rate: dict[MissingRate, list[LineOutcome]] = field(default_factory=dict)


def write_billing(
    out_dir: Path,
    company: Company,
    published_rates: RateBook,
    generators: Sequence[DayGenerator],
    targets: Sequence[Mapping[int, FaultAction] | None],
    missing_rates: tuple[MissingRate, ...],
    progress: Callable[[date, int], None] | None = None,
) -> BillingResult:
    result = BillingResult()
    billing_file = "sap/ZSDR002.jsonl"
    with BillingWriter(out_dir / billing_file) as billing:
        for generator, plan in zip(generators, targets, strict=True):
            day = generator.plan.business_date
            tally = DayTally(company, published_rates, day, missing_rates)
            day_file = f"legacy/{day.isoformat()}/Invoice_Lines.csv"
            with InvoiceLinesCsv(out_dir / day_file) as day_csv:
                for invoice in generator.invoices(plan):
                    billing.write_invoice(invoice)
                    day_csv.write_invoice(invoice)
                    tally.add(invoice)
                    if invoice.role == "fixture":
                        result.fixtures.append((day, invoice))
                    elif invoice.role == "cancellation":
                        result.cancellations.append(
                            Cancellation(business_date=day, document=invoice.vbeln, cancels=invoice.sfakn)
                        )
                    elif plan and invoice.role == "regular":
                        _record_faults(invoice, day, day_file, result)
            result.counts[day_file] = day_csv.rows
            result.hashes[day_file] = day_csv.sha256
            result.outcomes[day.isoformat()] = tally.outcome()
            for missing, lines in tally.by_missing_rate.items():
                result.by_missing_rate.setdefault(missing, []).extend(lines)
            if progress is not None:
                progress(day, day_csv.rows)
    result.counts[billing_file] = billing.count
    result.hashes[billing_file] = billing.sha256
    result.malformed_rows.sort(key=lambda row: (row.key["VBELN"], row.key["POSNR"]))
    result.unknown_lines.sort(key=lambda row: (row.key["VBELN"], row.key["POSNR"]))
    return result


def _record_faults(invoice: Invoice, day: date, day_file: str, result: BillingResult) -> None:
    for item in invoice.items:
        key = {"VBELN": invoice.vbeln, "POSNR": f"{item.posnr:06d}"}
        if item.malformed:
            fault = MALFORMATIONS[item.malformed]
            result.malformed_rows.append(
                MalformedRow(
                    business_date=day,
                    entity_set="ZSDR002",
                    key=key,
                    csv=SourceValue(
                        source=day_file,
                        key={"Billing Doc": invoice.vbeln, "Item": str(item.posnr)},
                        field=fault.csv_column,
                        value=fault.csv_value,
                    ),
                    field=fault.sap_field,
                    value=fault.sap_value,
                    expected={
                        "stage": "etl",
                        "dataset": "transactions",
                        "outcome": "rejected",
                        "rule": fault.rule,
                    },
                )
            )
        elif item.kind == UNKNOWN:
            result.unknown_lines.append(
                UnknownMaterialLine(
                    business_date=day,
                    entity_set="ZSDR002",
                    key=key,
                    material=item.material,
                    expected={"stage": "customs", "outcome": "quarantined", "reason": "unknown_material"},
                )
            )
