"""The API's Lambda handler (API Gateway HTTP API or function URL, both payload format 2.0)."""

from __future__ import annotations

from mangum import Mangum

from ior_api.entrypoints.web.app import app

handler = Mangum(app, lifespan="off")
