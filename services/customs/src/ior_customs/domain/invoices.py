"""The invoice lines of one arrival date as arrays, one element per line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from ior_customs.domain.columns import (
    Coded,
    InvalidCellError,
    Scaled,
    code_text,
    parse_days,
    parse_decimals,
    parse_flags,
)
from ior_customs.domain.errors import CustomsDomainError
from ior_customs.domain.money import to_int64

BILLING_TYPES = ("F2", "G2", "RE", "S1", "S2")
F2, G2, RE, S1, S2 = range(len(BILLING_TYPES))


class InvalidInvoiceLineError(CustomsDomainError):
    """An invoice line is structurally invalid (the transactions dataset promises it is not)."""


def _sorted_codes(coded: Coded) -> Coded:
    """Codes renumbered so that their order is the labels' text order."""
    order = np.argsort(coded.labels.astype(str), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    codes = np.where(coded.codes >= 0, rank[np.maximum(coded.codes, 0)], -1)
    return Coded(codes, coded.labels[order])


def _items(column: pd.Series) -> npt.NDArray[np.int64]:
    if pd.api.types.is_integer_dtype(column.dtype):
        return np.asarray(column.to_numpy(dtype=np.int64), dtype=np.int64)
    parsed = parse_decimals(column, "item")
    if parsed.scale != 0 or parsed.missing.any():
        raise InvalidCellError("item", column[parsed.missing].head(1).tolist(), "an item number")
    return to_int64(parsed.values)


@dataclass(frozen=True)
class InvoiceLines:
    """Documents are coded in text order, so sorting by (document code, item) sorts by
    (document, item)."""

    document: Coded
    item: npt.NDArray[np.int64]
    billing_type: npt.NDArray[np.int64]
    cancels: Coded
    cancelled: npt.NDArray[np.bool_]
    billing_day: npt.NDArray[np.int64]
    material: Coded
    quantity: Scaled
    unit: Coded
    value_cents: npt.NDArray[np.int64]
    currency: Coded
    shipment: Coded
    port: Coded
    mode: Coded

    def __len__(self) -> int:
        return len(self.item)

    @classmethod
    def arriving_on(cls, transactions: pd.DataFrame, day: date) -> InvoiceLines:
        arrival = parse_days(transactions["arrival"], "arrival")
        on_day = arrival == day.toordinal()
        frame = transactions if on_day.all() else transactions.loc[on_day]
        types = code_text(frame["type"])
        unknown = [t for t in types.labels if t not in BILLING_TYPES]
        if unknown or (types.codes < 0).any():
            raise InvalidInvoiceLineError(f"unknown billing types {unknown or ['(empty)']}")
        type_of_label = np.array([BILLING_TYPES.index(t) for t in types.labels] + [-1], dtype=np.int64)
        value = parse_decimals(frame["value"], "value")
        if value.scale > 2:
            raise InvalidInvoiceLineError("invoice values carry more than two decimals")
        lines = cls(
            document=_sorted_codes(code_text(frame["document"])),
            item=_items(frame["item"]),
            billing_type=type_of_label[types.codes],
            cancels=code_text(frame["cancels"]),
            cancelled=parse_flags(frame["cancelled"], "cancelled"),
            billing_day=parse_days(frame["billing_date"], "billing_date"),
            material=code_text(frame["material"]),
            quantity=parse_decimals(frame["quantity"], "quantity"),
            unit=code_text(frame["unit"]),
            value_cents=to_int64(value.at_scale(2)),
            currency=code_text(frame["currency"]),
            shipment=code_text(frame["shipment"]),
            port=code_text(frame["port"]),
            mode=code_text(frame["mode"]),
        )
        lines._validate(value.missing)
        return lines

    def _validate(self, value_missing: npt.NDArray[np.bool_]) -> None:
        if (self.document.codes < 0).any():
            raise InvalidInvoiceLineError("an invoice line has no document")
        key = np.sort(self.document.codes * (int(self.item.max(initial=0)) + 1) + self.item)
        if (key[1:] == key[:-1]).any():
            raise InvalidInvoiceLineError("two invoice lines share a (document, item)")
        invoice = self.billing_type == F2
        required = {
            "material": self.material.codes < 0,
            "quantity": self.quantity.missing,
            "unit": self.unit.codes < 0,
            "value": value_missing,
            "currency": self.currency.codes < 0,
            "billing_date": self.billing_day < 0,
            "shipment": self.shipment.codes < 0,
            "port": self.port.codes < 0,
            "mode": self.mode.codes < 0,
        }
        for column, empty in required.items():
            if (empty & invoice).any():
                raise InvalidInvoiceLineError(f"an F2 line has no {column}")
        if ((self.quantity.values < 0) & invoice).any() or ((self.value_cents < 0) & invoice).any():
            raise InvalidInvoiceLineError("an F2 line has a negative quantity or value")
