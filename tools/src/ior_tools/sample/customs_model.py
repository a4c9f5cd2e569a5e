"""A small, literal model of DOMAIN §3–§4 and §6 for the disagreement fixtures only.

The generator uses it to predict, from both views of the master data (SAP's and the CSVs'), which
comparison differences each disagreement causes. It covers exactly what the fixtures need — USD
invoices, whole parts — and refuses anything else (NotPredictable) rather than guess: a prediction
in the manifest is a certainty or it is not there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ior_ingestion.domain.fee_notices import FeeNotice, shipped_notices

from ior_tools.sample.formats import dotted_usitc
from ior_tools.sample.invoices import Invoice
from ior_tools.sample.provisions import Provision

CENT = Decimal("0.01")
# HMF applies to vessel modes; the fee figures are the cited ones the product ships (DOMAIN §4 step 7).
_HMF_MODES = ("10", "11")
_FORMAL_ABOVE = 2500
_PART_ORDER = {"whole": 0, "non_metal": 1, "metal": 2}


class NotPredictableError(Exception):
    """The fixture left the ground this model covers; its effect would be a guess."""


@dataclass(frozen=True)
class ProductFacts:
    hts10: str
    origin: str
    net_kg: Decimal
    gross_kg: Decimal
    metal_share: Decimal


@dataclass(frozen=True)
class HtsFacts:
    description: str
    rate: Decimal
    unit: str  # No. | kg | No. and kg


@dataclass(frozen=True)
class MasterView:
    """One path's published master data, as far as the fixtures need it."""

    products: Mapping[str, ProductFacts]
    packaging_kg: Mapping[str, Decimal]  # packaging materials flagged as packaging
    hts: Mapping[str, HtsFacts]
    provisions: Sequence[Provision]


@dataclass
class _Line:
    document: str
    item: int
    hts10: str
    origin: str
    quantity: int
    cents: int
    net_kg: Fraction
    gross_kg: Fraction
    metal_share: Decimal


@dataclass
class CustomsLine:
    hts10: str
    origin: str
    part: str
    stack: tuple[str, ...]
    rates: dict[str, Decimal]
    description: str
    quantity: dict[str, int]
    value: int
    duty: Decimal
    net_kg: int
    gross_kg: int
    sources: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class CustomsEntry:
    entry_id: str
    lines: dict[tuple[str, str, str], CustomsLine]
    value: int
    duty: Decimal
    mpf: Decimal | None
    hmf: Decimal
    quarantined: list[tuple[str, int, str]]


def _half_up(value: Fraction | Decimal) -> int:
    fraction = Fraction(value)
    whole, rest = divmod(fraction.numerator, fraction.denominator)
    return whole + (1 if 2 * rest >= fraction.denominator else 0)


def _kg(value: Fraction) -> int:
    rounded = _half_up(value)
    return max(rounded, 1) if value > 0 else 0


