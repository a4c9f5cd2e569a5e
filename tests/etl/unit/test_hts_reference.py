"""hts-reference: the company's table × the official USITC revision (real file and a synthetic one)."""

from __future__ import annotations

import gzip
from decimal import Decimal
from typing import Any

import pytest
from ior_contracts.datasets import HTS_REFERENCE
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.hts_reference import build_hts_reference
from ior_etl.domain.official_hts import OfficialRevision, clean_description, parse_official_revision
from ior_etl.domain.sap_fields import ZFMIOR001
from ior_tools.paths import OFFICIAL_HTS

from tests.etl.unit.records import frame, hts_line, hts_row, revision, revision_bytes

LENIENT = HoldPolicy(thresholds={"hts-reference": Decimal(1)})

# A small revision with every quirk of the official export.
QUIRKS = [
    hts_row("8517", 0, "Telephone sets; other apparatus for the transmission of voice, images or other data"),
    hts_row("", 1, "Other apparatus:"),
    hts_row("8517.62.00", 2, "Machines for the reception, conversion and transmission", "Free"),
    hts_row("8517.62.00.20", 3, "Switching and <i>routing</i> apparatus", units=["No."]),
    hts_row("8517.62.00.90", 3, "Other&nbsp;apparatus\u200b\n", units=[""]),
    hts_row("8544", 0, "Insulated wire"),
    hts_row("8544.42", 1, "Other electric conductors, for a voltage not exceeding 1,000 V:"),
    hts_row("8544.42.90", 2, "Other", "2.6% "),
    hts_row("8544.42.90.10", 3, "Of copper", units=["No.", "kg"]),
    hts_row("8544.42.90.90", 3, "Other", "3.9%", units=["No."]),
    hts_row("0102", 0, "Live bovine animals"),
    hts_row("0102.90.00.00", 1, "Other", "2.5¢/kg", units=["No.", "kg"]),
    hts_row("2402", 0, "Cigars"),
    hts_row("2402.10.30.00", 1, "Other", "350%", units=["No."]),
    hts_row("6109", 0, "T-shirts"),
    hts_row("6109.10.00", 1, "Of cotton", "The duty provided in the applicable subheading + 25%"),
    hts_row("6109.10.00.04", 2, "Men's", units=["doz.", "kg"]),
    hts_row("9999", 0, "Nothing rated"),
    hts_row("9999.00.00.00", 1, "Without a rate", units=["No."]),
]


@pytest.fixture(scope="module")
def quirks() -> OfficialRevision:
    return revision(QUIRKS, "2099 Rev. 1")


def build(*lines: dict[str, str], official: OfficialRevision | None, **kwargs: Any) -> DatasetBuild:
    return build_hts_reference(frame(ZFMIOR001, *lines), official, **kwargs)


def test_the_rate_of_an_eight_digit_row_applies_to_its_statistical_lines(quirks):
    line = quirks.lines["8517620020"]

    assert (line.general, line.rate_from, line.units, line.unit_text) == (
        "Free",
        "8517.62.00",
        ("No.",),
        "No.",
    )


def test_a_ten_digit_row_with_its_own_rate_keeps_it(quirks):
    assert (quirks.lines["8544429090"].general, quirks.lines["8544429090"].rate_from) == (
        "3.9%",
        "8544.42.90.90",
    )
    assert quirks.lines["8544429010"].general == "2.6%"


def test_units_and_descriptions_are_cleaned(quirks):
    assert quirks.lines["8517620090"].units == ()
    assert quirks.lines["8544429010"].unit_text == "No. and kg"
    assert quirks.lines["8517620020"].description == "Switching and routing apparatus"
    assert quirks.lines["8517620090"].description == "Other apparatus"
    assert clean_description("A &amp; B<br/>\u00a0 C\t") == "A & B C"


def test_good_lines_take_the_official_rate_and_unit(quirks):
    result = build(
        hts_line("8517620020"),
        hts_line("8544429010", STTXT="Copper conductors", ZZRATE="2.6%", ZZUNIT="No."),
        official=quirks,
    )

    assert not result.held
    assert tuple(result.frame.columns) == HTS_REFERENCE.names
    rows = result.frame.set_index("hts10")
    assert (rows.loc["8517620020", "general_rate"], rows.loc["8517620020", "unit"]) == (Decimal(0), "No.")
    copper = rows.loc["8544429010"]
    assert (copper.general_rate, copper.company_rate, copper.official_rate) == (
        Decimal("0.026"),
        Decimal("0.026"),
        Decimal("0.026"),
    )
    assert copper.unit == "No. and kg"
    assert copper.official_revision == "2099 Rev. 1"
    assert not copper.rate_differs


def test_a_company_rate_that_differs_is_flagged_and_the_official_one_applies(quirks):
    result = build(hts_line("8544429090", ZZRATE="2.6%"), official=quirks)

    row = result.frame.iloc[0]
    assert (row.general_rate, row.company_rate, row.official_rate, row.rate_differs) == (
        Decimal("0.039"),
        Decimal("0.026"),
        Decimal("0.039"),
        True,
    )
    assert result.flags == {"rate_differs_from_official": 1}


def test_an_official_line_without_units_takes_the_company_unit_and_its_description_stands_in(quirks):
    result = build(hts_line("8517620090", STTXT="", ZZUNIT="No."), official=quirks)

    assert (result.frame.iloc[0].unit, result.frame.iloc[0].description) == ("No.", "Other apparatus")


