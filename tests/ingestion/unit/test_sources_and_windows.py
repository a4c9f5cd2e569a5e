"""The declared sources and the window each incremental extract asks for."""

from __future__ import annotations

import re
from datetime import date

import pytest
from ior_ingestion.domain.sources import (
    SAP_SOURCES,
    SOURCES,
    USITC_HTS,
    HtsSource,
    SapSource,
    SourceDeclarationError,
    sap_source,
    source,
)
from ior_ingestion.domain.windows import ExtractWindow, WindowError, extract_window

AWS_CRON = re.compile(r"^cron\((\S+ ){5}\S+\)$")
INITIAL = date(2026, 1, 1)


def test_declares_the_seven_sap_sources_and_the_usitc_export() -> None:
    assert [s.name for s in SAP_SOURCES] == [
        "ZEMM005",
        "ZFMIOR001",
        "ZFMIOR002",
        "ZFMIOR003",
        "ZEMM004",
        "ZEMM07",
        "ZSDR002",
    ]
    assert SOURCES[-1] is USITC_HTS
    assert isinstance(source("USITC_HTS"), HtsSource)


def test_only_sources_with_a_date_field_are_incremental() -> None:
    incremental = {s.name: s.date_field for s in SAP_SOURCES if s.incremental}
    # Billing by arrival, the business date: goods are billed weeks before they arrive.
    assert incremental == {"ZSDR002": "ZZARRIVAL", "ZEMM004": "BLDAT", "ZEMM07": "GDATU"}
    assert all(s.lookback_days == 7 for s in SAP_SOURCES)


def test_billing_and_rates_run_daily_the_rest_weekly() -> None:
    daily = {s.name for s in SAP_SOURCES if s.cadence == "daily"}
    assert daily == {"ZSDR002", "ZEMM07"}
    for declared in SOURCES:
        assert AWS_CRON.match(declared.schedule), declared.name
        day_of_week = declared.schedule.split()[4]
        assert day_of_week == ("*" if declared.cadence == "daily" else "MON"), declared.name


def test_names_the_odata_service_and_entity_set() -> None:
    billing = sap_source("ZSDR002Set")
    assert (billing.service, billing.entity_set, billing.key_fields) == (
        "ZSDR002_SRV",
        "ZSDR002Set",
        ("VBELN", "POSNR"),
    )
    with pytest.raises(KeyError):
        sap_source("ZNOPE")


def test_refuses_an_inconsistent_declaration() -> None:
    with pytest.raises(SourceDeclarationError):
        SapSource("ZX", ("K",), None, "daily", "cron(0 5 ? * * *)", incremental=True)
    with pytest.raises(SourceDeclarationError):
        SapSource("ZX", ("K",), None, "daily", "rate(1 day)", incremental=False)
    with pytest.raises(SourceDeclarationError):
        SapSource("ZX", (), None, "daily", "cron(0 5 ? * * *)", incremental=False)


def test_the_first_run_starts_at_the_configured_date() -> None:
    window = extract_window(
        sap_source("ZSDR002"), run_date=date(2026, 3, 9), watermark=None, initial_start=INITIAL
    )
    assert window == ExtractWindow(INITIAL, date(2026, 3, 9))


def test_later_runs_look_back_seven_days_from_the_watermark() -> None:
    window = extract_window(
        sap_source("ZSDR002"), run_date=date(2026, 3, 10), watermark=date(2026, 3, 9), initial_start=INITIAL
    )
    assert window == ExtractWindow(date(2026, 3, 2), date(2026, 3, 10))
    assert window is not None
    assert window.days == 9


def test_a_replay_of_an_earlier_date_looks_back_from_that_date() -> None:
    window = extract_window(
        sap_source("ZEMM07"), run_date=date(2026, 2, 1), watermark=date(2026, 3, 9), initial_start=INITIAL
    )
    assert window == ExtractWindow(date(2026, 1, 25), date(2026, 2, 1))


def test_whole_extracts_have_no_window() -> None:
    assert (
        extract_window(
            sap_source("ZEMM005"), run_date=date(2026, 3, 9), watermark=None, initial_start=INITIAL
        )
        is None
    )


def test_refuses_a_window_that_ends_before_it_starts() -> None:
    with pytest.raises(WindowError):
        ExtractWindow(date(2026, 3, 9), date(2026, 3, 8))
    with pytest.raises(WindowError):
        extract_window(
            sap_source("ZSDR002"), run_date=INITIAL, watermark=None, initial_start=date(2026, 2, 1)
        )
