"""transactions: every ZSDR002 billing line with its type and cancellation status.

Only structure is validated here — types, numbers, dates, codes, the key. Master-data gaps (an
unknown material, a missing rate) are the customs run's to report, line by line, so such a line
is published and waits there. The checks are vectorised over the text columns (a million lines
validate in well under a second); decimals become `Decimal` only for the valid rows."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pandas as pd
from ior_contracts.datasets import TRANSACTIONS
from ior_contracts.vocabulary import Mode

from ior_etl.domain.currencies import is_currency
from ior_etl.domain.dataset import DatasetBuild, SourceRows
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.materials import clean_text
from ior_etl.domain.sap_fields import CANCELLED_FLAG, ZSDR002
from ior_etl.domain.supplier_costs import latest_unit_costs, priced_below_cost
from ior_etl.domain.typed import typed_frame
from ior_etl.domain.validation import ROW, Rule, RuleSet, matching, one_of, validate_for
from ior_etl.domain.values import (
    UNIT_CODES,
    UNSIGNED_DECIMAL,
    ZERO,
    iso_dates,
    matches,
    per_distinct,
    strip_leading_zeros,
)

BILLING_TYPES = ("F2", "G2", "RE", "S1", "S2")
# CBP mode of transportation codes (ACE): vessel, rail, truck, auto, pedestrian, road, air, mail,
# passenger hand-carried, fixed transport installation.
TRANSPORT_MODES = ("10", "11", "12", "20", "21", "30", "31", "32", "33", "34", "40", "41", "50", "60", "70")
RELATED_PARTY_FLAG = "related_party_review"
_DOCUMENT = r"[0-9A-Z]{1,10}"


def _present(column: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda f: per_distinct(f[column], lambda text: text.ne("") & ~text.str.isspace())


RULES = RuleSet.of_table(
    TRANSACTIONS.name,
    ZSDR002,
    "billing item {document}/{item}",
    matching(
        "malformed_document",
        "document",
        _DOCUMENT,
        "billing document {document} is not up to 10 digits or capitals",
    ),
    matching("malformed_item", "item", r"[0-9]{1,6}", "item {item} is not a number of up to 6 digits"),
    Rule(
        "duplicate_key",
        f"appears more than once in {ZSDR002.name}",
        lambda f: ~f.duplicated(["document", "item"], keep=False),
        "document",
    ),
    one_of("unknown_billing_type", "billing_type", BILLING_TYPES, "billing type"),
    Rule(
        "invalid_billing_date",
        "billing date {billing_date} is not a date",
        lambda f: f["billing_day"].notna(),
        "billing_date",
    ),
    Rule(
        "invalid_cancellation_flag",
        f"cancellation flag {{cancelled}} is neither {CANCELLED_FLAG} nor blank",
        lambda f: f["cancelled"].isin(["", CANCELLED_FLAG]),
        "cancelled",
    ),
    matching(
        "malformed_cancelled_document",
        "cancels",
        r"[0-9A-Z]{0,10}",
        "cancelled document {cancels} is not up to 10 digits or capitals",
    ),
    Rule("missing_material", "has no material", _present("material"), "material"),
    Rule(
        "invalid_quantity",
        "quantity {quantity} is not a number above zero",
        lambda f: matches(f["quantity"], UNSIGNED_DECIMAL) & ~matches(f["quantity"], ZERO),
        "quantity",
    ),
    one_of("unknown_unit", "unit", UNIT_CODES, "unit"),
    matching("invalid_value", "value", UNSIGNED_DECIMAL, "net value {value} is not a number of zero or more"),
    Rule(
        "unknown_currency",
        "currency {currency} is not an ISO 4217 code",
        lambda f: is_currency(f["currency"]),
        "currency",
    ),
    Rule("missing_shipment", "has no shipment", _present("shipment"), "shipment"),
    matching("malformed_port", "port", r"[0-9]{4}", "port {port} is not a four-digit CBP port code"),
    Rule(
        "unknown_transport_mode",
        "transport mode {mode} is not a CBP mode of transportation code",
        lambda f: f["mode"].isin(list(TRANSPORT_MODES)),
        "mode",
    ),
    Rule(
        "invalid_arrival_date",
        "arrival date {arrival} is not a date",
        lambda f: f["arrival_day"].notna(),
        "arrival",
    ),
)


def prepare(billing: pd.DataFrame) -> pd.DataFrame:
    """ZSDR002 (SAP names) → the candidate frame the rules read: builders' names, dates parsed."""
    frame = billing[[*ZSDR002.fields, ROW]].rename(columns=ZSDR002.to_neutral).reset_index(drop=True)
    return frame.assign(billing_day=iso_dates(frame["billing_date"]), arrival_day=iso_dates(frame["arrival"]))


