"""Properties of the processor's output on random business days."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ior_customs.domain import ProcessorInputs, process

from tests.customs.cases import DATASET_VERSIONS, inputs_from_case
from tests.customs.oracle import run_oracle
from tests.customs.universe import business_days

# The agreement with the oracle runs 500 days; these properties run fewer to keep the suite fast.
SOME = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SOME
@given(case=business_days())
def test_whole_dollar_values_stay_within_half_a_dollar_per_line(case: dict[str, Any]) -> None:
    # GIVEN a day, and the USD value of each processable line after packaging (from the oracle)
    usd_cents = run_oracle(case, DATASET_VERSIONS, "case").usd_cents
    # WHEN the processor reports it
    lines = process(inputs_from_case(case)).lines
    # THEN rounding each entry line to whole dollars moves the total by at most $0.50 a line
    difference = int(lines["value_usd"].sum()) * 100 - sum(usd_cents.values())
    assert abs(difference) <= 50 * len(lines)


def _shuffled(inputs: ProcessorInputs, seed: int) -> ProcessorInputs:
    def shuffle(frame: Any) -> Any:
        return frame.sample(frac=1, random_state=seed).reset_index(drop=True)

    return ProcessorInputs(
        business_date=inputs.business_date,
        transactions=shuffle(inputs.transactions),
        products=shuffle(inputs.products),
        packaging=shuffle(inputs.packaging),
        hts=shuffle(inputs.hts),
        provisions=shuffle(inputs.provisions),
        exchange_rates=shuffle(inputs.exchange_rates),
        fees=inputs.fees,
        dataset_versions=dict(reversed(list(inputs.dataset_versions.items()))),
    )


@FEW
@given(case=business_days(), seed=st.integers(0, 2**32 - 1))
def test_same_inputs_give_byte_identical_output_whatever_the_row_order(
    case: dict[str, Any], seed: int
) -> None:
    inputs = inputs_from_case(case)
    first = process(inputs).to_json_bytes()
    assert process(inputs).to_json_bytes() == first
    assert process(_shuffled(inputs, seed)).to_json_bytes() == first
