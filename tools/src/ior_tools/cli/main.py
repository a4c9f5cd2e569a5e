"""`ior`: the engineer's command line for ior-pipeline."""

from __future__ import annotations

import typer

from ior_tools import packaging
from ior_tools.cli import (
    bus_commands,
    cutover,
    deploy,
    fees,
    ingest,
    lifecycle,
    parity,
    run,
    secrets,
    shadow,
    stack,
    status,
    tables,
    up,
    upload,
    users,
)
from ior_tools.sample.cli import app as sample_app
from ior_tools.sap_mock.cli import app as sap_mock_app

app = typer.Typer(
    name="ior",
    help="Run, drive and inspect ior-pipeline: locally on moto, or a deployed stack.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command()(up.up)
app.command()(lifecycle.down)
app.command()(run.run)
app.command()(status.status)
app.command()(bus_commands.emit)
app.command()(bus_commands.replay)
app.add_typer(bus_commands.dlq_app, name="dlq")
app.command()(ingest.ingest)
app.add_typer(sample_app, name="sample", help="The sample company: SAP extracts, legacy CSVs, manifest.")
app.add_typer(sap_mock_app, name="sap-mock", help="The mock SAP OData service.")
app.add_typer(cutover.app, name="cutover", help="The cutover gate: status, cutover, rollback.")
app.add_typer(
    fees.app, name="fees", help="The customs fee table: record a fiscal year's figures, list the table."
)
app.command("parity-report")(parity.parity_report)
app.command()(shadow.shadow_report)
app.add_typer(users.app, name="users", help="Dashboard users: import the legacy users.json, add, list.")
app.command()(upload.upload)
app.add_typer(secrets.app, name="secrets")
app.add_typer(tables.app, name="table")
app.add_typer(deploy.app, name="deploy")
app.add_typer(stack.app, name="stack", help="Pulumi stacks: create one with every value and secret it needs.")
app.command()(packaging.package)

if __name__ == "__main__":
    app()
