"""The model behind the predictions reproduces golden cases it covers (USD, whole parts) exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import yaml
from ior_tools.paths import SHARED
from ior_tools.sample.customs_model import (
    HtsFacts,
    MasterView,
    NotPredictableError,
    ProductFacts,
    customs_entry,
)
from ior_tools.sample.invoices import GOODS, PACKAGING, Invoice, Item, Shipment
from ior_tools.sample.provisions import provision_from_row

GOLDEN = SHARED / "reference/golden"


def _load(name: str) -> dict[str, Any]:
    path = GOLDEN / name
    if not path.exists():
        pytest.skip(f"golden case {path} is absent")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _view(catalogue: dict[str, Any]) -> MasterView:
    return MasterView(
        products={
            p["material"]: ProductFacts(
                p["hts10"],
                p["origin"],
                Decimal(p["net_kg"]),
                Decimal(p["gross_kg"]),
                Decimal(p["metal_share"]),
            )
            for p in catalogue["products"]
        },
        packaging_kg={p["material"]: Decimal(p["unit_kg"]) for p in catalogue["packaging"]},
        hts={
            h["hts10"]: HtsFacts(h["description"], Decimal(h["general_rate"]), h["unit"])
            for h in catalogue["hts"]
        },
        provisions=[provision_from_row(row) for row in catalogue["provisions"]],
    )


def _invoices(case: dict[str, Any], view: MasterView) -> dict[str, list[Invoice]]:
    entries: dict[str, list[Invoice]] = {}
    documents: dict[str, Invoice] = {}
    for line in case["invoice_lines"]:
        shipment = Shipment(line["shipment"], line["port"], line["mode"], line["arrival"])
        invoice = documents.get(line["document"])
        if invoice is None:
            invoice = documents[line["document"]] = Invoice(
                line["document"],
                line["type"],
                line["billing_date"],
                line["currency"],
                shipment,
                [],
                "fixture",
            )
            entries.setdefault(shipment.entry_id, []).append(invoice)
        kind = PACKAGING if line["material"] in view.packaging_kg else GOODS
        cents = int(Decimal(line["value"]) * 100)
        invoice.items.append(Item(line["item"], line["material"], "", int(line["quantity"]), cents, kind))
    return entries


@pytest.mark.parametrize("name", ["01-stack-before-section-122.yaml", "05-rounding-edges.yaml"])
def test_model_reproduces_golden_case(name: str) -> None:
    case = _load(name)
    view = _view(_load("catalogue.yaml"))
    day: date = case["business_date"]
    entries = _invoices(case, view)
    for expected in case["expected"]["entries"]:
        entry = customs_entry(view, entries[expected["entry_id"]], day)
        assert entry.value == expected["totals"]["value"]
        assert entry.duty == Decimal(expected["totals"]["duty"])
        assert entry.hmf == Decimal(expected["totals"]["hmf"])
        mpf = expected["totals"]["mpf"]
        assert entry.mpf == (None if mpf is None else Decimal(mpf))
        assert len(entry.lines) == len(expected["lines"])
        for want in expected["lines"]:
            got = entry.lines[(want["hts10"].replace(".", ""), want["origin"], want["part"])]
            assert list(got.stack) == want["stack"]
            assert {code: rate for code, rate in got.rates.items()} == {
                code: Decimal(rate) for code, rate in want["rates"].items()
            }
            assert (got.value, got.net_kg, got.gross_kg, got.quantity) == (
                want["value"],
                want["net_kg"],
                want["gross_kg"],
                want["quantity"],
            )
            assert got.duty == Decimal(want["duty"])
            assert [list(source) for source in got.sources] == [list(s) for s in want["sources"]]


def test_model_refuses_a_line_with_metal_parts_rather_than_guess() -> None:
    case = _load("03-section-232-content-split.yaml")
    view = _view(_load("catalogue.yaml"))
    [invoices] = _invoices(case, view).values()
    with pytest.raises(NotPredictableError, match="metal-part candidate"):
        customs_entry(view, invoices, case["business_date"])
