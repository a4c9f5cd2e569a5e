"""DOMAIN §4 step 1: every invoice line of the day is held out, dropped, a packaging item, a
processable goods line, or quarantined with the first check it fails. Nothing disappears."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ior_customs.domain.columns import Coded
from ior_customs.domain.currency import ExchangeRates, Rates
from ior_customs.domain.errors import CustomsDomainError
from ior_customs.domain.invoices import F2, G2, RE, S1, S2, InvoiceLines
from ior_customs.domain.reference import KG, NO, NO_AND_KG, HtsTable, MaterialFacts

QUARANTINE_REASONS = (
    "unknown_material", "no_hts_reference", "no_origin", "no_weight", "no_exchange_rate",
    "unit_not_reportable", "ambiguous_provision", "packaging_without_goods",
)  # fmt: skip
"""In the order the checks run; the last is step 2's."""
PACKAGING_WITHOUT_GOODS = QUARANTINE_REASONS.index("packaging_without_goods")

GOODS, PACKAGING, HELD_OUT, DROPPED, QUARANTINED = range(5)
PIECE, KILOGRAM = "PCE", "KGM"


class PackagingWeightMissingError(CustomsDomainError):
    """A packaging material invoiced on the day has no unit weight."""


@dataclass(frozen=True)
class Screening:
    """One element per invoice line of the day."""

    disposition: npt.NDArray[np.int64]
    reason: npt.NDArray[np.int64]
    """Index into QUARANTINE_REASONS for quarantined lines, else −1."""
    invoice_rates: Rates
    metal_rates: Rates
    is_kilogram: npt.NDArray[np.bool_]
    """The line's quantity is in kilograms (else in pieces)."""


def _cancelled_documents(lines: InvoiceLines, cancellation: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Per document code: named by a cancellation document of the day, or flagged FKSTO = X."""
    named = lines.cancels.codes[cancellation]
    named_documents = lines.cancels.labels[np.unique(named[named >= 0])]
    cancelled = np.asarray(pd.Index(lines.document.labels, dtype=object).isin(named_documents), dtype=bool)
    cancelled[lines.document.codes[lines.cancelled]] = True
    return cancelled


def _is(coded: Coded, label: str) -> npt.NDArray[np.bool_]:
    """Per cell: it holds `label` (an empty cell does not)."""
    return np.append(coded.labels == label, False)[coded.codes]


def screen(
    lines: InvoiceLines,
    material: npt.NDArray[np.int64],
    facts: MaterialFacts,
    hts: HtsTable,
    exchange_rates: ExchangeRates,
    ambiguous: npt.NDArray[np.bool_],
) -> Screening:
    """`material` indexes `facts` per line; `ambiguous` holds, per material, whether its provisions
    tie (see provisions.Resolution)."""
    kind = lines.billing_type
    cancellation = (kind == S1) | (kind == S2)
    # A cancelled document is void whatever its type, so a cancelled credit is dropped, not held.
    dropped = cancellation | _cancelled_documents(lines, cancellation)[lines.document.codes]
    held_out = ((kind == G2) | (kind == RE)) & ~dropped
    invoice = (kind == F2) & ~dropped
    packaging = invoice & facts.is_packaging[material]
    if (packaging & facts.packaging_weight_missing[material]).any():
        raise PackagingWeightMissingError("a packaging item's material has no unit weight")
    goods = invoice & ~packaging

    invoice_rates = exchange_rates.for_each(lines.currency, lines.billing_day)
    metal_currency = Coded(facts.metal_currency.codes[material], facts.metal_currency.labels)
    metal_rates = exchange_rates.for_each(metal_currency, lines.billing_day)
    has_metal_value = np.asarray(facts.metal_value[material] > 0, dtype=bool)
    is_piece, is_kilogram = _is(lines.unit, PIECE), _is(lines.unit, KILOGRAM)
    hts_row = facts.hts[material]
    reporting_unit = np.append(hts.unit, -1)[hts_row]
    needs_pieces = (reporting_unit == NO) | (reporting_unit == NO_AND_KG)
    reportable = (needs_pieces & is_piece) | ((reporting_unit == KG) & (is_piece | is_kilogram))

    checks = (
        ~facts.is_product[material],
        hts_row < 0,
        facts.origin.codes[material] < 0,
        ~facts.has_weight[material],
        ~invoice_rates.found | (has_metal_value & ~metal_rates.found),
        ~reportable,
        ambiguous[material],
    )
    reason = np.full(len(lines), -1, dtype=np.int64)
    for index, failing in enumerate(checks):
        reason[goods & (reason < 0) & failing] = index

    disposition = np.full(len(lines), GOODS, dtype=np.int64)
    disposition[packaging] = PACKAGING
    disposition[held_out] = HELD_OUT
    disposition[dropped] = DROPPED
    disposition[reason >= 0] = QUARANTINED
    return Screening(disposition, reason, invoice_rates, metal_rates, is_kilogram)
