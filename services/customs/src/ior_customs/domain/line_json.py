"""Each line's canonical JSON text, made straight from the lines frame's columns: the bytes
`json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` gives for the line's
record (`result._line_record`), without making the record. A run publishes every line, and a dict
per line serialised by the encoder cost ten times the processor at a million lines.

The texts are made a block of lines at a time and a field at a time: each field's JSON for every
line of the block (values that repeat across lines — descriptions, origins, provision sets, stacks
and their rates, documents, materials — encoded once per distinct value; numbers and money
formatted over whole columns), then each line's fields joined in the keys' sorted order. A block
bounds the texts held at once."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain, repeat
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from ior_customs.domain.money import format_cents

BLOCK_LINES = 32_768
"""Lines whose texts are made together: large enough that per-column work dominates, small enough
that a block's texts are a few tens of MB."""

# The encoder's own string encoder, as `ensure_ascii=False` uses it.
_text = json.encoder.encode_basestring
_TWO_DIGITS = np.array([f"{cents:02d}" for cents in range(100)], dtype=object)
_INT64_SAFE = 2**62
Texts = npt.NDArray[np.object_]


def line_texts(
    lines: pd.DataFrame,
    sources: pd.DataFrame,
    datasets: Mapping[str, str],
    *,
    block_lines: int = BLOCK_LINES,
) -> Iterator[tuple[str, str]]:
    """(entry id, the line's JSON text) for each line of `lines`, in order; `sources` are the invoice
    items of each line (`entry_id`, `line`, `document`, `item`, `material`)."""
    encode = _Encoder()
    sources_texts, materials_texts = _sources_of_lines(lines, sources)
    lineage_head = ',"lineage":{"datasets":' + _dumps(dict(datasets)) + ',"provisions":'
    for start in range(0, len(lines), block_lines):
        block = lines.iloc[start : start + block_lines]
        stack, stacks = _factorized(block["stack"])
        fields = (
            '{"description":', encode.each(block["description"]),
            ',"duties":', _duties(stack, stacks, block["duties_cents"].tolist(), encode),
            ',"duty":"', _money(block["duty_cents"]),
            '","gross_kg":', _numbers(block["gross_kg"]),
            ',"hts10":', encode.each(block["hts10"]),
            ',"line":', _numbers(block["line"]),
            lineage_head, _per_distinct(block["provisions"], encode.provisions),
            '},"net_kg":', _numbers(block["net_kg"]),
            ',"origin":', encode.each(block["origin"]),
            ',"part":', encode.each(block["part"]),
            ',"quantity":', _quantities(block["quantity_no"], block["quantity_kg"]),
            ',"rates":', _rates(stack, stacks, block["rates"], encode),
            ',"source_materials":[', materials_texts[start : start + block_lines],
            '],"sources":[', sources_texts[start : start + block_lines],
            '],"stack":', _texts([encode.stack(s) for s in stacks])[stack],
            ',"value":', _numbers(block["value_usd"]), "}",
        )  # fmt: skip
        # A constant between two fields stands for itself on every line of the block (so the inner
        # zip is not strict; a column short of lines shows as the outer zip's mismatch). Folding the
        # constants into the fields' distinct texts, or neighbouring fields into one coded column,
        # measured slower at a million lines: a join costs by the bytes it copies, not its pieces.
        columns = [repeat(f) if isinstance(f, str) else f for f in fields]
        texts = map("".join, zip(*columns, strict=False))
        yield from zip(block["entry_id"].tolist(), texts, strict=True)


