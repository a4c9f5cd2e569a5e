"""The related-party price check: ZEMM004's latest supplier unit cost per material, and the
intercompany invoice lines (F2) priced below it.

The latest cost is the most recent debit item (SHKZG `S`) by document date, then year, document
and item: credit items (`H`) correct an earlier invoice and carry no price of their own. A line
is compared when its unit matches the supplier item's order unit; in another currency both sides
are converted at the exchange-rates dataset's latest rate on or before the line's billing date,
and without such a rate the line is not flagged. Prices are compared exactly, cross-multiplied:
value × cost quantity < cost amount × quantity."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from ior_etl.domain.sap_fields import DEBIT, ZEMM004
from ior_etl.domain.values import UNIT_CODES, decimal_or_none, iso_dates, strip_leading_zeros

USD = "USD"
INVOICE = "F2"


def latest_unit_costs(items: pd.DataFrame) -> pd.DataFrame:
    """Per material (without leading zeros): `cost_amount`, `cost_quantity` (Decimals), `cost_currency`,
    `cost_unit` (UN/ECE) of its latest supplier debit item."""
    frame = items[list(ZEMM004.fields)].rename(columns=ZEMM004.to_neutral)
    frame = frame.assign(
        material_id=strip_leading_zeros(frame["material"]),
        day=iso_dates(frame["document_date"]),
        amount=[decimal_or_none(t) for t in frame["amount"]],
        qty=[decimal_or_none(t) for t in frame["quantity"]],
    )
    usable = (
        frame["debit_credit"].eq(DEBIT)
        & frame["day"].notna()
        & frame["amount"].map(lambda v: v is not None and v >= 0)
        & frame["qty"].map(lambda v: v is not None and v > 0)
    )
    frame = frame[usable].sort_values(["material_id", "day", "year", "document", "item"], kind="mergesort")
    latest = frame.drop_duplicates("material_id", keep="last")
    return pd.DataFrame(
        {
            "material_id": latest["material_id"].astype("str"),
            "cost_amount": latest["amount"].astype(object),
            "cost_quantity": latest["qty"].astype(object),
            "cost_currency": latest["currency"].astype("str"),
            "cost_unit": latest["order_unit"].map(UNIT_CODES).astype("str"),
        }
    ).reset_index(drop=True)


def _rates_on_billing_day(lines: pd.DataFrame, currency_column: str, rates: pd.DataFrame | None) -> pd.Series:
    """USD per unit of each line's `currency_column` at the latest rate on or before its billing
    date (1 for USD; None where there is none). Looked up once per distinct currency and day."""
    pairs = lines[[currency_column, "billing_day"]].drop_duplicates().reset_index(drop=True)
    found: list[Decimal | None] = [Decimal(1) if c == USD else None for c in pairs[currency_column].tolist()]
    foreign = pairs[pairs[currency_column].ne(USD)]
    if rates is not None and not rates.empty and not foreign.empty:
        table = rates.rename(columns={"currency": currency_column, "date": "billing_day"})
        table = table.astype({"billing_day": foreign["billing_day"].dtype})
        matched = pd.merge_asof(
            foreign.reset_index().sort_values("billing_day"),
            table.sort_values("billing_day"),
            on="billing_day",
            by=currency_column,
            direction="backward",
        )
        for position, rate in zip(matched["index"].tolist(), matched["usd_per_unit"].tolist(), strict=True):
            found[position] = rate if isinstance(rate, Decimal) else None  # NaN where no rate
    pairs["rate"] = pd.Series(found, dtype=object)
    return lines[[currency_column, "billing_day"]].merge(pairs, how="left")["rate"].set_axis(lines.index)


def _as_float(values: pd.Series) -> np.ndarray:
    """Decimals (None for none) → float64, NaN for none; numpy calls `float` on each in C."""
    objects = values.to_numpy(dtype=object, copy=True)
    objects[pd.isna(objects)] = np.nan
    floats: np.ndarray = objects.astype(float)
    return floats


def priced_below_cost(
    lines: pd.DataFrame, costs: pd.DataFrame, rates: pd.DataFrame | None = None
) -> pd.Series:
    """For lines with `billing_type`, `material_id`, `unit_code`, `currency`, `billing_day`, `value`
    and `quantity` (Decimals): True where an invoice line is priced below its latest supplier cost.

    Compared as value × line rate × cost quantity < cost amount × cost rate × quantity (both rates 1
    in one currency). Floats decide where the two sides are clearly apart; the few within a
    billionth of each other are decided in exact decimals."""
    flags = pd.Series(False, index=lines.index)
    invoices = lines[lines["billing_type"].eq(INVOICE)]
    if invoices.empty or costs.empty:
        return flags
    joined = invoices.reset_index().merge(costs, on="material_id", how="inner")
    joined = joined[joined["unit_code"].eq(joined["cost_unit"])].reset_index(drop=True)
    if joined.empty:
        return flags
    same = joined["currency"].eq(joined["cost_currency"])
    one = pd.Series(Decimal(1), index=joined.index, dtype=object)
    line_rate = one.where(same, _rates_on_billing_day(joined, "currency", rates))
    cost_rate = one.where(same, _rates_on_billing_day(joined, "cost_currency", rates))
    sides = (
        (joined["value"], line_rate, joined["cost_quantity"]),
        (joined["cost_amount"], cost_rate, joined["quantity"]),
    )
    price, cost = (_as_float(a) * _as_float(b) * _as_float(c) for a, b, c in sides)
    below = price < cost
    close = np.abs(price - cost) <= 1e-9 * np.maximum(np.abs(price), np.abs(cost))
    for position in np.flatnonzero(close):
        left, right = (a.iat[position] * b.iat[position] * c.iat[position] for a, b, c in sides)
        below[position] = left < right
    flags.loc[joined["index"].to_numpy()] = below  # NaN (no rate) compared False: not flagged
    return flags
