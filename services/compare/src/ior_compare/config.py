"""The compare service's configuration: one settings class, part of its handlers' version."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ior_compare.domain.cutover import DEFAULT_REQUIRED_STREAK
from ior_compare.domain.tolerances import DEFAULT_TOLERANCES, ToleranceConfig


class CompareConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IOR_COMPARE_", frozen=True)

    # Consecutive passing business days a cutover needs unless it is forced.
    required_streak: int = Field(default=DEFAULT_REQUIRED_STREAK, ge=1)
    # Rows per table in the HTML report; the JSON report always has every row.
    report_max_rows: int = Field(default=2000, ge=1)

    @property
    def tolerances(self) -> ToleranceConfig:
        return DEFAULT_TOLERANCES

    def versioned(self) -> dict[str, str]:
        """What changes the outputs: the tolerances and the gate's requirement. The HTML row cap
        changes no decision."""
        return {"tolerances": self.tolerances.version, "required_streak": str(self.required_streak)}