def _decimals(column: pd.Series) -> list[Decimal]:
    """Rows the rules passed hold plain decimal text, which `Decimal` reads exactly (each text once)."""
    decimals = per_distinct(column, lambda text: pd.Series(list(map(Decimal, text.tolist())), dtype=object))
    values: list[Decimal] = decimals.tolist()
    return values


def _optional_id(column: pd.Series) -> pd.Series:
    stripped = strip_leading_zeros(column)
    return stripped.mask(column.eq(""), None)


def build_transactions(
    billing: pd.DataFrame,
    supplier_items: pd.DataFrame | None = None,
    *,
    rates: pd.DataFrame | None = None,
    mode: Mode = "automated",
    policy: HoldPolicy | None = None,
    earlier: pd.DataFrame | None = None,
) -> DatasetBuild:
    """ZSDR002 (or `Invoice_Lines.csv` read into its form) → transactions; with ZEMM004 (and the
    exchange-rates dataset for lines in another currency) each invoice line priced below its latest
    supplier unit cost is flagged `related_party_review` and still published."""
    result = validate_for(prepare(billing), RULES, policy, earlier=earlier)
    frame = dataset_frame(result.valid, supplier_items, rates)
    flagged = int(frame[RELATED_PARTY_FLAG].sum())
    review = {RELATED_PARTY_FLAG: flagged} if flagged else {}
    sources = SourceRows.of(RULES.source, result.valid)
    return DatasetBuild(RULES.dataset, mode, frame, result, review, sources)


def dataset_frame(
    valid: pd.DataFrame, supplier_items: pd.DataFrame | None = None, rates: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Valid candidate rows → the transactions dataset, typed."""
    quantity, value = _decimals(valid["quantity"]), _decimals(valid["value"])
    unit = valid["unit"].map(UNIT_CODES).astype("str")
    material = strip_leading_zeros(valid["material"])
    review = pd.Series(False, index=valid.index)
    if supplier_items is not None:
        lines = pd.DataFrame(
            {
                "billing_type": valid["billing_type"],
                "material_id": material,
                "unit_code": unit,
                "currency": valid["currency"],
                "billing_day": valid["billing_day"],
                "value": pd.Series(value, index=valid.index, dtype=object),
                "quantity": pd.Series(quantity, index=valid.index, dtype=object),
            }
        )
        review = priced_below_cost(lines, latest_unit_costs(supplier_items), rates)
    description = clean_text(valid["description"])
    return typed_frame(
        {
            "document": strip_leading_zeros(valid["document"]),
            "item": valid["item"].astype("int64"),
            "type": valid["billing_type"],
            "cancels": _optional_id(valid["cancels"]),
            "cancelled": valid["cancelled"].eq(CANCELLED_FLAG),
            "billing_date": valid["billing_day"],
            "material": material,
            "description": description.mask(description.eq(""), None),
            "quantity": quantity,
            "unit": unit,
            "value": value,
            "currency": valid["currency"],
            "shipment": valid["shipment"],
            "port": valid["port"],
            "mode": valid["mode"],
            "arrival": valid["arrival_day"],
            "related_party_review": review,
        },
        TRANSACTIONS,
    )
