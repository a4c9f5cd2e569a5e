"""`customs.lines.generated.v1` → the run recorded, the date compared when both modes have lines,
its official run designated."""

from __future__ import annotations

from ior_contracts.consumer import Consumer, HandlerContext
from ior_contracts.customs import LinesGenerated
from ior_contracts.envelope import Envelope

from ior_compare import bootstrap, handlers
from ior_compare.config import CompareConfig
from ior_compare.ports import Deps

consumer: Consumer[Deps] = Consumer("compare", bootstrap=bootstrap.wire, config=CompareConfig().versioned())


def lines_generated(message: Envelope[LinesGenerated], ctx: HandlerContext[Deps]) -> None:
    handlers.lines_generated(message.data, message.metadata, deps=ctx.deps, publish=ctx.publish)


# Registered by call, not as a decorator: the function keeps its type.
consumer.on(LinesGenerated)(lines_generated)
handler = consumer
