"""The `api-projections` subscription: shown events → the API's read models and alerts."""

from __future__ import annotations

from typing import Any

from ior_contracts.consumer import Consumer, HandlerContext
from ior_contracts.envelope import Envelope

from ior_api import bootstrap, handlers
from ior_api.declarations import PROJECTED

consumer: Consumer[handlers.Deps] = Consumer("api", bootstrap=bootstrap.wire)


def project(message: Envelope[Any], ctx: HandlerContext[handlers.Deps]) -> None:
    handlers.apply(message, ctx.deps)


for _model in PROJECTED:
    consumer.on(_model)(project)

handler = consumer
