"""What the reference datasets say about the day's materials, one element per distinct material:
product master (HTS number, origin, weights, metal content), packaging materials and the HTS
reference they point to."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ior_customs.domain.columns import Coded, code_text, parse_decimals, parse_flags
from ior_customs.domain.errors import CustomsDomainError
from ior_customs.domain.money import IntArray

REPORTING_UNITS = ("No.", "kg", "No. and kg")
PRODUCT_FACTS = (
    "hts10",
    "origin",
    "net_kg",
    "gross_kg",
    "metal_share",
    "metal_value_per_unit",
    "metal_value_currency",
)
NO, KG, NO_AND_KG = range(len(REPORTING_UNITS))


class InvalidReferenceError(CustomsDomainError):
    """A reference dataset holds its key twice or lacks a cell the processor needs."""


def _unique_index(column: pd.Series, dataset: str) -> pd.Index:
    index = pd.Index([str(v) for v in column.tolist()], dtype=object)
    if not index.is_unique:
        raise InvalidReferenceError(f"{dataset} holds {index[index.duplicated()][0]!r} twice")
    return index


def _picked(frame: pd.DataFrame, rows: npt.NDArray[np.int64], columns: tuple[str, ...]) -> dict[str, Any]:
    """Each column's cell in each of `rows`; an empty cell where the row is −1."""
    cells = np.empty((len(frame) + 1, len(columns)), dtype=object)
    cells[: len(frame)] = frame.loc[:, list(columns)].to_numpy(dtype=object)
    taken = cells[np.where(rows >= 0, rows, len(frame))]
    return {column: taken[:, i] for i, column in enumerate(columns)}


def dotted(hts10: str) -> str:
    """`8517620020` → `8517.62.00.20`."""
    return f"{hts10[:4]}.{hts10[4:6]}.{hts10[6:8]}.{hts10[8:]}"


@dataclass(frozen=True)
class HtsTable:
    """The HTS reference, rows in HTS order."""

    hts10: npt.NDArray[np.object_]
    description: npt.NDArray[np.object_]
    unit: npt.NDArray[np.int64]
    """Index into REPORTING_UNITS, −1 for a unit no customs line can report."""
    rate: IntArray
    rate_scale: int

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> HtsTable:
        numbers = np.array([str(h) for h in frame["hts10"].tolist()], dtype=object)
        order = np.argsort(numbers.astype(str), kind="stable")
        _unique_index(pd.Series(numbers[order]), "hts-reference")
        rate = parse_decimals(frame["general_rate"].to_numpy(dtype=object)[order], "general_rate")
        if rate.missing.any():
            raise InvalidReferenceError("hts-reference has a number without a general rate")
        units = frame["unit"].to_numpy(dtype=object)[order]
        return cls(
            hts10=numbers[order],
            description=np.array(
                [str(d) for d in frame["description"].to_numpy(dtype=object)[order]], dtype=object
            ),
            unit=np.array(
                [REPORTING_UNITS.index(u) if u in REPORTING_UNITS else -1 for u in units], dtype=np.int64
            ),
            rate=rate.values,
            rate_scale=rate.scale,
        )


@dataclass(frozen=True)
class MaterialFacts:
    """One element per material of the day (products, packaging, or neither). Weights are scaled
    by 10**weight_scale, metal values per unit by 10**metal_value_scale."""

    is_packaging: npt.NDArray[np.bool_]
    packaging_unit_kg: IntArray
    packaging_weight_missing: npt.NDArray[np.bool_]
    is_product: npt.NDArray[np.bool_]
    hts: npt.NDArray[np.int64]
    """Row of the HtsTable, −1 when the product has no HTS number or the reference lacks it."""
    origin: Coded
    has_weight: npt.NDArray[np.bool_]
    net_kg: IntArray
    gross_kg: IntArray
    weight_scale: int
    metal_share: list[Decimal]
    metal_value: IntArray
    metal_value_scale: int
    metal_currency: Coded

    @classmethod
    def build(
        cls,
        materials: npt.NDArray[np.object_],
        products: pd.DataFrame,
        packaging: pd.DataFrame,
        hts: HtsTable,
    ) -> MaterialFacts:
        wanted = pd.Index(materials.astype(str), dtype=object)
        packing = packaging
        if "is_packaging" in packaging.columns:
            packing = packaging.loc[parse_flags(packaging["is_packaging"].fillna("true"), "is_packaging")]
        pack_row = _unique_index(packing["material"], "packaging-materials").get_indexer(wanted)
        product_row = _unique_index(products["material"], "product-master").get_indexer(wanted)

        unit_kg = parse_decimals(_picked(packing, pack_row, ("unit_kg",))["unit_kg"], "unit_kg")
        product = _picked(products, product_row, PRODUCT_FACTS)
        net = parse_decimals(product["net_kg"], "net_kg")
        gross = parse_decimals(product["gross_kg"], "gross_kg")
        share = parse_decimals(product["metal_share"], "metal_share")
        metal_value = parse_decimals(product["metal_value_per_unit"], "metal_value_per_unit")
        weight_scale = max(unit_kg.scale, net.scale, gross.scale)
        net_kg = net.at_scale(weight_scale)
        hts_numbers = code_text(product["hts10"])
        hts_of_label = pd.Index(hts.hts10, dtype=object).get_indexer(
            pd.Index(hts_numbers.labels, dtype=object)
        )
        return cls(
            is_packaging=pack_row >= 0,
            packaging_unit_kg=unit_kg.at_scale(weight_scale),
            packaging_weight_missing=unit_kg.missing,
            is_product=product_row >= 0,
            hts=np.where(hts_numbers.codes >= 0, np.append(hts_of_label, -1)[hts_numbers.codes], -1),
            origin=code_text(product["origin"]),
            has_weight=~net.missing & ~gross.missing & np.asarray(net_kg > 0, dtype=bool),
            net_kg=net_kg,
            gross_kg=gross.at_scale(weight_scale),
            weight_scale=weight_scale,
            # A product without a declared share has no metal content by weight.
            metal_share=[Decimal(int(v)).scaleb(-share.scale) for v in share.values],
            metal_value=metal_value.values,
            metal_value_scale=metal_value.scale,
            metal_currency=code_text(product["metal_value_currency"]),
        )
