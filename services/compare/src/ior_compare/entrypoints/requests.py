"""`compare.comparison.requested.v1` → the date compared (or the earlier comparison of the same
runs reported) and `compare.comparison.completed.v1` sent."""

from __future__ import annotations

from ior_contracts.compare import ComparisonRequested
from ior_contracts.consumer import Consumer

from ior_compare import bootstrap
from ior_compare.config import CompareConfig
from ior_compare.ports import Deps
from ior_compare.service_layer import handlers

consumer: Consumer[Deps] = Consumer("compare", bootstrap=bootstrap.wire, config=CompareConfig().versioned())
consumer.route(ComparisonRequested, handlers.comparison_requested)
handler = consumer
