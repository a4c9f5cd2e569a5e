"""The customs processor: the invoice lines arriving on a business date and the datasets in force
→ the customs lines of that date's entry summaries (DOMAIN §3–§4). Pure: no I/O, no clock."""

from __future__ import annotations

import numpy as np

from ior_customs.domain.currency import ExchangeRates
from ior_customs.domain.entries import consolidate, identify_entries
from ior_customs.domain.goods import value_goods
from ior_customs.domain.inputs import ProcessorInputs
from ior_customs.domain.invoices import InvoiceLines
from ior_customs.domain.parts import split_into_parts
from ior_customs.domain.provisions import ProvisionIndex, read_provisions, resolve_materials
from ior_customs.domain.reference import HtsTable, MaterialFacts
from ior_customs.domain.reporting import report_lines
from ior_customs.domain.result import Result
from ior_customs.domain.screening import (
    DROPPED,
    HELD_OUT,
    PACKAGING_WITHOUT_GOODS,
    QUARANTINE_REASONS,
    QUARANTINED,
    screen,
)
from ior_customs.domain.stacks import stacks_for
from ior_customs.domain.tables import (
    entries_table,
    lines_table,
    quarantine_table,
    set_aside_table,
    sources_table,
)
from ior_customs.domain.totals import total_entries


def process(inputs: ProcessorInputs) -> Result:
    """The customs lines of `inputs.business_date`, with every invoice line of the day accounted
    for: in a line's sources, quarantined, held out or dropped. Raises a CustomsDomainError when
    the inputs break the datasets' contract."""
    day = inputs.business_date
    lines = InvoiceLines.arriving_on(inputs.transactions, day)
    hts = HtsTable.from_frame(inputs.hts)
    # One more material, known nowhere, stands for lines without one (never F2 lines).
    materials = np.append(lines.material.labels, "").astype(object)
    material = np.where(lines.material.codes < 0, len(materials) - 1, lines.material.codes)
    facts = MaterialFacts.build(materials, inputs.products, inputs.packaging, hts)
    provisions = resolve_materials(facts, hts, ProvisionIndex(read_provisions(inputs.provisions), day))

    # Step 1: held out, dropped, packaging, goods or quarantined.
    screening = screen(
        lines, material, facts, hts, ExchangeRates(inputs.exchange_rates), provisions.ambiguous
    )
    # Steps 2 and 3: packaging apportioned, USD and metal values.
    valued = value_goods(lines, material, facts, screening)
    goods = valued.goods
    # Step 4: parts and their stacks.
    used = np.flatnonzero(np.bincount(goods.material, minlength=len(materials)))
    stacks = stacks_for(used, provisions, facts.hts, hts)
    parts = split_into_parts(goods, provisions.has_metal, stacks.non_metal_selection, stacks.metal_selection)
    # Step 5: entries, and lines consolidated in their reporting order.
    entries = identify_entries(lines.port, lines.shipment, lines.mode, goods.line, day)
    origin_rank = np.argsort(np.argsort(facts.origin.labels.astype(str), kind="stable"))
    part_material = goods.material[parts.goods]
    consolidation = consolidate(
        entries.of_row[parts.goods],
        facts.hts[part_material],
        origin_rank[facts.origin.codes[part_material]],
        parts.part,
        stacks.table.stack_of_selection[parts.selection],
    )
    # Steps 6 and 7: line figures, entry totals and fees.
    figures = report_lines(goods, parts, consolidation, stacks.table)
    line_entry = entries.of_row[parts.goods[consolidation.first_row]]
    totals = total_entries(
        line_entry, figures.dollars, figures.duties.line_total, entries.modes, day, inputs.fees
    )

    reason = screening.reason.copy()
    reason[valued.orphaned_packaging] = PACKAGING_WITHOUT_GOODS
    disposition = np.where(reason >= 0, QUARANTINED, screening.disposition)
    quarantined = np.flatnonzero(disposition == QUARANTINED)
    return Result(
        business_date=day,
        dataset_versions=dict(inputs.dataset_versions),
        config_version=inputs.fees.version,
        entries=entries_table(entries, totals, day),
        lines=lines_table(entries, goods, parts, consolidation, figures, facts, hts, stacks.table),
        sources=sources_table(lines, entries, goods, parts, consolidation),
        quarantined=quarantine_table(
            lines, quarantined, [QUARANTINE_REASONS[r] for r in reason[quarantined]]
        ),
        held_out=set_aside_table(
            lines, np.flatnonzero(disposition == HELD_OUT), lambda rows: ["credit"] * len(rows)
        ),
        dropped=set_aside_table(
            lines, np.flatnonzero(disposition == DROPPED), lambda rows: ["cancelled"] * len(rows)
        ),
    )