class _Encoder:
    """JSON texts of values that repeat across a run's lines, each encoded once (for this run only)."""

    def __init__(self) -> None:
        self._values: dict[Any, str] = {}
        self._provisions: dict[Any, str] = {}
        self._stacks: dict[tuple[str, ...], str] = {}
        self._rates: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}
        self._orders: dict[tuple[str, ...], list[tuple[int, str]]] = {}

    def each(self, column: pd.Series) -> Texts:
        """The column's values as JSON texts, each distinct value encoded once; missing is null."""
        codes, texts = self.distinct(column)
        each: Texts = texts[codes]
        return each

    def distinct(self, column: pd.Series) -> tuple[npt.NDArray[np.intp], Texts]:
        """Each value's code, and the texts of the distinct values by code: a missing value's code is
        -1, the last text, null."""
        codes, values = pd.factorize(column)
        distinct = values.tolist()
        # Distinct text (a day's ~200k documents) is encoded in C, not through the cache: each is
        # met once here.
        all_text = pd.api.types.infer_dtype(distinct, skipna=False) == "string"
        encoded = map(_text, distinct) if all_text else map(self.repeated, distinct)
        texts: Texts = np.array([*encoded, "null"], dtype=object)
        return codes, texts

    def stack(self, stack: tuple[str, ...]) -> str:
        found = self._stacks.get(stack)
        if found is None:
            found = self._stacks[stack] = "[" + ",".join(map(self.repeated, stack)) + "]"
        return found

    def rates(self, stack: tuple[str, ...], rates: tuple[str, ...]) -> str:
        found = self._rates.get((stack, rates))
        if found is None:
            found = self._rates[stack, rates] = self.keyed(stack, [self.repeated(r) for r in rates])
        return found

    def order(self, stack: tuple[str, ...]) -> list[tuple[int, str]]:
        """`dict(zip(stack, values))`'s keys sorted, each with the position of its value (the last
        of a number that repeats, as a dict keeps it) and its JSON text followed by a colon."""
        order = self._orders.get(stack)
        if order is None:
            last = {number: i for i, number in enumerate(stack)}
            order = self._orders[stack] = [(last[k], self.repeated(k) + ":") for k in sorted(last)]
        return order

    def keyed(self, stack: tuple[str, ...], texts: Sequence[str]) -> str:
        """`dict(zip(stack, values))` with its keys sorted, from the values' JSON texts."""
        if len(texts) != len(stack):
            raise ValueError(f"{len(texts)} values for the stack {stack}")
        return "{" + ",".join([key + texts[i] for i, key in self.order(stack)]) + "}"

    def repeated(self, value: Any) -> str:
        found = self._values.get(value)
        if found is None:
            found = self._values[value] = _text(value) if type(value) is str else _dumps(value)
        return found

    def provisions(self, provisions: tuple[tuple[str, tuple[int, ...]], ...]) -> str:
        found = self._provisions.get(provisions)
        if found is None:
            found = self._provisions[provisions] = _dumps({code: list(seqs) for code, seqs in provisions})
        return found


class EntryFields(NamedTuple):
    """An entry's members as fields, in runs of sorted keys: up to `formal` (opening the object),
    `line_count`'s value, `lineage`, and from `mode` on (not closing the object)."""

    opening: tuple[Any, ...]
    line_count: Texts
    lineage: tuple[Any, ...]
    after: tuple[Any, ...]


def entry_texts(fields: EntryFields) -> tuple[list[str], list[str]]:
    """Each entry's canonical JSON around its lines, made a field at a time like the lines' texts:
    the members that sort before `lines` (opening the object, ending with a comma) and those after
    it (not closing the object): `{before"lines":[…],after}` is `result._entry_record`'s JSON."""
    return _joined((*fields.opening, ",", *fields.lineage, ",")), _joined(fields.after)


def entry_summary_texts(fields: EntryFields) -> list[str]:
    """Each entry's canonical JSON with its line count in place of its lines (`_entry_record`
    without lines), made like `entry_texts`: `line_count` sorts before `lineage`."""
    return _joined(
        (*fields.opening, ',"line_count":', fields.line_count, ",", *fields.lineage, ",", *fields.after, "}")
    )


