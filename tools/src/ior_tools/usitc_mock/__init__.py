"""A mock of the USITC's HTS service: its release list and each release's JSON export, on loopback."""

from ior_tools.usitc_mock.server import MockRelease, UsitcMock, reference_releases

__all__ = ["MockRelease", "UsitcMock", "reference_releases"]
