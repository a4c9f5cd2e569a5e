"""The published datasets' row schemas: the data contract between the ETL, which publishes them,
and the services that read them (customs). A snapshot is one object under `etl/published/`, its
claim check carrying `SCHEMA_VERSION`.

Format (deterministic, small, readable without heavy dependencies): gzip-compressed CSV (gzip header
mtime 0; the header one member and every few hundred rows one, as the manifest describes in
`ior_contracts.dataset_members`, which any gzip reader reads as one text), UTF-8, `\\n` line ends, a
header row with the columns below in this order, rows sorted by the key. Cells: decimals as plain
strings (`0.026`, `12.5`; no exponent), money in the invoice currency as decimal strings, dates ISO,
booleans `true`/`false`, lists `;`-joined, an empty cell for null. Materials without leading zeros;
HTS numbers as 10 digits; origins ISO 3166 alpha-2; rates and shares as fractions (`0.25`, not
`25%`); units of measure as UN/ECE codes (`PCE`, `KGM`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SCHEMA_VERSION = "1"
FORMAT = "csv.gz"

Kind = Literal["str", "int", "decimal", "date", "bool", "list"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    nullable: bool = False
    doc: str = ""


@dataclass(frozen=True)
class DatasetSchema:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    doc: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, kind: Kind = "str", doc: str = "", *, nullable: bool = False) -> Column:
    return Column(name, kind, nullable, doc)


PRODUCT_MASTER = DatasetSchema(
    "product-master",
    ("material",),
    (
        _c("material", doc="MATNR without leading zeros"),
        _c("description"),
        _c("material_type", doc="FERT or HAWA"),
        _c("hts10", doc="the company's HTS number, 10 digits"),
        _c("origin", doc="country of origin, ISO alpha-2"),
        _c("base_unit", doc="UN/ECE unit of the material (PCE, KGM)"),
        _c("net_kg", "decimal", "net weight of one unit, kg"),
        _c("gross_kg", "decimal", "gross weight of one unit including its retail box, kg"),
        _c("packing_kg", "decimal", "gross − net, kg"),
        _c("steel_kg", "decimal"),
        _c("aluminum_kg", "decimal"),
        _c("copper_kg", "decimal"),
        _c("metal_share", "decimal", "(steel + aluminium + copper) ÷ net weight"),
        _c("metal_value_per_unit", "decimal", "declared metal content value of one unit"),
        _c("metal_value_currency", doc="ISO 4217 currency of the metal value"),
    ),
    "Sellable products (FERT/HAWA) with their HTS number, origin, weights and metal content.",
)

PACKAGING_MATERIALS = DatasetSchema(
    "packaging-materials",
    ("material",),
    (
        _c("material"),
        _c("description"),
        _c("is_packaging", "bool"),
        _c("unit_kg", "decimal", "weight of one unit, kg"),
    ),
    "Packaging materials (VERP): invoiced with the goods, apportioned to them.",
)

HTS_REFERENCE = DatasetSchema(
    "hts-reference",
    ("hts10",),
    (
        _c("hts10"),
        _c("description"),
        _c("unit", doc="reporting unit: `No.`, `kg` or `No. and kg`"),
        _c("general_rate", "decimal", "the general ad valorem rate the customs run applies, a fraction"),
        _c("company_rate", "decimal", "the rate in the company's own table", nullable=True),
        _c("official_rate", "decimal", "the rate of the official HTS revision", nullable=True),
        _c("rate_differs", "bool", "the company's rate differs from the official one"),
        _c("official_revision", doc="e.g. `2026 Rev. 10`; empty on the manual path", nullable=True),
    ),
    "The company's HTS numbers, cross-checked against the official USITC revision.",
)

TARIFF_PROVISIONS = DatasetSchema(
    "tariff-provisions",
    ("code", "seq"),
    (
        _c("code", doc="chapter 99 number, e.g. 9903.88.15"),
        _c("seq", "int", "row of this code (a code may have several rows)"),
        _c("programme", doc="S301, S232, S122, IEEPA_F, IEEPA_R, …"),
        _c("kind", doc="additional or exemption"),
        _c("rate", "decimal", "ad valorem fraction; 0 for exemptions"),
        _c("part", doc="any, non_metal or metal"),
        _c("hts_prefixes", "list", "digit prefixes of the HTS10; one empty prefix = every number"),
        _c("origins", "list", "ISO alpha-2 codes or `*`"),
        _c("origins_excluded", "list"),
        _c("min_metal_share", "decimal", "inclusive", nullable=True),
        _c("max_metal_share", "decimal", "exclusive", nullable=True),
        _c("effective_from", "date"),
        _c("effective_to", "date", "inclusive; empty = open", nullable=True),
        _c("rank", "int", "reporting order, lower first"),
    ),
    "Chapter 99 provisions (DOMAIN §3), checked for ambiguity.",
)
PROVISION_CODE_TERMS = ("programme", "kind", "rate", "rank")
"""What every row of one chapter 99 code agrees on (DOMAIN §2): a code is one HTS number with one
rate and one place in the stack; its rows differ only in what they match. The ETL refuses a set
that breaks it, and customs, which cannot order such a set, refuses it too."""

EXCHANGE_RATES = DatasetSchema(
    "exchange-rates",
    ("currency", "date"),
    (
        _c("currency", doc="ISO 4217"),
        _c("date", "date", "GDATU: valid from"),
        _c("usd_per_unit", "decimal", "USD for one unit of the currency, > 0"),
    ),
    "KURST M rates to USD, factors and indirect quotations resolved.",
)

TRANSACTIONS = DatasetSchema(
    "transactions",
    ("document", "item"),
    (
        _c("document", doc="VBELN billing document, without leading zeros"),
        _c("item", "int", "POSNR"),
        _c("type", doc="F2, G2, RE, S1, S2"),
        _c("cancels", doc="SFAKN: on S1/S2, the document cancelled", nullable=True),
        _c("cancelled", "bool", "FKSTO = X"),
        _c("billing_date", "date", "FKDAT"),
        _c("material"),
        _c("description", nullable=True),
        _c("quantity", "decimal"),
        _c("unit", doc="UN/ECE: PCE or KGM"),
        _c("value", "decimal", "NETWR, in the invoice currency"),
        _c("currency", doc="WAERK"),
        _c("shipment"),
        _c("port", doc="CBP port code"),
        _c("mode", doc="CBP transport mode code"),
        _c("arrival", "date", "the business date"),
        _c("related_party_review", "bool", "priced below the latest supplier unit cost (ZEMM004)"),
    ),
    "Every billing line with its type and cancellation status; master-data gaps are left to customs.",
)

FEE_TABLE = DatasetSchema(
    "fee-table",
    ("effective_from",),
    (
        _c("effective_from", "date", "first day the row applies"),
        _c("effective_to", "date", "last day the row applies, inclusive"),
        _c("fiscal_year", "int", "the fiscal year of the notice (from 1 October of the year before)"),
        _c("mpf_rate", "decimal", "merchandise processing fee, ad valorem fraction"),
        _c("mpf_minimum", "decimal", "MPF minimum per formal entry, USD"),
        _c("mpf_maximum", "decimal", "MPF maximum per formal entry, USD"),
        _c("hmf_rate", "decimal", "harbor maintenance fee for vessel modes, ad valorem fraction"),
        _c("citation", doc="the notice the figures come from (Federal Register, CBP decision)"),
        _c(
            "recorded_by", doc="`shipped` for the figures the product ships, else the admin who recorded them"
        ),
    ),
    "The customs fee table (DOMAIN §4 step 7): contiguous periods, one notice each. Not per mode: "
    "both paths' runs read the same table.",
)

DATASETS: dict[str, DatasetSchema] = {
    s.name: s
    for s in (
        PRODUCT_MASTER, PACKAGING_MATERIALS, HTS_REFERENCE, TARIFF_PROVISIONS, EXCHANGE_RATES, TRANSACTIONS,
    )
}  # fmt: skip

# Reference tables the ETL publishes beside the six datasets: not per mode, and announced by their
# own events (`etl.fee_table.*`), since the datasets' v1 events name only the six.
REFERENCE_TABLES: dict[str, DatasetSchema] = {FEE_TABLE.name: FEE_TABLE}


def schema_of(name: str) -> DatasetSchema:
    """The row schema of a dataset or a reference table, by name."""
    found = DATASETS.get(name) or REFERENCE_TABLES.get(name)
    if found is None:
        raise KeyError(f"no dataset or reference table {name!r}")
    return found
