"""Ingest benchmark: N ZSDR002 rows from the mock SAP, through the SAP client, into gzip JSON lines.

Generates the rows in the sample company's jsonl format, serves them with `SapMock` (in its own
process by default, as SAP would be; `--in-process` shares this one), pulls them all with
`SapClient.iter_pages` over a `$filter` window, and writes them as landing does: gzip JSON lines
with a running SHA-256 of the stored bytes (`--sink landing` uses the service's own
`stage_pages`). Prints the median of `--repeat` runs; asserts nothing.

    uv run python bench/ingest_sap.py --rows 1000000 --repeat 3

Target: ≥ 50 000 rows/s, memory O(page).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

# Run as a script too (`python bench/ingest_sap.py`).
if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ior_ingestion.adapters.sap import SapClient, SapCredentials
from ior_ingestion.domain.odata import window_filter
from ior_ingestion.domain.windows import ExtractWindow
from ior_tools.sap_mock import SapMock
from ior_tools.sap_mock.process import SapMockProcess

from bench.figures import Figure, emit

USERNAME = "BENCH"
FIRST_DATE = date(2026, 1, 1)
DAYS = 120
Page = list[dict[str, Any]]
ROWS_PER_S_TARGET = 50_000.0


def generate(path: Path, rows: int) -> None:
    """`rows` billing items, five per document, spread over DAYS dates, sorted by key."""
    dates = [(FIRST_DATE + timedelta(days=d)).isoformat() for d in range(DAYS)]
    template = (
        '{{"VBELN":"{vbeln:010d}","POSNR":"{posnr:06d}","FKART":"F2","FKDAT":"{fkdat}","FKSTO":"",'
        '"SFAKN":"","MATNR":"{matnr:018d}","ARKTX":"Switching and routing apparatus","FKIMG":"{qty}.000",'
        '"VRKME":"ST","NETWR":"{netwr}.{cents:02d}","WAERK":"USD","ZZSHIPMENT":"SH{ship:06d}",'
        '"ZZPORT":"2704","ZZMOT":"40","ZZARRIVAL":"{arrival}"}}\n'
    )
    documents = rows // 5 + 1
    with path.open("w", encoding="utf-8") as out:
        batch = []
        for i in range(rows):
            doc = i // 5
            day = doc * DAYS // documents
            batch.append(
                template.format(
                    vbeln=90_000_000 + doc,
                    posnr=(i % 5 + 1) * 10,
                    fkdat=dates[day],
                    matnr=10_000_000 + i % 73,
                    qty=1 + i % 50,
                    netwr=100 + i % 9000,
                    cents=i % 100,
                    ship=doc // 4,
                    arrival=dates[min(DAYS - 1, day + 7)],
                )
            )
            if len(batch) == 10_000:
                out.writelines(batch)
                batch.clear()
        out.writelines(batch)


# --- sinks: where the pages go ---------------------------------------------------------------


def _row_encoder() -> Callable[[dict[str, Any]], str]:
    """Compact JSON for one row. json's C encoder, built once: `json.dumps` builds one per call,
    which is a third of the encoding time for rows this small."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    encode = make(None, None, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    return lambda row: "".join(encode(row, 0))


class _HashingWriter:
    """A file that hashes what it stores."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("wb")
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def tuned_sink(level: int) -> Callable[[Iterable[Page], Path], tuple[int, str]]:
    encode = _row_encoder()

    def sink(pages: Iterable[Page], out: Path) -> tuple[int, str]:
        stored = _HashingWriter(out)
        with gzip.GzipFile(fileobj=stored, mode="wb", compresslevel=level, mtime=0) as gz:
            for page in pages:
                gz.write("\n".join(map(encode, page)).encode() + b"\n")
        stored.close()
        return stored.size, stored.sha256.hexdigest()

    return sink


def landing_sink(pages: Iterable[Page], out: Path) -> tuple[int, str]:
    from ior_ingestion.adapters.staging import stage_pages

    staged = stage_pages(pages, out.parent)
    size = staged.path.stat().st_size
    staged.path.unlink()
    return size, staged.sha256


# --- one run ---------------------------------------------------------------------------------


def process_cpu(pid: int | None = None) -> float:
    """CPU seconds (user + system) used so far by this process, or by the process `pid` (Linux)."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    rows: int
    pages: int
    seconds: float
    stored_bytes: int
    sha256: str
    client_cpu: float = 0.0
    server_cpu: float | None = None

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def ingest(
    credentials: SapCredentials,
    out: Path,
    sink: Callable[[Iterable[Page], Path], tuple[int, str]],
    prefetch: bool,
) -> Run:
    window = ExtractWindow(FIRST_DATE, FIRST_DATE + timedelta(days=DAYS))
    counts = {"rows": 0, "pages": 0}

    def counted(pages: Iterable[Page]) -> Iterable[Page]:
        for page in pages:
            counts["rows"] += len(page)
            counts["pages"] += 1
            yield page

    started = time.perf_counter()
    with SapClient(credentials, prefetch=prefetch) as client:
        size, sha256 = sink(counted(client.iter_pages("ZSDR002Set", "FKDAT", window)), out)
    return Run(counts["rows"], counts["pages"], time.perf_counter() - started, size, sha256)


_NEXT = re.compile(rb'"__next":"([^"]+)"\}\}$')


