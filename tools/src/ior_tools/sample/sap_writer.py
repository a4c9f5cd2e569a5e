"""The SAP extracts as JSON lines: `sap/<ENTITY>.jsonl`, one object per line, fields in sap_fields order.

Master data and rates are small and written sorted by key; billing items (ZSDR002) are streamed in
key order as the days are generated, one line at a time."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ior_tools.sample.company import Company
from ior_tools.sample.exchange_rates import RateRow
from ior_tools.sample.faults import MALFORMATIONS
from ior_tools.sample.formats import cents_text, iso, matnr, sap_decimal
from ior_tools.sample.invoices import Invoice, Item
from ior_tools.sample.provisions import Provision
from ior_tools.sample.sap_fields import (
    ZEMM004,
    ZEMM005,
    ZEMM07,
    ZFMIOR001,
    ZFMIOR002,
    ZFMIOR003,
    ZSDR002,
    EntitySet,
)
from ior_tools.sample.streams import HashedTextFile
from ior_tools.sample.supplier_invoices import SupplierItem

Record = dict[str, str]
_BUFFER = 1 << 20


def dump(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def write_entity(path: Path, entity: EntitySet, records: Iterable[Record]) -> int:
    """Write an entity set's records sorted by key; every record must have exactly the entity's fields."""
    rows = sorted(records, key=lambda record: tuple(record[name] for name in entity.keys))
    with path.open("w", encoding="utf-8", newline="\n", buffering=_BUFFER) as stream:
        for record in rows:
            if tuple(record) != entity.fields:
                raise ValueError(f"{entity.name} record has fields {tuple(record)}, expected {entity.fields}")
            stream.write(dump(record) + "\n")
    return len(rows)


def company_hts_records(company: Company) -> list[Record]:
    return [
        {"STAWN": line.hts10, "STTXT": line.description, "ZZRATE": line.general, "ZZUNIT": line.unit_text}
        for line in company.hts
    ]


def weight_records(company: Company) -> list[Record]:
    records = [
        {
            "MATNR": matnr(product.material),
            "NTGEW": sap_decimal(product.net, 3),
            "BRGEW": sap_decimal(product.gross, 3),
            "GEWEI": product.weight_unit,
            "ZZSTEEL": sap_decimal(product.steel, 3),
            "ZZALU": sap_decimal(product.aluminum, 3),
            "ZZCOPPER": sap_decimal(product.copper, 3),
            "ZZMETALVAL": sap_decimal(product.metal_value, 2),
            "WAERS": product.metal_currency,
        }
        for product in company.products
    ]
    records.extend(
        {
            "MATNR": matnr(item.material),
            "NTGEW": sap_decimal(item.weight, 3),
            "BRGEW": sap_decimal(item.weight, 3),
            "GEWEI": item.weight_unit,
            "ZZSTEEL": "0.000",
            "ZZALU": "0.000",
            "ZZCOPPER": "0.000",
            "ZZMETALVAL": "0.00",
            "WAERS": "",
        }
        for item in company.packaging
    )
    return records


def provision_records(provisions: Iterable[Provision]) -> list[Record]:
    return [
        {
            "ZZCODE": provision.code,
            "ZZITEM": f"{provision.item:03d}",
            "ZZPROG": provision.programme,
            "ZZKIND": provision.kind,
            "ZZRATE": sap_decimal(provision.rate * 100, 3),
            "ZZPART": provision.part,
            "ZZPREFIXES": ";".join(provision.prefixes),
            "ZZORIGINS": ";".join(provision.origins),
            "ZZEXCL": ";".join(provision.excluded),
            "ZZMINSHR": "" if provision.min_share is None else sap_decimal(provision.min_share * 100, 2),
            "ZZMAXSHR": "" if provision.max_share is None else sap_decimal(provision.max_share * 100, 2),
            "DATAB": iso(provision.effective_from),
            "DATBI": "" if provision.effective_to is None else iso(provision.effective_to),
            "ZZRANK": str(provision.rank),
        }
        for provision in provisions
    ]


def material_records(company: Company) -> list[Record]:
    records = [
        {
            "MATNR": matnr(product.material),
            "MAKTX": product.description,
            "MTART": product.mtart,
            "MEINS": "ST",
            "STAWN": product.hts10,
            "HERKL": product.origin,
        }
        for product in company.products
    ]
    records.extend(
        {
            "MATNR": matnr(item.material),
            "MAKTX": item.description,
            "MTART": "VERP",
            "MEINS": "ST",
            "STAWN": "",
            "HERKL": "",
        }
        for item in company.packaging
    )
    return records


def supplier_records(items: Iterable[SupplierItem]) -> list[Record]:
    return [
        {
            "BELNR": item.belnr,
            "GJAHR": item.gjahr,
            "BUZEI": f"{item.buzei:06d}",
            "EBELN": item.ebeln,
            "MATNR": matnr(item.material),
            "MENGE": f"{item.quantity}.000",
            "BSTME": "ST",
            "WRBTR": cents_text(item.amount_cents),
            "WAERS": item.currency,
            "SHKZG": item.shkzg,
            "BLDAT": iso(item.bldat),
        }
        for item in items
    ]


def rate_records(rows: Iterable[RateRow]) -> list[Record]:
    return [
        {
            "KURST": row.kurst,
            "FCURR": row.fcurr,
            "TCURR": row.tcurr,
            "GDATU": iso(row.gdatu),
            "UKURS": sap_decimal(row.ukurs, 5),
            "FFACT": f"{row.ffact:f}",
            "TFACT": f"{row.tfact:f}",
        }
        for row in rows
    ]


def billing_record(invoice: Invoice, item: Item) -> Record:
    """One ZSDR002 record, with the item's injected fault if it has one."""
    shipment = invoice.shipment
    record = {
        "VBELN": invoice.vbeln,
        "POSNR": f"{item.posnr:06d}",
        "FKART": invoice.fkart,
        "FKDAT": iso(invoice.fkdat),
        "FKSTO": invoice.fksto,
        "SFAKN": invoice.sfakn,
        "MATNR": matnr(item.material),
        "ARKTX": item.description,
        "FKIMG": f"{item.quantity}.000" if item.kilograms is None else f"{item.kilograms:.3f}",
        "VRKME": "ST" if item.kilograms is None else "KGM",
        "NETWR": cents_text(item.value_cents),
        "WAERK": invoice.currency,
        "ZZSHIPMENT": shipment.number,
        "ZZPORT": shipment.port,
        "ZZMOT": shipment.mode,
        "ZZARRIVAL": iso(shipment.arrival),
    }
    if item.malformed:
        fault = MALFORMATIONS[item.malformed]
        record[fault.sap_field] = fault.sap_value
    return record


