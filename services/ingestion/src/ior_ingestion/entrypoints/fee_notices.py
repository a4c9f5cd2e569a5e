"""`fees.notice.submitted.v1` → the admin's notice kept and the fee notices landed;
`ingestion.fee_notices.requested.v1` → the fee notices landed."""

from __future__ import annotations

from ior_contracts.consumer import Consumer
from ior_contracts.fees import FeeNoticeSubmitted
from ior_contracts.ingestion import FeeNoticesRequested

from ior_ingestion import bootstrap
from ior_ingestion.config import IngestionConfig
from ior_ingestion.ports import Deps
from ior_ingestion.service_layer import handlers

consumer: Consumer[Deps] = Consumer(
    "ingestion", bootstrap=bootstrap.wire, config=IngestionConfig().versioned()
)
consumer.route(FeeNoticeSubmitted, handlers.fee_notice_submitted)
consumer.route(FeeNoticesRequested, handlers.fee_notices_requested)

handler = consumer
