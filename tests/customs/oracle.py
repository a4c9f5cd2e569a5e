"""A scalar oracle of DOMAIN §3–§4: plain Python, Decimal and Fraction, one invoice line at a time.
Written from the rules, not from the processor, and naive on purpose: it reads a case in the golden
files' shape and returns the records `Result.to_records()` returns.

DOMAIN's rulings it follows as written: a cancelled document is dropped even when it is a credit
(§4 step 1); packaging over goods worth nothing is split equally (§4 step 2); a line in kilograms
(KGM) has `quantity` kg net, `quantity ÷ net per unit` pieces and the product's gross ÷ net ratio,
and reports no `No.` (§4 step 6). Where DOMAIN leaves a choice open, the oracle makes the
processor's documented choice: packaging goes to the goods lines of its invoice (document and
currency); `no_weight` also covers a net weight that is not positive; a product without a metal
share has share 0; pieces are reported like kilograms (whole, half up, at least 1 when not zero);
with no HMF row in force, vessel modes 10/11 are flagged `fee_rate_missing`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

Row = Mapping[str, Any]
PART_ORDER = {"whole": 0, "non_metal": 1, "metal": 2}


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _maybe_day(value: Any) -> date | None:
    return None if value is None or value == "" else _day(value)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _exact(value: Any) -> Fraction:
    return Fraction(Decimal(str(value)))


def _cents(amount: Any) -> int:
    return int(Decimal(str(amount)) * 100)


def half_up(value: Fraction) -> int:
    """Round half away from zero to an integer."""
    magnitude = int(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def reported(value: Fraction) -> int:
    """Whole units, half up, at least 1 when not zero."""
    whole = half_up(value)
    return 1 if whole == 0 and value != 0 else whole


def money(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def rate_text(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


def dotted(hts10: str) -> str:
    return f"{hts10[:4]}.{hts10[4:6]}.{hts10[6:8]}.{hts10[8:]}"


def _as_list(value: Any) -> list[str]:
    return value.split(";") if isinstance(value, str) else [str(v) for v in value]


@dataclass(frozen=True)
class Provision:
    code: str
    seq: int
    row: Row

    def __getitem__(self, key: str) -> Any:
        return self.row[key]


@dataclass
class Line:
    port: str
    mode: str
    entry: str
    hts10: str
    origin: str
    part: str
    stack: tuple[str, ...]
    cents: int = 0
    pieces: Fraction = Fraction(0)
    net: Fraction = Fraction(0)
    gross: Fraction = Fraction(0)
    sources: list[tuple[str, int, str]] = field(default_factory=list)  # (document, item, material)
    provisions: dict[str, set[int]] = field(default_factory=dict)


@dataclass
class OracleRun:
    records: dict[str, Any]
    usd_cents: dict[tuple[str, int], int]
    """The USD value of each processable goods line after packaging, by (document, item)."""


class Oracle:
    def __init__(self, case: Row, datasets: Mapping[str, str], config_version: str) -> None:
        self.day = _day(case["business_date"])
        self.products = {str(p["material"]): p for p in case["products"]}
        self.packaging = {
            str(p["material"]): p
            for p in case["packaging"]
            if str(p.get("is_packaging", True)).lower() != "false"
        }
        self.hts = {str(h["hts10"]): h for h in case["hts"]}
        seqs: dict[str, int] = {}
        self.provisions = []
        for row in case["provisions"]:
            seqs[row["code"]] = seqs.get(row["code"], 0) + 1
            self.provisions.append(Provision(row["code"], row.get("seq", seqs[row["code"]]), row))
        self.fx: list[Row] = case["fx"]
        self.fees: list[Row] = case["fees"]
        self.lines: list[Row] = [line for line in case["invoice_lines"] if _day(line["arrival"]) == self.day]
        self.datasets = dict(sorted(datasets.items()))
        self.config_version = config_version
        self.usd_cents: dict[tuple[str, int], int] = {}

    # --- reference look-ups -------------------------------------------------------------------
    def rate(self, currency: str, billing: date) -> Fraction | None:
        if currency == "USD":
            return Fraction(1)
        known = [r for r in self.fx if r["currency"] == currency and _day(r["date"]) <= billing]
        if not known:
            return None
        latest = max(known, key=lambda r: _day(r["date"]))
        if (billing - _day(latest["date"])).days > 7:
            return None
        return _exact(latest["usd_per_unit"])

    @staticmethod
    def share(product: Row) -> Decimal:
        return _decimal(product.get("metal_share")) or Decimal(0)

    def candidates(self, hts10: str, origin: str, share: Decimal) -> list[tuple[Provision, int]]:
        """Provisions in force whose prefix, origin and share conditions match, with their longest
        matching prefix."""
        found = []
        for p in self.provisions:
            start, end = _day(p["effective_from"]), _maybe_day(p["effective_to"])
            if start > self.day or (end is not None and self.day > end):
                continue
            lengths = [len(x) for x in _as_list(p["hts_prefixes"]) if hts10.startswith(x)]
            origins = [o for o in _as_list(p["origins"]) if o]
            excluded = [o for o in _as_list(p["origins_excluded"]) if o]
            low, high = _decimal(p["min_metal_share"]), _decimal(p["max_metal_share"])
            if (
                lengths
                and origin not in excluded
                and ("*" in origins or origin in origins)
                and (low is None or share >= low)
                and (high is None or share < high)
            ):
                found.append((p, max(lengths)))
        return found

    @staticmethod
    def applies(provision_part: str, part: str, all_metal: bool) -> bool:
        if provision_part == "any":
            return True
        if provision_part == "non_metal":
            return part == "non_metal" or (part == "whole" and not all_metal)
        return part == "metal" or (part == "whole" and all_metal)

    def kept(
        self, candidates: list[tuple[Provision, int]], part: str, all_metal: bool
    ) -> dict[str, list[Provision]]:
        """Per programme, the applicable candidates with the longest prefix."""
        best: dict[str, list[tuple[Provision, int]]] = {}
        for p, length in candidates:
            if not self.applies(p["part"], part, all_metal):
                continue
            top = best.get(p["programme"])
            if top is None or length > top[0][1]:
                best[p["programme"]] = [(p, length)]
            elif length == top[0][1]:
                top.append((p, length))
        return {programme: [p for p, _ in kept] for programme, kept in best.items()}

    # --- step 1 -------------------------------------------------------------------------------
    def first_failing(self, line: Row) -> str | None:
        product = self.products.get(str(line["material"]))
        if product is None:
            return "unknown_material"
        hts = self.hts.get(str(product.get("hts10") or ""))
        if hts is None:
            return "no_hts_reference"
        if not product.get("origin"):
            return "no_origin"
        net, gross = _decimal(product.get("net_kg")), _decimal(product.get("gross_kg"))
        if net is None or gross is None or net <= 0:
            return "no_weight"
        billing = _day(line["billing_date"])
        metal_value = _decimal(product.get("metal_value_per_unit")) or Decimal(0)
        if self.rate(line["currency"], billing) is None or (
            metal_value > 0 and self.rate(product["metal_value_currency"], billing) is None
        ):
            return "no_exchange_rate"
        units = {"No.": ("PCE",), "No. and kg": ("PCE",), "kg": ("PCE", "KGM")}
        if line["unit"] not in units.get(hts["unit"], ()):
            return "unit_not_reportable"
        candidates = self.candidates(str(product["hts10"]), product["origin"], self.share(product))
        parts = [("whole", False)]
        if any(p["part"] == "metal" for p, _ in candidates):
            parts += [("non_metal", False), ("metal", False), ("whole", True)]
        for part, all_metal in parts:
            if any(len(kept) > 1 for kept in self.kept(candidates, part, all_metal).values()):
                return "ambiguous_provision"
        return None

    # --- the run ------------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        cancelled = {str(r["cancels"]) for r in self.lines if r["type"] in ("S1", "S2") and r.get("cancels")}
        cancelled |= {
            str(r["document"]) for r in self.lines if str(r.get("cancelled", False)).lower() == "true"
        }
        quarantined: list[dict[str, Any]] = []
        held_out: list[dict[str, Any]] = []
        dropped: list[dict[str, Any]] = []
        goods: list[Row] = []
        packaging: list[Row] = []
        for line in self.lines:
            document, item = str(line["document"]), int(line["item"])
            if line["type"] in ("S1", "S2") or document in cancelled:
                dropped.append(
                    {"document": document, "item": item, "type": line["type"], "reason": "cancelled"}
                )
            elif line["type"] in ("G2", "RE"):
                held_out.append(
                    {"document": document, "item": item, "type": line["type"], "reason": "credit"}
                )
            elif str(line["material"]) in self.packaging:
                packaging.append(line)
            elif (reason := self.first_failing(line)) is not None:
                quarantined.append(
                    {"document": document, "item": item, "material": str(line["material"]), "reason": reason}
                )
            else:
                goods.append(line)
        extra_cents, extra_kg = self.apportion(goods, packaging, quarantined)
        lines: dict[tuple[Any, ...], Line] = {}
        for line in goods:
            self.add_line(line, extra_cents, extra_kg, lines)

        def by_key(record: dict[str, Any]) -> tuple[str, int]:
            return (record["document"], record["item"])

        return {
            "business_date": self.day.isoformat(),
            "datasets": self.datasets,
            "config_version": self.config_version,
            "entries": self.entries(lines),
            "quarantined": sorted(quarantined, key=by_key),
            "held_out": sorted(held_out, key=by_key),
            "dropped": sorted(dropped, key=by_key),
        }

    # --- step 2 -------------------------------------------------------------------------------
    def net_kg(self, line: Row) -> Fraction:
        quantity = _exact(line["quantity"])
        if line["unit"] == "KGM":
            return quantity
        return quantity * _exact(self.products[str(line["material"])]["net_kg"])

    def apportion(
        self, goods: list[Row], packaging: list[Row], quarantined: list[dict[str, Any]]
    ) -> tuple[dict[tuple[str, int], int], dict[tuple[str, int], Fraction]]:
        extra_cents: dict[tuple[str, int], int] = {}
        extra_kg: dict[tuple[str, int], Fraction] = {}
        for document, currency in sorted({(str(p["document"]), p["currency"]) for p in packaging}):
            items = [p for p in packaging if (str(p["document"]), p["currency"]) == (document, currency)]
            members = [g for g in goods if (str(g["document"]), g["currency"]) == (document, currency)]
            if not members:
                quarantined += [
                    {"document": document, "item": int(p["item"]), "material": str(p["material"]),
                     "reason": "packaging_without_goods"}
                    for p in items
                ]  # fmt: skip
                continue
            cents = sum(_cents(p["value"]) for p in items)
            kilograms = sum(
                (
                    _exact(self.packaging[str(p["material"])]["unit_kg"]) * _exact(p["quantity"])
                    for p in items
                ),
                Fraction(0),
            )
            values = {int(g["item"]): _cents(g["value"]) for g in members}
            weights = values if sum(values.values()) else {item: 1 for item in values}
            exact = {
                item: Fraction(cents * weight, sum(weights.values())) for item, weight in weights.items()
            }
            shares = {item: int(share) for item, share in exact.items()}
            ranking = sorted(exact, key=lambda item: (-(exact[item] - shares[item]), -values[item], item))
            for item in ranking[: cents - sum(shares.values())]:
                shares[item] += 1
            nets = {int(g["item"]): self.net_kg(g) for g in members}
            net_weights = nets if sum(nets.values()) else {item: Fraction(1) for item in nets}
            for item in values:
                extra_cents[(document, item)] = shares[item]
                extra_kg[(document, item)] = kilograms * net_weights[item] / sum(net_weights.values())
        return extra_cents, extra_kg

    # --- steps 3 to 5 -------------------------------------------------------------------------
    def add_line(
        self,
        line: Row,
        extra_cents: dict[tuple[str, int], int],
        extra_kg: dict[tuple[str, int], Fraction],
        lines: dict[tuple[Any, ...], Line],
    ) -> None:
        document, item = str(line["document"]), int(line["item"])
        product = self.products[str(line["material"])]
        billing = _day(line["billing_date"])
        quantity = _exact(line["quantity"])
        net_unit, gross_unit = _exact(product["net_kg"]), _exact(product["gross_kg"])
        in_kg = line["unit"] == "KGM"
        pieces = quantity / net_unit if in_kg else quantity
        net = quantity if in_kg else quantity * net_unit
        gross = pieces * gross_unit + extra_kg.get((document, item), Fraction(0))

        invoice_rate = self.rate(line["currency"], billing)
        assert invoice_rate is not None
        usd = half_up((_cents(line["value"]) + extra_cents.get((document, item), 0)) * invoice_rate)
        self.usd_cents[(document, item)] = usd
        metal_value = _exact(product.get("metal_value_per_unit") or "0")
        metal = 0
        if metal_value > 0:
            metal_rate = self.rate(product["metal_value_currency"], billing)
            assert metal_rate is not None
            metal = half_up(metal_value * pieces * metal_rate * 100)

        candidates = self.candidates(str(product["hts10"]), product["origin"], self.share(product))
        has_metal = any(p["part"] == "metal" for p, _ in candidates)
        if has_metal and 0 < metal < usd:
            parts = [("non_metal", usd - metal, True, False), ("metal", metal, False, False)]
        else:
            parts = [("whole", usd, True, has_metal and metal > 0 and metal >= usd)]
        entry = f"{line['port']}-{self.day.strftime('%Y%m%d')}-{line['shipment']}"
        for part, value, carries, all_metal in parts:
            kept = sorted(
                (ps[0] for ps in self.kept(candidates, part, all_metal).values()),
                key=lambda p: (int(p["rank"]), p.code),
            )
            stack = (*(p.code for p in kept), dotted(str(product["hts10"])))
            key = (entry, str(product["hts10"]), product["origin"], part, stack)
            target = lines.setdefault(
                key,
                Line(str(line["port"]), str(line["mode"]), *key),
            )
            target.cents += value
            target.sources.append((document, item, str(line["material"])))
            for p in kept:
                target.provisions.setdefault(p.code, set()).add(p.seq)
            if carries:
                target.pieces += 0 if in_kg else quantity
                target.net += net
                target.gross += gross

    # --- steps 6 and 7 ------------------------------------------------------------------------
    def report(self, line: Line, number: int) -> dict[str, Any]:
        hts = self.hts[line.hts10]
        dollars = half_up(Fraction(line.cents, 100))
        net_kg, gross_kg = reported(line.net), reported(line.gross)
        quantity: dict[str, int] = {}
        if hts["unit"] in ("No.", "No. and kg"):
            quantity["No."] = reported(line.pieces)
        if hts["unit"] in ("kg", "No. and kg"):
            quantity["kg"] = net_kg
        by_code = {p.code: p for p in self.provisions}
        rates: dict[str, str] = {}
        duties: dict[str, int] = {}
        for code in line.stack[:-1]:
            rate = Decimal(str(by_code[code]["rate"]))
            rates[code] = rate_text(rate)
            exempt = by_code[code]["kind"] == "exemption"
            duties[code] = 0 if exempt else half_up(Fraction(rate) * dollars * 100)
        general = Decimal(str(hts["general_rate"]))
        rates[line.stack[-1]] = rate_text(general)
        duties[line.stack[-1]] = half_up(Fraction(general) * dollars * 100)
        return {
            "line": number,
            "hts10": dotted(line.hts10),
            "description": hts["description"],
            "origin": line.origin,
            "part": line.part,
            "stack": list(line.stack),
            "quantity": quantity,
            "net_kg": net_kg,
            "gross_kg": gross_kg,
            "value": dollars,
            "rates": rates,
            "duties": {n: money(c) for n, c in duties.items()},
            "duty": money(sum(duties.values())),
            "sources": [[d, i] for d, i, _ in sorted(line.sources)],
            "source_materials": [m for _, _, m in sorted(line.sources)],
            "lineage": {
                "datasets": self.datasets,
                "provisions": {code: sorted(line.provisions[code]) for code in line.stack[:-1]},
            },
        }

    def fee_row(self, fee: str) -> Row | None:
        for row in self.fees:
            start, end = _day(row["effective_from"]), _maybe_day(row.get("effective_to"))
            if row["fee"] == fee and start <= self.day and (end is None or self.day <= end):
                return row
        return None

    def entries(self, lines: dict[tuple[Any, ...], Line]) -> list[dict[str, Any]]:
        result = []
        for entry in sorted({line.entry for line in lines.values()}):
            members = sorted(
                (line for line in lines.values() if line.entry == entry),
                key=lambda line: (line.hts10, line.origin, PART_ORDER[line.part], list(line.stack)),
            )
            reported_lines = [self.report(line, i + 1) for i, line in enumerate(members)]
            value = sum(r["value"] for r in reported_lines)
            duty = sum(_cents(r["duty"]) for r in reported_lines)
            mode = members[0].mode
            formal = value > 2500
            flags = [] if formal else ["informal"]
            mpf = None
            mpf_row = self.fee_row("MPF")
            if formal and mpf_row is None:
                flags.append("fee_rate_missing")
            elif formal and mpf_row is not None:
                amount = half_up(_exact(mpf_row["rate"]) * value * 100)
                mpf = money(min(max(amount, _cents(mpf_row["min"])), _cents(mpf_row["max"])))
            hmf_row = self.fee_row("HMF")
            hmf: str | None = money(0)
            hmf_charged = hmf_row is not None and mode in [str(m) for m in hmf_row["modes"]]
            if hmf_row is None and mode in ("10", "11"):
                hmf = None
                if "fee_rate_missing" not in flags:
                    flags.append("fee_rate_missing")
            elif hmf_row is not None and hmf_charged:
                hmf = money(half_up(_exact(hmf_row["rate"]) * value * 100))
            result.append(
                {
                    "entry_id": entry,
                    "port": members[0].port,
                    "arrival": self.day.isoformat(),
                    "mode": mode,
                    "formal": formal,
                    "flags": flags,
                    "lines": reported_lines,
                    "totals": {"value": value, "duty": money(duty), "mpf": mpf, "hmf": hmf},
                    "lineage": {
                        "fee_table": self.config_version,
                        "mpf": _fee_label(mpf_row) if formal and mpf_row is not None else None,
                        "hmf": _fee_label(hmf_row) if hmf_row is not None and hmf_charged else None,
                    },
                }
            )
        return result


def _fee_label(row: Row) -> str:
    """How an entry's lineage names the fee row it was charged at."""
    end = _maybe_day(row.get("effective_to"))
    return f"{row['fee']} {_day(row['effective_from'])} to {end or 'open'}"


def run_oracle(case: Row, datasets: Mapping[str, str], config_version: str) -> OracleRun:
    """The records the processor's Result.to_records() should return, and the goods' USD values."""
    oracle = Oracle(case, datasets, config_version)
    records = oracle.run()
    return OracleRun(records, oracle.usd_cents)
