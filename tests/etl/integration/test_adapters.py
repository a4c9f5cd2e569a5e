"""The ETL's adapters on moto: the S3 helper's reads and write-once objects, and the DynamoDB
helper's conditional write."""

from __future__ import annotations

import hashlib

import pytest
from ior_etl.adapters import objects
from ior_etl.adapters.storage import S3Objects
from ior_etl.adapters.table import ConditionFailedError, Table, text
from ior_etl.ports import ChecksumMismatchError, MissingObjectError

from tests.etl.integration.conftest import DATA, NAMING, World


def storage(world: World) -> S3Objects:
    return S3Objects(world.client("s3"), DATA, NAMING.audit_bucket)


def test_an_object_keyed_by_what_made_it_is_written_once(world: World) -> None:
    s3 = world.client("s3")
    uri = objects.put_once(s3, DATA, "etl/published/x/data.csv.gz", b"first", "application/gzip")

    again = objects.put_once(s3, DATA, "etl/published/x/data.csv.gz", b"second", "application/gzip")

    assert again == uri == f"s3://{DATA}/etl/published/x/data.csv.gz"
    assert world.read(uri) == b"first"


def test_a_missing_object_reads_as_none_and_is_refused_by_its_claim_check(world: World) -> None:
    uri = f"s3://{DATA}/ingestion/published/raw/ZEMM005/none.jsonl.gz"

    assert objects.read(world.client("s3"), uri) is None
    assert not objects.exists(world.client("s3"), DATA, "ingestion/published/raw/ZEMM005/none.jsonl.gz")
    with pytest.raises(MissingObjectError, match="does not exist"):
        storage(world).read(uri, "0" * 64)


def test_an_object_is_read_only_with_the_checksum_its_claim_names(world: World) -> None:
    claim = world.put("ingestion/published/raw/ZEMM005/a.jsonl.gz", b"rows")

    assert storage(world).read(claim.uri, hashlib.sha256(b"rows").hexdigest()) == b"rows"
    with pytest.raises(ChecksumMismatchError):
        storage(world).read(claim.uri, "0" * 64)


def test_a_write_whose_condition_fails_writes_nothing(world: World) -> None:
    table = Table(world.client("dynamodb"), NAMING.table("etl"))
    item = {"pk": text("test#x"), "sk": text("current"), "as_of": text("2026-03-16")}
    table.put(item)
    condition = "attribute_not_exists(pk) OR as_of <= :as_of"

    with pytest.raises(ConditionFailedError):
        table.put_if(item | {"as_of": text("2026-03-15")}, condition, {":as_of": text("2026-03-15")})
    replaced = table.put_if(item | {"as_of": text("2026-03-17")}, condition, {":as_of": text("2026-03-17")})

    assert replaced == item
    assert table.get("test#x", "current") == item | {"as_of": text("2026-03-17")}
    assert [i["sk"]["S"] for i in table.query("test#x")] == ["current"]
