"""`etl.dataset.published.v1` → the version kept and the affected dates run;
`etl.dataset.held.v1` → the hold kept, for the runs' fallbacks;
`etl.fee_table.published.v1` → the fee table kept and the dates whose fees changed run."""

from __future__ import annotations

from ior_contracts.consumer import Consumer
from ior_contracts.etl import DatasetHeld, DatasetPublished, FeeTablePublished

from ior_customs import bootstrap
from ior_customs.config import CustomsConfig
from ior_customs.entrypoints.report import log_outcomes
from ior_customs.ports import Deps
from ior_customs.service_layer import handlers

consumer: Consumer[Deps] = Consumer("customs", bootstrap=bootstrap.wire, config=CustomsConfig().versioned())
consumer.route(DatasetPublished, handlers.dataset_published, report=log_outcomes)
consumer.route(DatasetHeld, handlers.dataset_held)
consumer.route(FeeTablePublished, handlers.fee_table_published, report=log_outcomes)
handler = consumer
