"""The validation framework on a small declared rule set of its own."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pandera.pandas as pa
import pytest
from ior_etl.domain.validation import (
    CandidateShapeError,
    Rule,
    RuleDeclarationError,
    RuleSet,
    ValidationResult,
    validate,
)
from ior_etl.domain.values import matches

RULES = RuleSet(
    dataset="packaging-materials",
    source="PARTS",
    subject="part {part}",
    columns=("part", "size", "colour"),
    rules=(
        Rule(
            "size_malformed", "size {size} is not a number", lambda f: matches(f["size"], r"[0-9]+"), "size"
        ),
        Rule("colour_missing", "has no colour", lambda f: f["colour"].ne(""), "colour"),
        Rule(
            "catalogue_missing",
            "is not in the catalogue yet",
            lambda f: f["part"].isin(["P1", "P2", "P3"]),
            "part",
            master_data=True,
        ),
    ),
    to_source={"part": "PARTNO", "size": "SIZE", "colour": "COLOUR"},
)


def candidates(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "part": pd.Series([r[0] for r in rows], dtype="str"),
            "size": pd.Series([r[1] for r in rows], dtype="str"),
            "colour": pd.Series([r[2] for r in rows], dtype="str"),
            "source_row": pd.Series(range(1, len(rows) + 1), dtype="int64"),
        }
    )


def run(*rows: tuple[str, str, str], threshold: str = "0.5") -> ValidationResult:
    return validate(candidates(*rows), RULES, threshold=Decimal(threshold))


def test_valid_rows_go_on_and_nothing_is_rejected():
    result = run(("P1", "10", "red"), ("P2", "20", "blue"))

    assert list(result.valid["part"]) == ["P1", "P2"]
    assert result.rejected.empty
    assert result.outcome.status == "published"


def test_a_row_is_reported_with_every_rule_it_fails():
    result = run(("P1", "10", "red"), ("X9", "big", ""))

    assert list(result.valid["part"]) == ["P1"]
    failures = result.rejected
    assert list(failures["row"]) == [2, 2, 2]
    assert list(failures["rule"]) == ["size_malformed", "colour_missing", "catalogue_missing"]
    assert list(failures["field"]) == ["SIZE", "COLOUR", "PARTNO"]
    assert failures["reason"].iloc[0] == "part X9: size big is not a number"
    assert failures["reason"].iloc[1] == "part X9: has no colour"
    assert failures["record"].iloc[0] == {"PARTNO": "X9", "SIZE": "big", "COLOUR": ""}


def test_counts_every_rule_and_each_row_by_its_first_rule():
    result = run(("X1", "big", ""), ("P1", "big", "red"), ("P2", "3", ""), ("P3", "4", "green"))

    assert result.rule_counts == {"size_malformed": 2, "colour_missing": 2, "catalogue_missing": 1}
    assert result.first_rule_counts == {"size_malformed": 2, "colour_missing": 1, "catalogue_missing": 0}
    assert result.rejected_rows == 3
    assert result.total_rows == 4
    assert [(s.rule, s.rows) for s in result.summary()] == [("size_malformed", 2), ("colour_missing", 1)]
    assert [(s.rule, s.rows) for s in result.summary(by_first_rule=False)] == [
        ("size_malformed", 2),
        ("colour_missing", 2),
        ("catalogue_missing", 1),
    ]


def test_past_the_threshold_the_dataset_is_held_naming_the_dominant_rule():
    result = run(
        ("P1", "big", "red"), ("P2", "big", "red"), ("P3", "5", ""), ("P1", "6", "red"), threshold="0.5"
    )

    outcome = result.outcome
    assert outcome.held
    assert (outcome.rule, outcome.rule_rows, outcome.rejected_rows, outcome.total_rows) == (
        "size_malformed",
        2,
        3,
        4,
    )
    assert outcome.reject_rate == Decimal("0.75")
    assert (
        "held: 3 of 4 rows rejected (75 %), above the threshold of 50 %; most by size_malformed (2 rows)"
        in (outcome.message)
    )


def test_at_the_threshold_the_dataset_is_published():
    result = run(("P1", "big", "red"), ("P2", "1", "red"), threshold="0.5")

    assert not result.outcome.held


def test_an_empty_run_is_held():
    result = validate(candidates(), RULES, threshold=Decimal("0.05"))

    assert result.outcome.held
    assert result.outcome.rule == "no_rows"


def test_rows_failing_only_for_master_data_are_re_evaluable():
    result = run(("X1", "1", "red"), ("X2", "big", "red"), threshold="1")

    by_row = result.rejected.drop_duplicates("row").set_index("row")["re_evaluable"]
    assert by_row.to_dict() == {1: True, 2: False}


def test_rows_rejected_earlier_count_in_the_total_and_come_first():
    earlier = run(("Z1", "big", ""), threshold="1").rejected.assign(source="FILE.csv", row=7)

    result = validate(candidates(("P1", "1", "red")), RULES, threshold=Decimal("0.4"), earlier=earlier)

    assert result.total_rows == 2
    assert result.rejected_rows == 1
    assert result.outcome.held


def test_a_candidate_frame_without_a_declared_column_is_refused():
    with pytest.raises(CandidateShapeError, match="colour"):
        validate(candidates(("P1", "1", "red")).drop(columns="colour"), RULES, threshold=Decimal(0))


def test_rule_names_are_snake_case_and_declared_once():
    with pytest.raises(RuleDeclarationError):
        Rule("Size-Bad", "x", lambda f: f["size"].ne(""))
    with pytest.raises(RuleDeclarationError, match="declared twice"):
        RuleSet("x", "S", "s", (), (RULES.rules[0], RULES.rules[0]))


def test_the_declared_schema_is_a_pandera_schema_with_every_rule_as_a_check():
    schema = RULES.schema

    assert isinstance(schema, pa.DataFrameSchema)
    assert [check.name for check in schema.checks] == [
        "size_malformed",
        "colour_missing",
        "catalogue_missing",
    ]
    assert set(schema.columns) == {"part", "size", "colour", "source_row"}
