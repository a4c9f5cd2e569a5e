"""The one place the projection consumer's dependencies are wired (once per cold start)."""

from __future__ import annotations

from ior_contracts.settings import ServiceSettings

from ior_api.adapters.readmodels import ReadModels
from ior_api.handlers import Deps


def wire(settings: ServiceSettings) -> Deps:
    return Deps(readmodels=ReadModels(settings.client("dynamodb"), settings.table))
