"""A run's report, kept in the audit prefix: JSON for machines and one self-contained HTML page for
people (Jinja2, everything escaped). Inputs and their versions, fallbacks, totals, the entries with
their totals and line counts, every invoice line set aside (quarantined with its reason, held out,
dropped), and the published outputs by claim check (URI, SHA-256, rows): the lines themselves are
in the published lines object, which the report names rather than copies. The JSON is gzip
(`report.json`, stored with `Content-Encoding: gzip`), written as it is encoded; the HTML page shows
the first lines of the first entries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any

from ior_contracts.claims import ClaimCheck
from isal import isal_zlib
from jinja2 import Environment, StrictUndefined, Template
from markupsafe import Markup

from ior_customs.domain.result import json_pieces
from ior_customs.ports import RunKey, Trigger
from ior_customs.service_layer.decisions import Decision
from ior_customs.service_layer.loading import Inputs

MAX_HTML_LINES = 5000
"""Lines shown in the HTML page, with their entries; the report's JSON has every entry's totals and
the published lines object every line. A page of a million-line day's 80,000 entries would take
most of the run's time to render and more than a browser opens."""
GZIP_LEVEL = 1
GZIP_WBITS = 16 + 15  # deflate in gzip's wrapper, zlib's widest window
_CHUNK = 1 << 16

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Customs run {{ r.run_id }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right}.note{color:#666}.warn{color:#b42318}
</style></head><body>
<h1>Customs lines of {{ r.business_date }} ({{ r.mode }})</h1>
<table>
<tr><th>run</th><td>{{ r.run_id }}</td></tr>
<tr><th>status</th><td>{{ r.status }}{% if r.note %} — {{ r.note }}{% endif %}</td></tr>
<tr><th>closes on</th><td>{{ r.closed_on }}{% if r.closed %} (closed){% endif %}</td></tr>
<tr><th>asked by</th><td>{{ r.trigger.detail_type }} {{ r.trigger.event_id }}:
{{ r.trigger.reason }}</td></tr>
<tr><th>code version</th><td>{{ r.code_version }}</td></tr>
<tr><th>fee table version</th><td>{{ r.config_version }}</td></tr>
{% if r.supersedes %}<tr><th>supersedes</th><td>{{ r.supersedes }}</td></tr>{% endif %}
{% if r.official_run_id %}<tr><th>official run</th><td>{{ r.official_run_id }}</td></tr>{% endif %}
</table>
<h2>Inputs</h2>
<table><tr><th>dataset</th><th>version</th><th>published</th><th>rows</th><th>object</th></tr>
{% for name, i in r.inputs | dictsort %}<tr><td>{{ name }}</td><td>{{ i.version }}</td>
<td>{{ i.published_at }}</td>
<td class="n">{{ i.row_count }}</td><td>{{ i.uri }}</td></tr>
{% endfor %}</table>
{% if r.fallbacks %}<h2 class="warn">Fallbacks</h2>
<table><tr><th>dataset</th><th>version used</th><th>reason</th><th>detail</th></tr>
{% for f in r.fallbacks %}<tr><td>{{ f.dataset }}</td><td>{{ f.version }}</td><td>{{ f.reason }}</td>
<td>{{ f.detail }}</td></tr>{% endfor %}</table>{% endif %}
{% if r.changes %}<h2>Changes to the official lines</h2>
<table>{% for k, v in r.changes | dictsort %}<tr><th>{{ k }}</th><td class="n">{{ v }}</td></tr>
{% endfor %}</table>
{% endif %}
<h2>Totals</h2>
<table>{% for k, v in r.totals | dictsort %}<tr><th>{{ k }}</th><td class="n">{{ v }}</td></tr>
{% endfor %}</table>
<h2>Entries</h2>
{% for e in r.entries %}<h3>{{ e.entry_id }}</h3>
<p>port {{ e.port }}, mode {{ e.mode }}, {{ 'formal' if e.formal else 'informal' }}
{%- if e.flags %}, flags: {{ e.flags | join(', ') }}{% endif %};
value ${{ e.totals.value }}, duty ${{ e.totals.duty }},
MPF {{ money(e.totals.mpf) }}, HMF {{ money(e.totals.hmf) }}</p>
<table><tr><th>line</th><th>HTS</th><th>description</th><th>origin</th><th>part</th><th>stack</th>
<th>quantity</th><th>net kg</th><th>gross kg</th><th>value $</th><th>rates</th><th>duties $</th>
<th>duty $</th><th>sources (material)</th></tr>
{{ line_rows(e.lines) }}</table>
{% else %}<p>No entries.</p>{% endfor %}
{% if cut %}<p class="note">Shown: the first {{ cut.entries }} of {{ cut.of.entries }} entries and
{{ cut.lines }} of {{ cut.of.lines }} lines. Every entry's totals are in this report's JSON, every
line in the published lines ({{ r.outputs.lines.uri }}, SHA-256 {{ r.outputs.lines.sha256 }}).</p>{% endif %}
{% for title, rows, detail in set_aside %}<h2>{{ title }} ({{ rows | length }})</h2>
{% if rows %}<table><tr><th>document</th><th>item</th><th>{{ detail }}</th><th>reason</th></tr>
{% for row in rows %}<tr><td>{{ row.document }}</td><td class="n">{{ row.item }}</td>
<td>{{ row[detail] }}</td><td>{{ row.reason }}</td></tr>{% endfor %}</table>{% else %}<p>None.</p>{% endif %}
{% endfor %}</body></html>
"""


@cache
def _template() -> Template:
    environment = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    return environment.from_string(_TEMPLATE)


def _money(amount: str | None) -> str:
    return "—" if amount is None else f"${amount}"


def line_rows(lines: Iterable[Mapping[str, Any]]) -> Markup:
    """The entry's lines as table rows, every value escaped. Made here rather than by the template's
    loops: the page of a 1M-line day took 0.68 s of its run's CPU with Jinja's, 0.36 s this way."""
    rows = []
    for line in lines:
        stack = line["stack"]
        quantity = "".join(f"{_e(q)} {_e(u)} " for u, q in sorted(line["quantity"].items(), key=_folded))
        rates = "".join(f"{_e(n)}: {_e(line['rates'][n])}<br>" for n in stack)
        duties = "".join(f"{_e(line['duties'][n])}<br>" for n in stack)
        materials = line["source_materials"]
        sources = "".join(
            f"{_e(s[0])}/{_e(s[1])}{f' ({_e(m)})' if m else ''} "
            for s, m in zip(line["sources"], materials, strict=True)
        )
        rows.append(
            f'<tr><td class="n">{_e(line["line"])}</td><td>{_e(line["hts10"])}</td>'
            f"<td>{_e(line['description'])}</td>\n<td>{_e(line['origin'])}</td><td>{_e(line['part'])}</td>"
            f"<td>{' '.join(map(_e, stack))}</td>\n<td>{quantity}</td>"
            f'<td class="n">{_e(line["net_kg"])}</td>\n<td class="n">{_e(line["gross_kg"])}</td>'
            f'<td class="n">{_e(line["value"])}</td>\n<td>{rates}</td>\n<td>{duties}</td>'
            f'<td class="n">{_e(line["duty"])}</td>\n<td>{sources}</td></tr>\n'
        )
    return Markup("".join(rows))


# markupsafe's escapes, as one translation: `escape` builds a `Markup` for each of a page's ~130,000
# values, which was most of the rows' cost.
_ESCAPED = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def _e(value: object) -> str:
    return str(value).translate(_ESCAPED)


def _folded(item: tuple[str, Any]) -> str:
    # Jinja's `dictsort`, which the page used: keys compared without case.
    return item[0].lower()


def report_json(report: dict[str, Any]) -> bytes:
    """The report as canonical JSON, gzip-compressed as it is encoded, so the uncompressed text is
    never whole in memory: by ISA-L at its fastest level, as the run's published objects are (zlib's
    level 6 took a fifth of a second of a million-line day's run), with no time in gzip's header, so
    the same report gives the same bytes."""
    deflate = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, GZIP_WBITS)
    compressed: list[bytes] = []
    pending: list[bytes] = []
    size = 0
    for piece in json_pieces(report):
        pending.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            compressed.append(deflate.compress(b"".join(pending)))
            pending, size = [], 0
    compressed += [deflate.compress(b"".join(pending)), deflate.flush()]
    return b"".join(compressed)


def report_html(
    report: Mapping[str, Any],
    entries_with_lines: Iterable[Mapping[str, Any]],
    max_lines: int = MAX_HTML_LINES,
) -> bytes:
    """The page: the first entries with their totals and lines, up to `max_lines` lines
    (`entries_with_lines` may nest only those: `Result.entry_records(max_lines)`); the page says how
    many entries and lines the report's JSON and the published lines add."""
    entries, shown = [], 0
    for entry in entries_with_lines:
        room = max_lines - shown
        if room <= 0:
            break
        if len(entry["lines"]) > room:
            entry = {**entry, "lines": entry["lines"][:room]}
        shown += len(entry["lines"])
        entries.append(entry)
    total = {"lines": report["totals"]["lines"], "entries": len(report["entries"])}
    cut = {"lines": shown, "entries": len(entries), "of": total} if total["lines"] > shown else None
    set_aside = [
        ("Quarantined", report["quarantined"], "material"),
        ("Held out", report["held_out"], "type"),
        ("Dropped", report["dropped"], "type"),
    ]
    page = _template().render(
        r={**report, "entries": entries}, cut=cut, set_aside=set_aside, money=_money, line_rows=line_rows
    )
    return page.encode()


def build_report(
    key: RunKey,
    trigger: Trigger,
    inputs: Inputs,
    summary: dict[str, Any],  # the run's summary (`Result.summary`): entries with line counts, no lines
    money: dict[str, int],  # its totals in cents, and its lines (`Result.money_totals`)
    outputs: dict[str, ClaimCheck],
    decision: Decision,
    closes: date,
    *,
    closed: bool,
) -> dict[str, Any]:
    return {
        "run_id": key.run_id,
        "run_key": key.digest,
        "business_date": key.business_date.isoformat(),
        "mode": key.mode,
        "status": decision.status,
        "note": decision.note,
        "trigger": trigger.as_dict(),
        "code_version": key.code_version,
        "config_version": key.config_version,
        "closed_on": closes.isoformat(),
        "closed": closed,
        "inputs": {
            name: {"version": v.version, "published_at": v.published_at, **v.snapshot.model_dump()}
            for name, v in sorted(inputs.used.items())
        },
        "fallbacks": [f.model_dump() for f in inputs.fallbacks],
        "outputs": {kind: claim.model_dump() for kind, claim in outputs.items()},
        "totals": _report_totals(summary, money),
        "supersedes": decision.record.get("supersedes"),
        "official_run_id": decision.record.get("official_run_id"),
        "changes": decision.record.get("changes"),
        "events": [{"detail_type": e.detail_type, "event_id": e.event_id} for e in decision.events],
        "entries": summary["entries"],
        "quarantined": summary["quarantined"],
        "held_out": summary["held_out"],
        "dropped": summary["dropped"],
    }


def _report_totals(summary: dict[str, Any], money: dict[str, int]) -> dict[str, Any]:
    return {
        "entries": len(summary["entries"]),
        "lines": money["lines"],
        "entered_value_cents": money["value"],
        "duty_cents": money["duty"],
        "mpf_cents": money["mpf"],
        "hmf_cents": money["hmf"],
        "quarantined": len(summary["quarantined"]),
        "held_out": len(summary["held_out"]),
        "dropped": len(summary["dropped"]),
    }
