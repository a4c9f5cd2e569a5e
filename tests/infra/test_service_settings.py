"""`serviceSettings`: a stack configures what a service declares it accepts (the USITC release to
pin, the days ahead the fee table must cover); each reaches that service's functions as
`IOR_<SERVICE>_<SETTING>` and no other's, and the fee table's alarm follows its setting."""

from __future__ import annotations

import pytest
from ior_infra.config_schema import problems

from tests.infra.mocks import Recorder, run_stack

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FUNCTION = "aws:lambda/function:Function"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


@pytest.fixture(scope="module")
def configured() -> Recorder:
    return run_stack(
        "dev",
        serviceSettings={"ingestion": {"usitc_release": "2026HTSRev10"}, "etl": {"fee_coverage_days": 60}},
    )


def test_each_setting_reaches_its_services_functions_only(configured: Recorder) -> None:
    for function in configured.of(FUNCTION):
        variables = function.inputs["environment"]["variables"]
        service = variables["IOR_SERVICE"]
        assert (variables.get("IOR_INGESTION_USITC_RELEASE") == "2026HTSRev10") == (service == "ingestion")
        assert (variables.get("IOR_ETL_FEE_COVERAGE_DAYS") == "60") == (service == "etl")


def test_the_fee_table_alarm_follows_the_days_the_etl_is_given(configured: Recorder, dev: Recorder) -> None:
    assert configured.named(ALARM, "alarms-fee-table-short").inputs["threshold"] == 60
    assert dev.named(ALARM, "alarms-fee-table-short").inputs["threshold"] == 45


def test_a_setting_no_service_declares_is_refused_by_name() -> None:
    found = problems("dev", {"serviceSettings": {"nosuch": {}, "etl": {"usitc_release": "x"}}})
    assert [p for p in found if p.startswith("serviceSettings")] == [
        "serviceSettings: no service 'nosuch'; etl: no setting 'usitc_release' (it accepts fee_coverage_days)"
    ]
