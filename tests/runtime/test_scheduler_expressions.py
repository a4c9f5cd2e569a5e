from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ior_tools.runtime.scheduler import ScheduleExpressionError, next_fire, to_standard_cron


@pytest.mark.parametrize(
    ("aws", "standard"),
    [
        ("cron(0 6 * * ? *)", "0 6 * * *"),
        ("cron(30 5 ? * MON-FRI *)", "30 5 * * MON-FRI"),
        ("cron(0 4 ? * 2 *)", "0 4 * * 1"),  # AWS 2 = Monday
        ("cron(0 4 ? * 1,7 *)", "0 4 * * 0,6"),  # Sunday and Saturday
        ("cron(0 4 ? * 6#3 *)", "0 4 * * 5#3"),  # the third Friday
    ],
)
def test_aws_cron_becomes_standard_cron(aws: str, standard: str) -> None:
    assert to_standard_cron(aws) == standard


@pytest.mark.parametrize("bad", ["rate(5 minutes)", "cron(0 6 * *)", "cron(0 6 * * ? 2027)"])
def test_unsupported_expressions_are_refused(bad: str) -> None:
    with pytest.raises(ScheduleExpressionError):
        to_standard_cron(bad)


def test_weekday_schedule_skips_the_weekend() -> None:
    friday_after = datetime(2026, 3, 13, 7, 0, tzinfo=UTC)
    assert next_fire("cron(0 6 ? * MON-FRI *)", friday_after) == datetime(2026, 3, 16, 6, 0, tzinfo=UTC)
