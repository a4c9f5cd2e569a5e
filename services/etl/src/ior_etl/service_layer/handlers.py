"""What the ETL does with each message: an extract landed, an upload received. Each handler is an
`ior_contracts.consumer.MessageHandler`: the payload, then by name the message's metadata, the
dependencies and the publisher; no AWS client is created here.

Every object is verified against its claim check before anything is built from it; a mismatch (or
an extract that cannot be read) fails the message, which SQS retries and then moves to the DLQ:
nothing is recorded, built or lost."""

from __future__ import annotations

from datetime import date

from ior_contracts import collector
from ior_contracts.consumer import Publish
from ior_contracts.envelope import Metadata
from ior_contracts.ingestion import ExtractLanded, FeeNoticesLanded
from ior_contracts.legacy.csv_file import LegacyFileError
from ior_contracts.legacy.formats import FormatReport
from ior_contracts.manual import UploadedFile, UploadReceived
from ior_contracts.side_by_side import each

from ior_etl.domain.building import build_automated, build_manual, build_read
from ior_etl.domain.legacy.files import MANUAL
from ior_etl.domain.results import file_refused, format_refused, from_build
from ior_etl.domain.sources import USITC_HTS, fed_by
from ior_etl.ports import Deps, Input, LandedExtract, instant
from ior_etl.service_layer import fee_table
from ior_etl.service_layer.inputs import Missing, Reader, UploadRows, extract_input, load, plan
from ior_etl.service_layer.publishing import Built, Run, RunOutcome, settle
from ior_etl.service_layer.revisions import announce_changes

# An unchecked upload's file is checked until this many problems: enough to fix it in one pass,
# bounded whatever was sent (the API's synchronous check stops at the same count).
MAX_PROBLEMS = 10_000


def extract_landed(
    message: ExtractLanded, /, *, cause: Metadata, deps: Deps, publish: Publish
) -> list[RunOutcome]:
    """Record the extract, then rebuild every dataset it feeds whose sources have all landed; a new
    official revision is also compared with the one before it for the company's HTS numbers."""
    # When it landed, as ingestion said: a replay of an old landing is older than what came since.
    landed = LandedExtract(
        source=message.source,
        claim=message.extract,
        window_from=message.window.from_date,
        window_to=message.window.to_date,
        landed_at=instant(cause.occurred_at),
        run_id=message.run_id,
        revision=message.revision,
    )
    reader = Reader(deps.objects)
    reader.check(landed)
    deps.catalog.record_extract(landed)
    with collector.paused():  # see `upload_received`
        outcomes = [
            rebuild(dataset, cause_id=cause.event_id, deps=deps, reader=reader, publish=publish)
            for dataset in fed_by(message.source)
        ]
        if message.source == USITC_HTS:
            announce_changes(landed, deps, reader, publish)
    return outcomes


def fee_notices_landed(
    message: FeeNoticesLanded, /, *, cause: Metadata, deps: Deps, publish: Publish
) -> list[RunOutcome]:
    """The fee table rebuilt from the notices just landed, with how far ahead it covers."""
    return [fee_table.fee_notices_landed(message, cause, deps, publish)]


def rebuild(dataset: str, *, cause_id: str, deps: Deps, reader: Reader, publish: Publish) -> RunOutcome:
    """The automated dataset from the latest inputs, unless a source has never landed."""
    planned = plan(dataset, deps.catalog)
    if isinstance(planned, Missing):
        return RunOutcome(
            dataset, "automated", "waiting", f"{dataset} waits for {', '.join(planned.sources)} to land"
        )

    def make() -> Built:
        loaded = load(planned, reader)
        build = build_automated(
            dataset, loaded.frames, policy=deps.policy, revision=loaded.revision, rates=loaded.rates
        )
        return Built(from_build(build), loaded.locate)

    return settle(Run(dataset, "automated", planned.inputs, cause_id), make, deps, publish)


def upload_received(
    message: UploadReceived, /, *, cause: Metadata, deps: Deps, publish: Publish
) -> list[RunOutcome]:
    """Each legacy file of the upload → its dataset in mode `manual`. Every file is verified before
    any is built; one file refused whole does not stop the others. A file the API did not check (a
    presigned upload) is checked to its pinned format here first: a file with problems is held."""
    reader = Reader(deps.objects)
    # Every file fetched side by side (each waits on S3), and verified, before any is built.
    bodies = each(lambda file: reader.bytes(file.object.uri, file.object.sha256), message.files)
    files = list(zip(message.files, bodies, strict=True))
    at = instant(cause.occurred_at)
    # A day's file is read, checked, built and written as millions of objects and little garbage
    # (each row's text, each cell's): the cyclic collector's passes over them are waste.
    with collector.paused():
        return [
            _manual(
                file,
                data,
                at,
                message.business_date,
                received=message,
                cause_id=cause.event_id,
                deps=deps,
                reader=reader,
                publish=publish,
            )
            for file, data in files
        ]


def _manual(
    file: UploadedFile,
    data: bytes,
    at: str,
    day: date | None,
    *,
    received: UploadReceived,
    cause_id: str,
    deps: Deps,
    reader: Reader,
    publish: Publish,
) -> RunOutcome:
    legacy = MANUAL[file.kind]
    dataset, source = legacy.dataset, legacy.format.file
    upload = Input(file.kind, file.object.uri, file.object.sha256, at)
    inputs = [upload]
    # HTS_Code.csv's rates are cross-checked against the latest official revision, when one has landed.
    official = _latest(deps, USITC_HTS) if dataset == "hts-reference" else None
    if official is not None:
        inputs.append(extract_input(official))

    locate = UploadRows(source, upload)

    def make() -> Built:
        revision = reader.revision(official) if official is not None else None
        threshold = deps.policy.threshold(dataset)
        try:
            if received.checked:
                build = build_manual(file.kind, data, policy=deps.policy, revision=revision)
            else:
                # The direct upload's check, which a presigned upload skipped, made by the same read
                # that builds the file: one with problems is refused whole.
                read = legacy.read_checked(data, max_problems=MAX_PROBLEMS)
                if isinstance(read, FormatReport):
                    return Built(format_refused(dataset, "manual", read, data, threshold), locate)
                build = build_read(file.kind, read, policy=deps.policy, revision=revision)
        except LegacyFileError as error:
            return Built(file_refused(dataset, "manual", source, error, data, threshold), locate)
        return Built(from_build(build), locate)

    # The day's invoice lines concern the upload's business date; the reference files no date.
    business_date = day if file.kind == "invoice_lines" else None
    run = Run(dataset, "manual", tuple(inputs), cause_id, business_date, received.upload_id)
    return settle(run, make, deps, publish)


def _latest(deps: Deps, source: str) -> LandedExtract | None:
    extracts = deps.catalog.extracts(source)
    return max(extracts, key=lambda e: e.order) if extracts else None
