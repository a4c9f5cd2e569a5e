"""`compare.comparison.requested.v1` → the date compared (or the earlier comparison of the same
runs reported) and `compare.comparison.completed.v1` sent."""

from __future__ import annotations

from ior_contracts.compare import ComparisonRequested
from ior_contracts.consumer import Consumer, HandlerContext
from ior_contracts.envelope import Envelope

from ior_compare import bootstrap, handlers
from ior_compare.config import CompareConfig
from ior_compare.ports import Deps

consumer: Consumer[Deps] = Consumer("compare", bootstrap=bootstrap.wire, config=CompareConfig().versioned())


def comparison_requested(message: Envelope[ComparisonRequested], ctx: HandlerContext[Deps]) -> None:
    handlers.comparison_requested(message.data, message.metadata, deps=ctx.deps, publish=ctx.publish)


# Registered by call, not as a decorator: the function keeps its type.
consumer.on(ComparisonRequested)(comparison_requested)
handler = consumer