def _largest_remainder(total: int, weights: Sequence[int], tie_order: Sequence[tuple[int, int]]) -> list[int]:
    """Split `total` cents in proportion to `weights`; leftover cents by remainder, then `tie_order`."""
    base = sum(weights)
    shares = [total * weight // base for weight in weights]
    remainders = [total * weight % base for weight in weights]
    order = sorted(range(len(weights)), key=lambda index: (-remainders[index], tie_order[index]))
    for index in order[: total - sum(shares)]:
        shares[index] += 1
    return shares


def _stack(view: MasterView, hts10: str, origin: str, share: Decimal, day: date) -> list[Provision]:
    candidates = [
        provision
        for provision in view.provisions
        if provision.in_force(day)
        and provision.matching_prefix(hts10) is not None
        and provision.matches_origin(origin)
        and provision.matches_share(share)
    ]
    if any(provision.part == "metal" for provision in candidates):
        raise NotPredictableError(f"{hts10} from {origin} has a metal-part candidate on {day}")
    best: dict[str, list[Provision]] = {}
    for provision in candidates:  # a whole part that is not all-metal: `any` and `non_metal` apply
        length = len(provision.matching_prefix(hts10) or "")
        kept = best.get(provision.programme)
        kept_length = len(kept[0].matching_prefix(hts10) or "") if kept else -1
        if length > kept_length:
            best[provision.programme] = [provision]
        elif length == kept_length and kept is not None:
            kept.append(provision)
    chosen: list[Provision] = []
    for programme, kept in best.items():
        if len({provision.code for provision in kept}) > 1:
            raise NotPredictableError(f"ambiguous {programme} provisions for {hts10} from {origin} on {day}")
        chosen.append(kept[0])
    return sorted(chosen, key=lambda provision: (provision.rank, provision.code))


def _fees_on(day: date) -> FeeNotice:
    """The shipped notice in force on `day`; a day none covers would be flagged, not predicted."""
    for notice in shipped_notices():
        if notice.effective_from <= day <= notice.effective_to:
            return notice
    raise NotPredictableError(f"no cited fee figures cover {day}")


def _fee(rate: Decimal, total: int) -> Decimal:
    return (rate * total).quantize(CENT, rounding=ROUND_HALF_UP)


def _invoice_lines(
    view: MasterView, invoice: Invoice, quarantined: list[tuple[str, int, str]]
) -> list[_Line]:
    """DOMAIN §4 steps 1–2 for one USD invoice: its goods lines with their share of the packaging."""
    if invoice.currency != "USD" or invoice.fkart != "F2" or invoice.fksto:
        raise NotPredictableError(f"fixture invoice {invoice.vbeln} is not a plain USD F2 invoice")
    goods = [item for item in invoice.items if item.material in view.products]
    packaging = [item for item in invoice.items if item.material in view.packaging_kg]
    for item in invoice.items:
        if item.material not in view.products and item.material not in view.packaging_kg:
            quarantined.append((invoice.vbeln, item.posnr, "unknown_material"))
    if packaging and not goods:
        raise NotPredictableError(f"fixture invoice {invoice.vbeln} has packaging without goods")
    value_shares = [0] * len(goods)
    weight_shares = [Fraction(0)] * len(goods)
    if packaging:
        value_shares = _largest_remainder(
            sum(item.value_cents for item in packaging),
            [item.value_cents for item in goods],
            [(-item.value_cents, item.posnr) for item in goods],
        )
        package_kg = sum(
            (Fraction(view.packaging_kg[item.material]) * item.quantity for item in packaging), Fraction(0)
        )
        nets = [Fraction(view.products[item.material].net_kg) * item.quantity for item in goods]
        weight_shares = [package_kg * net / sum(nets) for net in nets]
    lines = []
    for index, item in enumerate(goods):
        facts = view.products[item.material]
        lines.append(
            _Line(
                document=invoice.vbeln,
                item=item.posnr,
                hts10=facts.hts10,
                origin=facts.origin,
                quantity=item.quantity,
                cents=item.value_cents + value_shares[index],
                net_kg=Fraction(facts.net_kg) * item.quantity,
                gross_kg=Fraction(facts.gross_kg) * item.quantity + weight_shares[index],
                metal_share=facts.metal_share,
            )
        )
    return lines


def customs_entry(view: MasterView, invoices: Sequence[Invoice], day: date) -> CustomsEntry:
    """The customs lines and totals of one fixture entry under one view of the master data."""
    shipment = invoices[0].shipment
    quarantined: list[tuple[str, int, str]] = []
    lines = [line for invoice in invoices for line in _invoice_lines(view, invoice, quarantined)]
    grouped: dict[tuple[str, str, str, tuple[str, ...]], list[_Line]] = {}
    stacks: dict[tuple[str, str, str, tuple[str, ...]], list[Provision]] = {}
    for line in lines:
        provisions = _stack(view, line.hts10, line.origin, line.metal_share, day)
        key = (line.hts10, line.origin, "whole", tuple(provision.code for provision in provisions))
        grouped.setdefault(key, []).append(line)
        stacks[key] = provisions
    result: dict[tuple[str, str, str], CustomsLine] = {}
    for key in sorted(grouped, key=lambda k: (k[0], k[1], _PART_ORDER[k[2]], k[3])):
        hts10, origin, part, _ = key
        if (hts10, origin, part) in result:
            raise NotPredictableError(
                f"two stacks for {hts10} {origin} {part}: pairing by stack is not modelled"
            )
        members = grouped[key]
        hts = view.hts[hts10]
        value = _half_up(Fraction(sum(line.cents for line in members), 100))
        net = sum((line.net_kg for line in members), Fraction(0))
        gross = sum((line.gross_kg for line in members), Fraction(0))
        quantity_total = sum(line.quantity for line in members)
        quantity: dict[str, int] = {}
        if "No." in hts.unit:
            quantity["No."] = quantity_total
        if "kg" in hts.unit:
            quantity["kg"] = _kg(net)
        rates = {p.code: (p.rate if p.kind == "additional" else Decimal(0)) for p in stacks[key]}
        rates[dotted_usitc(hts10)] = hts.rate
        duty = sum((_fee(rate, value) for rate in rates.values()), Decimal(0))
        result[(hts10, origin, part)] = CustomsLine(
            hts10=hts10,
            origin=origin,
            part=part,
            stack=tuple(rates),
            rates=rates,
            description=hts.description,
            quantity=quantity,
            value=value,
            duty=duty,
            net_kg=_kg(net),
            gross_kg=_kg(gross),
            sources=sorted((line.document, line.item) for line in members),
        )
    total = sum(line.value for line in result.values())
    fees = _fees_on(day)
    mpf: Decimal | None = None
    if total > _FORMAL_ABOVE:
        low, high = Decimal(fees.mpf_minimum), Decimal(fees.mpf_maximum)
        mpf = min(max(_fee(Decimal(fees.mpf_rate), total), low), high)
    hmf = _fee(Decimal(fees.hmf_rate), total) if shipment.mode in _HMF_MODES else Decimal("0.00")
    return CustomsEntry(
        entry_id=shipment.entry_id,
        lines=result,
        value=total,
        duty=sum((line.duty for line in result.values()), Decimal(0)),
        mpf=mpf,
        hmf=hmf,
        quarantined=sorted(quarantined),
    )


@dataclass(frozen=True)
class Tolerances:
    """DOMAIN §6 defaults, the ones the predictions assume."""

    money: Decimal = Decimal(1)
    kg_absolute: Decimal = Decimal(1)
    kg_relative: Decimal = Decimal("0.01")


@dataclass(frozen=True)
class Difference:
    entry_id: str
    hts10: str | None  # dotted, USITC style; None for an entry-level field
    origin: str | None
    part: str | None
    field: str
    expected: object  # the manual side
    actual: object  # the automated side


def _beyond(delta: Decimal, low: Decimal, high: Decimal, where: str) -> bool:
    """True when |delta| is certainly outside the tolerance, False when certainly inside, else refuse."""
    size = abs(delta)
    if size == 0 or size < low:
        return False
    if size > high:
        return True
    raise NotPredictableError(f"{where}: a difference of {delta} sits on the tolerance boundary")


def _normalised(text: str) -> str:
    return "".join(text.split()).casefold()


def compare(expected: CustomsEntry, actual: CustomsEntry, tolerances: Tolerances) -> list[Difference]:
    """The comparison differences between the manual (expected) and automated (actual) entry."""
    if expected.lines.keys() != actual.lines.keys():
        raise NotPredictableError(f"{expected.entry_id}: the two sides have different lines")
    found: list[Difference] = []
    for key in expected.lines:
        manual, auto = expected.lines[key], actual.lines[key]
        where = f"{expected.entry_id} {key}"

        def add(name: str, manual_value: object, auto_value: object, key: tuple[str, str, str] = key) -> None:
            found.append(
                Difference(
                    expected.entry_id, dotted_usitc(key[0]), key[1], key[2], name, manual_value, auto_value
                )
            )

        if manual.stack != auto.stack:
            add("stack", list(manual.stack), list(auto.stack))
        if manual.rates != auto.rates:
            add(
                "rates",
                {k: str(v) for k, v in manual.rates.items()},
                {k: str(v) for k, v in auto.rates.items()},
            )
        if manual.quantity != auto.quantity:
            add("quantity", manual.quantity, auto.quantity)
        money = tolerances.money
        if _beyond(Decimal(auto.value - manual.value), money, money, where):
            add("value", manual.value, auto.value)
        if _beyond(auto.duty - manual.duty, money, money, where):
            add("duty", str(manual.duty), str(auto.duty))
        for name in ("net_kg", "gross_kg"):
            low_kg, high_kg = sorted((getattr(manual, name), getattr(auto, name)))
            low = max(tolerances.kg_absolute, tolerances.kg_relative * low_kg)
            high = max(tolerances.kg_absolute, tolerances.kg_relative * high_kg)
            if _beyond(Decimal(getattr(auto, name) - getattr(manual, name)), low, high, where):
                add(name, getattr(manual, name), getattr(auto, name))
        if _normalised(manual.description) != _normalised(auto.description):
            add("description", manual.description, auto.description)
    money = tolerances.money
    where = expected.entry_id

    def add_entry(name: str, manual_value: object, auto_value: object) -> None:
        found.append(Difference(expected.entry_id, None, None, None, name, manual_value, auto_value))

    if _beyond(Decimal(actual.value - expected.value), money, money, where):
        add_entry("value", expected.value, actual.value)
    if _beyond(actual.duty - expected.duty, money, money, where):
        add_entry("duty", str(expected.duty), str(actual.duty))
    if (expected.mpf is None) != (actual.mpf is None):
        add_entry(
            "mpf",
            None if expected.mpf is None else str(expected.mpf),
            None if actual.mpf is None else str(actual.mpf),
        )
    elif (
        expected.mpf is not None
        and actual.mpf is not None
        and _beyond(actual.mpf - expected.mpf, money, money, where)
    ):
        add_entry("mpf", str(expected.mpf), str(actual.mpf))
    if _beyond(actual.hmf - expected.hmf, money, money, where):
        add_entry("hmf", str(expected.hmf), str(actual.hmf))
    return found
