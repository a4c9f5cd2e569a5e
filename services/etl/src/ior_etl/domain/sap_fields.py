"""SAP field names, in one place: each extract's fields under the names the builders use.

The builders read frames with SAP's field names (the landed extracts and the manual readers both
produce them) and rename them to the attribute names below before any rule looks at them, so a
renamed SAP field is a one-line change here. ZFMIOR001 and ZFMIOR003 are custom tables; their names
follow the sample generator's `ior_tools.sample.sap_fields` (the ETL may not import tools)."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class SapTable:
    """Attribute name → SAP field name for one extract; `name` is the extract itself."""

    name: str

    @property
    def to_neutral(self) -> dict[str, str]:
        """SAP field → attribute name, for `DataFrame.rename`."""
        return {getattr(self, f.name): f.name for f in fields(self) if f.name != "name"}

    @property
    def to_sap(self) -> dict[str, str]:
        """Attribute name → SAP field."""
        return {neutral: sap for sap, neutral in self.to_neutral.items()}

    @property
    def fields(self) -> tuple[str, ...]:
        """The SAP fields, in declaration order."""
        return tuple(self.to_neutral)


@dataclass(frozen=True)
class HtsTable(SapTable):
    """ZFMIOR001: the company's HTS table."""

    hts10: str = "STAWN"
    description: str = "STTXT"
    rate: str = "ZZRATE"
    unit: str = "ZZUNIT"


@dataclass(frozen=True)
class Weights(SapTable):
    """ZFMIOR002: weights per unit (in `weight_unit`) and declared metal content."""

    material: str = "MATNR"
    net_weight: str = "NTGEW"
    gross_weight: str = "BRGEW"
    weight_unit: str = "GEWEI"
    steel: str = "ZZSTEEL"
    aluminum: str = "ZZALU"
    copper: str = "ZZCOPPER"
    metal_value: str = "ZZMETALVAL"
    metal_currency: str = "WAERS"


@dataclass(frozen=True)
class Provisions(SapTable):
    """ZFMIOR003: chapter 99 provisions, one row per provision (DOMAIN §3)."""

    code: str = "ZZCODE"
    seq: str = "ZZITEM"
    programme: str = "ZZPROG"
    kind: str = "ZZKIND"
    rate: str = "ZZRATE"
    part: str = "ZZPART"
    prefixes: str = "ZZPREFIXES"
    origins: str = "ZZORIGINS"
    excluded: str = "ZZEXCL"
    min_share: str = "ZZMINSHR"
    max_share: str = "ZZMAXSHR"
    valid_from: str = "DATAB"
    valid_to: str = "DATBI"
    rank: str = "ZZRANK"


@dataclass(frozen=True)
class Materials(SapTable):
    """ZEMM005: material master."""

    material: str = "MATNR"
    description: str = "MAKTX"
    material_type: str = "MTART"
    base_unit: str = "MEINS"
    hts10: str = "STAWN"
    origin: str = "HERKL"


@dataclass(frozen=True)
class SupplierItems(SapTable):
    """ZEMM004: supplier invoice items."""

    document: str = "BELNR"
    year: str = "GJAHR"
    item: str = "BUZEI"
    order: str = "EBELN"
    material: str = "MATNR"
    quantity: str = "MENGE"
    order_unit: str = "BSTME"
    amount: str = "WRBTR"
    currency: str = "WAERS"
    debit_credit: str = "SHKZG"
    document_date: str = "BLDAT"


@dataclass(frozen=True)
class Rates(SapTable):
    """ZEMM07: exchange rates."""

    rate_type: str = "KURST"
    from_currency: str = "FCURR"
    to_currency: str = "TCURR"
    valid_from: str = "GDATU"
    rate: str = "UKURS"
    from_factor: str = "FFACT"
    to_factor: str = "TFACT"


@dataclass(frozen=True)
class Billing(SapTable):
    """ZSDR002: intercompany billing items."""

    document: str = "VBELN"
    item: str = "POSNR"
    billing_type: str = "FKART"
    billing_date: str = "FKDAT"
    cancelled: str = "FKSTO"
    cancels: str = "SFAKN"
    material: str = "MATNR"
    description: str = "ARKTX"
    quantity: str = "FKIMG"
    unit: str = "VRKME"
    value: str = "NETWR"
    currency: str = "WAERK"
    shipment: str = "ZZSHIPMENT"
    port: str = "ZZPORT"
    mode: str = "ZZMOT"
    arrival: str = "ZZARRIVAL"


ZFMIOR001 = HtsTable("ZFMIOR001")
ZFMIOR002 = Weights("ZFMIOR002")
ZFMIOR003 = Provisions("ZFMIOR003")
ZEMM005 = Materials("ZEMM005")
ZEMM004 = SupplierItems("ZEMM004")
ZEMM07 = Rates("ZEMM07")
ZSDR002 = Billing("ZSDR002")

TABLES: dict[str, SapTable] = {
    t.name: t for t in (ZFMIOR001, ZFMIOR002, ZFMIOR003, ZEMM005, ZEMM004, ZEMM07, ZSDR002)
}

# Values with a meaning in SAP, kept next to the names.
GOODS_TYPES = frozenset({"FERT", "HAWA"})
PACKAGING_TYPE = "VERP"
STANDARD_RATE_TYPE = "M"
CANCELLED_FLAG = "X"
DEBIT = "S"  # SHKZG; `H` is a credit
# ZFMIOR003 writes rates and metal shares in percent (`7.500` = 7.5 %); `x%` is accepted too.
PROVISION_NUMBERS_IN_PERCENT = True


@dataclass(frozen=True)
class FeeNoticeFields(SapTable):
    """CBP_FEES: the customs fee notices. Not SAP: the ingestion service lands the cited figures the
    product ships and the ones admins record, one JSON object per line under these names."""

    fiscal_year: str = "fiscal_year"
    effective_from: str = "effective_from"
    effective_to: str = "effective_to"
    mpf_rate: str = "mpf_rate"
    mpf_minimum: str = "mpf_minimum"
    mpf_maximum: str = "mpf_maximum"
    hmf_rate: str = "hmf_rate"
    citation: str = "citation"
    recorded_by: str = "recorded_by"
    recorded_at: str = "recorded_at"
    event_id: str = "event_id"


CBP_FEES = FeeNoticeFields("CBP_FEES")
# Every landed extract's layout: the SAP tables and the fee notices.
LANDED_TABLES: dict[str, SapTable] = {**TABLES, CBP_FEES.name: CBP_FEES}
