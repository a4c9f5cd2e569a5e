"""The seven SAP entity sets: field names, keys and date fields — the single source of truth.

Field names follow DOMAIN §1. ZFMIOR001 and ZFMIOR003 are custom tables whose names DOMAIN leaves
open; the names here are the project's choice. Every value in an extract is a canonical string:
ISO dates (the mock SAP serves them as `/Date(ms)/`; SAP's initial date `0000-00-00` means none),
plain decimal strings, MATNR with 18 digits, `""` for blank."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntitySet:
    """One SAP extract as the OData service exposes it."""

    name: str
    fields: tuple[str, ...]
    keys: tuple[str, ...]
    incremental_date: str | None
    date_fields: tuple[str, ...]
    decimal_fields: tuple[str, ...]
    about: str
    field_notes: tuple[tuple[str, str], ...] = ()

    def notes(self) -> dict[str, str]:
        return dict(self.field_notes)


ZFMIOR001 = EntitySet(
    name="ZFMIOR001",
    fields=("STAWN", "STTXT", "ZZRATE", "ZZUNIT"),
    keys=("STAWN",),
    incremental_date=None,
    date_fields=(),
    decimal_fields=(),
    about="The company's HTS table.",
    field_notes=(
        ("STAWN", "HTS10, ten digits without dots"),
        ("STTXT", "description of the statistical line"),
        ("ZZRATE", "general (column 1) rate text as the HTS writes it: `Free` or `x%`"),
        ("ZZUNIT", "reporting unit: `No.`, `kg` or `No. and kg`"),
    ),
)

ZFMIOR002 = EntitySet(
    name="ZFMIOR002",
    fields=("MATNR", "NTGEW", "BRGEW", "GEWEI", "ZZSTEEL", "ZZALU", "ZZCOPPER", "ZZMETALVAL", "WAERS"),
    keys=("MATNR",),
    incremental_date=None,
    date_fields=(),
    decimal_fields=("NTGEW", "BRGEW", "ZZSTEEL", "ZZALU", "ZZCOPPER", "ZZMETALVAL"),
    about="Weights per unit of goods and packaging, metal content.",
    field_notes=(
        ("NTGEW", "net weight per unit, in GEWEI"),
        ("BRGEW", "gross weight per unit including the retail box, in GEWEI"),
        ("GEWEI", "weight unit of every weight in the row: KG, G or LB"),
        ("ZZSTEEL", "steel weight per unit, in GEWEI"),
        ("ZZALU", "aluminium weight per unit, in GEWEI"),
        ("ZZCOPPER", "copper weight per unit, in GEWEI"),
        ("ZZMETALVAL", "declared metal content value per unit, in WAERS"),
        ("WAERS", "currency of ZZMETALVAL; blank for packaging"),
    ),
)

ZFMIOR003 = EntitySet(
    name="ZFMIOR003",
    fields=(
        "ZZCODE",
        "ZZITEM",
        "ZZPROG",
        "ZZKIND",
        "ZZRATE",
        "ZZPART",
        "ZZPREFIXES",
        "ZZORIGINS",
        "ZZEXCL",
        "ZZMINSHR",
        "ZZMAXSHR",
        "DATAB",
        "DATBI",
        "ZZRANK",
    ),
    keys=("ZZCODE", "ZZITEM"),
    incremental_date=None,
    date_fields=("DATAB", "DATBI"),
    decimal_fields=("ZZRATE", "ZZMINSHR", "ZZMAXSHR"),
    about="Chapter 99 tariff provisions, one row per provision (DOMAIN §3).",
    field_notes=(
        ("ZZCODE", "chapter 99 number, dotted: `9903.88.03`"),
        ("ZZITEM", "row of the code, three digits; one code may have several rows"),
        ("ZZPROG", "programme: S301, S232, S122, IEEPA_F, IEEPA_R"),
        ("ZZKIND", "`additional` or `exemption`"),
        ("ZZRATE", "additional ad valorem rate in percent (`7.500`); `0.000` for exemptions"),
        ("ZZPART", "`any`, `non_metal` or `metal`"),
        ("ZZPREFIXES", "`;`-separated digit prefixes of the HTS10; blank = every HTS10"),
        ("ZZORIGINS", "`;`-separated ISO country codes, or `*` for every origin"),
        ("ZZEXCL", "`;`-separated ISO country codes excluded; blank = none"),
        ("ZZMINSHR", "minimum metal share by weight in percent, inclusive; blank = none"),
        ("ZZMAXSHR", "maximum metal share by weight in percent, exclusive; blank = none"),
        ("DATAB", "effective from, inclusive"),
        ("DATBI", "effective to, inclusive; blank = open"),
        ("ZZRANK", "reporting rank, an integer; lower is reported first"),
    ),
)

ZEMM005 = EntitySet(
    name="ZEMM005",
    fields=("MATNR", "MAKTX", "MTART", "MEINS", "STAWN", "HERKL"),
    keys=("MATNR",),
    incremental_date=None,
    date_fields=(),
    decimal_fields=(),
    about="Material master: goods (FERT/HAWA) and packaging (VERP).",
    field_notes=(
        ("MTART", "FERT or HAWA for goods, VERP for packaging"),
        ("MEINS", "base unit of measure: ST = piece"),
        ("STAWN", "HTS10 without dots; blank for packaging"),
        ("HERKL", "country of origin, ISO code; blank for packaging"),
    ),
)

ZEMM004 = EntitySet(
    name="ZEMM004",
    fields=(
        "BELNR",
        "GJAHR",
        "BUZEI",
        "EBELN",
        "MATNR",
        "MENGE",
        "BSTME",
        "WRBTR",
        "WAERS",
        "SHKZG",
        "BLDAT",
    ),
    keys=("BELNR", "GJAHR", "BUZEI"),
    incremental_date="BLDAT",
    date_fields=("BLDAT",),
    decimal_fields=("MENGE", "WRBTR"),
    about="Supplier invoice items, for the related-party price check.",
    field_notes=(
        ("BUZEI", "item, six digits"),
        ("SHKZG", "S = debit (invoice), H = credit"),
        ("WRBTR", "item amount in WAERS"),
    ),
)

ZEMM07 = EntitySet(
    name="ZEMM07",
    fields=("KURST", "FCURR", "TCURR", "GDATU", "UKURS", "FFACT", "TFACT"),
    keys=("KURST", "FCURR", "TCURR", "GDATU"),
    incremental_date="GDATU",
    date_fields=("GDATU",),
    decimal_fields=("UKURS", "FFACT", "TFACT"),
    about="Exchange rates; a negative UKURS is an indirect quotation.",
    field_notes=(
        ("KURST", "rate type; M = standard translation at average rate"),
        ("UKURS", "rate; TCURR per FFACT units of FCURR, or FCURR per TCURR when negative"),
    ),
)

ZSDR002 = EntitySet(
    name="ZSDR002",
    fields=(
        "VBELN",
        "POSNR",
        "FKART",
        "FKDAT",
        "FKSTO",
        "SFAKN",
        "MATNR",
        "ARKTX",
        "FKIMG",
        "VRKME",
        "NETWR",
        "WAERK",
        "ZZSHIPMENT",
        "ZZPORT",
        "ZZMOT",
        "ZZARRIVAL",
    ),
    keys=("VBELN", "POSNR"),
    incremental_date="ZZARRIVAL",
    date_fields=("FKDAT", "ZZARRIVAL"),
    decimal_fields=("FKIMG", "NETWR"),
    about="Intercompany billing items: the commercial invoices.",
    field_notes=(
        ("VBELN", "billing document, ten digits"),
        ("POSNR", "item, six digits (`000010`)"),
        ("FKART", "F2 invoice, G2/RE credit, S1/S2 cancellation"),
        ("FKSTO", "`X` on a cancelled document"),
        ("SFAKN", "on S1/S2: the cancelled document"),
        ("VRKME", "sales unit: ST = piece, KGM = kilogram"),
        ("NETWR", "net value of the item in WAERK, positive for every billing type"),
        ("ZZPORT", "CBP port code"),
        ("ZZMOT", "CBP mode of transport: 10/11 vessel, 40/41 air, 30 truck"),
    ),
)

ENTITY_SETS: dict[str, EntitySet] = {
    entity.name: entity for entity in (ZFMIOR001, ZFMIOR002, ZFMIOR003, ZEMM005, ZEMM004, ZEMM07, ZSDR002)
}