def entry_fields(entries: pd.DataFrame, fee_table: str) -> EntryFields:
    """The entries' members as fields, for `entry_texts` and `entry_summary_texts`."""
    encode = _Encoder()
    opening = (
        '{"arrival":', encode.each(entries["arrival"]),
        ',"entry_id":', encode.each(entries["entry_id"]),
        ',"flags":', encode.each(entries["flags"]),  # a tuple is written as its list
        ',"formal":', np.where(entries["formal"].to_numpy(dtype=bool), "true", "false"),
    )  # fmt: skip
    lineage = (
        '"lineage":{"fee_table":' + _text(fee_table) + ',"hmf":', encode.each(entries["hmf_row"]),
        ',"mpf":', encode.each(entries["mpf_row"]), "}",
    )  # fmt: skip
    after = (
        '"mode":', encode.each(entries["mode"]),
        ',"port":', encode.each(entries["port"]),
        ',"totals":{"duty":"', _money(entries["duty_cents"]),
        '","hmf":', _optional_money(entries["hmf_cents"]),
        ',"mpf":', _optional_money(entries["mpf_cents"]),
        ',"value":', _numbers(entries["value_usd"]), "}",
    )  # fmt: skip
    return EntryFields(opening, _numbers(entries["lines"]), lineage, after)


def _joined(fields: tuple[Any, ...]) -> list[str]:
    """Each row's fields joined, a constant between two fields standing for itself on every row."""
    columns = [repeat(f) if isinstance(f, str) else f for f in fields]
    return list(map("".join, zip(*columns, strict=False)))


def _factorized(column: pd.Series) -> tuple[npt.NDArray[np.intp], list[Any]]:
    """Each value's code, and the distinct values by code (a missing value is one of them)."""
    codes, distinct = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=False)
    return codes, distinct.tolist()


def _texts(texts: list[str]) -> Texts:
    array: Texts = np.empty(len(texts), dtype=object)
    array[:] = texts
    return array


def _per_distinct(column: pd.Series, text: Callable[[Any], str]) -> Texts:
    """Each value's `text`, made once per distinct value."""
    codes, distinct = _factorized(column)
    each: Texts = _texts([text(value) for value in distinct])[codes]
    return each


