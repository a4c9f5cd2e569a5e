"""What product-master and packaging-materials share: ZEMM005 joined with its ZFMIOR002 weights,
weights in kilograms, and the rules about the join.

A material without a weight record is waiting for master data (re-evaluable); a material with two
weight records is a data error. The other weight rules only speak when exactly one record exists,
so a missing record is reported once, as what it is."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from ior_etl.domain.sap_fields import ZEMM005, ZFMIOR002
from ior_etl.domain.validation import ROW, Rule, RuleSet, present, unique_key
from ior_etl.domain.values import decimal_or_none, matches, per_distinct, strip_leading_zeros

KG_PER = {"KG": Decimal(1), "LB": Decimal("0.45359237")}
GRAMS_PER_KG = Decimal(1000)
WEIGHT_UNITS = ("KG", "G", "LB")

MATERIAL_COLUMNS = tuple(ZEMM005.to_sap)
WEIGHT_COLUMNS = tuple(c for c in ZFMIOR002.to_sap if c != "material")
CANDIDATE_COLUMNS = (*MATERIAL_COLUMNS, *WEIGHT_COLUMNS)
TO_SOURCE = {**ZEMM005.to_sap, **ZFMIOR002.to_sap}


def to_kg(value: Decimal, unit: str) -> Decimal:
    """A weight in G, KG or LB → kg, exactly: G ÷ 1000, LB × 0.45359237."""
    if unit == "G":
        return value / GRAMS_PER_KG
    return value * KG_PER[unit]


def kg_or_none(text: str, unit: str) -> Decimal | None:
    value = decimal_or_none(text)
    return None if value is None or unit not in WEIGHT_UNITS else to_kg(value, unit)


def clean_text(column: pd.Series) -> pd.Series:
    """Descriptions on one line: runs of whitespace become one space, ends trimmed."""
    return per_distinct(column, _one_line)


def _one_line(column: pd.Series) -> pd.Series:
    untidy = column.str.contains(r"\s\s|[\t\n\r\f\v]", regex=True).fillna(False).astype(bool)
    if untidy.any():
        column = column.where(~untidy, column[untidy].str.replace(r"\s+", " ", regex=True))
    return column.str.strip()


def material_candidates(materials: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """ZEMM005 rows (SAP names) with their ZFMIOR002 weights, under the builders' names; one row per
    material row, `weight_records` counting the weight records found for it."""
    left = materials[[*ZEMM005.fields, ROW]].rename(columns=ZEMM005.to_neutral).reset_index(drop=True)
    right = weights[list(ZFMIOR002.fields)].rename(columns=ZFMIOR002.to_neutral)
    counts = right.groupby("material").size().rename("weight_records")
    first = right.drop_duplicates("material", keep="first")
    frame = left.merge(first, on="material", how="left").merge(counts, on="material", how="left")
    frame["weight_records"] = frame["weight_records"].fillna(0).astype("int64")
    for column in WEIGHT_COLUMNS:
        frame[column] = frame[column].fillna("").astype("str")
    frame["material_id"] = strip_leading_zeros(frame["material"])
    return frame


def one_record(frame: pd.DataFrame) -> pd.Series:
    return frame["weight_records"].eq(1)


def known_unit(frame: pd.DataFrame) -> pd.Series:
    return frame["weight_unit"].isin(WEIGHT_UNITS)


def material_rule_set(dataset: str, subject: str, *rules: Rule) -> RuleSet:
    """A dataset of ZEMM005 rows with their weights: the join's rules, then the dataset's own."""
    join = (
        present("missing_material", "material", "the material number is blank"),
        unique_key(["material_id"], f"appears more than once in {ZEMM005.name}", field="material"),
        present("missing_description", "description", "the description is blank"),
        Rule(
            "missing_weight_record",
            f"has no weight record in {ZFMIOR002.name} yet",
            lambda f: f["weight_records"].gt(0),
            "material",
            master_data=True,
        ),
        Rule(
            "ambiguous_weight_record",
            f"has {{weight_records}} weight records in {ZFMIOR002.name}",
            lambda f: f["weight_records"].le(1),
            "material",
        ),
        Rule(
            "unknown_weight_unit",
            "weight unit {weight_unit} is not one of " + ", ".join(WEIGHT_UNITS),
            lambda f: ~one_record(f) | known_unit(f),
            "weight_unit",
        ),
    )
    return RuleSet(dataset, ZEMM005.name, subject, CANDIDATE_COLUMNS, (*join, *rules), TO_SOURCE)


def positive_weight(frame: pd.DataFrame, column: str, *, allow_zero: bool = False) -> pd.Series:
    """Where exactly one weight record in a known unit exists, `column` is a decimal above (or at) zero."""
    text = frame[column]
    ok = matches(text, r"[0-9]+(\.[0-9]+)?")
    if not allow_zero:
        ok &= ~matches(text, r"0+(\.0+)?")
    return ~(one_record(frame) & known_unit(frame)) | ok


def select_types(frame: pd.DataFrame, types: frozenset[str]) -> pd.DataFrame:
    return frame[frame[ZEMM005.material_type].isin(types)]
