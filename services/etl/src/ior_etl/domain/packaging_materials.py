"""packaging-materials: ZEMM005 packaging (VERP) with its ZFMIOR002 weight — the simplest dataset.

The unit weight is the gross weight (BRGEW): what one unit adds to a shipment's gross weight. On
the automated path every row is VERP, so `is_packaging` is true; on the manual path the list is
`Packaging_Material.csv`, whose `Is Packaging` column says it row by row."""

from __future__ import annotations

import pandas as pd
from ior_contracts.datasets import PACKAGING_MATERIALS
from ior_contracts.vocabulary import Mode

from ior_etl.domain.dataset import DatasetBuild, SourceRows
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.materials import (
    clean_text,
    kg_or_none,
    material_candidates,
    material_rule_set,
    positive_weight,
    select_types,
)
from ior_etl.domain.sap_fields import PACKAGING_TYPE
from ior_etl.domain.typed import typed_frame
from ior_etl.domain.validation import Rule, validate_for

RULES = material_rule_set(
    PACKAGING_MATERIALS.name,
    "packaging material {material_id}",
    Rule(
        "invalid_unit_weight",
        "unit weight {gross_weight} {weight_unit} is not a number of zero or more",
        lambda f: positive_weight(f, "gross_weight", allow_zero=True),
        "gross_weight",
    ),
)


def build_packaging_materials(
    materials: pd.DataFrame,
    weights: pd.DataFrame,
    *,
    mode: Mode = "automated",
    policy: HoldPolicy | None = None,
    earlier: pd.DataFrame | None = None,
) -> DatasetBuild:
    """ZEMM005 (VERP rows; every row on the manual path) + ZFMIOR002 → packaging-materials."""
    scope = select_types(materials, frozenset({PACKAGING_TYPE})) if mode == "automated" else materials
    candidates = material_candidates(scope, weights)
    result = validate_for(candidates, RULES, policy, earlier=earlier)
    valid = result.valid
    frame = typed_frame(
        {
            "material": valid["material_id"],
            "description": clean_text(valid["description"]),
            "is_packaging": valid["material_type"].eq(PACKAGING_TYPE),
            "unit_kg": [
                kg_or_none(w, u) for w, u in zip(valid["gross_weight"], valid["weight_unit"], strict=True)
            ],
        },
        PACKAGING_MATERIALS,
    )
    return DatasetBuild(RULES.dataset, mode, frame, result, sources=SourceRows.of(RULES.source, valid))
