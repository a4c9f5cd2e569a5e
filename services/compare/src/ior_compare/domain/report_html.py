"""The comparison report for people: one self-contained HTML page (Jinja2, autoescaped).

Summary and counts, the worst fields, the discrepancy table and the entries table. Long tables are
cut at `max_rows` with a note; the JSON report always has every row."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ior_compare.domain.html import render
from ior_compare.domain.report_json import Scalar
from ior_compare.domain.result import OUTCOMES, ComparisonResult

_DISCREPANCY_COLUMNS = (
    "level", "entry_id", "hts10", "origin", "part", "expected_line", "actual_line",
    "field", "expected", "actual", "delta", "tolerance", "critical",
)  # fmt: skip
_UNPAIRED_COLUMNS = (
    "entry_id",
    "hts10",
    "origin",
    "part",
    "stack",
    "expected_line",
    "actual_line",
    "outcome",
)
_ENTRY_COLUMNS = ("entry_id", "outcome", "mismatched_fields", *(f"lines_{outcome}" for outcome in OUTCOMES))

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
th{background:#f3f3f3}.pass{color:#1a7f37}.fail{color:#b42318}.critical{font-weight:bold}.note{color:#666}
</style></head><body>
<h1>{{ title }}</h1>
<p class="{{ 'pass' if passed else 'fail' }}"><strong>{{ 'PASSED' if passed else 'FAILED' }}</strong>
{%- if reasons %}: {{ reasons | join('; ') }}{% endif %}</p>
<table>{% for key, value in metadata %}<tr><th>{{ key }}</th><td>{{ value }}</td></tr>{% endfor %}
<tr><th>tolerance configuration</th><td>{{ config_version }}</td></tr></table>
<h2>Counts</h2>
<table><tr><th></th>{% for outcome in outcomes %}<th>{{ outcome }}</th>{% endfor %}</tr>
{% for level, counts in counts %}<tr><th>{{ level }}</th>
{%- for outcome in outcomes %}<td>{{ counts[outcome] }}</td>{% endfor %}</tr>
{% endfor %}</table>
<h2>Worst fields</h2>
{% if worst %}<table><tr><th>field</th><th>critical</th><th>mismatches</th><th>max |delta|</th></tr>
{% for f in worst %}<tr class="{{ 'critical' if f.critical }}"><td>{{ f.field }}</td>
<td>{{ 'yes' if f.critical else 'no' }}</td><td>{{ f.mismatches }}</td>
<td>{{ f.max_abs_delta if f.max_abs_delta is not none else '' }}</td></tr>
{% endfor %}</table>{% else %}<p>Every compared field is within tolerance.</p>{% endif %}
{% for section in sections %}<h2>{{ section.heading }}</h2>
{% if section.rows %}<table><tr>{% for c in section.columns %}<th>{{ c }}</th>{% endfor %}</tr>
{% for row in section.rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>
{% endfor %}</table>
{% if section.cut %}<p class="note">First {{ section.rows | length }} of {{ section.total }} rows;
the JSON report has them all.</p>{% endif %}
{% else %}<p>None.</p>{% endif %}
{% endfor %}</body></html>
"""


def to_html(
    result: ComparisonResult,
    *,
    title: str = "Comparison of manual and automated customs lines",
    metadata: Mapping[str, Scalar] | None = None,
    max_rows: int = 2000,
) -> str:
    """The report as one HTML page."""
    lines = result.lines
    unpaired = lines[lines["outcome"].isin(("missing", "extra", "duplicate"))]
    sections = [
        _section(
            "Discrepancies (fields out of tolerance)", result.mismatches, _DISCREPANCY_COLUMNS, max_rows
        ),
        _section("Lines missing, extra or duplicated", unpaired, _UNPAIRED_COLUMNS, max_rows),
        _section("Entries", result.entries, _ENTRY_COLUMNS, max_rows),
    ]
    return render(
        _TEMPLATE,
        title=title,
        passed=result.passed,
        reasons=result.failure_reasons(),
        metadata=sorted((metadata or {}).items()),
        config_version=result.config_version,
        outcomes=OUTCOMES,
        counts=[("lines", result.counts.lines.as_dict()), ("entries", result.counts.entries.as_dict())],
        worst=result.worst_fields,
        sections=sections,
    )


def _section(heading: str, frame: pd.DataFrame, columns: tuple[str, ...], max_rows: int) -> dict[str, object]:
    shown = frame.loc[:, list(columns)].head(max_rows)
    rows = [
        ["" if pd.isna(value) else value for value in row]
        for row in shown.astype(object).itertuples(index=False, name=None)
    ]
    return {
        "heading": heading,
        "columns": columns,
        "rows": rows,
        "total": len(frame),
        "cut": len(frame) > max_rows,
    }
