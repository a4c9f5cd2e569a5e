"""A mock SAP Gateway: the sample company's extracts as OData v2 entity sets on loopback, with
Basic auth, server-driven paging, `$filter` on date fields and switchable faults."""

from ior_tools.sap_mock.faults import Fault, FaultMode
from ior_tools.sap_mock.process import SapMockProcess
from ior_tools.sap_mock.server import SapMock

__all__ = ["Fault", "FaultMode", "SapMock", "SapMockProcess"]
