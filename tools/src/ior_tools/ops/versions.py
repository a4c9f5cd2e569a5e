"""Pruning the published versions of a Lambda function. A snapshotted function (SnapStart) is
published on every deploy; the versions pile up against the account's code-storage quota. Kept:
every version an alias points at (the `live` one, and any rollback alias) and the newest `keep`
others, so a rollback to a recent deploy stays one alias update away."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Pruned:
    function: str
    kept: tuple[str, ...]
    deleted: tuple[str, ...]


def _pages(lambda_client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    paginator = lambda_client.get_paginator(operation)
    for page in paginator.paginate(**kwargs):
        items += page[key]
    return items


def prune_versions(lambda_client: Any, function: str, keep: int) -> Pruned:
    """Delete the function's published versions beyond the newest `keep` that no alias names."""
    published = _pages(lambda_client, "list_versions_by_function", "Versions", FunctionName=function)
    versions = sorted((int(v["Version"]) for v in published if v["Version"] != "$LATEST"), reverse=True)
    aliases = _pages(lambda_client, "list_aliases", "Aliases", FunctionName=function)
    aliased = {a["FunctionVersion"] for a in aliases}
    kept = [str(v) for v in versions[:keep]] + [str(v) for v in versions[keep:] if str(v) in aliased]
    deleted = [str(v) for v in versions[keep:] if str(v) not in aliased]
    for version in deleted:
        lambda_client.delete_function(FunctionName=function, Qualifier=version)
    return Pruned(function, tuple(sorted(kept, key=int)), tuple(sorted(deleted, key=int)))


class NoEarlierVersionError(LookupError):
    """The alias already points at the function's oldest published version (or the one asked for
    does not exist)."""


@dataclass(frozen=True)
class RolledBack:
    function: str
    alias: str
    previous: str
    now: str


def rollback(lambda_client: Any, function: str, alias: str = "live", to: str | None = None) -> RolledBack:
    """Point `alias` at version `to`, or at the newest published version older than the one it
    names: a deploy undone in one alias update, its code and configuration as they were published.
    The next `pulumi up` publishes and points the alias again."""
    current = lambda_client.get_alias(FunctionName=function, Name=alias)["FunctionVersion"]
    published = _pages(lambda_client, "list_versions_by_function", "Versions", FunctionName=function)
    versions = sorted(int(v["Version"]) for v in published if v["Version"] != "$LATEST")
    if to is not None:
        if not to.isdigit() or int(to) not in versions:
            raise NoEarlierVersionError(f"{function} has no published version {to!r}")
        wanted = int(to)
    else:
        earlier = [v for v in versions if current.isdigit() and v < int(current)]
        if not earlier:
            raise NoEarlierVersionError(f"{function}:{alias} is at version {current}, the oldest kept")
        wanted = earlier[-1]
    lambda_client.update_alias(FunctionName=function, Name=alias, FunctionVersion=str(wanted))
    return RolledBack(function, alias, current, str(wanted))
