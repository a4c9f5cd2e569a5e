"""A run's HTML page stays a page: the first entries with their lines, and what the rest is and where."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from ior_customs.service_layer import runs

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