class BillingWriter(HashedTextFile):
    """Streams ZSDR002 in key order; the caller hands invoices over in VBELN order."""

    entity = ZSDR002

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.count = 0
        self._materials: dict[str, str] = {}  # per material: MATNR, ARKTX, the start of FKIMG

    def write_invoice(self, invoice: Invoice) -> None:
        shipment = invoice.shipment
        # Everything but the item's own fields is the same for every item of the invoice.
        head = f'{{"VBELN":"{invoice.vbeln}","POSNR":"'
        middle = (
            f'","FKART":"{invoice.fkart}","FKDAT":"{invoice.fkdat.isoformat()}",'
            f'"FKSTO":"{invoice.fksto}","SFAKN":"{invoice.sfakn}","MATNR":"'
        )
        tail = (
            f'","WAERK":"{invoice.currency}","ZZSHIPMENT":"{shipment.number}","ZZPORT":"{shipment.port}",'
            f'"ZZMOT":"{shipment.mode}","ZZARRIVAL":"{shipment.arrival.isoformat()}"}}\n'
        )
        lines = []
        for item in invoice.items:
            if item.malformed or item.kilograms is not None:
                lines.append(dump(billing_record(invoice, item)) + "\n")
                continue
            material = self._materials.get(item.material)
            if material is None:
                text = json.dumps(item.description, ensure_ascii=False)
                material = self._materials[item.material] = f'{item.material:0>18}","ARKTX":{text},"FKIMG":"'
            whole, cents = divmod(item.value_cents, 100)
            lines.append(
                f'{head}{item.posnr:06d}{middle}{material}{item.quantity}.000","VRKME":"ST",'
                f'"NETWR":"{whole}.{cents:02d}{tail}'
            )
        self.write("".join(lines))
        self.count += len(lines)


def write_master_extracts(
    sap_dir: Path,
    company: Company,
    provisions: Iterable[Provision],
    supplier: Iterable[SupplierItem],
    rates: Iterable[RateRow],
) -> dict[str, int]:
    """Every extract but ZSDR002; returns the record count per entity set."""
    sap_dir.mkdir(parents=True, exist_ok=True)
    tables: list[tuple[EntitySet, list[Record]]] = [
        (ZFMIOR001, company_hts_records(company)),
        (ZFMIOR002, weight_records(company)),
        (ZFMIOR003, provision_records(provisions)),
        (ZEMM005, material_records(company)),
        (ZEMM004, supplier_records(supplier)),
        (ZEMM07, rate_records(rates)),
    ]
    return {
        entity.name: write_entity(sap_dir / f"{entity.name}.jsonl", entity, records)
        for entity, records in tables
    }
