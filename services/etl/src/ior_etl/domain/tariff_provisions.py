"""tariff-provisions: ZFMIOR003, one row per chapter 99 provision (DOMAIN §3).

Rates and metal shares arrive in percent (`7.500`, or `7.5%`) and are published as fractions.
Lists are `;`-separated and published sorted without repeats; a blank prefix list means every HTS
number (one empty prefix). Two provisions that could both be the most specific match of their
programme are both rejected, each naming the other; so are rows of one code that disagree on what
the code is (`PROVISION_CODE_TERMS`: programme, kind, rate, rank), each naming the rows it disagrees
with, since no run could order them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

import pandas as pd
from ior_contracts.datasets import PROVISION_CODE_TERMS, TARIFF_PROVISIONS
from ior_contracts.vocabulary import Mode

from ior_etl.domain.dataset import DatasetBuild, SourceRows
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.provision_overlap import ALL_ORIGINS, Terms, ambiguities
from ior_etl.domain.sap_fields import PROVISION_NUMBERS_IN_PERCENT, ZFMIOR003
from ior_etl.domain.typed import typed_frame
from ior_etl.domain.validation import ROW, Rule, RuleSet, one_of, validate_for, where_known
from ior_etl.domain.values import date_or_none, decimal_or_none, split_list

PROGRAMMES = ("S301", "S232", "S122", "IEEPA_F", "IEEPA_R")
KINDS = ("additional", "exemption")
PARTS = ("any", "non_metal", "metal")

_CODE = re.compile(r"(99[0-9]{2})\.?([0-9]{2})\.?([0-9]{2})")
_PREFIX = re.compile(r"[0-9]{1,10}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_WHOLE = re.compile(r"-?[0-9]+")
_ONE = Decimal(1)


def fraction_or_none(text: str) -> Decimal | None:
    """A rate or share as ZFMIOR003 writes it (percent, `7.500` or `7.5%`) → a fraction."""
    text = text.strip()
    if text.endswith("%"):
        value = decimal_or_none(text[:-1])
        return None if value is None else value / 100
    value = decimal_or_none(text)
    if value is None:
        return None
    return value / 100 if PROVISION_NUMBERS_IN_PERCENT else value


def _code(text: str) -> str | None:
    match = _CODE.fullmatch(text.strip())
    return ".".join(match.groups()) if match else None


def _whole(text: str) -> int | None:
    return int(text) if _WHOLE.fullmatch(text.strip()) else None


def _prefixes(text: str) -> tuple[str, ...] | None:
    parts = split_list(text)
    if not parts:
        return ("",)
    return tuple(sorted(set(parts))) if all(_PREFIX.fullmatch(p) for p in parts) else None


def _origins(text: str) -> tuple[str, ...] | None:
    parts = split_list(text)
    ok = parts and all(p == ALL_ORIGINS or _COUNTRY.fullmatch(p) for p in parts)
    return tuple(sorted(set(parts))) if ok else None


def _excluded(text: str) -> tuple[str, ...] | None:
    parts = split_list(text)
    return tuple(sorted(set(parts))) if all(_COUNTRY.fullmatch(p) for p in parts) else None


def _optional_share(text: str) -> tuple[bool, Decimal | None]:
    """(well formed, share): blank is a well-formed absence."""
    if not text.strip():
        return True, None
    share = fraction_or_none(text)
    return share is not None and Decimal(0) <= share <= _ONE, share


@dataclass(frozen=True)
class Parsed:
    """One provision row's text parsed; None where the text does not parse."""

    code: str | None
    seq: int | None
    label: str
    rate: Decimal | None
    prefixes: tuple[str, ...] | None
    origins: tuple[str, ...] | None
    excluded: tuple[str, ...] | None
    shares_ok: bool
    min_share: Decimal | None
    max_share: Decimal | None
    valid_from: date | None
    to_ok: bool
    valid_to: date | None
    rank: int | None

    @classmethod
    def of(cls, row: dict[str, str]) -> Parsed:
        code, seq = _code(row["code"]), _whole(row["seq"])
        rate = fraction_or_none(row["rate"])
        min_ok, min_share = _optional_share(row["min_share"])
        max_ok, max_share = _optional_share(row["max_share"])
        to_blank = not row["valid_to"].strip()
        return cls(
            code=code,
            seq=seq,
            label=f"{code or row['code']}/{seq if seq is not None else row['seq']}",
            rate=rate if rate is not None and Decimal(0) <= rate <= _ONE else None,
            prefixes=_prefixes(row["prefixes"]),
            origins=_origins(row["origins"]),
            excluded=_excluded(row["excluded"]),
            shares_ok=min_ok and max_ok,
            min_share=min_share if min_ok else None,
            max_share=max_share if max_ok else None,
            valid_from=date_or_none(row["valid_from"]),
            to_ok=to_blank or date_or_none(row["valid_to"]) is not None,
            valid_to=None if to_blank else date_or_none(row["valid_to"]),
            rank=_whole(row["rank"]),
        )

    def terms(self, programme: str, part: str) -> Terms | None:
        """The matching terms, when every one of them parsed."""
        if programme not in PROGRAMMES or part not in PARTS or not (self.shares_ok and self.to_ok):
            return None
        if self.prefixes is None or self.origins is None or self.excluded is None or self.valid_from is None:
            return None
        return Terms(
            self.label, programme, part, self.prefixes, self.origins, self.excluded,
            self.min_share, self.max_share, self.valid_from, self.valid_to,
        )  # fmt: skip