def serve_only(credentials: SapCredentials, rows: int) -> float:
    """Rows per second the mock SAP serves to a reader that only collects the raw pages."""
    window = ExtractWindow(FIRST_DATE, FIRST_DATE + timedelta(days=DAYS))
    with (
        SapClient(credentials) as client,
        httpx.Client(auth=(credentials.username, credentials.password)) as http,
    ):
        url: str | None = client.url("ZSDR002Set")
        params: dict[str, str] | None = {
            "$format": "json",
            "$filter": window_filter("FKDAT", window.from_date, window.to_date),
        }
        started = time.perf_counter()
        while url is not None:
            body = http.get(url, params=params).content
            match = _NEXT.search(body, max(0, len(body) - 4096))
            url, params = (match.group(1).decode() if match else None), None
        return rows / (time.perf_counter() - started)


def _cpu_per_row(runs: list[Run], rows: int, in_process: bool) -> str:
    """CPU time per row, which a busy machine does not distort as it does rows/s."""
    client = statistics.median(r.client_cpu for r in runs) / rows * 1e6
    if in_process:
        return f"{client:.1f} µs (mock SAP and client together)"
    server = statistics.median(r.server_cpu or 0.0 for r in runs) / rows * 1e6
    return f"client {client:.1f} µs, mock SAP {server:.1f} µs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--page-size", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sink", choices=["tuned", "landing"], default="tuned")
    parser.add_argument("--gzip-level", type=int, default=1, help="for the tuned sink")
    parser.add_argument("--in-process", action="store_true", help="serve from a thread of this process")
    parser.add_argument("--no-prefetch", action="store_true", help="fetch each page only when asked for")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    args = parser.parse_args(argv)
    password = "bench-" + os.urandom(8).hex()
    sink = tuned_sink(args.gzip_level) if args.sink == "tuned" else landing_sink
    prefetch = not args.no_prefetch

    with tempfile.TemporaryDirectory(prefix="ior-bench-") as tmp:
        data_dir, out = Path(tmp) / "sap", Path(tmp) / "landed.jsonl.gz"
        data_dir.mkdir()
        t0 = time.perf_counter()
        generate(data_dir / "ZSDR002.jsonl", args.rows)
        generated = time.perf_counter() - t0
        source_mb = (data_dir / "ZSDR002.jsonl").stat().st_size / 1e6

        t0 = time.perf_counter()
        server: SapMock | SapMockProcess = (
            SapMock(data_dir, USERNAME, password, page_size=args.page_size)
            if args.in_process
            else SapMockProcess(data_dir, USERNAME, password, page_size=args.page_size)
        )
        credentials = SapCredentials(server.start(), USERNAME, password)
        ready = time.perf_counter() - t0
        traced_peak: int | None = None
        server_pid = server.pid if isinstance(server, SapMockProcess) else None
        try:
            served = serve_only(credentials, args.rows)
            runs = []
            for _ in range(args.repeat):
                client_cpu, server_cpu = process_cpu(), process_cpu(server_pid) if server_pid else 0.0
                run = ingest(credentials, out, sink, prefetch)
                run.client_cpu = process_cpu() - client_cpu
                if server_pid:
                    run.server_cpu = process_cpu(server_pid) - server_cpu
                runs.append(run)
            client_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            if not args.no_trace:
                tracemalloc.start()
                ingest(credentials, out, sink, prefetch)
                traced_peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
        finally:
            server_rss_kb = server.stop()

    if len({r.sha256 for r in runs}) != 1 or {r.rows for r in runs} != {args.rows}:
        print("runs disagree: " + ", ".join(f"{r.rows} rows {r.sha256[:12]}" for r in runs), file=sys.stderr)
        return 1
    rates = sorted(r.rate for r in runs)
    median = statistics.median(rates)
    where = "in-process thread" if args.in_process else "own process"
    table = [
        ("rows", f"{args.rows:,}"),
        ("source file", f"{source_mb:,.0f} MB jsonl (generated in {generated:.1f} s)"),
        ("mock SAP", f"{where}, page size {args.page_size:,}, ready in {ready:.1f} s (index)"),
        ("client", f"prefetch {'on' if prefetch else 'off'}, sink {args.sink}"),
        ("pages", f"{runs[0].pages:,}"),
        ("mock SAP alone", f"{served:,.0f} rows/s (raw pages fetched, not parsed)"),
        ("rows/s (median)", f"{median:,.0f}  (min {rates[0]:,.0f}, max {rates[-1]:,.0f}, {len(runs)} runs)"),
        ("seconds (median)", f"{args.rows / median:.2f}"),
        ("landed", f"{runs[0].stored_bytes / 1e6:,.1f} MB gzip, sha256 {runs[0].sha256[:16]}…"),
        ("CPU per row", _cpu_per_row(runs, args.rows, args.in_process)),
        ("peak RSS client", f"{client_rss_kb / 1024:,.0f} MB"),
    ]
    if server_rss_kb is not None:
        table.append(("peak RSS mock SAP", f"{server_rss_kb / 1024:,.0f} MB"))
    if traced_peak is not None:
        table.append(("tracemalloc peak", f"{traced_peak / 1e6:,.1f} MB (client, one traced run)"))
    width = max(len(k) for k, _ in table)
    for key, value in table:
        print(f"{key:<{width}}  {value}")
    rows = f"{args.rows:,} rows"
    emit(
        "ingest_sap",
        [
            Figure(f"rows/s, {rows}", median, "rows/s", target=ROWS_PER_S_TARGET, higher_is_better=True),
            Figure(f"seconds, {rows}", args.rows / median, "s"),
            Figure(
                "client CPU per row", statistics.median(r.client_cpu for r in runs) / args.rows * 1e6, "µs"
            ),
            Figure("peak RSS, client", client_rss_kb / 1024, "MB"),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
