"""Rendering of the HTML reports: one Jinja2 environment, autoescaping everything."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, StrictUndefined, Template


@cache
def _template(source: str) -> Template:
    environment = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    return environment.from_string(source)


def render(source: str, **context: Any) -> str:
    """Render a template string; every value is HTML-escaped."""
    return _template(source).render(**context)
