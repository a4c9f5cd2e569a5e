"""`customs.run.requested.v1` → the date run for the mode asked (or found already run)."""

from __future__ import annotations

from ior_contracts.consumer import Consumer
from ior_contracts.customs import CustomsRunRequested

from ior_customs import bootstrap
from ior_customs.config import CustomsConfig
from ior_customs.entrypoints.report import log_outcomes
from ior_customs.ports import Deps
from ior_customs.service_layer import handlers

consumer: Consumer[Deps] = Consumer("customs", bootstrap=bootstrap.wire, config=CustomsConfig().versioned())
consumer.route(CustomsRunRequested, handlers.run_requested, report=log_outcomes)
handler = consumer
