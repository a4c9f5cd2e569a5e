"""The windows `ior run` asks for: a date's billing by arrival, and the exchange rates sized from the
billing dates that landed, so a line billed weeks before it arrives finds its rate."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from typing import Any

from ior_contracts.vocabulary import DateWindow
from ior_tools.ops.extracts import billing_dates, rates_window, request_for

DAY = date(2026, 3, 30)


def test_a_dates_billing_extract_is_the_week_of_arrivals_ending_on_it() -> None:
    request = request_for("ZSDR002", DAY)
    assert request.window == DateWindow(from_date=date(2026, 3, 23), to_date=DAY)


def test_the_rates_reach_back_a_week_before_the_earliest_billing_date() -> None:
    billed = [date(2026, 3, 2), date(2026, 2, 20), date(2026, 3, 27)]
    assert rates_window(DAY, billed) == DateWindow(from_date=date(2026, 2, 13), to_date=DAY)


def test_without_billing_dates_the_rates_keep_their_own_look_back() -> None:
    assert rates_window(DAY, []) == request_for("ZEMM07", DAY).window
    assert rates_window(DAY, [date(2026, 3, 29)]).from_date == date(2026, 3, 22)


class Bucket:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def get_object(self, *, Bucket: str, Key: str) -> dict[str, Any]:
        assert (Bucket, Key) == ("data", "ingestion/published/raw/ZSDR002/x.jsonl.gz")
        return {"Body": io.BytesIO(self.body)}


def test_billing_dates_are_read_from_the_landed_extract_skipping_what_is_no_date() -> None:
    rows = [{"FKDAT": "2026-03-02"}, {"FKDAT": "0000-00-00"}, {"FKDAT": ""}, {"FKDAT": "2026-02-20"}, {}]
    body = gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode())
    landed = {
        "detail": {"data": {"extract": {"uri": "s3://data/ingestion/published/raw/ZSDR002/x.jsonl.gz"}}}
    }
    assert billing_dates(Bucket(body), landed) == {date(2026, 3, 2), date(2026, 2, 20)}
