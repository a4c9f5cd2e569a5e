"""`ingestion.extract.landed.v1` → the extract recorded and the datasets it feeds rebuilt;
`ingestion.fee_notices.landed.v1` → the fee table rebuilt."""

from __future__ import annotations

from ior_contracts.consumer import Consumer
from ior_contracts.ingestion import ExtractLanded, FeeNoticesLanded

from ior_etl import bootstrap
from ior_etl.config import EtlConfig
from ior_etl.entrypoints.report import log_outcomes
from ior_etl.ports import Deps
from ior_etl.service_layer import handlers

consumer: Consumer[Deps] = Consumer("etl", bootstrap=bootstrap.wire, config=EtlConfig().versioned())
consumer.route(ExtractLanded, handlers.extract_landed, report=log_outcomes)
consumer.route(FeeNoticesLanded, handlers.fee_notices_landed, report=log_outcomes)
handler = consumer
