"""A customs run's compared columns, published beside its lines document: the contract between the
customs service, which writes them, and the compare service, which reads them instead of decoding
every line's JSON (lineage, sources and duties it does not compare).

Two objects per run, each named by its own claim check on `customs.lines.generated.v1`
(`line_columns`, `entry_columns`): one for the lines and one for the entries, because their columns
and types differ, and a reader then takes each with one set of types and no split. Two small
claims also keep each object's row count its own (a claim check counts one kind of row).

Format: gzip-compressed CSV (gzip header mtime 0, so the same run gives the same bytes), UTF-8,
`\\n` line ends, a header row with the columns below in this order, one row per line (in the
lines document's order: by entry, then line) or per entry (by entry id). Cells are quoted only
where the CSV needs it (a comma, a quote, a line break). An empty cell is null in a nullable
column (`nullable` below) and empty text in `flags`; the other columns are never empty (a run
whose descriptions hold an empty text publishes no companion: it could not tell it from null).
Integers are plain (`-12`), booleans `True`/`False`, lists `;`-joined.

`customs-entry-columns/2` adds, after `json_end`, where each entry's text is in the lines object's
bytes (`gzip_start`, `gzip_end`, `gzip_text_start`), so a reader can fetch and inflate only the
entries it needs: the lines object is then a series of independent gzip members (RFC 1952, read
whole as one text by any gzip reader), cut only between the document's chunks (its head, each entry,
its closing), and the range names whole members. `/1` objects (runs published before) lack these
three columns; their lines object may be one gzip stream, readable only from its start.

`customs-line-arrays/2` and `customs-entry-arrays/2` (`line_arrays`, `entry_arrays` on the event)
hold the same columns (the entries' of `/2`) as arrays, for a reader with NumPy: the compare service
reads a day's half million lines from them in a fifth of the CSV's time, as it parses no text. gzip
(mtime 0) of: one line of UTF-8 JSON, the head, `{"rows": <rows>, "texts": {<text column>: [<its
texts, in order of first row>]}}`; then, for each column in order, its arrays in NumPy's `.npy`
format (version 1.0, little-endian, no objects): a text column's codes, one per row, each the place
of the row's text in the head's list, `-1` for null; an integer column's values, a boolean column's
`|b1`; a nullable integer column's `|b1` nulls (true where null) before its values, `0` where null.
Codes and values are signed integers, each array of the narrowest of `|i1`, `<i2`, `<i4`, `<i8`
that holds its values (a reader takes any of the four): a day's codes name at most tens of thousands
of texts and its values are mostly small, so a million-line day's arrays inflate to 16 MB where
`/1`'s took 40. `/1` objects (runs published before) hold `<i4` codes and `<i8` values. Only a
column whose text may be empty (`flags`) holds an empty text, as in the CSV; the objects are
published together with the CSV, so a run with an empty description has none."""

from __future__ import annotations

from dataclasses import dataclass

from ior_contracts.datasets import Column as DatasetColumn

LINE_COLUMNS_SCHEMA = "customs-line-columns/1"
ENTRY_COLUMNS_SCHEMA = "customs-entry-columns/2"
ENTRY_COLUMNS_SCHEMA_V1 = "customs-entry-columns/1"
LINE_ARRAYS_SCHEMA = "customs-line-arrays/2"
ENTRY_ARRAYS_SCHEMA = "customs-entry-arrays/2"
LINE_ARRAYS_SCHEMA_V1 = "customs-line-arrays/1"
ENTRY_ARRAYS_SCHEMA_V1 = "customs-entry-arrays/1"
ARRAY_INTEGERS = ("|i1", "<i2", "<i4", "<i8")
"""The integer types of `/2`'s codes and values, narrowest first."""


@dataclass(frozen=True)
class Column(DatasetColumn):
    """A column as the datasets name theirs (kinds `str`, `int`, `bool` here)."""

    empty: bool = False
    """Text that may be empty (an empty cell); other non-nullable text is never empty."""


LINE_COLUMNS: tuple[Column, ...] = (
    Column("entry_id", "str", doc="The entry, `<port>-<yyyymmdd>-<shipment>`."),
    Column("line", "int", doc="The line's number within its entry."),
    Column("hts10", "str", doc="The dotted HTS10, `8517.62.00.20`."),
    Column("origin", "str", doc="ISO 3166 alpha-2."),
    Column("part", "str", doc="`whole`, `non_metal` or `metal`."),
    Column("stack", "str", doc="The HTS numbers in reporting order, `;`-joined, chapter 1-97 last."),
    Column("rates", "str", doc="Each stack number's rate as decimal text, `;`-joined in stack order."),
    Column(
        "quantity",
        "str",
        nullable=True,
        doc="`unit=amount` pairs, `;`-joined in code-point order of the unit (`No.=3;kg=12`).",
    ),
    Column("value", "int", doc="The entered value, whole dollars."),
    Column("duty_cents", "int", doc="The line's duty, cents."),
    Column("net_kg", "int", nullable=True, doc="Whole kilograms."),
    Column("gross_kg", "int", nullable=True, doc="Whole kilograms."),
    Column("description", "str", nullable=True, doc="The HTS description."),
)

ENTRY_COLUMNS_V1: tuple[Column, ...] = (
    Column("entry_id", "str", doc="The entry."),
    Column("value", "int", doc="The entry's value, whole dollars."),
    Column("duty_cents", "int", doc="The entry's duty, cents."),
    Column("mpf_cents", "int", nullable=True, doc="The MPF, cents; null when informal or no rate."),
    Column("hmf_cents", "int", nullable=True, doc="The HMF, cents; null when no rate."),
    Column("formal", "bool", doc="A formal entry."),
    Column("flags", "str", empty=True, doc="The entry's flags, `;`-joined (`informal;fee_rate_missing`)."),
    Column(
        "json_start",
        "int",
        doc="Where the entry's object starts in the lines document: a byte offset of its UTF-8 text.",
    ),
    Column("json_end", "int", doc="Where the entry's object ends (exclusive) in the lines document."),
)

ENTRY_COLUMNS: tuple[Column, ...] = (
    *ENTRY_COLUMNS_V1,
    Column(
        "gzip_start",
        "int",
        doc="Where the gzip member(s) holding the entry's text start: a byte offset of the lines object.",
    ),
    Column("gzip_end", "int", doc="Where those members end (exclusive): a byte offset of the lines object."),
    Column(
        "gzip_text_start",
        "int",
        doc="The offset in the lines document of the text those members inflate to (at most `json_start`).",
    ),
)
"""`customs-entry-columns/2`; `ENTRY_COLUMNS_V1` are `/1`'s, its first columns."""


def names(columns: tuple[Column, ...]) -> tuple[str, ...]:
    """The header, in order."""
    return tuple(column.name for column in columns)