# Parsed attributes → candidate columns (suffixed where the raw text column has the same name).
_PARSED_COLUMNS = {
    f.name: f.name if f.name in ("label", "shares_ok", "to_ok") else f"{f.name}_out" for f in fields(Parsed)
}


def _describe(label: str, prefix: str) -> str:
    return f"{label} (prefix {prefix or 'of every HTS number'})"


def _disagreements(parsed: list[Parsed], frame: pd.DataFrame) -> dict[str, list[str]]:
    """Per term every row of a code must share, per row: the rows of its code holding another value
    (`rank 27 at 9903.03.06/1`), or "" where it agrees. Values compare as parsed; a value that does
    not parse is its own rule's to report."""
    compared: dict[str, Sequence[object]] = {
        "programme": frame["programme"].tolist(),
        "kind": frame["kind"].tolist(),
        "rate": [p.rate for p in parsed],
        "rank": [p.rank for p in parsed],
    }
    by_code: dict[str, list[int]] = defaultdict(list)
    for row, p in enumerate(parsed):
        if p.code is not None:
            by_code[p.code].append(row)
    found = {term: [""] * len(parsed) for term in PROVISION_CODE_TERMS}
    for term in PROVISION_CODE_TERMS:
        values, texts = compared[term], frame[term].tolist()
        for rows in by_code.values():
            known = [row for row in rows if values[row] is not None]
            if len({values[row] for row in known}) < 2:
                continue
            for row in known:
                found[term][row] = "; ".join(
                    f"{term} {texts[other]} at {parsed[other].label}"
                    for other in known
                    if values[other] != values[row]
                )
    return found


def _candidates(table: pd.DataFrame) -> pd.DataFrame:
    frame = table[[*ZFMIOR003.fields, ROW]].rename(columns=ZFMIOR003.to_neutral).reset_index(drop=True)
    parsed = [Parsed.of(row) for row in frame[list(ZFMIOR003.to_sap)].to_dict("records")]
    ties = ambiguities(
        [p.terms(prog, part) for p, prog, part in zip(parsed, frame["programme"], frame["part"], strict=True)]
    )
    columns = {
        column: pd.Series([getattr(p, attribute) for p in parsed], index=frame.index, dtype=object)
        for attribute, column in _PARSED_COLUMNS.items()
    }
    keys = [f"{p.code}/{p.seq}" if p.code is not None and p.seq is not None else "" for p in parsed]
    described = ["; ".join(_describe(parsed[j].label, prefix) for j, prefix in tie) for tie in ties]
    conflicts = {
        f"{term}_conflict": pd.Series(found, index=frame.index, dtype="str")
        for term, found in _disagreements(parsed, frame).items()
    }
    return frame.assign(
        **columns,
        **conflicts,
        key=pd.Series(keys, index=frame.index, dtype="str"),
        ambiguous_with=pd.Series(described, index=frame.index, dtype="str"),
    )


def _agrees_with_its_code(term: str) -> Rule:
    return Rule(
        f"code_disagrees_on_{term}",
        f"{term} {{{term}}} disagrees with {{{term}_conflict}} of the same code: the rows of one code "
        "agree on programme, kind, rate and rank, or no run can order them",
        lambda f: f[f"{term}_conflict"].eq(""),
        term,
    )


