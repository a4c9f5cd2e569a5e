"""Fees: the figures an admin records for a fiscal year when CBP publishes them (DOMAIN §4 step 7).

CBP republishes the merchandise processing fee's limits every summer in the Federal Register,
effective 1 October; the fee table customs applies is built from these notices and the ones the
product ships with. A notice is the admin's fact, with its citation: the ingestion service records
it and lands the fee notices again, and the ETL decides whether it fits the table."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field, model_validator

from ior_contracts.envelope import Event
from ior_contracts.vocabulary import Actor, DecimalAmount, Fraction

# Where the figures come from, for a person: the Federal Register notice, CBP decision or CSMS number.
Citation = Annotated[str, Field(min_length=8, max_length=500, pattern=r"\S")]

FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 1990, 2100


def fiscal_year_period(fiscal_year: int) -> tuple[date, date]:
    """The US government's fiscal year `fiscal_year`: 1 October of the year before to 30 September."""
    return date(fiscal_year - 1, 10, 1), date(fiscal_year, 9, 30)


class FeeNoticeSubmitted(Event):
    DETAIL_TYPE: ClassVar[str] = "fees.notice.submitted.v1"
    SOURCE: ClassVar[str] = "ior.api"
    DESCRIPTION: ClassVar[str] = (
        "An admin recorded a fiscal year's customs fee figures as CBP published them (the MPF rate, "
        "minimum and maximum, and the HMF rate), citing the notice: from the dashboard, or `ior fees "
        "add`. The ingestion service keeps the notice (audited) and lands the fee notices again "
        "(`ingestion.fee_notices.landed.v1`); the ETL rebuilds the fee table from them and says in "
        "`etl.fee_table.published.v1` whether the row was taken or refused, and why (its `rejected`). "
        "A later notice with the same first day replaces an earlier one. The answer carries this "
        "event's correlation id."
    )

    fiscal_year: int = Field(
        ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR, description="The fiscal year, e.g. 2027 (from 2026-10-01)."
    )
    mpf_rate: Fraction = Field(description="MPF ad valorem rate as a fraction, e.g. `0.003464`.")
    mpf_minimum: DecimalAmount = Field(description="MPF minimum per formal entry, USD, e.g. `33.58`.")
    mpf_maximum: DecimalAmount = Field(description="MPF maximum per formal entry, USD, e.g. `651.50`.")
    hmf_rate: Fraction = Field(description="HMF ad valorem rate for vessel modes, e.g. `0.00125`.")
    citation: Citation = Field(
        description="The notice the figures come from, e.g. `CBP Dec. 25-10, 90 FR 34665 (July 23, 2025)`."
    )
    submitted_by: Actor = Field(description="The admin who recorded the figures.")
    effective_from: date | None = Field(
        default=None, description="First day the figures apply; absent = 1 October before the fiscal year."
    )
    effective_to: date | None = Field(
        default=None, description="Last day the figures apply; absent = 30 September of the fiscal year."
    )

    @model_validator(mode="after")
    def _ordered(self) -> FeeNoticeSubmitted:
        start, end = self.period
        if start > end:
            raise ValueError(f"the figures start on {start}, after they end on {end}")
        return self

    @property
    def period(self) -> tuple[date, date]:
        """The days the figures apply, inclusive: the fiscal year unless the notice says otherwise."""
        first, last = fiscal_year_period(self.fiscal_year)
        return self.effective_from or first, self.effective_to or last
