"""Explaining a comparison reads the dataset versions its runs name, for the rows at most 200
discrepancies rest on: this measures that read on a day's transactions version of N rows (a
million at a million-line day). A version is generated (snapshot, origins and manifest) as the ETL
publishes them, in gzip members the manifest describes, and again each in one gzip stream, as
versions published before members were; a child process then runs `PublishedDatasets.load` and
`rows_where` for 200 (document, item) keys with their citations, and reports its CPU time, wall
time and peak RSS (ru_maxrss), and what it found, which the parent checks.

    uv run python bench/compare_explanation_inputs.py --rows 1000000
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run as a script too (`python bench/<name>.py`, and this module's own child process).
if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ior_contracts.dataset_members import MEMBER_ROWS, Members
from ior_contracts.datasets import TRANSACTIONS
from ior_etl.domain.snapshot import gzip_members

from bench.figures import Figure, emit

BASE = "etl/published/transactions/automated/v1/"
WANTED = 200
# In members, only those holding the rows asked for are inflated. In one stream, the version's text
# (125 MB at a million rows) is checked whole and kept, so each search after reads memory.
TARGETS = {"cpu_s": 0.5, "peak_mb": 400.0}


def _row(n: int) -> str:
    document, item = 90_000_000 + n // 4, (n % 4 + 1) * 10
    # Every seventh description holds a comma, quoted as the snapshot writer quotes it.
    description = f'"Access point, kind {n % 97}"' if n % 7 == 0 else f"Wi-Fi 7 Access Point kind {n % 97}"
    return (
        f"{document},{item},F2,,false,2026-03-12,{10_000_000 + n % 5000},{description},"
        f"{n % 500 + 1},PCE,{n % 50_000}.{n % 100:02d},EUR,SH{n // 40:07d},2709,11,2026-03-16,false"
    )


def generate(folder: Path, rows: int, *, members: bool = True) -> list[tuple[str, str]]:
    """The version's three objects under `folder`, in gzip members described by the manifest as the
    ETL writes them (or, without `members`, each one gzip stream, as versions published before them);
    returns the keys to ask for, spread over it."""
    header = ",".join(TRANSACTIONS.names)
    lines = [_row(n) + "\n" for n in range(rows)]
    origins_lines = [f"ZSDR002,{n + 1},1\n" for n in range(rows)]
    firsts = [str(90_000_000 + n // 4) for n in range(0, rows, MEMBER_ROWS)]
    data, data_members = _written(header, lines, firsts, members=members)
    origins, origins_members = _written("source,row,input", origins_lines, None, members=members)
    named: dict[str, Any] = {
        "file": "origins.csv.gz",
        "sha256": hashlib.sha256(origins).hexdigest(),
        "rows": rows,
    }
    manifest: dict[str, Any] = {
        "rows": rows,
        "sha256": hashlib.sha256(data).hexdigest(),
        "inputs": [{"name": "ZSDR002", "sha256": "0" * 64}],
        "origins": named,
    }
    if members:
        manifest["members"], named["members"] = data_members, origins_members
    target = folder / BASE
    target.mkdir(parents=True, exist_ok=True)
    (target / "data.csv.gz").write_bytes(data)
    (target / "origins.csv.gz").write_bytes(origins)
    (target / "manifest.json").write_text(json.dumps(manifest))
    step = max(1, rows // WANTED)
    return [(str(90_000_000 + n // 4), str((n % 4 + 1) * 10)) for n in range(0, rows, step)][:WANTED]


def _written(header: str, lines: list[str], firsts: list[str] | None, *, members: bool) -> tuple[bytes, Any]:
    if not members:
        return gzip.compress("".join((header + "\n", *lines)).encode(), compresslevel=1, mtime=0), None
    pieces = [
        header + "\n",
        *("".join(lines[at : at + MEMBER_ROWS]) for at in range(0, len(lines), MEMBER_ROWS)),
    ]
    data, offsets = gzip_members(piece.encode() for piece in pieces)
    return data, Members(
        MEMBER_ROWS, tuple(offsets), None if firsts is None else tuple(f.encode() for f in firsts)
    ).described()


class _FolderS3:
    """`get_object` over a folder, as the adapter calls S3."""

    class exceptions:
        ClientError = FileNotFoundError

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def get_object(self, Bucket: str, Key: str) -> dict[str, Any]:
        return {"Body": io.BytesIO((self._folder / Key).read_bytes())}


def child(folder: Path, keys: list[tuple[str, str]]) -> dict[str, Any]:
    from ior_compare.adapters.datasets import PublishedDatasets

    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    # What the process holds before reading: its imports (the peak below includes them).
    snapshot = PublishedDatasets(_FolderS3(folder), "data").load("transactions", "automated", "v1")
    key = ("document", "item")
    found = snapshot.rows_where(key, keys)
    cited = {" ".join(k): snapshot.source_of(key, k) for k in found}
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "wall_s": time.perf_counter() - started,
        "peak_mb": after.ru_maxrss / 1024,
        "imports_mb": before.ru_maxrss / 1024,
        "found": len(found),
        "cited": sorted({str(c["row"]) for c in cited.values() if c}, key=int)[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument("--one-stream", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        folder, keys = Path(args.child), [tuple(k) for k in json.loads(sys.stdin.read())]
        print(json.dumps(child(folder, keys)))
        return
    if args.generate:
        print(json.dumps(generate(Path(args.generate), args.rows, members=not args.one_stream)))
        return
    measured = {
        layout: _measure(args.rows, members=layout == "members") for layout in ("members", "one stream")
    }
    for layout, figures in measured.items():
        print(
            f"{args.rows:,} rows in {layout}, {WANTED} keys: CPU {figures['cpu_s']:.2f} s, "
            f"wall {figures['wall_s']:.2f} s, peak RSS {figures['peak_mb']:.0f} MB "
            f"({figures['imports_mb']:.0f} MB before reading); first rows cited {figures['cited']}"
        )
    ratio = measured["members"]["cpu_s"] / measured["one stream"]["cpu_s"]
    print(f"members ÷ one stream, CPU: {ratio:.2f}")
    emit(
        "compare_explanation_inputs",
        [
            Figure("load + rows_where, CPU", measured["members"]["cpu_s"], "s", target=TARGETS["cpu_s"]),
            Figure(
                "load + rows_where, peak RSS", measured["members"]["peak_mb"], "MB", target=TARGETS["peak_mb"]
            ),
            Figure("one stream, CPU", measured["one stream"]["cpu_s"], "s"),
        ],
    )


def _measure(rows: int, *, members: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        # Generated in a process of its own: a child inherits its parent's peak RSS as its own.
        made = [
            sys.executable,
            __file__,
            "--generate",
            tmp,
            "--rows",
            str(rows),
            *([] if members else ["--one-stream"]),
        ]
        keys = json.loads(subprocess.run(made, capture_output=True, text=True, check=True).stdout)
        run = subprocess.run(
            [sys.executable, __file__, "--child", tmp],
            input=json.dumps(keys),
            capture_output=True,
            text=True,
            check=True,
        )
    measured: dict[str, Any] = json.loads(run.stdout.splitlines()[-1])
    assert measured["found"] == len(keys), f"found {measured['found']} of {len(keys)} keys"
    return measured


if __name__ == "__main__":
    main()
