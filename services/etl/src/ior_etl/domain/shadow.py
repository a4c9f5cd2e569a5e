"""Shadow comparison of a dataset: the automated version against the manual one built from its
legacy CSV, row by key and field by field, listing every difference.

Only documented mapping adjustments are ignored (`docs/field-mapping.md`):
- fields the CSV does not carry (`IGNORED`): product-master `material_type` and `base_unit`,
  hts-reference `official_revision`, transactions `cancels` and `related_party_review`;
- descriptions compare ignoring case and whitespace, as customs lines do (DOMAIN §6);
- exchange-rates `usd_per_unit` compares at the analysts' precision: the automated rate, derived
  from SAP's factors, is rounded half-up to the decimal places of the manual figure;
- transactions compare on the arrival dates the manual file has (it is one day's file).
Decimals compare as numbers (`0.10` equals `0.1`); every other field compares as its published text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from ior_contracts.datasets import DATASETS, DatasetSchema

from ior_etl.domain.typed import column_text
from ior_etl.domain.values import decimal_or_none, decimal_text, round_places

ROW_FIELD = "(row)"
PRESENT, ABSENT = "present", "absent"

IGNORED: dict[str, dict[str, str]] = {
    "product-master": {
        "material_type": "Product_List.csv has no material type; the manual path records FERT",
        "base_unit": "Product_List.csv has no base unit; the manual path records pieces",
    },
    "hts-reference": {"official_revision": "empty on the manual path by contract"},
    "transactions": {
        "cancels": "Invoice_Lines.csv has no cancelled-document column",
        "related_party_review": "ZEMM004 has no legacy file; the manual path flags nothing",
    },
}
DESCRIPTIONS = frozenset({"description"})


@dataclass(frozen=True)
class Difference:
    dataset: str
    key: str
    field: str
    automated: str
    manual: str


def _loose(text: str) -> str:
    return "".join(text.split()).casefold()


def _at_manual_precision(automated: str, manual: str) -> str:
    """The automated rate rounded to the manual figure's decimal places (the analysts' precision)."""
    value, reference = decimal_or_none(automated), decimal_or_none(manual)
    if value is None or reference is None:
        return automated
    exponent = reference.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return decimal_text(round_places(value, places))


def _same_text(automated: str, manual: str) -> bool:
    return automated == manual


def _same_number(automated: str, manual: str) -> bool:
    return Decimal(automated) == Decimal(manual) if automated and manual else automated == manual


def _same_description(automated: str, manual: str) -> bool:
    return _loose(automated) == _loose(manual)


def _same_rate(automated: str, manual: str) -> bool:
    return _same_number(
        _at_manual_precision(automated, manual) if automated and manual else automated, manual
    )


def _equal(schema: DatasetSchema, field: str) -> Callable[[str, str], bool]:
    if field in DESCRIPTIONS:
        return _same_description
    if schema.name == "exchange-rates" and field == "usd_per_unit":
        return _same_rate
    kind = next(c.kind for c in schema.columns if c.name == field)
    return _same_number if kind == "decimal" else _same_text


def _texts(frame: pd.DataFrame, schema: DatasetSchema) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    return pd.DataFrame(
        {c.name: pd.Series(column_text(frame[c.name], c), dtype=object) for c in schema.columns}
    )


def _scoped(dataset: str, automated: pd.DataFrame, manual: pd.DataFrame) -> pd.DataFrame:
    if dataset == "transactions":
        return automated[automated["arrival"].isin(manual["arrival"].unique())]
    return automated


def compare(dataset: str, automated: pd.DataFrame, manual: pd.DataFrame) -> list[Difference]:
    """Every difference between the two typed frames of `dataset`, ordered by key then field."""
    schema = DATASETS[dataset]
    automated = _scoped(dataset, automated, manual)
    a, m = _texts(automated, schema), _texts(manual, schema)
    key = list(schema.key)
    a.index = pd.Index(["/".join(parts) for parts in a[key].itertuples(index=False)])
    m.index = pd.Index(["/".join(parts) for parts in m[key].itertuples(index=False)])
    ignored = IGNORED.get(dataset, {})
    fields = [c.name for c in schema.columns if c.name not in ignored and c.name not in key]
    equal = {f: _equal(schema, f) for f in fields}
    differences: list[Difference] = []
    for row_key in sorted(set(a.index) | set(m.index)):
        if row_key not in m.index:
            differences.append(Difference(dataset, row_key, ROW_FIELD, PRESENT, ABSENT))
            continue
        if row_key not in a.index:
            differences.append(Difference(dataset, row_key, ROW_FIELD, ABSENT, PRESENT))
            continue
        auto_row, manual_row = a.loc[row_key], m.loc[row_key]
        for field in fields:
            if not equal[field](auto_row[field], manual_row[field]):
                differences.append(Difference(dataset, row_key, field, auto_row[field], manual_row[field]))
    return differences
