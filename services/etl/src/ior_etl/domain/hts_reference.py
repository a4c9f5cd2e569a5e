"""hts-reference: the company's HTS table (ZFMIOR001) cross-checked against an official revision.

Automated path: the 10-digit statistical line must exist in the revision; the published
`general_rate` is the official one (`Free` = 0, `x%`; specific, compound and other texts are
rejected: the company's goods are ad valorem) and the unit is the statistical line's (the
company's own unit only where the official line has none). Manual path: `general_rate` and unit
are the company table's (`HTS_Code.csv`); a revision, when given, only fills `official_rate` and
the `rate_differs` flag. Descriptions are the company's; the official one, cleaned of markup,
stands in where the company's is blank."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from ior_contracts.datasets import HTS_REFERENCE
from ior_contracts.vocabulary import Mode

from ior_etl.domain.dataset import DatasetBuild, SourceRows
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.materials import clean_text
from ior_etl.domain.official_hts import OfficialRevision
from ior_etl.domain.sap_fields import ZFMIOR001
from ior_etl.domain.typed import typed_frame
from ior_etl.domain.validation import ROW, Rule, RuleSet, present, unique_key, validate_for
from ior_etl.domain.values import HTS10, ad_valorem_or_none, is_blank, matches

REPORTING_UNITS = ("No.", "kg", "No. and kg")
RATE_DIFFERS_FLAG = "rate_differs_from_official"
_ONE = Decimal(1)


def _in_range(rate: object) -> bool:
    return not isinstance(rate, Decimal) or Decimal(0) <= rate <= _ONE


def _rates_in_range(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [
            _in_range(c) and _in_range(o)
            for c, o in zip(frame["company_rate"], frame["official_rate"], strict=True)
        ],
        index=frame.index,
    )


def _well_formed(frame: pd.DataFrame) -> pd.Series:
    return matches(frame["hts10"], HTS10)


def _rules(*checks_of_the_rates: Rule) -> RuleSet:
    """hts-reference's rules on either path; where they differ is how its rates are checked."""
    return RuleSet.of_table(
        HTS_REFERENCE.name,
        ZFMIOR001,
        "HTS {hts10}",
        unique_key(["hts10"], f"appears more than once in {ZFMIOR001.name}"),
        Rule("malformed_hts", "the HTS number is not 10 digits", _well_formed, "hts10"),
        *checks_of_the_rates,
        Rule(
            "rate_out_of_range",
            "rate outside 0 % to 100 % (company {rate}, official {official_general})",
            _rates_in_range,
            "rate",
        ),
        present(
            "missing_unit",
            "unit_out",
            "has no reporting unit (official {official_unit}, company {unit})",
            field="unit",
        ),
        Rule(
            "unsupported_unit",
            "reporting unit {unit_out} is not one of " + ", ".join(REPORTING_UNITS),
            lambda f: is_blank(f["unit_out"]) | f["unit_out"].isin(list(REPORTING_UNITS)),
            "unit",
        ),
        present("missing_description", "description_out", "has no description", field="description"),
    )


AUTOMATED_RULES = _rules(
    Rule(
        "not_in_official_revision",
        "is not a statistical line of the official HTS {revision}",
        lambda f: ~_well_formed(f) | f["official_found"],
        "hts10",
        master_data=True,
    ),
    Rule(
        "missing_official_rate",
        "no row at or above it in the official HTS {revision} has a general rate",
        lambda f: ~f["official_found"] | ~is_blank(f["official_general"]),
        "hts10",
    ),
    Rule(
        "official_rate_not_ad_valorem",
        "the official general rate {official_general} (on {official_rate_from}) is not Free or a "
        "percentage; specific and compound rates are not supported",
        lambda f: is_blank(f["official_general"]) | f["official_rate"].notna(),
        "hts10",
    ),
    Rule(
        "invalid_company_rate",
        "the company's rate {rate} is not Free or a percentage",
        lambda f: is_blank(f["rate"]) | f["company_rate"].notna(),
        "rate",
    ),
)

MANUAL_RULES = _rules(
    Rule(
        "invalid_company_rate",
        "the duty rate {rate} is not Free or a percentage",
        lambda f: f["company_rate"].notna(),
        "rate",
    ),
)


def _candidates(table: pd.DataFrame, official: OfficialRevision | None, mode: Mode) -> pd.DataFrame:
    frame = table[[*ZFMIOR001.fields, ROW]].rename(columns=ZFMIOR001.to_neutral).reset_index(drop=True)
    lines = official.lines if official is not None else {}
    found = [lines.get(h) for h in frame["hts10"]]
    general = pd.Series([o.general if o else "" for o in found], dtype="str")
    official_rate = [ad_valorem_or_none(t) if t else None for t in general]
    company_rate = [ad_valorem_or_none(t) if t.strip() else None for t in frame["rate"]]
    official_unit = pd.Series([o.unit_text if o else "" for o in found], dtype="str")
    official_description = pd.Series([o.description if o else "" for o in found], dtype="str")
    company_unit = frame["unit"].str.strip()
    if mode == "automated":
        unit = official_unit.where(official_unit.ne(""), company_unit)
        general_rate = official_rate
    else:
        unit = company_unit
        general_rate = company_rate
    description = clean_text(frame["description"])
    return frame.assign(
        revision=official.label if official is not None else "",
        official_found=[o is not None for o in found],
        official_general=general,
        official_rate_from=pd.Series([o.rate_from if o else "" for o in found], dtype="str"),
        official_rate=pd.Series(official_rate, dtype=object),
        official_unit=official_unit,
        company_rate=pd.Series(company_rate, dtype=object),
        general_rate=pd.Series(general_rate, dtype=object),
        unit_out=unit,
        description_out=description.where(description.ne(""), official_description),
    )


def build_hts_reference(
    table: pd.DataFrame,
    official: OfficialRevision | None,
    *,
    mode: Mode = "automated",
    policy: HoldPolicy | None = None,
    earlier: pd.DataFrame | None = None,
) -> DatasetBuild:
    """ZFMIOR001 (or `HTS_Code.csv` read into its form) × an official revision → hts-reference.

    The automated path needs the revision; the manual path takes it when there is one."""
    if mode == "automated" and official is None:
        raise ValueError("the automated hts-reference needs an official HTS revision")
    rules = AUTOMATED_RULES if mode == "automated" else MANUAL_RULES
    candidates = _candidates(table, official, mode)
    result = validate_for(candidates, rules, policy, earlier=earlier)
    valid = result.valid
    differs = [
        c is not None and o is not None and c != o
        for c, o in zip(valid["company_rate"], valid["official_rate"], strict=True)
    ]
    frame = typed_frame(
        {
            "hts10": valid["hts10"],
            "description": valid["description_out"],
            "unit": valid["unit_out"],
            "general_rate": valid["general_rate"],
            "company_rate": valid["company_rate"],
            "official_rate": valid["official_rate"],
            "rate_differs": differs,
            "official_revision": [official.label if official and mode == "automated" else None] * len(valid),
        },
        HTS_REFERENCE,
    )
    flagged = sum(differs)
    review = {RATE_DIFFERS_FLAG: flagged} if flagged else {}
    return DatasetBuild(rules.dataset, mode, frame, result, review, SourceRows.of(rules.source, valid))
