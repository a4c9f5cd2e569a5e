"""`SapMock`: the mock SAP OData service on loopback, run by uvicorn in a background thread."""

from __future__ import annotations

from pathlib import Path

from ior_tools.loopback import LoopbackServer
from ior_tools.sap_mock.app import MockState, create_app
from ior_tools.sap_mock.catalog import Catalog
from ior_tools.sap_mock.faults import Fault, FaultBoard, FaultMode


def resolve_data_dir(data_dir: str | Path) -> Path:
    """The directory holding the `<ENTITY>.jsonl` files: `data_dir`, or its `sap/` when that is
    where the sample generator put them."""
    path = Path(data_dir)
    if not path.is_dir():
        raise FileNotFoundError(f"no data directory {path}")
    if not any(path.glob("*.jsonl")) and any((path / "sap").glob("*.jsonl")):
        return path / "sap"
    return path


class SapMock(LoopbackServer):
    """The mock SAP: `start()` serves `data_dir` and returns the base URL to put in the SAP secret."""

    def __init__(
        self,
        data_dir: str | Path,
        username: str,
        password: str,
        host: str = "127.0.0.1",
        port: int = 0,
        page_size: int = 5000,
    ) -> None:
        if not username or not password:
            raise ValueError("the mock SAP needs a username and a password")
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.board = FaultBoard()
        self._state = MockState(
            Catalog(resolve_data_dir(data_dir)), self.board, username, password, page_size
        )
        super().__init__(create_app(self._state), "mock SAP", host, port)

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> str:
        """Index the data, listen (on a free port when `port` is 0) and serve; returns the base URL."""
        if self.running:
            return self.base_url
        self._state.catalog.index_all()
        return super().start()

    def stop(self) -> None:
        """Stop serving (a no-op when not started)."""
        super().stop()
        self._state.catalog.close()

    # --- control -------------------------------------------------------------------------------

    @property
    def page_size(self) -> int:
        return self._state.page_size

    @page_size.setter
    def page_size(self, value: int) -> None:
        if value < 1:
            raise ValueError("page_size must be at least 1")
        self._state.page_size = value

    def set_fault(
        self,
        mode: FaultMode,
        *,
        entity_set: str | None = None,
        times: int | None = None,
        page: int | None = None,
        retry_after: int = 1,
        seconds: float = 30.0,
    ) -> Fault:
        """Inject a fault on `entity_set` (None: all), on `page` (None: any), `times` times (None: always)."""
        return self.board.add(Fault(mode, entity_set, times, page, retry_after, seconds))

    def clear_faults(self, entity_set: str | None = None) -> None:
        self.board.clear(entity_set)

    def entity_sets(self) -> list[str]:
        """The entity names served (`ZSDR002`, ...), one per `<ENTITY>.jsonl`."""
        return self._state.catalog.names()

    def request_counts(self) -> dict[str, int]:
        """Requests received per entity set (`ZSDR002` → n), faults and refusals included."""
        return self.board.requests()

    def request_count(self, entity_set: str) -> int:
        return self.board.requests().get(entity_set.removesuffix("Set"), 0)

    def reset_request_counts(self) -> None:
        self.board.reset_requests()
