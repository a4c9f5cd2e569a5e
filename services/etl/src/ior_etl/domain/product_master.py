"""product-master: sellable products (ZEMM005 FERT/HAWA) with their ZFMIOR002 weights.

Every weight in kg (G ÷ 1000, LB × 0.45359237, exact); packing = gross − net; metal share =
(steel + aluminium + copper) ÷ net, rounded half-up to 12 places when it does not terminate; blank
metal weights and metal value are zero. A metal value of zero needs no currency and is published
in USD. Products lacking an HTS number, an origin or weights are rejected.

The HTS cross-check against hts-reference is optional (`hts_codes`): customs reports a product
whose number is missing there line by line as `no_hts_reference` (DOMAIN §4), so the default
pipeline leaves it off; when on, such products wait as re-evaluable rows."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

import pandas as pd
from ior_contracts.datasets import PRODUCT_MASTER
from ior_contracts.vocabulary import Mode

from ior_etl.domain.currencies import is_currency
from ior_etl.domain.dataset import DatasetBuild, SourceRows
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.materials import (
    clean_text,
    kg_or_none,
    known_unit,
    material_candidates,
    material_rule_set,
    one_record,
    positive_weight,
    select_types,
)
from ior_etl.domain.sap_fields import GOODS_TYPES
from ior_etl.domain.typed import typed_frame
from ior_etl.domain.validation import Rule, matching, present, validate_for, where_known
from ior_etl.domain.values import (
    COUNTRY,
    HTS10,
    UNIT_CODES,
    UNSIGNED_DECIMAL,
    decimal_or_none,
    is_blank,
    matches,
    round_places,
)

METAL_SHARE_PLACES = 12
ZERO_VALUE_CURRENCY = "USD"
_METALS = ("steel", "aluminum", "copper")


def _metal_weights_ok(frame: pd.DataFrame) -> pd.Series:
    ok = pd.Series(True, index=frame.index)
    for column in _METALS:
        ok &= is_blank(frame[column]) | matches(frame[column], UNSIGNED_DECIMAL)
    return ~(one_record(frame) & known_unit(frame)) | ok


def _currency_ok(frame: pd.DataFrame) -> pd.Series:
    valued = pd.Series([v is not None and v > 0 for v in frame["metal_value_per_unit"]], index=frame.index)
    well_formed = is_currency(frame["metal_currency"])
    return well_formed | (is_blank(frame["metal_currency"]) & ~valued)


RULES = material_rule_set(
    PRODUCT_MASTER.name,
    "product {material_id}",
    present("missing_hts", "hts10", "has no HTS number"),
    matching("malformed_hts", "hts10", HTS10, "HTS number {hts10} is not 10 digits", blank=True),
    present("missing_origin", "origin", "has no country of origin"),
    matching(
        "malformed_origin",
        "origin",
        COUNTRY,
        "country of origin {origin} is not a two-letter ISO code",
        blank=True,
    ),
    Rule(
        "unknown_base_unit",
        "base unit {base_unit} is not a piece or kilogram unit (" + ", ".join(UNIT_CODES) + ")",
        lambda f: f["base_unit"].isin(list(UNIT_CODES)),
        "base_unit",
    ),
    Rule(
        "invalid_net_weight",
        "net weight {net_weight} {weight_unit} is not a number above zero",
        lambda f: positive_weight(f, "net_weight"),
        "net_weight",
    ),
    Rule(
        "invalid_gross_weight",
        "gross weight {gross_weight} {weight_unit} is not a number above zero",
        lambda f: positive_weight(f, "gross_weight"),
        "gross_weight",
    ),
    Rule(
        "gross_below_net",
        "gross weight {gross_kg} kg is below net weight {net_kg} kg",
        lambda f: where_known(f, "gross_kg", "net_kg", lambda gross, net: gross >= net),
        "gross_weight",
    ),
    Rule(
        "invalid_metal_weight",
        "metal weights (steel {steel}, aluminium {aluminum}, copper {copper} {weight_unit}) "
        "are not numbers of zero or more",
        _metal_weights_ok,
        "steel",
    ),
    Rule(
        "metal_exceeds_net",
        "metal weighs {metal_kg} kg, more than the net weight {net_kg} kg",
        lambda f: where_known(f, "metal_kg", "net_kg", lambda metal, net: metal <= net),
        "steel",
    ),
    matching(
        "invalid_metal_value",
        "metal_value",
        UNSIGNED_DECIMAL,
        "metal value {metal_value} is not a number of zero or more",
        blank=True,
    ),
    Rule(
        "invalid_metal_value_currency",
        "metal value {metal_value} has no valid currency code ({metal_currency})",
        _currency_ok,
        "metal_currency",
    ),
)


def _hts_rule(hts_codes: Collection[str]) -> Rule:
    known = list(set(hts_codes))
    return Rule(
        "hts_not_in_reference",
        "HTS number {hts10} is not in hts-reference yet",
        lambda f: ~matches(f["hts10"], HTS10) | f["hts10"].isin(known),
        "hts10",
        master_data=True,
    )


def _zero_if_blank(text: str) -> Decimal | None:
    return Decimal(0) if not text.strip() else decimal_or_none(text)


def _derive(frame: pd.DataFrame) -> pd.DataFrame:
    """Kilograms, metal share and metal value, where the text allows (None elsewhere)."""
    usable = (one_record(frame) & known_unit(frame)).tolist()
    units = frame["weight_unit"].tolist()

    def kg(column: str, *, blank_is_zero: bool = False) -> list[Decimal | None]:
        values = frame[column].tolist()
        out: list[Decimal | None] = []
        for ok, text, unit in zip(usable, values, units, strict=True):
            if not ok:
                out.append(None)
            elif blank_is_zero and not text.strip():
                out.append(Decimal(0))
            else:
                out.append(kg_or_none(text, unit))
        return out

    derived = {
        "net_kg": kg("net_weight"),
        "gross_kg": kg("gross_weight"),
        **{f"{m}_kg": kg(m, blank_is_zero=True) for m in _METALS},
    }
    metal = [_total(parts) for parts in zip(*(derived[f"{m}_kg"] for m in _METALS), strict=True)]
    derived["metal_kg"] = metal
    derived["packing_kg"] = [
        None if g is None or n is None else g - n
        for g, n in zip(derived["gross_kg"], derived["net_kg"], strict=True)
    ]
    derived["metal_share"] = [
        None if m is None or n is None or n <= 0 else _share(m, n)
        for m, n in zip(metal, derived["net_kg"], strict=True)
    ]
    derived["metal_value_per_unit"] = [_zero_if_blank(t) for t in frame["metal_value"].tolist()]
    return frame.assign(**{k: pd.Series(v, index=frame.index, dtype=object) for k, v in derived.items()})


def _total(parts: tuple[Decimal | None, ...]) -> Decimal | None:
    """The metal weight of a unit, when every part of it is known and not negative."""
    known = [p for p in parts if p is not None and p >= 0]
    return sum(known, Decimal(0)) if len(known) == len(parts) else None


def _share(metal: Decimal, net: Decimal) -> Decimal:
    share = metal / net
    exact = round_places(share, METAL_SHARE_PLACES)
    return share if share == exact else exact


def build_product_master(
    materials: pd.DataFrame,
    weights: pd.DataFrame,
    *,
    mode: Mode = "automated",
    policy: HoldPolicy | None = None,
    hts_codes: Collection[str] | None = None,
    earlier: pd.DataFrame | None = None,
) -> DatasetBuild:
    """ZEMM005 (FERT/HAWA rows; every row on the manual path) + ZFMIOR002 → product-master."""
    scope = select_types(materials, GOODS_TYPES) if mode == "automated" else materials
    candidates = _derive(material_candidates(scope, weights))
    rules = RULES if hts_codes is None else RULES.with_rules(_hts_rule(hts_codes))
    result = validate_for(candidates, rules, policy, earlier=earlier)
    valid = result.valid
    currency = valid["metal_currency"].where(~is_blank(valid["metal_currency"]), ZERO_VALUE_CURRENCY)
    frame = typed_frame(
        {
            "material": valid["material_id"],
            "description": clean_text(valid["description"]),
            "material_type": valid["material_type"],
            "hts10": valid["hts10"],
            "origin": valid["origin"],
            "base_unit": valid["base_unit"].map(UNIT_CODES),
            "net_kg": valid["net_kg"],
            "gross_kg": valid["gross_kg"],
            "packing_kg": valid["packing_kg"],
            "steel_kg": valid["steel_kg"],
            "aluminum_kg": valid["aluminum_kg"],
            "copper_kg": valid["copper_kg"],
            "metal_share": valid["metal_share"],
            "metal_value_per_unit": valid["metal_value_per_unit"],
            "metal_value_currency": currency,
        },
        PRODUCT_MASTER,
    )
    return DatasetBuild(rules.dataset, mode, frame, result, sources=SourceRows.of(rules.source, valid))
