"""SAP-shaped records with sensible defaults, frames of them, and legacy CSV bytes, for the ETL tests."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from ior_etl.domain.extracts import records_frame
from ior_etl.domain.official_hts import OfficialRevision, statistical_lines
from ior_etl.domain.sap_fields import SapTable
from ior_tools.paths import SHARED

GOLDEN_CATALOGUE = SHARED / "reference" / "golden" / "catalogue.yaml"


def frame(table: SapTable, *records: dict[str, str]) -> pd.DataFrame:
    """Records as an extract's frame, rows numbered 1, 2, …"""
    return records_frame([dict(r) for r in records], table)


def material(number: str = "10000004", **fields: str) -> dict[str, str]:
    record = {
        "MATNR": number.zfill(18),
        "MAKTX": "PSU 150W steel enclosure",
        "MTART": "FERT",
        "MEINS": "ST",
        "STAWN": "8504409520",
        "HERKL": "CN",
    }
    return record | fields


def packaging(number: str = "90000001", **fields: str) -> dict[str, str]:
    return material(number, MAKTX="Corrugated carton 60x40x30", MTART="VERP", STAWN="", HERKL="") | fields


def weights(number: str = "10000004", **fields: str) -> dict[str, str]:
    record = {
        "MATNR": number.zfill(18),
        "NTGEW": "1.600",
        "BRGEW": "1.900",
        "GEWEI": "KG",
        "ZZSTEEL": "0.500",
        "ZZALU": "0.060",
        "ZZCOPPER": "0.000",
        "ZZMETALVAL": "4.20",
        "WAERS": "USD",
    }
    return record | fields


def hts_line(hts10: str = "8517620020", **fields: str) -> dict[str, str]:
    record = {"STAWN": hts10, "STTXT": "Switching and routing apparatus", "ZZRATE": "Free", "ZZUNIT": "No."}
    return record | fields


def provision(code: str = "9903.88.15", item: str = "001", **fields: str) -> dict[str, str]:
    record = {
        "ZZCODE": code,
        "ZZITEM": item,
        "ZZPROG": "S301",
        "ZZKIND": "additional",
        "ZZRATE": "7.500",
        "ZZPART": "any",
        "ZZPREFIXES": "851762",
        "ZZORIGINS": "CN",
        "ZZEXCL": "",
        "ZZMINSHR": "",
        "ZZMAXSHR": "",
        "DATAB": "2020-02-14",
        "DATBI": "",
        "ZZRANK": "10",
    }
    return record | fields


def rate(currency: str = "EUR", day: str = "2026-03-10", **fields: str) -> dict[str, str]:
    record = {
        "KURST": "M",
        "FCURR": currency,
        "TCURR": "USD",
        "GDATU": day,
        "UKURS": "1.08500",
        "FFACT": "1",
        "TFACT": "1",
    }
    return record | fields


def billing(document: str = "90020001", item: str = "10", **fields: str) -> dict[str, str]:
    record = {
        "VBELN": document.zfill(10),
        "POSNR": item.zfill(6),
        "FKART": "F2",
        "FKDAT": "2026-03-12",
        "FKSTO": "",
        "SFAKN": "",
        "MATNR": "10000003".zfill(18),
        "ARKTX": "Wi-Fi 7 Access Point",
        "FKIMG": "120.000",
        "VRKME": "ST",
        "NETWR": "20399.99",
        "WAERK": "EUR",
        "ZZSHIPMENT": "SH2001",
        "ZZPORT": "2709",
        "ZZMOT": "11",
        "ZZARRIVAL": "2026-03-16",
    }
    return record | fields


def supplier_item(document: str = "5100000001", item: str = "1", **fields: str) -> dict[str, str]:
    record = {
        "BELNR": document,
        "GJAHR": "2026",
        "BUZEI": item.zfill(6),
        "EBELN": "4500000001",
        "MATNR": "10000003".zfill(18),
        "MENGE": "100.000",
        "BSTME": "ST",
        "WRBTR": "15000.00",
        "WAERS": "EUR",
        "SHKZG": "S",
        "BLDAT": "2026-02-01",
    }
    return record | fields


def legacy_csv(*lines: str, bom: bool = True, line_end: str = "\r\n", trailing: str = "\r\n") -> bytes:
    """A legacy file as Excel writes it: BOM, CRLF, a final line end."""
    text = line_end.join(lines) + trailing
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def hts_row(
    htsno: str, indent: int, description: str, general: str = "", units: list[str] | None = None
) -> dict[str, Any]:
    """One row of the USITC JSON export."""
    return {
        "htsno": htsno,
        "indent": str(indent),
        "description": description,
        "superior": None,
        "units": units if units is not None else [],
        "general": general,
        "special": "",
        "other": "",
        "footnotes": [],
        "quotaQuantity": None,
        "additionalDuties": None,
        "addiitionalDuties": None,
    }


def revision(rows: list[dict[str, Any]], label: str = "2099 Rev. 1") -> OfficialRevision:
    return OfficialRevision(label, statistical_lines(rows))


def revision_bytes(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps(rows).encode()
