"""The dataset versions in the customs table. Per (dataset, mode), in partition `dataset#<name>#<mode>`:
- `v#<published_at>#<version>`: every version announced, newest last, with its claim check;
- `current`: the latest published (a replayed older announcement never moves it back);
- `held`: the latest ETL run that was held;
- for transactions, `date#<yyyy-mm-dd>`: the latest version with lines arriving that day."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date
from typing import Any

from ior_contracts.claims import ClaimCheck

from ior_customs.adapters.table import ConditionFailedError, Item, Table
from ior_customs.ports import DatasetVersion, HeldDataset

TRANSACTIONS = "transactions"


def _partition(dataset: str, mode: str) -> dict[str, str]:
    return {"S": f"dataset#{dataset}#{mode}"}


def _attributes(version: DatasetVersion) -> dict[str, Any]:
    item: dict[str, Any] = {
        "dataset": {"S": version.dataset},
        "mode": {"S": version.mode},
        "version": {"S": version.version},
        "published_at": {"S": version.published_at},
        "uri": {"S": version.snapshot.uri},
        "sha256": {"S": version.snapshot.sha256},
        "row_count": {"N": str(version.snapshot.row_count)},
        "schema_version": {"S": version.snapshot.schema_version},
    }
    if version.business_dates is not None:
        item["business_dates"] = {"L": [{"S": d.isoformat()} for d in version.business_dates]}
    return item


def _version(item: dict[str, Any]) -> DatasetVersion:
    dates = item.get("business_dates")
    return DatasetVersion(
        dataset=item["dataset"]["S"],
        mode=item["mode"]["S"],
        version=item["version"]["S"],
        snapshot=ClaimCheck(
            uri=item["uri"]["S"],
            sha256=item["sha256"]["S"],
            row_count=int(item["row_count"]["N"]),
            schema_version=item["schema_version"]["S"],
        ),
        published_at=item["published_at"]["S"],
        business_dates=None if dates is None else tuple(date.fromisoformat(d["S"]) for d in dates["L"]),
    )


class DatasetCatalogue:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._table = Table(dynamodb, table)

    def record_published(self, version: DatasetVersion) -> None:
        pk = _partition(version.dataset, version.mode)
        attributes = _attributes(version)
        sk = f"v#{version.published_at}#{version.version}"
        self._table.put({"pk": pk, "sk": {"S": sk}, **attributes})
        self._advance(pk, "current", attributes)
        if version.dataset == TRANSACTIONS:
            for day in version.business_dates or ():
                self._advance(pk, f"date#{day.isoformat()}", attributes)

    def _advance(self, pk: dict[str, str], sk: str, attributes: dict[str, Any]) -> None:
        """Point `sk` at the version unless it already points at a later one."""
        with contextlib.suppress(ConditionFailedError):
            self._table.put_if(
                {"pk": pk, "sk": {"S": sk}, **attributes},
                "attribute_not_exists(pk) OR published_at <= :at",
                values={":at": attributes["published_at"]},
            )

    def record_held(self, held: HeldDataset) -> None:
        with contextlib.suppress(ConditionFailedError):
            self._table.put_if(
                {
                    "pk": _partition(held.dataset, held.mode),
                    "sk": {"S": "held"},
                    "run_id": {"S": held.run_id},
                    "held_at": {"S": held.held_at},
                    "detail": {"S": held.detail},
                },
                "attribute_not_exists(pk) OR held_at <= :at",
                values={":at": {"S": held.held_at}},
            )

    def _get(self, dataset: str, mode: str, sk: str) -> Item | None:
        return self._table.get({"pk": _partition(dataset, mode), "sk": {"S": sk}})

    def current(self, dataset: str, mode: str) -> DatasetVersion | None:
        item = self._get(dataset, mode, "current")
        return None if item is None else _version(item)

    def transactions_for(self, mode: str, day: date) -> DatasetVersion | None:
        item = self._get(TRANSACTIONS, mode, f"date#{day.isoformat()}")
        return None if item is None else _version(item)

    def held(self, dataset: str, mode: str) -> HeldDataset | None:
        item = self._get(dataset, mode, "held")
        if item is None:
            return None
        return HeldDataset(dataset, mode, item["run_id"]["S"], item["held_at"]["S"], item["detail"]["S"])

    def history(self, dataset: str, mode: str) -> Iterator[DatasetVersion]:
        """Every version announced, newest first, read page by page as the caller goes on."""
        for item in self._table.query(
            "pk = :pk AND begins_with(sk, :v)",
            {":pk": _partition(dataset, mode), ":v": {"S": "v#"}},
            newest_first=True,
        ):
            yield _version(item)

    def dates(self, mode: str, since: date) -> list[date]:
        """The arrival dates from `since` on that some transactions version has lines for."""
        items = self._table.query(
            "pk = :pk AND sk BETWEEN :from AND :to",
            {
                ":pk": _partition(TRANSACTIONS, mode),
                ":from": {"S": f"date#{since.isoformat()}"},
                ":to": {"S": "date#9999-12-31"},
            },
        )
        return [date.fromisoformat(item["sk"]["S"].removeprefix("date#")) for item in items]
