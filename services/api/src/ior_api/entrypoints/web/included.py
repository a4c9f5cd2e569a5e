"""The route class of every resource router: a route that is only ever served through the app that
includes its router, and so keeps its options instead of building itself.

FastAPI (0.165) serves and documents an included route from a state it builds per inclusion (its
dependencies, parameter and response fields, handler), from the route's options, when the route's
router is first matched or the OpenAPI document is asked for; the route delegates its matching and
handling to that state. What `APIRoute.__init__` builds besides (the same fields, a handler) is never
used, and was a fifth of the function's cold import. Should FastAPI read more of a route than its
options, the API's tests fail: every request and the OpenAPI document go through these routes."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import compile_path

# Every option `APIRoute` takes, with its default: what the inclusion reads back from the route.
_OPTIONS = {
    name: parameter.default
    for name, parameter in inspect.signature(APIRoute.__init__).parameters.items()
    if parameter.kind is inspect.Parameter.KEYWORD_ONLY
}


class IncludedRoute(APIRoute):
    """A route of a router the app includes: its options, its path, nothing built."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        unknown = set(options) - set(_OPTIONS)
        if unknown:
            raise TypeError(f"unknown route options: {sorted(unknown)}")
        for name, default in _OPTIONS.items():
            setattr(self, name, options.get(name, default))
        # As `APIRoute` leaves them, for the inclusion to combine with its own.
        self.tags = list(self.tags or [])
        self.dependencies = list(self.dependencies or [])
        self.responses = dict(self.responses or {})
        self.methods = {method.upper() for method in self.methods or ["GET"]}
        self.stream_item_type = None
        self.form_limits = self.form_limits or {}
        self.path, self.endpoint = path, endpoint
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
