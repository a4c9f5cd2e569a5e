"""The committed catalogue is what `render()` makes of the current contracts and examples."""

from __future__ import annotations

from ior_contracts.catalogue import CATALOGUE_PATH, render
from ior_contracts.registry import contracts


def test_the_committed_catalogue_is_up_to_date() -> None:
    assert CATALOGUE_PATH.is_file(), "no catalogue: run `python -m ior_contracts.catalogue --write`"
    assert CATALOGUE_PATH.read_text(encoding="utf-8") == render(), (
        "CATALOGUE.md is out of date: run `python -m ior_contracts.catalogue --write`"
    )


def test_the_catalogue_documents_every_contract() -> None:
    text = render()
    for detail_type, model in contracts().items():
        assert f"### `{detail_type}`" in text
        assert f"- source: `{model.SOURCE}`" in text
