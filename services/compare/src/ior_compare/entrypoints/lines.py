"""`customs.lines.generated.v1` → the run recorded, the date compared when both modes have lines,
its official run designated."""

from __future__ import annotations

from ior_contracts.consumer import Consumer
from ior_contracts.customs import LinesGenerated

from ior_compare import bootstrap
from ior_compare.config import CompareConfig
from ior_compare.ports import Deps
from ior_compare.service_layer import handlers

consumer: Consumer[Deps] = Consumer("compare", bootstrap=bootstrap.wire, config=CompareConfig().versioned())
consumer.route(LinesGenerated, handlers.lines_generated)
handler = consumer
