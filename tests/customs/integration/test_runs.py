"""A date's run: triggered by its transactions and the datasets in force, keyed by its inputs, code
and fee table, published immutably, reported, recorded and announced once."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from typing import Any

import pytest
from ior_contracts.customs import CustomsRunRequested, LinesGenerated, RunFailed
from ior_contracts.customs_report import CustomsRunReport
from ior_contracts.envelope import deterministic_event_id, new_metadata
from ior_customs.adapters.catalogue import DatasetCatalogue
from ior_customs.adapters.ledger import RunLedger
from ior_customs.ports import DatasetVersion, RunClaim, RunKey, Trigger
from ior_customs.service_layer import handlers
from ior_customs.service_layer.runs import RunOutcome

from tests.customs.builders import FEES, PROVISIONS, TRANSACTIONS
from tests.customs.integration.conftest import AUDIT, DATA, DAY, TABLE, World

GENERATED = "customs.lines.generated.v1"
QUARANTINED = "customs.lines.quarantined.v1"


def test_a_date_is_run_once_its_transactions_and_the_datasets_in_force_are_published(world: World) -> None:
    # GIVEN the five reference datasets: nothing to run yet
    world.publish_reference()
    assert world.sent == []
    # WHEN the transactions of the day are published
    outcome = world.publish_day()
    # THEN one run is made and announced once
    assert outcome.status == "official"
    (event,) = world.events(GENERATED)
    assert isinstance(event, LinesGenerated)
    assert world.sent[0].event_id == deterministic_event_id(GENERATED, event.run_id)
    assert world.sent[0].business_date == DAY
    assert event.run_id == outcome.run_id
    assert event.run_id.startswith("cus-20260316-automated-")
    assert set(event.inputs) == {
        "transactions", "product-master", "packaging-materials", "hts-reference", "tariff-provisions",
        "exchange-rates",
    }  # fmt: skip
    fee_table = world.deps.catalogue.current("fee-table", "all")
    assert fee_table is not None
    assert (event.code_version, event.config_version) == ("code-1", fee_table.version)
    assert event.fallbacks == []
    assert event.supersedes is None
    assert event.quarantined_lines == 0
    assert world.events(QUARANTINED) == []


def test_a_run_publishes_its_lines_entries_and_report_immutably(world: World) -> None:
    world.publish_reference()
    world.publish_day()
    (event,) = world.events(GENERATED)
    assert isinstance(event, LinesGenerated)
    digest = event.run_id.rsplit("-", 1)[1]
    # THEN the lines are the processor's canonical JSON under the run key, gzip with mtime 0
    assert event.lines.uri == f"s3://{DATA}/customs/published/lines/2026-03-16/automated/{digest}.json.gz"
    stored = world.read(event.lines.uri)
    assert hashlib.sha256(stored).hexdigest() == event.lines.sha256
    assert stored[4:8] == b"\0\0\0\0"
    lines = json.loads(gzip.decompress(stored))
    (entry,) = lines["entries"]
    assert entry["entry_id"] == "0901-20260316-SH1"  # the port keeps its leading zero
    assert [line["hts10"] for line in entry["lines"]] == ["8517.62.00.20", "8544.42.90.90"]
    assert event.lines.row_count == 2
    assert event.entries.row_count == 1
    assert lines["held_out"] == [{"document": "90030002", "item": 10, "type": "G2", "reason": "credit"}]
    entries = json.loads(gzip.decompress(world.read(event.entries.uri)))
    assert entries["entries"][0]["line_count"] == 2
    assert entries["run_id"] == event.run_id
    # AND the totals agree with the entries
    totals = entry["totals"]
    assert event.totals.entries == 1
    assert event.totals.lines == 2
    assert event.totals.entered_value_cents == totals["value"] * 100
    assert event.totals.hmf_cents == round(float(totals["hmf"]) * 100)
    # AND the report is in the audit prefix, as JSON and HTML
    base = f"customs/runs/2026-03-16/automated/{event.run_id}"
    assert world.keys(AUDIT, base) == [f"{base}/report.html", f"{base}/report.json"]
    assert event.report_uri == f"s3://{AUDIT}/{base}/report.json"
    # (gzip, which an HTTP reader gets decompressed: it is stored with its encoding)
    report_key = event.report_uri.removeprefix(f"s3://{AUDIT}/")
    assert world.s3.head_object(Bucket=AUDIT, Key=report_key)["ContentEncoding"] == "gzip"
    report = json.loads(gzip.decompress(world.read(event.report_uri)))
    assert report["status"] == "official"
    # Every field is the contract's (it forbids any other) and reads back to the same document
    assert CustomsRunReport.model_validate(report).model_dump(mode="json", exclude_unset=True) == report
    # The entries with their line counts; the lines by claim check, never a second copy of them
    assert report["entries"] == [
        {k: v for k, v in e.items() if k != "lines"} | {"line_count": len(e["lines"])}
        for e in lines["entries"]
    ]
    assert report["outputs"]["lines"]["uri"] == event.lines.uri
    assert report["outputs"]["lines"]["sha256"] == event.lines.sha256
    assert report["totals"]["lines"] == 2
    assert report["inputs"]["transactions"]["version"] == event.inputs["transactions"]
    assert report["held_out"] == lines["held_out"]
    assert report["quarantined"] == []
    html = world.read(event.report_html_uri).decode()
    assert "0901-20260316-SH1" in html
    assert "8517.62.00.20" in html
    # each line's invoice items with their materials
    for line in entry["lines"]:
        for (document, item), material in zip(line["sources"], line["source_materials"], strict=True):
            assert f"{document}/{item} ({material})" in html
    # AND the run is in the table, announced
    record = world.ledger.run("automated", DAY, digest)
    assert record is not None
    assert (record["status"], record["announced"], record["run_id"]) == ("official", True, event.run_id)
    assert record["outputs"]["lines"]["sha256"] == event.lines.sha256
    assert record["inputs"] == event.inputs
    assert int(record["totals"]["entered_value_cents"]) == event.totals.entered_value_cents


def test_the_same_event_again_changes_nothing(world: World) -> None:
    world.publish_reference()
    world.publish_day()
    objects = world.keys(DATA, "customs/") + world.keys(AUDIT, "customs/")
    sent = list(world.sent)
    # WHEN the transactions announcement is delivered again
    (outcome,) = world.deliver(*world.last_published)
    # THEN the run is found done: no new object, no new event
    assert outcome.status == "existing"
    assert world.sent == sent
    assert world.keys(DATA, "customs/") + world.keys(AUDIT, "customs/") == objects


def test_a_provision_set_no_run_can_order_fails_once_and_stays_failed(world: World) -> None:
    # GIVEN the day's official run, then a provision set whose code 9903.03.01 has ranks 27 and 28
    world.publish_reference()
    official = world.publish_day()
    rows = [*PROVISIONS, {**PROVISIONS[1], "seq": "2", "hts_prefixes": "8544", "rank": "28"}]
    # WHEN it is published, and the same announcement is delivered again
    (failed,) = world.publish_dataset("tariff-provisions", rows)
    (again,) = world.deliver(*world.last_published)
    # THEN the run ends failed without raising, is announced once, and is not taken up again
    assert (failed.status, again.status, again.detail) == ("failed", "existing", "already failed")
    (event,) = world.events("customs.run.failed.v1")
    assert isinstance(event, RunFailed)
    assert event.run_id == failed.run_id
    assert "9903.03.01 disagree on rank (27 at seq 1, 28 at seq 2)" in event.reason
    record = world.ledger.run("automated", DAY, failed.run_id.rsplit("-", 1)[1])  # type: ignore[union-attr]
    assert record is not None
    assert (record["status"], record["announced"]) == ("failed", True)
    # AND the date keeps its official lines
    current = world.ledger.current("automated", DAY)
    assert current is not None
    assert current.run_id == official.run_id


def test_a_new_fee_table_or_code_version_makes_a_new_run_that_supersedes_the_last(world: World) -> None:
    world.publish_reference()
    first = world.publish_day()
    # WHEN the fee table changes (a new HMF rate for the day's fiscal year)
    (second,) = world.publish_fees([*FEES[:-1], {**FEES[-1], "hmf_rate": "0.0015"}])
    # THEN the day is run again under a new key, and the run replaces the first
    assert second.status == "official"
    assert second.run_id != first.run_id
    generated = world.events(GENERATED)
    assert isinstance(generated[-1], LinesGenerated)
    assert generated[-1].supersedes == first.run_id
    assert len(generated) == 2
    assert isinstance(generated[0], LinesGenerated)
    current = world.deps.catalogue.current("fee-table", "all")
    assert current is not None
    assert generated[-1].config_version == current.version != generated[0].config_version
    assert generated[-1].totals.hmf_cents > generated[0].totals.hmf_cents
    # AND a new code version makes a new run when the day is asked for again
    world.deps.code_version = "code-2"
    (third,) = world.deliver(*world.last_published)
    assert third.status == "official"
    assert third.run_id not in (first.run_id, second.run_id)
    assert world.ledger.current("automated", DAY).run_id == third.run_id  # type: ignore[union-attr]


class PausingLedger(RunLedger):
    """Pauses the first trigger right after it has taken a run key, while another one arrives."""

    def __init__(self, dynamodb: Any) -> None:
        super().__init__(dynamodb, TABLE)
        self.claimed, self.proceed = threading.Event(), threading.Event()

    def claim(self, key: RunKey, trigger: Trigger, *, now: int, lease_s: int) -> RunClaim:
        claim = super().claim(key, trigger, now=now, lease_s=lease_s)
        if not self.claimed.is_set():
            self.claimed.set()
            self.proceed.wait(10)
        return claim


def test_concurrent_triggers_for_one_key_make_one_run(world: World) -> None:
    # GIVEN every dataset published, the day's lines announced without dates (so no run yet)
    world.publish_reference()
    world.publish_dataset("transactions", TRANSACTIONS, business_dates=[])
    ledger = world.deps.ledger = PausingLedger(world.dynamodb)
    request = CustomsRunRequested(
        business_date=DAY, mode="automated", reason="concurrency", requested_by="tests"
    )
    outcomes: list[RunOutcome] = []

    def trigger() -> None:
        cause = new_metadata(CustomsRunRequested)
        outcomes.extend(handlers.run_requested(request, cause=cause, deps=world.deps, publish=world.publish))

    first = threading.Thread(target=trigger)
    first.start()
    assert ledger.claimed.wait(10)
    # WHEN a second trigger for the same inputs arrives while the first is running
    trigger()
    ledger.proceed.set()
    first.join(10)
    # THEN one run was made and announced; the other trigger found it running
    assert sorted(o.status for o in outcomes) == ["existing", "official"]
    assert len(world.events(GENERATED)) == 1
    runs = world.dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "run#automated#2026-03-16"}},
    )["Items"]
    assert len(runs) == 1


def test_quarantined_lines_are_announced_with_their_reasons(world: World) -> None:
    from ior_contracts.customs import LinesQuarantined

    from tests.customs.builders import invoice_line

    world.publish_reference()
    unknown = invoice_line("90030003", 10, "99999999", "1", "10.00")
    world.publish_day([*TRANSACTIONS, unknown])
    (generated,) = world.events(GENERATED)
    (quarantined,) = world.events(QUARANTINED)
    assert isinstance(generated, LinesGenerated)
    assert isinstance(quarantined, LinesQuarantined)
    assert generated.quarantined_lines == 1 == quarantined.count
    assert [(r.reason, r.count) for r in quarantined.reasons] == [("unknown_material", 1)]
    assert quarantined.run_id == generated.run_id
    rows = json.loads(gzip.decompress(world.read(quarantined.quarantine.uri)))["quarantined"]
    assert rows == [
        {"document": "90030003", "item": 10, "material": "99999999", "reason": "unknown_material"}
    ]
    assert world.sent[1].event_id == deterministic_event_id(QUARANTINED, generated.run_id)


def test_no_run_while_a_dataset_was_never_published(world: World) -> None:
    from tests.customs.builders import REFERENCE

    for dataset, rows in REFERENCE.items():
        if dataset != "exchange-rates":
            world.publish_dataset(dataset, rows)
    outcome = world.publish_day()
    assert outcome.status == "skipped"
    assert outcome.run_id is None
    assert "never published for mode automated: exchange-rates" in outcome.detail
    assert outcome.waiting  # the run starts when the dataset arrives: logged as information
    assert world.sent == []
    assert world.keys(DATA, "customs/") == []


def test_events_not_yet_published_are_published_when_the_run_is_delivered_again(world: World) -> None:
    from datetime import date

    from ior_contracts.envelope import Event

    world.publish_reference()

    def bus_down(event: Event, *, business_date: date | None = None, event_id: str | None = None) -> None:
        raise ConnectionError("the bus is unreachable")

    # GIVEN a run made and recorded, whose announcement failed
    world.publish_dataset("transactions", TRANSACTIONS, business_dates=[])
    request = CustomsRunRequested(business_date=DAY, mode="automated", reason="retry", requested_by="tests")
    with pytest.raises(ConnectionError):
        handlers.run_requested(
            request, cause=new_metadata(CustomsRunRequested), deps=world.deps, publish=bus_down
        )
    assert world.sent == []
    # WHEN the message is delivered again
    (outcome,) = handlers.run_requested(
        request, cause=new_metadata(CustomsRunRequested), deps=world.deps, publish=world.publish
    )
    # THEN the recorded events go out, under the ids derived from the run
    assert outcome.status == "existing"
    (generated,) = world.sent
    assert generated.event_id == deterministic_event_id(GENERATED, outcome.run_id or "")
    # AND once announced, a further delivery sends nothing
    handlers.run_requested(
        request, cause=new_metadata(CustomsRunRequested), deps=world.deps, publish=world.publish
    )
    assert len(world.sent) == 1


class LaggingCatalogue(DatasetCatalogue):
    """A trigger that read the product master before its newest version was recorded."""

    def __init__(self, dynamodb: Any, lagging: DatasetVersion) -> None:
        super().__init__(dynamodb, TABLE)
        self.lagging = lagging

    def current(self, dataset: str, mode: str) -> DatasetVersion | None:
        return self.lagging if dataset == self.lagging.dataset else super().current(dataset, mode)


def test_a_run_with_older_inputs_finishing_last_leaves_the_newer_run_current(world: World) -> None:
    from tests.customs.builders import PRODUCTS

    world.publish_reference()
    world.publish_day()
    old = world.deps.catalogue.current("product-master", "automated")
    assert old is not None
    (newer,) = world.publish_dataset("product-master", [{**PRODUCTS[0], "net_kg": "2.5"}, PRODUCTS[1]])
    # WHEN a run that read the older product master (under a new code version) finishes after it
    world.deps.catalogue = LaggingCatalogue(world.dynamodb, old)
    world.deps.code_version = "code-2"
    request = CustomsRunRequested(business_date=DAY, mode="automated", reason="late", requested_by="tests")
    (late,) = handlers.run_requested(
        request, cause=new_metadata(CustomsRunRequested), deps=world.deps, publish=world.publish
    )
    # THEN it is recorded as stale, announces nothing, and the newer run stays current
    assert late.status == "stale"
    assert len(world.events(GENERATED)) == 2
    assert world.ledger.current("automated", DAY).run_id == newer.run_id  # type: ignore[union-attr]
