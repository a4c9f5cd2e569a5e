"""A run's HTML page stays a page: the first entries with their lines, and what the rest is and where."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from ior_customs.service_layer import runs
from ior_customs.service_layer.reporting import line_rows
from jinja2 import Environment

from tests.customs.builders import DAY, TRANSACTIONS, invoice_line
from tests.customs.unit.fakes import Service

# Two shipments, so two entries: the day's transactions and one more shipment's line.
TWO_ENTRIES = [*TRANSACTIONS, invoice_line("90030003", 10, "10000006", "5", "800.00", shipment="SH2")]


def _page(service: Service) -> str:
    (html,) = (body for uri, body in service.outputs.objects.items() if uri.endswith(".html"))
    return html.decode()


def _report(service: Service) -> dict[str, Any]:
    (body,) = (body for uri, body in service.outputs.objects.items() if uri.endswith(".json"))
    report: dict[str, Any] = json.loads(gzip.decompress(body))
    return report


def test_a_run_with_more_lines_than_the_page_shows_names_what_it_leaves_out_and_where_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN a page that shows at most one line, and a day of two entries
    monkeypatch.setattr(runs, "MAX_HTML_LINES", 1)
    service = Service()
    service.announce_reference()
    # WHEN the day is run
    (run,) = service.announce("transactions", TWO_ENTRIES, [DAY])
    page, report = _page(service), _report(service)
    # THEN the page holds the first entry and its first line, not the second entry
    first, second = (entry["entry_id"] for entry in report["entries"])
    assert run.status == "official"
    assert first in page
    assert second not in page
    assert len(re.findall(r'<tr><td class="n">\d+</td><td>\d{4}\.', page)) == 1
    # AND says how much is left out and where every entry and line is
    note = re.sub(r"\s+", " ", page[page.index('<p class="note">') :])
    assert f"the first 1 of 2 entries and 1 of {report['totals']['lines']} lines" in note
    assert "Every entry's totals are in this report's JSON, every line in the published lines" in note


def test_a_run_the_page_holds_whole_has_no_note() -> None:
    # GIVEN the page's own limit, far above a day of four invoice lines
    service = Service()
    service.announce_reference()
    # WHEN the day is run
    service.announce("transactions", TWO_ENTRIES, [DAY])
    page, report = _page(service), _report(service)
    # THEN every entry is on the page and nothing is said to be left out
    assert all(entry["entry_id"] in page for entry in report["entries"])
    assert len(report["entries"]) == 2
    assert '<p class="note">' not in page


# The rows as the page's template wrote them with Jinja's loops and filters: `line_rows` must write
# the same bytes.
_ROWS_AS_JINJA_WROTE_THEM = (
    """{% for l in lines %}<tr><td class="n">{{ l.line }}</td><td>{{ l.hts10 }}</td>"""
    """<td>{{ l.description }}</td>
<td>{{ l.origin }}</td><td>{{ l.part }}</td><td>{{ l.stack | join(' ') }}</td>
<td>{% for u, q in l.quantity | dictsort %}{{ q }} {{ u }} {% endfor %}</td><td class="n">{{ l.net_kg }}</td>
<td class="n">{{ l.gross_kg }}</td><td class="n">{{ l.value }}</td>
<td>{% for n in l.stack %}{{ n }}: {{ l.rates[n] }}<br>{% endfor %}</td>
<td>{% for n in l.stack %}{{ l.duties[n] }}<br>{% endfor %}</td><td class="n">{{ l.duty }}</td>
<td>{% for s in l.sources %}{% set material = l.source_materials[loop.index0] %}{{ s[0] }}/{{ s[1] }}
{%- if material %} ({{ material }}){% endif %} {% endfor %}</td></tr>
{% endfor %}"""
)


def test_the_line_rows_are_written_as_the_templates_loops_wrote_them_every_value_escaped() -> None:
    lines = [
        {
            "line": 1,
            "hts10": "8504.40.95.20",
            "description": "Static converters <\"power\" & 'other'>",
            "origin": "CN",
            "part": "goods",
            "stack": ["9903.01.24", "8504.40.95.20"],
            "quantity": {"NO": 4, "kg": "1.5"},
            "net_kg": "12.500",
            "gross_kg": "13.1",
            "value": 1234,
            "rates": {"9903.01.24": "0.1", "8504.40.95.20": "0"},
            "duties": {"9903.01.24": "123.40", "8504.40.95.20": "0.00"},
            "duty": "123.40",
            "sources": [["90000001", "000010"], ["90000002", "000020"]],
            "source_materials": ["10000004 <A&B>", None],
        },
        {
            "line": 2,
            "hts10": "7326.90.86.88",
            "description": "",
            "origin": None,
            "part": "packaging",
            "stack": [],
            "quantity": {},
            "net_kg": "0.9",
            "gross_kg": "0.9",
            "value": 0,
            "rates": {},
            "duties": {},
            "duty": "0.00",
            "sources": [["90000003", "000030"]],
            "source_materials": [""],
        },
    ]
    jinja = Environment(autoescape=True, keep_trailing_newline=True).from_string(_ROWS_AS_JINJA_WROTE_THEM)
    assert str(line_rows(lines)) == jinja.render(lines=lines)
    assert "&lt;&#34;power&#34; &amp; &#39;other&#39;&gt;" in line_rows(lines)
