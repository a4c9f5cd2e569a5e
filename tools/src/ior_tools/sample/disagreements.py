"""The four documented disagreements between SAP and the analysts' CSVs, and what they cause.

Each disagreement lives in master data (the CSVs differ from SAP for one key) and is exercised by
fixtures: dedicated air entries whose invoices are the only traffic of the affected material or HTS
number, so every comparison difference they cause can be computed exactly from both views of the
master data (customs_model) and listed as a certainty. The formatting difference is chosen to be one
the comparison ignores (description case and spaces): it predicts no difference at all."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ior_tools.sample.company import Company, to_kg
from ior_tools.sample.customs_model import (
    HtsFacts,
    MasterView,
    ProductFacts,
    Tolerances,
    compare,
    customs_entry,
)
from ior_tools.sample.formats import dotted_analyst, general_rate_fraction, matnr, plain, sap_decimal
from ior_tools.sample.invoices import FixtureItem, FixtureShipment, Invoice
from ior_tools.sample.manifest import (
    DISAGREEMENT_KINDS,
    DatasetDifference,
    Disagreement,
    FixtureDocument,
    LineOutcome,
    PredictedDifference,
    SourceValue,
)
from ior_tools.sample.provisions import sample_provisions

WEIGHT_MATERIAL = "10000024"  # Wi-Fi 6E Access Point: plastic housing, no declared metal
WEIGHT_MANUAL = (Decimal("1.4"), Decimal("1.8"))  # SAP: 0.9 / 1.3 kg
STALE_RATE_HTS = "8536698000"  # official and SAP: 2.7 %
STALE_RATE_MANUAL = "Free"
STALE_RATE_MATERIAL = "10000070"  # RJ45 keystone jack, the only product on that HTS number
PACKAGING_MATERIAL = "90000059"  # heat-treated wooden crate
PACKAGING_GOODS = "10000015"  # Branch Router 4600 rides in the crate
FORMAT_HTS = "8517620020"
FORMAT_MANUAL_DESCRIPTION = "SWITCHING AND ROUTING  APPARATUS"

PRODUCT_LIST = "legacy/reference/Product_List.csv"
HTS_CODE = "legacy/reference/HTS_Code.csv"
PACKAGING_LIST = "legacy/reference/Packaging_Material.csv"

# Business-day indexes each fixture runs on (taken modulo the number of days); the fifth default day
# carries none, so one day of the default sample compares clean.
FIXTURE_DAYS: dict[str, tuple[int, ...]] = {
    "changed_weight": (0, 2),
    "stale_rate": (1, 3),
    "packaging_flag": (0, 3),
}


@dataclass(frozen=True)
class ManualOverrides:
    """Where the analysts' reference CSVs say something other than SAP."""

    product_weights: Mapping[str, tuple[Decimal, Decimal]]  # net, gross in the product's weight unit
    hts_rate_text: Mapping[str, str]
    hts_description: Mapping[str, str]
    not_packaging: frozenset[str]


MANUAL_OVERRIDES = ManualOverrides(
    product_weights={WEIGHT_MATERIAL: WEIGHT_MANUAL},
    hts_rate_text={STALE_RATE_HTS: STALE_RATE_MANUAL},
    hts_description={FORMAT_HTS: FORMAT_MANUAL_DESCRIPTION},
    not_packaging=frozenset({PACKAGING_MATERIAL}),
)


def fixture_days(kind: str, day_count: int) -> set[int]:
    return {index % day_count for index in FIXTURE_DAYS[kind]}


def fixtures_for_day(
    company: Company, seed: int, day_index: int, day_count: int, day: date
) -> tuple[FixtureShipment, ...]:
    """The fixture shipments of one business day; quantities come from the seed."""
    rng = random.Random(f"{seed}:fixtures:{day.isoformat()}")
    shipments: list[FixtureShipment] = []

    def goods(material: str, low: int, high: int) -> FixtureItem:
        quantity = rng.randint(low, high)
        return FixtureItem(material, quantity, company.product(material).price_cents * quantity)

    if day_index in fixture_days("changed_weight", day_count):
        # Two invoices so the two items consolidate into one customs line; no packaging, so the
        # weight change is the only thing that moves the kilograms.
        shipments.append(
            FixtureShipment(
                "changed_weight",
                (
                    (goods(WEIGHT_MATERIAL, 10, 40),),
                    (goods(WEIGHT_MATERIAL, 10, 40),),
                ),
            )
        )
    if day_index in fixture_days("stale_rate", day_count):
        # At least $1,380 of value, so 2.7 % of it is far beyond the $1 duty tolerance.
        shipments.append(
            FixtureShipment(
                "stale_rate", ((goods(STALE_RATE_MATERIAL, 150, 400), goods(STALE_RATE_MATERIAL, 150, 400)),)
            )
        )
    if day_index in fixture_days("packaging_flag", day_count):
        crate = company.packaging_material(PACKAGING_MATERIAL)
        crates = rng.randint(1, 3)
        # 2–5 routers: over $2,500 without the crate (formal on both sides) and under $9,443 with it
        # (MPF clamped to the fiscal year's minimum on both sides, $32.71 or more); an air entry pays
        # no HMF.
        shipments.append(
            FixtureShipment(
                "packaging_flag",
                (
                    (
                        goods(PACKAGING_GOODS, 2, 5),
                        FixtureItem(PACKAGING_MATERIAL, crates, crate.price_cents * crates),
                    ),
                ),
            )
        )
    return tuple(shipments)


