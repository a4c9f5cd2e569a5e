"""A service's settings come from its function's environment, over the process's, as Lambda and the
local stack give them; values given to the constructor win."""

from __future__ import annotations

import pytest
from ior_contracts.settings import ServiceSettings, function_environment


class Tuned(ServiceSettings):
    service: str = "tuned"
    page_size: int = 100
    stages: dict[str, list[str]] | None = None


def test_a_setting_is_read_from_its_prefixed_variable_in_any_case_and_typed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN the process's environment naming a stage, a page size, the stages as JSON and a region
    monkeypatch.setenv("IOR_STAGE", "dev")
    monkeypatch.setenv("ior_page_size", "25")
    monkeypatch.setenv("IOR_STAGES", '{"etl": ["etl-uploads"]}')
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.delenv("IOR_BUCKET_SUFFIX", raising=False)

    settings = Tuned()

    # THEN each field holds its variable's value, converted; an alias names its own variable
    assert (settings.stage, settings.page_size, settings.region) == ("dev", 25, "eu-west-1")
    assert settings.stages == {"etl": ["etl-uploads"]}
    assert settings.data == "ior-dev-data"


def test_the_function_environment_wins_over_the_process_and_the_constructor_over_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IOR_STAGE", "dev")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "the-process")
    with function_environment({"IOR_STAGE": "staging", "AWS_ACCESS_KEY_ID": "the-function"}):
        inside = Tuned()
        given = Tuned(stage="prod")
    assert (inside.stage, inside.aws_access_key_id) == ("staging", "the-function")
    assert given.stage == "prod"
    assert Tuned().stage == "dev"


def test_a_secret_setting_does_not_show_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s3cr3t")
    settings = Tuned()
    assert settings.aws_secret_access_key is not None
    assert settings.aws_secret_access_key.get_secret_value() == "s3cr3t"
    assert "s3cr3t" not in repr(settings)


def test_a_client_takes_the_configuration_given_over_the_functions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    # GIVEN the settings of a service that checks every object it reads against its claim check
    settings = Tuned()
    # WHEN its S3 client is made
    config = settings.claim_checked_s3().meta.config
    # THEN it is the function's configuration (region, retries, SigV4 links), without the SDK's second
    # checksum of each response; a client made plainly keeps it
    assert (config.region_name, config.retries["mode"], config.signature_version) == (
        "eu-west-1",
        "standard",
        "s3v4",
    )
    assert config.response_checksum_validation == "when_required"
    assert settings.client("s3").meta.config.response_checksum_validation == "when_supported"
