"""`ior deploy rollback|prune` on the stack's snapshotted function, through the deployed-stack path
(`--stack local --outputs …`): the `live` alias goes back one published version as the operator;
pruning keeps the aliased versions and the newest few."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ior_tools.ops.versions import prune_versions
from ior_tools.runtime.stack import LocalStack

from tests.ops.conftest import ior


def _versions(client: Any, function: str) -> list[str]:
    found = client.list_versions_by_function(FunctionName=function)["Versions"]
    return sorted((v["Version"] for v in found if v["Version"] != "$LATEST"), key=int)


@pytest.fixture
def deployed_seven_times(stack: LocalStack) -> Iterator[tuple[Any, str]]:
    """The http function published by six more deploys, `live` on the newest, a rollback alias on
    the second; `live` back on the newest afterwards."""
    client, function = stack.client("lambda"), stack.outputs["apiFunction"]
    for deploy in range(2, 8):
        client.update_function_configuration(FunctionName=function, Description=f"deploy {deploy}")
        client.publish_version(FunctionName=function)
    newest = _versions(client, function)[-1]
    client.update_alias(FunctionName=function, Name="live", FunctionVersion=newest)
    client.create_alias(
        FunctionName=function, Name="rollback", FunctionVersion=_versions(client, function)[1]
    )
    yield client, function
    client.delete_alias(FunctionName=function, Name="rollback")
    client.update_alias(FunctionName=function, Name="live", FunctionVersion=_versions(client, function)[-1])


def test_rollback_points_live_at_the_previous_version_then_at_the_one_asked(
    deployed_seven_times: tuple[Any, str], outputs: str
) -> None:
    client, function = deployed_seven_times
    versions = _versions(client, function)
    back = ior("deploy", "rollback", "--stack", "local", "--outputs", outputs)
    assert back.exit_code == 0, back.output
    assert f"{function}:live {versions[-1]} → {versions[-2]}" in back.output
    assert client.get_alias(FunctionName=function, Name="live")["FunctionVersion"] == versions[-2]
    chosen = ior("deploy", "rollback", "--stack", "local", "--outputs", outputs, "--to", versions[0])
    assert chosen.exit_code == 0, chosen.output
    assert client.get_alias(FunctionName=function, Name="live")["FunctionVersion"] == versions[0]
    # Nothing is older than the oldest: said, and nothing changes.
    oldest = ior("deploy", "rollback", "--stack", "local", "--outputs", outputs)
    assert oldest.exit_code == 1
    assert "the oldest kept" in oldest.output
    unknown = ior("deploy", "rollback", "--stack", "local", "--outputs", outputs, "--function", "nosuch")
    assert unknown.exit_code == 2
    assert "not a published function of local: nosuch" in unknown.output


def test_the_newest_and_the_aliased_versions_stay(deployed_seven_times: tuple[Any, str]) -> None:
    client, function = deployed_seven_times
    versions = _versions(client, function)
    live = client.get_alias(FunctionName=function, Name="live")["FunctionVersion"]
    pruned = prune_versions(client, function, keep=3)
    assert set(pruned.kept) == {versions[1], *versions[-3:], live}
    assert set(pruned.deleted) == set(versions) - set(pruned.kept)
    assert _versions(client, function) == sorted(pruned.kept, key=int)
    # Pruning again deletes nothing more.
    assert prune_versions(client, function, keep=3).deleted == ()


def test_the_command_prunes_the_functions_the_outputs_name(
    deployed_seven_times: tuple[Any, str], outputs: str
) -> None:
    client, function = deployed_seven_times
    before = _versions(client, function)
    result = ior("deploy", "prune", "--stack", "local", "--outputs", outputs, "--keep", "1")
    assert result.exit_code == 0, result.output
    assert f"{function}: kept" in result.output
    assert _versions(client, function) == [before[1], before[-1]]
