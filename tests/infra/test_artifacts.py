"""Every function runs the zip `make package` builds for its service, on the runtime the artifacts
are built for; the data services add the shared pandas/numpy layer. Under the mocks an archive is
only a path: nothing here needs the artifacts to exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from ior_tools import packaging

from tests.infra.mocks import Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FUNCTION = "aws:lambda/function:Function"


def test_each_function_runs_its_services_artifact(dev: Recorder) -> None:
    layer = dev.named("aws:lambda/layerVersion:LayerVersion", "services-data-layer")
    assert Path(layer.inputs["code"].path).parts[-4:] == ("dist", "lambda", "data-layer", "data-layer.zip")
    assert layer.inputs["compatibleRuntimes"] == [f"python{packaging.LAMBDA_PYTHON}"]
    for function in dev.of(FUNCTION):
        service = function.inputs["environment"]["variables"]["IOR_SERVICE"]
        path = Path(function.inputs["code"].path)
        assert path.parts[-4:] == ("dist", "lambda", service, f"{service}.zip"), function.name
        assert function.inputs["runtime"] == f"python{packaging.LAMBDA_PYTHON}", function.name
        expected = [layer.state["arn"]] if service in {"etl", "customs", "compare"} else []
        assert function.inputs.get("layers", []) == expected, function.name
