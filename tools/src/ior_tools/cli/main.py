"""`ior`: the engineer's command line for ior-pipeline."""

from __future__ import annotations

import typer

from ior_tools.cli import bus_commands, cutover, ingest, parity, shadow, status, up, users
from ior_tools.sample.cli import app as sample_app
from ior_tools.sap_mock.cli import app as sap_mock_app

app = typer.Typer(
    name="ior",
    help="Run, drive and inspect ior-pipeline: locally on moto, or a deployed stack.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command()(up.up)
app.command()(status.status)
app.command()(bus_commands.emit)
app.command()(bus_commands.replay)
app.add_typer(bus_commands.dlq_app, name="dlq")
app.command()(ingest.ingest)
app.add_typer(sample_app, name="sample", help="The sample company: SAP extracts, legacy CSVs, manifest.")
app.add_typer(sap_mock_app, name="sap-mock", help="The mock SAP OData service.")
app.add_typer(cutover.app, name="cutover", help="The cutover gate: status, cutover, rollback.")
app.command("parity-report")(parity.parity_report)
app.command()(shadow.shadow_report)
app.add_typer(users.app, name="users", help="Dashboard users: import the legacy users.json, add, list.")

if __name__ == "__main__":
    app()
