"""`cutover.change.requested.v1` → the gate applies the change (announced with
`cutover.state.changed.v1`, affected dates designated again) or records its refusal."""

from __future__ import annotations

from ior_contracts.consumer import Consumer
from ior_contracts.cutover import CutoverChangeRequested

from ior_compare import bootstrap
from ior_compare.config import CompareConfig
from ior_compare.ports import Deps
from ior_compare.service_layer import handlers

consumer: Consumer[Deps] = Consumer("compare", bootstrap=bootstrap.wire, config=CompareConfig().versioned())
consumer.route(CutoverChangeRequested, handlers.cutover_requested)
handler = consumer