def _rates(
    stack: npt.NDArray[np.intp], stacks: list[tuple[str, ...]], rates: pd.Series, encode: _Encoder
) -> Texts:
    """Each line's rates keyed by HTS number, made once per distinct (stack, rates)."""
    codes, distinct = _factorized(rates)
    width = max(len(distinct), 1)
    pair, pairs = pd.factorize(stack * width + codes)
    texts = [encode.rates(stacks[p // width], distinct[p % width]) for p in pairs.tolist()]
    each: Texts = _texts(texts)[pair]
    return each


def _duties(
    stack: npt.NDArray[np.intp],
    stacks: list[tuple[str, ...]],
    duties: list[tuple[int, ...]],
    encode: _Encoder,
) -> Texts:
    """Each line's duties keyed by HTS number, the amounts as quoted money: every amount of the block
    formatted at once, each made a piece with its key (in the order of its stack's sorted keys), and
    each line's pieces joined (a block has a few dozen distinct stacks, and ~3 amounts a line); `stack`
    is each line's code in `stacks`."""
    sizes = np.fromiter(map(len, duties), dtype=np.int64, count=len(duties))
    unmatched = np.flatnonzero(sizes != np.array([len(s) for s in stacks], dtype=np.int64)[stack])
    if len(unmatched):
        wrong = int(unmatched[0])
        raise ValueError(f"duties {duties[wrong]} do not match the stack {stacks[stack[wrong]]}")
    # Each distinct amount's money, closed by a quote, and by a quote and a brace for a line's last.
    amounts, distinct = pd.factorize(np.asarray(list(chain.from_iterable(duties))))
    money = money_texts(distinct.tolist())
    closed: Texts = np.concatenate([money + '"', money + '"}'])
    orders = [encode.order(s) for s in stacks]
    position, prefix, last = _keyed_pieces(orders)
    pieces_of_line = np.array([len(order) for order in orders], dtype=np.int64)[stack]
    line = np.repeat(np.arange(len(duties)), pieces_of_line)
    first_piece = np.cumsum(pieces_of_line) - pieces_of_line
    rank = np.arange(len(line)) - first_piece[line]
    of_piece = stack[line]
    amount = (np.cumsum(sizes) - sizes)[line] + position[of_piece, rank]
    pieces: Texts = prefix[of_piece, rank] + closed[amounts[amount] + len(money) * last[of_piece, rank]]
    return _joined_per_line(pieces, line, len(duties), empty="{}")


def _keyed_pieces(
    orders: list[list[tuple[int, str]]],
) -> tuple[npt.NDArray[np.int64], Texts, npt.NDArray[np.bool_]]:
    """For each stack's sorted keys (`_Encoder.order`), by rank: the position of the key's value in
    the stack, the text before the value (opening the object or a comma, the key, a quote), and
    whether the key is the last (its value closes the object)."""
    width = max((len(order) for order in orders), default=0)
    position = np.zeros((len(orders), width), dtype=np.int64)
    prefix = np.full((len(orders), width), "", dtype=object)
    last = np.zeros((len(orders), width), dtype=bool)
    for k, order in enumerate(orders):
        for rank, (at, key) in enumerate(order):
            position[k, rank] = at
            prefix[k, rank] = ("," if rank else "{") + key + '"'
            last[k, rank] = rank == len(order) - 1
    return position, prefix, last


def _joined_per_line(pieces: Texts, line: npt.NDArray[np.int64], lines: int, empty: str = "") -> Texts:
    """Each line's pieces concatenated (`pieces` in line order, `line` the line of each): `empty`
    for a line with none. `np.add.reduceat` concatenates each line's run of pieces in C."""
    texts: Texts = np.full(lines, empty, dtype=object)
    if len(pieces):
        starts = np.flatnonzero(np.r_[True, line[1:] != line[:-1]])
        texts[line[starts]] = np.add.reduceat(pieces, starts)
    return texts


def _money(cents: pd.Series) -> Texts:
    return money_texts(cents.tolist())


def _optional_money(cents: pd.Series) -> Texts:
    """Quoted money, or null where there is none."""
    missing = cents.isna().to_numpy(dtype=bool)
    amounts = cents.to_numpy(dtype=object, na_value=0).tolist()
    texts: Texts = np.where(missing, "null", '"' + money_texts(amounts) + '"')
    return texts


def optional_money(cents: pd.Series) -> list[str | None]:
    """Each amount's `format_cents` text, None where there is none."""
    texts = money_texts(cents.to_numpy(dtype=object, na_value=0).tolist())
    texts[cents.isna().to_numpy(dtype=bool)] = None
    listed: list[str | None] = texts.tolist()
    return listed


def money_texts(cents: Sequence[int]) -> Texts:
    """Cents as decimal text with two places (`format_cents`), a column at a time: the whole part's
    digits by `str`, the two places from a table."""
    values = np.asarray(cents)
    if values.dtype != np.int64 or (len(values) and np.abs(values).max() >= _INT64_SAFE):
        return np.array([format_cents(int(c)) for c in cents], dtype=object)
    # Amounts repeat across a run's lines: each distinct one is formatted once.
    codes, distinct = pd.factorize(values)
    magnitude = np.abs(distinct)
    whole = np.array(list(map(str, (magnitude // 100).tolist())), dtype=object)
    texts: Texts = whole + "." + _TWO_DIGITS[magnitude % 100]
    negative = distinct < 0
    if negative.any():
        texts[negative] = "-" + texts[negative]
    each: Texts = texts[codes]
    return each


def _numbers(column: pd.Series) -> Texts:
    """Whole numbers as JSON; a missing one is null."""
    if column.dtype == np.int64:
        return whole_number_texts(column.to_numpy())
    return _texts([_plain(v) for v in column.tolist()])


def whole_number_texts(values: npt.NDArray[np.int64]) -> Texts:
    """Each number's `str`, made once per distinct number (hashing a number costs less than writing
    it, and a run's weights, line numbers and values repeat)."""
    codes, distinct = pd.factorize(values)
    texts: Texts = _texts(list(map(str, distinct.tolist())))[codes]
    return texts


def _quantities(number: pd.Series, kilograms: pd.Series) -> Texts:
    """`{"No.":3,"kg":12}`: `No.` sorts before `kg`; a missing quantity is left out. Made once per
    distinct pair of quantities, from each unit's member texts (empty where it is missing)."""
    no, no_members = _members('"No.":', number)
    kg, kg_members = _members('"kg":', kilograms)
    pair, pairs = pd.factorize(no * len(kg_members) + kg)
    no_of, kg_of = np.divmod(pairs, len(kg_members))
    between: Texts = np.where((no_of > 0) & (kg_of > 0), ",", "")
    texts: Texts = "{" + no_members[no_of] + between + kg_members[kg_of] + "}"
    each: Texts = texts[pair]
    return each


def _members(key: str, column: pd.Series) -> tuple[npt.NDArray[np.int64], Texts]:
    """A column of whole numbers (some missing) as codes of its distinct members' texts (`key` and
    the number), code 0 (an empty text) where it is missing."""
    missing = column.isna().to_numpy(dtype=bool)
    codes, distinct = pd.factorize(column.to_numpy(dtype=object, na_value=0))
    members = _texts(["", *(key + str(int(v)) for v in distinct.tolist())])
    shifted: npt.NDArray[np.int64] = np.where(missing, 0, codes + 1)
    return shifted, members


def _sources_of_lines(lines: pd.DataFrame, sources: pd.DataFrame) -> tuple[Texts, Texts]:
    """Each line's sources, `[document,item]` texts joined by commas, and their materials' texts
    (null where none) joined the same way, in the order of `sources`; made a column at a time (a
    run has several invoice items per line): each source's text with the comma before it (none
    before a line's first), then each line's run of texts concatenated."""
    at = _line_of_each_source(lines, sources)
    order = np.argsort(at, kind="stable")
    # A source of no line (-1) is in no line's text.
    order = order[at[order] >= 0]
    line = at[order]
    # Whether each source follows another of its line, so takes a comma before it.
    follows = np.r_[False, line[1:] == line[:-1]] if len(line) else np.zeros(0, dtype=bool)
    encode = _Encoder()
    documents, document_texts = encode.distinct(sources["document"])
    items, item_values = pd.factorize(sources["item"])
    item_texts = np.array([*(_plain(v) + "]" for v in item_values.tolist()), "null]"], dtype=object)
    openings = _after_comma("[" + document_texts + ",", follows, documents[order])
    pairs = openings + item_texts[items[order]]
    materials, material_texts = encode.distinct(sources["material"])
    materials_texts = _after_comma(material_texts, follows, materials[order])
    return _joined_per_line(pairs, line, len(lines)), _joined_per_line(materials_texts, line, len(lines))


def _line_of_each_source(lines: pd.DataFrame, sources: pd.DataFrame) -> npt.NDArray[np.intp]:
    """The position in `lines` of each source's (entry id, line), -1 for none: the pair as one whole
    number (the entry's code among the lines' entries, the line's among both frames' line numbers),
    which an index looks up in C where a two-level index is built and probed a row at a time."""
    line_entry, entries = pd.factorize(lines["entry_id"])
    source_entry = _codes_among(sources["entry_id"], pd.Index(entries))
    numbers = np.concatenate([lines["line"].to_numpy(), sources["line"].to_numpy()])
    number, distinct = pd.factorize(numbers)
    width = max(len(distinct), 1)
    line_keys = line_entry.astype(np.int64) * width + number[: len(lines)]
    source_keys = source_entry.astype(np.int64) * width + number[len(lines) :]
    at: npt.NDArray[np.intp] = pd.Index(line_keys).get_indexer(source_keys)
    at[source_entry < 0] = -1  # an entry of no line
    return at


def _codes_among(values: pd.Series, known: pd.Index) -> npt.NDArray[np.intp]:
    """Each value's position in `known`, -1 where it is not there (or missing); a categorical column
    is looked up once per category."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        per_category = np.r_[known.get_indexer(values.cat.categories), -1]
        codes: npt.NDArray[np.intp] = per_category[values.cat.codes.to_numpy()]
        return codes
    found: npt.NDArray[np.intp] = known.get_indexer(values)
    return found


def _after_comma(texts: Texts, follows: npt.NDArray[np.bool_], codes: npt.NDArray[np.intp]) -> Texts:
    """The text of each code (-1 the last text), with a comma before it where it `follows` another:
    taken from the texts and their comma-led copies, so no text is made per row."""
    both: Texts = np.concatenate([texts, "," + texts])
    taken: Texts = both[codes % len(texts) + len(texts) * follows]
    return taken


def _plain(value: Any) -> str:
    return str(value) if type(value) is int else _dumps(value)


def _is_null(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
