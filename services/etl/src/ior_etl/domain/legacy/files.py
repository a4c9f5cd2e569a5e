"""The six legacy files, declared: which SAP tables each becomes, which column each SAP field is
read from, and what the files do not carry (the mapping adjustments of `docs/field-mapping.md`)."""

from __future__ import annotations

from collections.abc import Mapping

from ior_contracts.legacy import formats

from ior_etl.domain import sap_fields
from ior_etl.domain.exchange_rates import TARGET_CURRENCY
from ior_etl.domain.legacy.reading import LegacyFile, Record
from ior_etl.domain.materials import to_kg
from ior_etl.domain.sap_fields import ZEMM005, ZEMM07, ZFMIOR001, ZFMIOR002, ZFMIOR003, ZSDR002
from ior_etl.domain.values import decimal_or_none, decimal_text

_NO_METAL = dict.fromkeys((ZFMIOR002.steel, ZFMIOR002.aluminum, ZFMIOR002.copper, ZFMIOR002.metal_value), "0")


def _in_kilograms(record: Record) -> Record:
    """Weights given in LB, converted to kg exactly as the builder would: the file's metal weights are
    always kg while ZFMIOR002 has one unit a row."""
    if record[ZFMIOR002.weight_unit] != "LB":
        return record
    converted = {ZFMIOR002.weight_unit: "KG"}
    for name in (ZFMIOR002.net_weight, ZFMIOR002.gross_weight):
        value = decimal_or_none(record[name])
        if value is not None:
            converted[name] = decimal_text(to_kg(value, "LB"))
    return record | converted


# Sellable products without their material type or base unit: recorded as FERT in pieces (ST).
PRODUCT_LIST = LegacyFile(
    formats.PRODUCT_LIST,
    "product-master",
    (ZEMM005, ZFMIOR002),
    cells={
        ZEMM005.material: "Material",
        ZEMM005.description: "Description",
        ZEMM005.hts10: "HTS Code",
        ZEMM005.origin: "Country of Origin",
        ZFMIOR002.weight_unit: "Weight Unit",
        ZFMIOR002.net_weight: "Net Weight",
        ZFMIOR002.gross_weight: "Gross Weight",
        ZFMIOR002.steel: "Steel (kg)",
        ZFMIOR002.aluminum: "Aluminum (kg)",
        ZFMIOR002.copper: "Copper (kg)",
        ZFMIOR002.metal_value: "Metal Value",
        ZFMIOR002.metal_currency: "Metal Value Currency",
    },
    fixed={ZEMM005.material_type: "FERT", ZEMM005.base_unit: "ST"},
    adjust=_in_kilograms,
)

# The file's Duty Rate is the general rate; an official revision, when given, only cross-checks it.
HTS_CODE = LegacyFile(
    formats.HTS_CODE,
    "hts-reference",
    (ZFMIOR001,),
    cells={
        ZFMIOR001.hts10: "HTS Code",
        ZFMIOR001.description: "Description",
        ZFMIOR001.rate: "Duty Rate",
        ZFMIOR001.unit: "Unit",
    },
)

# Programme and type names, `Applies To` and country names become ZFMIOR003's codes (the pinned
# format converts them); dotted prefixes lose their dots; percentages stay percent, as ZFMIOR003
# writes them. The file has no row number per code: a code's rows are numbered in file order.
HTS_TARIFF = LegacyFile(
    formats.HTS_TARIFF,
    "tariff-provisions",
    (ZFMIOR003,),
    cells={
        ZFMIOR003.code: "Chapter 99 Code",
        ZFMIOR003.programme: "Program",
        ZFMIOR003.kind: "Type",
        ZFMIOR003.rate: "Rate",
        ZFMIOR003.part: "Applies To",
        ZFMIOR003.prefixes: "HTS Prefixes",
        ZFMIOR003.origins: "Countries",
        ZFMIOR003.excluded: "Excluded Countries",
        ZFMIOR003.min_share: "Min Metal %",
        ZFMIOR003.max_share: "Max Metal %",
        ZFMIOR003.valid_from: "Effective From",
        ZFMIOR003.valid_to: "Effective To",
        ZFMIOR003.rank: "Sequence",
    },
    named={ZFMIOR003.seq: "Chapter 99 Code"},
    numbered=(ZFMIOR003.code, ZFMIOR003.seq),
)

# `Is Packaging` Y is material type VERP, N no type; the one unit weight is both the net and the
# gross weight, in KG, with no metal.
PACKAGING_MATERIAL = LegacyFile(
    formats.PACKAGING_MATERIAL,
    "packaging-materials",
    (ZEMM005, ZFMIOR002),
    cells={
        ZEMM005.material: "Material",
        ZEMM005.material_type: "Is Packaging",
        ZFMIOR002.net_weight: "Unit Weight (kg)",
        ZFMIOR002.gross_weight: "Unit Weight (kg)",
        ZEMM005.description: "Description",
    },
    fixed={
        ZEMM005.base_unit: "ST",
        ZEMM005.hts10: "",
        ZEMM005.origin: "",
        ZFMIOR002.weight_unit: "KG",
        **_NO_METAL,
        ZFMIOR002.metal_currency: "",
    },
    named={ZFMIOR002.weight_unit: "Unit Weight (kg)"},
)

# The analysts keep USD per one unit of the currency: a direct rate of type M to USD with both
# factors 1, for which the builder's formula returns the analysts' figure unchanged.
EXCHANGE_RATES = LegacyFile(
    formats.EXCHANGE_RATES,
    "exchange-rates",
    (ZEMM07,),
    cells={ZEMM07.from_currency: "Currency", ZEMM07.valid_from: "Date", ZEMM07.rate: "USD per Unit"},
    fixed={
        ZEMM07.rate_type: sap_fields.STANDARD_RATE_TYPE,
        ZEMM07.to_currency: TARGET_CURRENCY,
        ZEMM07.from_factor: "1",
        ZEMM07.to_factor: "1",
    },
    named={ZEMM07.from_factor: "USD per Unit", ZEMM07.to_factor: "USD per Unit"},
)

# No cancelled-document column (SFAKN): an S1/S2 line's `cancels` is empty on the manual path, and
# the cancelled original is recognised by its `Cancelled` X. `EA` is SAP's piece unit ST. Without
# ZEMM004 on this path no line is flagged for related-party review.
INVOICE_LINES = LegacyFile(
    formats.INVOICE_LINES,
    "transactions",
    (ZSDR002,),
    cells={
        ZSDR002.document: "Billing Doc",
        ZSDR002.item: "Item",
        ZSDR002.billing_type: "Billing Type",
        ZSDR002.billing_date: "Billing Date",
        ZSDR002.cancelled: "Cancelled",
        ZSDR002.material: "Material",
        ZSDR002.description: "Description",
        ZSDR002.quantity: "Quantity",
        ZSDR002.unit: "Unit",
        ZSDR002.value: "Net Value",
        ZSDR002.currency: "Currency",
        ZSDR002.shipment: "Shipment",
        ZSDR002.port: "Port",
        ZSDR002.mode: "Mode",
        ZSDR002.arrival: "Arrival Date",
    },
    fixed={ZSDR002.cancels: ""},
)

# Each file by its kind (`manual.upload.received.v1`).
MANUAL: Mapping[str, LegacyFile] = {
    f.format.kind: f
    for f in (PRODUCT_LIST, HTS_CODE, HTS_TARIFF, PACKAGING_MATERIAL, EXCHANGE_RATES, INVOICE_LINES)
}
