"""`manual.upload.received.v1` → the uploaded legacy CSVs built into datasets in mode `manual`."""

from __future__ import annotations

from ior_contracts.consumer import Consumer
from ior_contracts.manual import UploadReceived

from ior_etl import bootstrap
from ior_etl.config import EtlConfig
from ior_etl.entrypoints.report import log_outcomes
from ior_etl.ports import Deps
from ior_etl.service_layer import handlers

consumer: Consumer[Deps] = Consumer("etl", bootstrap=bootstrap.wire, config=EtlConfig().versioned())
consumer.route(UploadReceived, handlers.upload_received, report=log_outcomes)
handler = consumer