def automated_view(company: Company) -> MasterView:
    return MasterView(
        products={
            product.material: ProductFacts(
                product.hts10, product.origin, product.net_kg, product.gross_kg, product.metal_share
            )
            for product in company.products
        },
        packaging_kg={item.material: item.unit_kg for item in company.packaging},
        hts={line.hts10: HtsFacts(line.description, line.rate, line.unit_text) for line in company.hts},
        provisions=sample_provisions(),
    )


def manual_view(company: Company, overrides: ManualOverrides) -> MasterView:
    products = {}
    for product in company.products:
        net, gross = overrides.product_weights.get(product.material, (product.net, product.gross))
        net_kg, gross_kg = to_kg(net, product.weight_unit), to_kg(gross, product.weight_unit)
        products[product.material] = ProductFacts(
            product.hts10, product.origin, net_kg, gross_kg, product.metal / net
        )
    hts = {}
    for line in company.hts:
        rate_text = overrides.hts_rate_text.get(line.hts10, line.general)
        description = overrides.hts_description.get(line.hts10, line.description)
        hts[line.hts10] = HtsFacts(description, general_rate_fraction(rate_text), line.unit_text)
    return MasterView(
        products=products,
        packaging_kg={
            item.material: item.unit_kg
            for item in company.packaging
            if item.material not in overrides.not_packaging
        },
        hts=hts,
        provisions=sample_provisions(),
    )


def _dataset_differences(company: Company) -> dict[str, list[DatasetDifference]]:
    product = company.product(WEIGHT_MATERIAL)
    stale = next(line for line in company.hts if line.hts10 == STALE_RATE_HTS)
    formatted = next(line for line in company.hts if line.hts10 == FORMAT_HTS)
    weight_key = {"material": WEIGHT_MATERIAL}
    sap_key = {"MATNR": matnr(WEIGHT_MATERIAL)}
    csv_key = {"Material": WEIGHT_MATERIAL}
    manual_net, manual_gross = WEIGHT_MANUAL
    return {
        "changed_weight": [
            DatasetDifference(
                dataset="product-master",
                key=weight_key,
                field="net_kg",
                automated=plain(product.net_kg),
                manual=plain(to_kg(manual_net, product.weight_unit)),
                sap=SourceValue(
                    source="ZFMIOR002", key=sap_key, field="NTGEW", value=sap_decimal(product.net, 3)
                ),
                csv=SourceValue(
                    source=PRODUCT_LIST, key=csv_key, field="Net Weight", value=plain(manual_net)
                ),
            ),
            DatasetDifference(
                dataset="product-master",
                key=weight_key,
                field="gross_kg",
                automated=plain(product.gross_kg),
                manual=plain(to_kg(manual_gross, product.weight_unit)),
                sap=SourceValue(
                    source="ZFMIOR002", key=sap_key, field="BRGEW", value=sap_decimal(product.gross, 3)
                ),
                csv=SourceValue(
                    source=PRODUCT_LIST, key=csv_key, field="Gross Weight", value=plain(manual_gross)
                ),
            ),
        ],
        "stale_rate": [
            DatasetDifference(
                dataset="hts-reference",
                key={"hts10": STALE_RATE_HTS},
                field="general_rate",
                automated=plain(stale.rate),
                manual=plain(general_rate_fraction(STALE_RATE_MANUAL)),
                sap=SourceValue(
                    source="ZFMIOR001", key={"STAWN": STALE_RATE_HTS}, field="ZZRATE", value=stale.general
                ),
                csv=SourceValue(
                    source=HTS_CODE,
                    key={"HTS Code": dotted_analyst(STALE_RATE_HTS)},
                    field="Duty Rate",
                    value=STALE_RATE_MANUAL,
                ),
            ),
        ],
        "packaging_flag": [
            DatasetDifference(
                dataset="packaging-materials",
                key={"material": PACKAGING_MATERIAL},
                field="is_packaging",
                automated="true",
                manual="false",
                sap=SourceValue(
                    source="ZEMM005", key={"MATNR": matnr(PACKAGING_MATERIAL)}, field="MTART", value="VERP"
                ),
                csv=SourceValue(
                    source=PACKAGING_LIST,
                    key={"Material": PACKAGING_MATERIAL},
                    field="Is Packaging",
                    value="N",
                ),
            ),
        ],
        "formatting": [
            DatasetDifference(
                dataset="hts-reference",
                key={"hts10": FORMAT_HTS},
                field="description",
                automated=formatted.description,
                manual=FORMAT_MANUAL_DESCRIPTION,
                sap=SourceValue(
                    source="ZFMIOR001", key={"STAWN": FORMAT_HTS}, field="STTXT", value=formatted.description
                ),
                csv=SourceValue(
                    source=HTS_CODE,
                    key={"HTS Code": dotted_analyst(FORMAT_HTS)},
                    field="Description",
                    value=FORMAT_MANUAL_DESCRIPTION,
                ),
                equivalent_in_comparison=True,
            ),
        ],
    }


