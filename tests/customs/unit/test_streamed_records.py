"""The run's records made an entry at a time (what a million-line run publishes and reports without
holding every line's record): the same bytes as serialising the whole records at once, the summary
is the records without their lines, and the HTML page's first lines are the records' first lines."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from ior_customs.domain import process
from ior_customs.domain.line_json import line_texts
from ior_customs.domain.result import json_pieces

from tests.customs.cases import case_name, golden_files, inputs_from_case, load_case


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_lines_streamed_an_entry_at_a_time_are_the_whole_records_byte_for_byte(path: Path) -> None:
    result = process(inputs_from_case(load_case(path)))
    records = result.to_records()
    assert b"".join(result.json_chunks()) == _canonical(records)
    assert b"".join(json_pieces(records)) == _canonical(records)


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_summary_is_the_records_with_line_counts_instead_of_lines(path: Path) -> None:
    result = process(inputs_from_case(load_case(path)))
    records = result.to_records()
    summary = result.summary_records()
    assert summary["entries"] == [
        {k: v for k, v in e.items() if k != "lines"} | {"line_count": len(e["lines"])}
        for e in records["entries"]
    ]
    assert {k: v for k, v in summary.items() if k != "entries"} == {
        k: v for k, v in records.items() if k != "entries"
    }


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_first_lines_nest_only_the_runs_first_lines(path: Path) -> None:
    result = process(inputs_from_case(load_case(path)))
    every = [line for e in result.to_records()["entries"] for line in e["lines"]]
    first = [line for e in result.entry_records(max_lines=1) for line in e["lines"]]
    assert first == every[:1]
    assert len(list(result.entry_records(max_lines=1))) == len(result.entries)


# The published lines of each golden case, as the dict-per-line serialisation wrote them: a change
# of any byte changes the object's key, its claim check and every comparison that cites it. Last
# changed when each line gained its sources' materials (`source_materials`), nothing else.
PUBLISHED_SHA256 = {
    "stack-before-section-122": "0a88b418068561649c537b25e6cf3386d5181673a451416c7431e79c37d698e4",
    "packaging-fx-section-122": "e9675862704dfdaa88bbd7e09895da10383380cedcc8216cd81e690bf8813611",
    "section-232-content-split": "5665e6c44b533c987d344cdf69b2b64e71ea1095f1c6a4fabc5ea754d58fbee6",
    "section-232-full-value": "049137f414e474a343e76e9fb4f00a2b26351ed3ed0c37803f7062e79a643e51",
    "rounding-edges": "fc12ca09287349d5a0d89ea1daeb54bfb2f48094749c4f295a6c97979ed285c1",
    "credits-and-cancellations": "77d285fe802167045f5bd1afcc72d78eb8c62ec3e8b847c8c99dc705af3fcf76",
    "data-gaps-and-boundaries": "69d549d7d1d6b648994cad72ed9d87e275dff411e1e082741a219cf21d42bdff",
}


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_published_lines_of_each_golden_case_keep_their_bytes(path: Path) -> None:
    result = process(inputs_from_case(load_case(path)))
    assert hashlib.sha256(result.to_json_bytes()).hexdigest() == PUBLISHED_SHA256[case_name(path)]


def test_text_that_json_escapes_and_missing_values_are_written_as_the_encoder_writes_them() -> None:
    # GIVEN a run whose lines have descriptions with quotes, control characters, non-ASCII text and
    # none at all, and a line with no quantity in either unit
    result = process(inputs_from_case(load_case(golden_files()[0])))
    odd = ['He said "steel"\\', "tab\there\nnewline", "Größe ½ ✓ 🚢", None]
    descriptions = [odd[i % len(odd)] for i in range(len(result.lines))]
    lines = result.lines.assign(description=pd.Series(descriptions, dtype=object))
    lines.loc[0, ["quantity_no", "quantity_kg"]] = pd.NA
    changed = replace(result, lines=lines)
    # THEN the lines made from the columns are the records serialised whole, byte for byte
    assert changed.to_json_bytes() == _canonical(changed.to_records())


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_each_source_of_a_published_line_carries_its_invoice_items_material(path: Path) -> None:
    # GIVEN a golden case's invoice lines, each with its SAP material
    case = load_case(path)
    material_of = {(str(r["document"]), int(r["item"])): str(r["material"]) for r in case["invoice_lines"]}
    # WHEN its run publishes its lines
    published = json.loads(process(inputs_from_case(case)).to_json_bytes())
    lines = [line for entry in published["entries"] for line in entry["lines"]]
    # THEN each line names the material of each of its sources, in the sources' order
    assert lines
    for line in lines:
        assert line["source_materials"] == [material_of[document, item] for document, item in line["sources"]]


def test_materials_that_json_escapes_and_a_source_without_one_are_written_as_the_encoder_writes_them() -> (
    None
):
    # GIVEN a run whose sources' materials have quotes, control characters and non-ASCII text, one
    # material shared by several sources, and a source with none
    result = process(inputs_from_case(load_case(golden_files()[0])))
    odd = ['MAT"7\\', "tab\there", "Größe-½-✓", None]
    materials = [odd[i % len(odd)] for i in range(len(result.sources))] + ["MAT-1", "MAT-1"]
    sources = pd.concat([result.sources, result.sources.iloc[:2]], ignore_index=True)
    changed = replace(result, sources=sources.assign(material=pd.Categorical(materials)))
    # WHEN its lines are made from the columns
    published = changed.to_json_bytes()
    # THEN they are the records serialised whole, byte for byte, a missing material written as null
    assert published == _canonical(changed.to_records())
    lines = [line for entry in json.loads(published)["entries"] for line in entry["lines"]]
    assert sorted((m for line in lines for m in line["source_materials"]), key=str) == sorted(
        materials, key=str
    )


@pytest.mark.parametrize("block_lines", [1, 2, 3])
def test_lines_made_a_block_at_a_time_are_the_records_whatever_the_block(block_lines: int) -> None:
    # GIVEN the golden case with credits (negative money) and every other case's lines
    for path in golden_files():
        result = process(inputs_from_case(load_case(path)))
        records = [line for entry in result.to_records()["entries"] for line in entry["lines"]]
        # WHEN its lines' texts are made a few lines at a time
        texts = line_texts(result.lines, result.sources, result.dataset_versions, block_lines=block_lines)
        # THEN each is its record serialised whole, in order, whatever the block boundaries
        assert [text for _, text in texts] == [_canonical(r).decode() for r in records]


@pytest.mark.parametrize(
    "amounts",
    [[-1, -100, -12345, 0, 7, 10**15], [-5, 2**70, -(2**65), 250]],
    ids=["64-bit", "beyond-64-bit"],
)
def test_money_of_every_sign_and_size_is_written_as_the_records_write_it(amounts: list[int]) -> None:
    # GIVEN a run's lines whose duties are negative, below a dollar, zero, large or beyond 64 bits
    result = process(inputs_from_case(load_case(golden_files()[0])))
    stacks = result.lines["stack"].tolist()
    duties = [
        tuple(amounts[(i * len(stack) + j) % len(amounts)] for j in range(len(stack)))
        for i, stack in enumerate(stacks)
    ]
    assert len({d for line in duties for d in line}) == len(amounts)  # every amount is used
    duty = pd.Series([amounts[i % len(amounts)] for i in range(len(stacks))], dtype=object)
    changed = replace(result, lines=result.lines.assign(duty_cents=duty, duties_cents=duties))
    # THEN the lines made from the columns are the records serialised whole, byte for byte
    assert changed.to_json_bytes() == _canonical(changed.to_records())


def test_entries_with_odd_text_missing_fees_and_several_flags_are_written_as_the_records_write_them() -> None:
    # GIVEN a run's entries with text that JSON escapes, fees and their rows missing or present,
    # several flags or none, and money of every sign
    result = process(inputs_from_case(load_case(golden_files()[0])))
    # The case's entries, then entries of no lines after them, so every combination below occurs.
    extra = [result.entries.assign(entry_id=result.entries["entry_id"] + f"~{k}") for k in range(6)]
    entries = pd.concat([result.entries, *extra], ignore_index=True)
    n = len(entries)
    pick = lambda values: [values[i % len(values)] for i in range(n)]  # noqa: E731
    entries = entries.assign(
        port=pick(['27"04\\', "Größe ✓"]),
        flags=pick([(), ("informal", "fee_rate_missing"), ("informal",)]),
        mpf_cents=pd.array(pick([None, -1, 12345]), dtype="Int64"),
        hmf_cents=pd.array(pick([7, None]), dtype="Int64"),
        mpf_row=pd.Series(pick([None, 'MPF "row" 1']), dtype=object),
        duty_cents=pick([0, -250, 99]),
    )
    changed = replace(result, entries=entries)
    # THEN the entries made from the columns are the records serialised whole, byte for byte
    assert changed.to_json_bytes() == _canonical(changed.to_records())