@pytest.mark.parametrize(
    ("line", "rule", "reason"),
    [
        (hts_line("85176200"), "malformed_hts", "HTS 85176200: the HTS number is not 10 digits"),
        (
            hts_line("8517629999"),
            "not_in_official_revision",
            "is not a statistical line of the official HTS 2099 Rev. 1",
        ),
        (
            hts_line("9999000000"),
            "missing_official_rate",
            "no row at or above it in the official HTS 2099 Rev. 1",
        ),
        (
            hts_line("0102900000", ZZUNIT="No. and kg"),
            "official_rate_not_ad_valorem",
            "the official general rate 2.5¢/kg",
        ),
        (
            hts_line("6109100004"),
            "official_rate_not_ad_valorem",
            "applicable subheading + 25% (on 6109.10.00)",
        ),
        (
            hts_line("8517620020", ZZRATE="1¢/kg"),
            "invalid_company_rate",
            "the company's rate 1¢/kg is not Free or a percentage",
        ),
        (
            hts_line("2402103000", ZZRATE="350%"),
            "rate_out_of_range",
            "rate outside 0 % to 100 % (company 350%, official 350%)",
        ),
        (hts_line("8517620090", ZZUNIT=""), "missing_unit", "has no reporting unit"),
        (
            hts_line("6109100004"),
            "unsupported_unit",
            "reporting unit doz. and kg is not one of No., kg, No. and kg",
        ),
        (hts_line("8517620020", STTXT=""), None, None),
    ],
)
def test_each_rule_rejects_with_its_reason(quirks, line, rule, reason):
    result = build(line, official=quirks, policy=LENIENT)

    if rule is None:
        assert result.rejected.empty  # the official description stands in
        return
    rejected = result.rejected.set_index("rule")
    assert rule in rejected.index
    assert reason in rejected.loc[[rule], "reason"].iloc[0]


def test_two_rows_of_one_number_are_both_rejected(quirks):
    result = build(hts_line(), hts_line(), official=quirks, policy=LENIENT)

    assert list(result.rejected["rule"]) == ["duplicate_key", "duplicate_key"]


def test_a_line_missing_from_the_revision_is_published_once_a_revision_has_it(quirks):
    lines = (hts_line("8517620020"), hts_line("8517620050"))
    first = build(*lines, official=quirks, policy=LENIENT)
    assert list(first.rejected["rule"]) == ["not_in_official_revision"]
    assert bool(first.rejected["re_evaluable"].iloc[0])

    # A newer revision landing rebuilds the dataset from the same table: the line is read again.
    new_line = hts_row("8517.62.00.50", 3, "New line", units=["No."])
    newer = revision([*QUIRKS[:4], new_line, *QUIRKS[4:]], "2099 Rev. 2")
    again = build(*lines, official=newer)

    assert list(again.frame["hts10"]) == ["8517620020", "8517620050"]
    assert set(again.frame["official_revision"]) == {"2099 Rev. 2"}


def test_too_many_rejects_hold_it(quirks):
    result = build(hts_line("8517620020"), hts_line("0102900000"), official=quirks)

    assert result.held
    assert result.outcome.rule == "official_rate_not_ad_valorem"


def test_on_the_manual_path_the_company_rate_applies_and_the_revision_only_flags(quirks):
    result = build(
        hts_line("8544429090", ZZRATE="2.6%"),
        hts_line("8517629999", ZZRATE="Free"),
        official=quirks,
        mode="manual",
    )

    rows = result.frame.set_index("hts10")
    assert rows.loc["8544429090", "general_rate"] == Decimal("0.026")
    assert bool(rows.loc["8544429090", "rate_differs"])
    assert rows.loc["8517629999", "official_rate"] is None  # absent from the revision: no flag, no reject
    assert rows["official_revision"].isna().all()


def test_the_automated_path_needs_a_revision():
    with pytest.raises(ValueError, match="official HTS revision"):
        build(hts_line(), official=None)


def test_a_revision_reads_from_gzip_or_plain_json():
    assert parse_official_revision(gzip.compress(revision_bytes(QUIRKS)), "x").lines.keys() == (
        parse_official_revision(revision_bytes(QUIRKS), "x").lines.keys()
    )


@pytest.mark.skipif(not OFFICIAL_HTS.exists(), reason="the shared official HTS file is not in this checkout")
def test_the_company_lines_cross_check_against_the_official_2026_revision():
    official = parse_official_revision(OFFICIAL_HTS.read_bytes(), "2026 Rev. 10")

    result = build(
        hts_line("8517620020"),
        hts_line("8504409520", STTXT="Power supplies, over 50 W but not over 150 W"),
        hts_line("8544429090", STTXT="Other conductors", ZZRATE="2.6%"),
        hts_line("7326908688", STTXT="Other articles of iron or steel", ZZRATE="2.9%", ZZUNIT="kg"),
        hts_line("8473301140", STTXT="Memory modules"),
        hts_line("8536698000", STTXT="Other", ZZRATE="Free"),
        hts_line("0102900000", STTXT="Live bovine animals"),
        official=official,
        policy=LENIENT,
    )

    rows = result.frame.set_index("hts10")
    assert rows.loc["8544429090", "general_rate"] == Decimal("0.026")
    assert (rows.loc["7326908688", "general_rate"], rows.loc["7326908688", "unit"]) == (
        Decimal("0.029"),
        "kg",
    )
    assert rows.loc["8473301140", "general_rate"] == Decimal(0)
    assert (rows.loc["8536698000", "official_rate"], bool(rows.loc["8536698000", "rate_differs"])) == (
        Decimal("0.027"),
        True,
    )
    assert list(result.rejected["rule"]) == ["official_rate_not_ad_valorem"]
    assert "the official general rate 1¢/kg (on 0102.90.00.00)" in result.rejected["reason"].iloc[0]