_SUMMARIES = {
    "changed_weight": (
        "Product_List.csv still carries the old weights of the Wi-Fi 6E Access Point (1.4 / 1.8 kg where "
        "ZFMIOR002 says 0.9 / 1.3 kg): net and gross kilograms of its customs lines differ."
    ),
    "stale_rate": (
        "HTS_Code.csv carries `Free` for 8536.69.8000, whose general rate (SAP and the official HTS) is "
        "2.7 %: the rates and duty of its lines differ, and so does the entry's duty."
    ),
    "packaging_flag": (
        "Packaging_Material.csv marks the heat-treated wooden crate `Is Packaging = N`: the manual path does "
        "not apportion it (its lines are quarantined as unknown material), so value, gross kilograms and "
        "duty of the goods it travels with differ."
    ),
    "formatting": (
        "HTS_Code.csv writes the description of 8517.62.0020 in capitals with a doubled space; the "
        "comparison ignores case and spaces in descriptions, so it causes no difference."
    ),
}
_ASSUMPTIONS = {
    "stale_rate": (
        "The manual path's hts-reference carries HTS_Code.csv's Duty Rate as the rate customs applies (and "
        "flags it as differing from the official rate); if it applied the official rate instead, this "
        "disagreement would show only as that flag."
    ),
    "packaging_flag": (
        "Customs treats a material as packaging only when packaging-materials flags it `is_packaging`; the "
        "crate is not in product-master either, so the manual path quarantines its lines `unknown_material`."
    ),
}


def disagreement_records(
    company: Company, fixtures: Sequence[tuple[date, Invoice]], tolerances: Tolerances
) -> list[Disagreement]:
    """The four disagreements with their dataset differences and predicted comparison differences."""
    automated, manual = automated_view(company), manual_view(company, MANUAL_OVERRIDES)
    by_entry: dict[tuple[str, date, str], list[Invoice]] = {}
    for day, invoice in fixtures:
        by_entry.setdefault((invoice.fixture, day, invoice.shipment.entry_id), []).append(invoice)
    predicted: dict[str, list[PredictedDifference]] = {kind: [] for kind in _SUMMARIES}
    documents: dict[str, list[FixtureDocument]] = {kind: [] for kind in _SUMMARIES}
    manual_only: dict[str, list[LineOutcome]] = {kind: [] for kind in _SUMMARIES}
    for (kind, day, entry_id), invoices in sorted(by_entry.items(), key=lambda pair: pair[0]):
        expected = customs_entry(manual, invoices, day)
        actual = customs_entry(automated, invoices, day)
        for difference in compare(expected, actual, tolerances):
            predicted[kind].append(
                PredictedDifference(
                    business_date=day,
                    level="entry" if difference.hts10 is None else "line",
                    entry_id=difference.entry_id,
                    hts10=difference.hts10,
                    origin=difference.origin,
                    part=difference.part,
                    field=difference.field,
                    expected=difference.expected,
                    actual=difference.actual,
                )
            )
        documents[kind].extend(
            FixtureDocument(business_date=day, entry_id=entry_id, document=invoice.vbeln)
            for invoice in invoices
        )
        automated_quarantine = set(actual.quarantined)
        manual_only[kind].extend(
            LineOutcome(business_date=day, document=document, item=item, reason=reason)
            for document, item, reason in expected.quarantined
            if (document, item, reason) not in automated_quarantine
        )
    differences = _dataset_differences(company)
    return [
        Disagreement(
            kind=kind,
            summary=_SUMMARIES[kind],
            assumption=_ASSUMPTIONS.get(kind),
            dataset_differences=differences[kind],
            fixture_documents=documents[kind],
            predicted_differences=predicted[kind],
            manual_only_quarantine=manual_only[kind],
        )
        for kind in DISAGREEMENT_KINDS
    ]
