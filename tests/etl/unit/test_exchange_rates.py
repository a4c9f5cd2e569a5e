"""exchange-rates: ZEMM07 type M to USD, SAP factors and indirect quotations resolved exactly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from ior_contracts.datasets import EXCHANGE_RATES
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.exchange_rates import build_exchange_rates, usd_per_unit
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.sap_fields import ZEMM07

from tests.etl.unit.records import frame, rate

LENIENT = HoldPolicy(thresholds={"exchange-rates": Decimal(1)})


def build(*rows: dict[str, str], **kwargs: Any) -> DatasetBuild:
    return build_exchange_rates(frame(ZEMM07, *rows), **kwargs)


def test_direct_indirect_and_factored_rates_become_usd_per_unit():
    result = build(
        rate("EUR", UKURS="1.08500"),
        rate("TWD", "2026-03-11", UKURS="-32.00000"),
        rate("JPY", "2026-03-11", UKURS="0.67000", FFACT="100"),
        rate("CNY", "2026-03-11", UKURS="-7.22400", FFACT="1", TFACT="1"),
    )

    assert not result.held
    assert tuple(result.frame.columns) == EXCHANGE_RATES.names
    rates = dict(zip(result.frame["currency"], result.frame["usd_per_unit"], strict=True))
    assert rates["EUR"] == Decimal("1.085")
    assert rates["TWD"] == Decimal("0.03125")
    assert rates["JPY"] == Decimal("0.0067")
    assert rates["CNY"] == Decimal("0.138427464009")  # 1 / 7.224, rounded half-up to 12 places
    assert result.frame["date"].iloc[0] == pd.Timestamp("2026-03-10")


def test_the_formula_is_exact_when_the_quotient_terminates():
    assert usd_per_unit(Decimal("-0.8"), Decimal(1), Decimal(1)) == Decimal("1.25")
    assert usd_per_unit(Decimal("2"), Decimal(10), Decimal(5)) == Decimal(1)


def test_other_rate_types_and_targets_are_not_this_dataset():
    result = build(rate(), rate("EUR", "2026-03-11", KURST="B"), rate("EUR", "2026-03-12", TCURR="CHF"))

    assert list(result.frame["date"]) == [pd.Timestamp("2026-03-10")]
    assert result.validation.total_rows == 1


@pytest.mark.parametrize(
    ("fields", "rule", "reason"),
    [
        ({"FCURR": "eur"}, "unknown_currency", "currency eur is not an ISO 4217 code"),
        ({"GDATU": "2026-02-30"}, "invalid_date", "date 2026-02-30 is not a date"),
        ({"UKURS": "1,085"}, "malformed_rate", "rate 1,085 is not a number"),
        ({"FFACT": "0"}, "invalid_from_factor", "from-currency factor 0 is not a number above zero"),
        ({"TFACT": ""}, "invalid_to_factor", "to-currency factor (blank) is not a number above zero"),
        (
            {"UKURS": "0.00000"},
            "non_positive_rate",
            "exchange rate EUR 2026-03-10: USD per unit 0 is not above zero",
        ),
    ],
)
def test_each_rule_rejects_with_its_reason(fields, rule, reason):
    result = build(rate(**fields), policy=LENIENT)

    assert result.frame.empty
    assert list(result.rejected["rule"]) == [rule]
    assert reason in result.rejected["reason"].iloc[0]


def test_two_rates_for_one_currency_and_date_are_both_rejected():
    result = build(rate(), rate(UKURS="1.09"), rate("TWD"), policy=LENIENT)

    assert list(result.rejected["rule"]) == ["duplicate_key", "duplicate_key"]
    assert list(result.frame["currency"]) == ["TWD"]


def test_quarantine_keeps_all_failures_of_a_row():
    result = build(rate(FCURR="E1", UKURS="x", FFACT="-1"), policy=LENIENT)

    assert list(result.rejected["rule"]) == ["unknown_currency", "malformed_rate", "invalid_from_factor"]
    assert result.rejected["record"].iloc[0] == rate(FCURR="E1", UKURS="x", FFACT="-1")


def test_past_the_threshold_the_rates_are_held():
    result = build(rate(), rate("TWD", UKURS=""))

    assert result.held
    assert (result.outcome.rule, result.outcome.rejected_rows, result.outcome.total_rows) == (
        "malformed_rate",
        1,
        2,
    )
