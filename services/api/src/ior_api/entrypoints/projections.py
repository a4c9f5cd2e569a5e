"""The `api-projections` subscription: shown events → the API's read models and alerts."""

from __future__ import annotations

from ior_contracts.consumer import Consumer

from ior_api import bootstrap
from ior_api.declarations import PROJECTED
from ior_api.ports import Deps
from ior_api.service_layer import handlers

consumer: Consumer[Deps] = Consumer("api", bootstrap=bootstrap.wire)
for _model in PROJECTED:
    consumer.route(_model, handlers.project)

handler = consumer
