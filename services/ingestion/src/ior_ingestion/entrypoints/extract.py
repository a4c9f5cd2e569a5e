"""`ingestion.extract.requested.v1` → an extract landed (or failed) and announced."""

from __future__ import annotations

from ior_contracts.consumer import Consumer
from ior_contracts.ingestion import ExtractRequested

from ior_ingestion import bootstrap
from ior_ingestion.config import IngestionConfig
from ior_ingestion.ports import Deps
from ior_ingestion.service_layer import handlers

consumer: Consumer[Deps] = Consumer(
    "ingestion", bootstrap=bootstrap.wire, config=IngestionConfig().versioned()
)
consumer.route(ExtractRequested, handlers.extract_requested)

handler = consumer