def _parsed(name: str, field: str, reason: str) -> Rule:
    """The field's text parsed (its `_out` column holds a value)."""
    return Rule(name, reason, lambda f: f[f"{field}_out"].notna(), field)


RULES = RuleSet.of_table(
    TARIFF_PROVISIONS.name,
    ZFMIOR003,
    "provision {label}",
    Rule(
        "duplicate_key",
        f"appears more than once in {ZFMIOR003.name}",
        lambda f: f["key"].eq("") | ~f.duplicated("key", keep=False),
        "code",
    ),
    _parsed("malformed_code", "code", "code {code} is not a chapter 99 number like 9903.88.15"),
    _parsed("malformed_seq", "seq", "row number {seq} is not a whole number"),
    one_of("unknown_programme", "programme", PROGRAMMES, "programme"),
    one_of("unknown_kind", "kind", KINDS, "kind"),
    _parsed("invalid_rate", "rate", "rate {rate} is not a number from 0 % to 100 %"),
    Rule(
        "exemption_with_rate",
        "is an exemption with rate {rate}; exemptions are declared with a rate of 0",
        lambda f: (
            f["kind"].ne("exemption") | pd.Series([r is None or r == 0 for r in f["rate_out"]], index=f.index)
        ),
        "rate",
    ),
    one_of("unknown_part", "part", PARTS, "part"),
    _parsed(
        "invalid_prefixes", "prefixes", "HTS prefixes {prefixes} are not digit prefixes of up to 10 digits"
    ),
    _parsed("invalid_origins", "origins", "origins {origins} are not two-letter ISO codes or *"),
    _parsed(
        "invalid_excluded_origins", "excluded", "excluded origins {excluded} are not two-letter ISO codes"
    ),
    Rule(
        "invalid_metal_share",
        "metal shares (minimum {min_share}, maximum {max_share}) are not numbers from 0 % to 100 %",
        lambda f: f["shares_ok"].astype(bool),
        "min_share",
    ),
    Rule(
        "empty_metal_share_interval",
        "minimum metal share {min_share_out} is not below the maximum {max_share_out}",
        lambda f: where_known(f, "min_share_out", "max_share_out", lambda low, high: low < high),
        "min_share",
    ),
    _parsed("invalid_effective_from", "valid_from", "effective from {valid_from} is not a date"),
    Rule(
        "invalid_effective_to",
        "effective to {valid_to} is not a date",
        lambda f: f["to_ok"].astype(bool),
        "valid_to",
    ),
    Rule(
        "reversed_effective_dates",
        "effective from {valid_from_out} is after effective to {valid_to_out}",
        lambda f: where_known(f, "valid_from_out", "valid_to_out", lambda start, end: start <= end),
        "valid_from",
    ),
    _parsed("invalid_rank", "rank", "rank {rank} is not a whole number"),
    *(_agrees_with_its_code(term) for term in PROVISION_CODE_TERMS),
    Rule(
        "ambiguous_provisions",
        "could be the most specific {programme} provision for the same HTS number, origin and date as "
        "{ambiguous_with}: metal shares overlap and parts can meet",
        lambda f: f["ambiguous_with"].eq(""),
        "prefixes",
    ),
)


def build_tariff_provisions(
    table: pd.DataFrame,
    *,
    mode: Mode = "automated",
    policy: HoldPolicy | None = None,
    earlier: pd.DataFrame | None = None,
) -> DatasetBuild:
    """ZFMIOR003 (or `HTS Tariff.csv` read into its form) → tariff-provisions."""
    result = validate_for(_candidates(table), RULES, policy, earlier=earlier)
    valid = result.valid
    frame = typed_frame(
        {
            "code": valid["code_out"].astype("str"),
            "seq": valid["seq_out"].astype("int64"),
            "programme": valid["programme"],
            "kind": valid["kind"],
            "rate": valid["rate_out"],
            "part": valid["part"],
            "hts_prefixes": valid["prefixes_out"],
            "origins": valid["origins_out"],
            "origins_excluded": valid["excluded_out"],
            "min_metal_share": valid["min_share_out"],
            "max_metal_share": valid["max_share_out"],
            "effective_from": valid["valid_from_out"],
            "effective_to": valid["valid_to_out"],
            "rank": valid["rank_out"].astype("int64"),
        },
        TARIFF_PROVISIONS,
    )
    return DatasetBuild(RULES.dataset, mode, frame, result, sources=SourceRows.of(RULES.source, valid))
