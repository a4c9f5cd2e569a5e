"""`cutover.change.requested.v1` → the gate applies the change (announced with
`cutover.state.changed.v1`, affected dates designated again) or records its refusal."""

from __future__ import annotations

from ior_contracts.consumer import Consumer, HandlerContext
from ior_contracts.cutover import CutoverChangeRequested
from ior_contracts.envelope import Envelope

from ior_compare import bootstrap, handlers
from ior_compare.config import CompareConfig
from ior_compare.ports import Deps

consumer: Consumer[Deps] = Consumer("compare", bootstrap=bootstrap.wire, config=CompareConfig().versioned())


def cutover_requested(message: Envelope[CutoverChangeRequested], ctx: HandlerContext[Deps]) -> None:
    handlers.cutover_requested(message.data, message.metadata, deps=ctx.deps, publish=ctx.publish)


# Registered by call, not as a decorator: the function keeps its type.
consumer.on(CutoverChangeRequested)(cutover_requested)
handler = consumer
