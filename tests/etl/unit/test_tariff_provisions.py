"""tariff-provisions: ZFMIOR003, DOMAIN §3 fields, and the ambiguity rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
import yaml
from ior_contracts.datasets import TARIFF_PROVISIONS
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.provision_overlap import Terms, tie_prefix
from ior_etl.domain.sap_fields import ZFMIOR003
from ior_etl.domain.tariff_provisions import build_tariff_provisions

from tests.etl.unit.records import GOLDEN_CATALOGUE, frame, provision

LENIENT = HoldPolicy(thresholds={"tariff-provisions": Decimal(1)})


def build(*rows: dict[str, str], **kwargs: Any) -> DatasetBuild:
    return build_tariff_provisions(frame(ZFMIOR003, *rows), **kwargs)


def s122(code: str = "9903.03.01", item: str = "001", **fields: str) -> dict[str, str]:
    base = {
        "ZZPROG": "S122",
        "ZZRATE": "10.000",
        "ZZPART": "non_metal",
        "ZZPREFIXES": "",
        "ZZORIGINS": "*",
        "ZZEXCL": "MX",
        "DATAB": "2026-02-24",
        "DATBI": "2026-07-23",
        "ZZRANK": "27",
    }
    return provision(code, item, **(base | fields))


def test_a_provision_is_published_with_fractions_sorted_lists_and_dates():
    result = build(
        provision("9903.88.03", ZZRATE="25.000", ZZPREFIXES="85444290;85044095;85044095", ZZORIGINS="CN"),
        s122(),
        s122("9903.03.06", "003", ZZKIND="exemption", ZZRATE="0.000", ZZPART="any", ZZPREFIXES="85044095",
             ZZEXCL="", ZZMINSHR="15.00", DATAB="2026-04-06"),
    )  # fmt: skip

    assert not result.held
    assert tuple(result.frame.columns) == TARIFF_PROVISIONS.names
    rows = result.frame.set_index(["code", "seq"])
    s301 = rows.loc[("9903.88.03", 1)]
    assert (s301.rate, s301.hts_prefixes, s301.origins, s301.origins_excluded) == (
        Decimal("0.25"),
        ("85044095", "85444290"),
        ("CN",),
        (),
    )
    assert s301.effective_to is pd.NaT or pd.isna(s301.effective_to)
    whole = rows.loc[("9903.03.01", 1)]
    assert (whole.hts_prefixes, whole.origins, whole.origins_excluded, whole.rate) == (
        ("",),
        ("*",),
        ("MX",),
        Decimal("0.1"),
    )
    assert (whole.effective_from, whole.effective_to) == (
        pd.Timestamp("2026-02-24"),
        pd.Timestamp("2026-07-23"),
    )
    exemption = rows.loc[("9903.03.06", 3)]
    assert (
        exemption.kind,
        exemption.rate,
        exemption.min_metal_share,
        exemption.max_metal_share,
        exemption["rank"],
    ) == (
        "exemption",
        Decimal(0),
        Decimal("0.15"),
        None,
        27,
    )


def test_a_rate_written_with_a_percent_sign_reads_the_same():
    result = build(provision(ZZRATE="7.5%"), provision("9903.88.16", ZZRATE="7.500", ZZPREFIXES="8504"))

    assert list(result.frame["rate"]) == [Decimal("0.075"), Decimal("0.075")]


@pytest.mark.parametrize(
    ("fields", "rule", "reason"),
    [
        ({"ZZCODE": "9903.88"}, "malformed_code", "code 9903.88 is not a chapter 99 number like 9903.88.15"),
        ({"ZZITEM": "A1"}, "malformed_seq", "row number A1 is not a whole number"),
        (
            {"ZZPROG": "S999"},
            "unknown_programme",
            "programme S999 is not one of S301, S232, S122, IEEPA_F, IEEPA_R",
        ),
        ({"ZZKIND": "Exemption"}, "unknown_kind", "kind Exemption is not one of additional, exemption"),
        ({"ZZRATE": ""}, "invalid_rate", "rate (blank) is not a number from 0 % to 100 %"),
        ({"ZZRATE": "150"}, "invalid_rate", "rate 150 is not a number from 0 % to 100 %"),
        ({"ZZKIND": "exemption"}, "exemption_with_rate", "is an exemption with rate 7.500"),
        ({"ZZPART": "whole"}, "unknown_part", "part whole is not one of any, non_metal, metal"),
        ({"ZZPREFIXES": "8517.62"}, "invalid_prefixes", "HTS prefixes 8517.62 are not digit prefixes"),
        ({"ZZORIGINS": ""}, "invalid_origins", "origins (blank) are not two-letter ISO codes or *"),
        ({"ZZORIGINS": "China"}, "invalid_origins", "origins China are not"),
        ({"ZZEXCL": "*"}, "invalid_excluded_origins", "excluded origins * are not two-letter ISO codes"),
        ({"ZZMINSHR": "x"}, "invalid_metal_share", "metal shares (minimum x, maximum (blank))"),
        (
            {"ZZMINSHR": "20", "ZZMAXSHR": "15"},
            "empty_metal_share_interval",
            "minimum metal share 0.2 is not below the maximum 0.15",
        ),
        ({"DATAB": ""}, "invalid_effective_from", "effective from (blank) is not a date"),
        ({"DATBI": "2026-02-30"}, "invalid_effective_to", "effective to 2026-02-30 is not a date"),
        (
            {"DATBI": "2019-12-31"},
            "reversed_effective_dates",
            "effective from 2020-02-14 is after effective to 2019-12-31",
        ),
        ({"ZZRANK": "ten"}, "invalid_rank", "rank ten is not a whole number"),
    ],
)
def test_each_rule_rejects_with_its_reason(fields, rule, reason):
    result = build(provision(**fields), policy=LENIENT)

    assert result.frame.empty
    rejected = result.rejected.set_index("rule")
    assert rule in rejected.index, list(rejected.index)
    assert reason in rejected.loc[[rule], "reason"].iloc[0]


def test_a_row_is_quarantined_with_every_rule_it_breaks():
    result = build(provision(ZZPROG="S999", ZZPART="whole", DATAB="", ZZRANK="x"), policy=LENIENT)

    assert list(result.rejected["rule"]) == [
        "unknown_programme",
        "unknown_part",
        "invalid_effective_from",
        "invalid_rank",
    ]
    assert list(result.rejected["field"]) == ["ZZPROG", "ZZPART", "DATAB", "ZZRANK"]


def test_two_rows_with_one_key_are_both_rejected():
    result = build(provision(), provision(ZZPREFIXES="8504"), policy=LENIENT)

    assert list(result.rejected["rule"]) == ["duplicate_key", "duplicate_key"]


def test_two_provisions_that_could_both_be_most_specific_are_rejected_naming_each_other():
    result = build(s122(), s122("9903.03.09", ZZMAXSHR="50.00"), policy=LENIENT)

    assert result.frame.empty
    reasons = list(result.rejected["reason"])
    assert list(result.rejected["rule"]) == ["ambiguous_provisions", "ambiguous_provisions"]
    assert reasons[0].startswith("provision 9903.03.01/1: could be the most specific S122 provision")
    assert "9903.03.09/1 (prefix of every HTS number)" in reasons[0]
    assert "9903.03.01/1 (prefix of every HTS number)" in reasons[1]


def test_an_exemption_and_an_additional_duty_on_the_same_prefix_are_ambiguous_when_they_can_meet():
    result = build(
        s122(ZZPREFIXES="85044095"),
        s122("9903.03.06", ZZKIND="exemption", ZZRATE="0", ZZPART="any", ZZPREFIXES="85044095"),
        policy=LENIENT,
    )

    assert set(result.rejected["rule"]) == {"ambiguous_provisions"}
    assert "(prefix 85044095)" in result.rejected["reason"].iloc[0]


@pytest.mark.parametrize(
    ("term", "field", "other"),
    [
        ("programme", "ZZPROG", {"ZZPROG": "S232"}),
        ("kind", "ZZKIND", {"ZZKIND": "additional", "ZZRATE": "10"}),
        ("rate", "ZZRATE", {"ZZRATE": "5"}),
        ("rank", "ZZRANK", {"ZZRANK": "28"}),
    ],
)
def test_rows_of_one_code_that_disagree_are_rejected_naming_each_other(term, field, other):
    # GIVEN two rows of 9903.03.06 matching different prefixes, the second disagreeing on one term
    first = {"ZZKIND": "exemption", "ZZRATE": "0", "ZZPART": "any", "ZZPREFIXES": "85044095"}
    second = first | {"ZZPREFIXES": "7326"} | other
    # WHEN the set is built
    result = build(s122("9903.03.06", "001", **first), s122("9903.03.06", "002", **second))
    # THEN both rows are rejected on that term, each naming the other, and the set is held
    rejected = result.rejected[result.rejected["rule"] == f"code_disagrees_on_{term}"]
    assert list(zip(rejected["row"], rejected["field"], strict=True)) == [(1, field), (2, field)]
    assert "at 9903.03.06/2 of the same code" in rejected["reason"].iloc[0]
    assert "at 9903.03.06/1 of the same code" in rejected["reason"].iloc[1]
    assert result.held
    assert result.frame.empty


def test_a_rank_disagreement_says_which_rank_each_row_has():
    result = build(
        s122("9903.03.06", "001", ZZKIND="exemption", ZZRATE="0", ZZPART="any", ZZPREFIXES="85044095"),
        s122(
            "9903.03.06", "002", ZZKIND="exemption", ZZRATE="0", ZZPART="any", ZZPREFIXES="7326", ZZRANK="28"
        ),
        policy=LENIENT,
    )

    assert list(result.rejected["reason"]) == [
        "provision 9903.03.06/1: rank 27 disagrees with rank 28 at 9903.03.06/2 of the same code: the rows "
        "of one code agree on programme, kind, rate and rank, or no run can order them",
        "provision 9903.03.06/2: rank 28 disagrees with rank 27 at 9903.03.06/1 of the same code: the rows "
        "of one code agree on programme, kind, rate and rank, or no run can order them",
    ]


def test_rows_of_one_code_that_agree_but_match_differently_are_published():
    result = build(
        s122("9903.03.06", "001", ZZKIND="exemption", ZZRATE="0", ZZPART="any", ZZPREFIXES="85044095"),
        s122("9903.03.06", "002", ZZKIND="exemption", ZZRATE="0.000", ZZPART="any", ZZPREFIXES="7326"),
    )

    assert result.rejected.empty
    assert len(result.frame) == 2


@pytest.mark.parametrize(
    ("other", "why"),
    [
        ({"ZZPREFIXES": "8517"}, "a longer prefix is more specific"),
        ({"ZZORIGINS": "MX", "ZZEXCL": ""}, "origins exclude each other"),
        ({"DATAB": "2026-07-24", "DATBI": ""}, "dates do not overlap"),
        ({"ZZPART": "metal"}, "non-metal and metal parts never meet"),
        ({"ZZPROG": "S301"}, "another programme"),
    ],
)
def test_provisions_that_cannot_tie_are_not_ambiguous(other, why):
    result = build(s122(), s122("9903.03.09", **other))

    assert result.rejected.empty, why


def test_disjoint_metal_share_intervals_do_not_tie():
    result = build(
        s122(ZZPREFIXES="85044095", ZZPART="any", ZZMINSHR="15"),
        s122("9903.03.09", ZZPREFIXES="85044095", ZZPART="any", ZZMAXSHR="15"),
    )

    assert result.rejected.empty


def test_a_shared_prefix_covered_by_longer_ones_cannot_tie():
    def terms(label: str, *prefixes: str) -> Terms:
        return Terms(label, "S122", "any", prefixes, ("*",), (), None, None, date(2026, 1, 1), None)

    children = tuple(f"850{d}" for d in "0123456789")
    assert tie_prefix(terms("a", "850"), terms("b", "850")) == "850"
    assert tie_prefix(terms("a", "850", *children), terms("b", "850")) is None
    assert tie_prefix(terms("a", "850", *children[:9]), terms("b", "850")) == "850"


def test_any_reject_holds_the_provisions():
    result = build(provision(), provision("9903.88.16", ZZPREFIXES="8504", ZZRANK="x"))

    assert result.held
    assert result.outcome.threshold == Decimal(0)
    assert result.outcome.rule == "invalid_rank"


@pytest.mark.skipif(
    not GOLDEN_CATALOGUE.exists(), reason="the shared golden catalogue is not in this checkout"
)
def test_the_golden_catalogue_provisions_build_without_ambiguity():
    catalogue = yaml.safe_load(GOLDEN_CATALOGUE.read_text(encoding="utf-8"))
    rows, seen = [], {}

    def percent(value: str | None) -> str:
        return "" if value is None else str(Decimal(value) * 100)

    for p in catalogue["provisions"]:
        seen[p["code"]] = seen.get(p["code"], 0) + 1
        rows.append(
            provision(
                p["code"],
                f"{seen[p['code']]:03d}",
                ZZPROG=p["programme"],
                ZZKIND=p["kind"],
                ZZRATE=percent(p["rate"]),
                ZZPART=p["part"],
                ZZPREFIXES=";".join(p["hts_prefixes"]),
                ZZORIGINS=";".join(p["origins"]),
                ZZEXCL=";".join(p["origins_excluded"]),
                ZZMINSHR=percent(p["min_metal_share"]),
                ZZMAXSHR=percent(p["max_metal_share"]),
                DATAB=str(p["effective_from"]),
                DATBI="" if p["effective_to"] is None else str(p["effective_to"]),
                ZZRANK=str(p["rank"]),
            )
        )

    result = build(*rows)

    assert result.rejected.empty
    assert len(result.frame) == len(catalogue["provisions"])
