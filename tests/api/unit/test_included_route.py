"""A resource router's routes keep their options and build nothing (`IncludedRoute`): included in an
app, they answer, refuse and are documented exactly as FastAPI's own routes are."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import APIRouter, FastAPI, Path, Query
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from ior_api.entrypoints.web.included import IncludedRoute
from pydantic import BaseModel, Field


class Item(BaseModel):
    name: str = Field(min_length=1)
    count: int = 0


class Problem(BaseModel):
    detail: str


def _app(route_class: type[APIRoute]) -> FastAPI:
    router = APIRouter(route_class=route_class, prefix="/items", tags=["items"])

    @router.get("/{item_id}", responses={404: {"model": Problem}})
    def read(item_id: Annotated[int, Path(ge=1)], verbose: Annotated[bool, Query()] = False) -> Item:
        """One item."""
        return Item(name=f"item {item_id}", count=2 if verbose else 1)

    @router.post("", status_code=201, summary="Adds one")
    def add(item: Item) -> Item:
        return item

    app = FastAPI(title="t")
    app.include_router(router, prefix="/api", responses={401: {"model": Problem}})
    return app


REQUESTS = [
    ("GET", "/api/items/3", None),
    ("GET", "/api/items/3?verbose=true", None),
    ("GET", "/api/items/0", None),
    ("GET", "/api/items/x", None),
    ("POST", "/api/items", {"name": "a", "count": 4}),
    ("POST", "/api/items", {"name": ""}),
    ("PUT", "/api/items", {"name": "a"}),
]


@pytest.mark.parametrize(("method", "url", "body"), REQUESTS)
def test_an_included_route_answers_as_fastapis_own_route_does(method: str, url: str, body: object) -> None:
    # GIVEN the same router built with FastAPI's routes and with included ones
    ours, theirs = TestClient(_app(IncludedRoute)), TestClient(_app(APIRoute))
    # WHEN each is asked the same
    got, expected = ours.request(method, url, json=body), theirs.request(method, url, json=body)
    # THEN both answer alike, refusals included
    assert (got.status_code, got.json(), got.headers.get("allow")) == (
        expected.status_code,
        expected.json(),
        expected.headers.get("allow"),
    )


def test_an_included_route_is_documented_as_fastapis_own_route_is() -> None:
    # GIVEN the same router built with FastAPI's routes and with included ones
    # WHEN each app describes itself THEN the documents are equal (summary, docstring, responses, models)
    assert _app(IncludedRoute).openapi() == _app(APIRoute).openapi()


def test_an_option_fastapi_does_not_know_is_refused() -> None:
    # GIVEN a route option no `APIRoute` takes WHEN a route is made with it THEN it is refused
    with pytest.raises(TypeError, match="colour"):
        IncludedRoute("/x", lambda: None, colour="red")
