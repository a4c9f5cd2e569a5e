"""The ETL end to end on the local stack: every extract requested from the mock SAP and the USITC
source lands, and the ETL publishes all six automated datasets from them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from ior_contracts.ingestion import ExtractRequested
from ior_contracts.vocabulary import DateWindow
from ior_tools.runtime.stack import LocalStack, queue_depth

from tests.support.stack import wait_for

SOURCES = ("ZFMIOR001", "ZFMIOR002", "ZFMIOR003", "ZEMM005", "ZEMM004", "ZEMM07", "ZSDR002", "USITC_HTS")
# The sample's history: from before its days around 1 October 2025 to the end of 2026.
EVERYTHING = DateWindow(from_date=date(2025, 6, 1), to_date=date(2026, 12, 31))
DATASETS = {
    "product-master",
    "packaging-materials",
    "hts-reference",
    "tariff-provisions",
    "exchange-rates",
    "transactions",
}


def published(stack: LocalStack) -> dict[str, dict[str, Any]]:
    """The latest automated version announced per dataset."""
    latest: dict[str, dict[str, Any]] = {}
    for logged in stack.event_log.window():
        data = logged.event["detail"]["data"]
        if logged.detail_type == "etl.dataset.published.v1" and data["mode"] == "automated":
            latest[data["dataset"]] = data
    return latest


def test_every_extract_lands_and_all_six_datasets_are_published(stack: LocalStack, sample: Path) -> None:
    # WHEN every source is requested, the SAP ones for the whole year
    publisher = stack.publisher()
    for source in SOURCES:
        window = None if source == "USITC_HTS" else EVERYTHING
        publisher.publish(ExtractRequested(source=source, window=window, trigger="cli"))
    # THEN the ETL publishes all six datasets in mode automated
    wait_for(lambda: set(published(stack)) == DATASETS, timeout=120, what="six automated datasets")
    stack.wait_idle(timeout=60)
    datasets = published(stack)
    manifest = json.loads((sample / "manifest.json").read_text())
    assert datasets["transactions"]["business_dates"] == manifest["business_dates"]
    assert datasets["product-master"]["snapshot"]["row_count"] == 73
    assert all(d["rejected_rows"] == 0 for d in datasets.values())
    # AND nothing was held, and nothing waits in the ETL's dead-letter queues
    held = [e for e in stack.event_log.window() if e.detail_type == "etl.dataset.held.v1"]
    assert held == []
    sqs = stack.client("sqs")
    routes = [r for r in stack.routes.values() if r.service == "etl"]
    assert {r.subscription for r in routes} == {"etl-extracts", "etl-uploads"}
    assert all(queue_depth(sqs, r.queue.dlq_url) == (0, 0) for r in routes)
