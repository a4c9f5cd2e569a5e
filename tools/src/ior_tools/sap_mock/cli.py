"""`ior sap-mock`: serve a directory of SAP extracts as the mock SAP OData service."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Annotated

import typer

from ior_tools.sap_mock.server import SapMock

app = typer.Typer(
    help="The mock SAP Gateway: the sample company's extracts as OData v2 entity sets.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main() -> None:
    """The mock SAP Gateway: the sample company's extracts as OData v2 entity sets."""


def _secret(secret_id: str, endpoint_url: str | None, region: str) -> dict[str, str]:
    import boto3

    client = boto3.client("secretsmanager", endpoint_url=endpoint_url, region_name=region)
    value = json.loads(client.get_secret_value(SecretId=secret_id)["SecretString"])
    if not isinstance(value, dict) or not value.get("password"):
        raise typer.BadParameter(f"secret {secret_id} holds no password", param_hint="--password-from-secret")
    return {k: str(v) for k, v in value.items()}


@app.command()
def serve(
    data: Annotated[
        Path,
        typer.Option("--data", help="Directory of <ENTITY>.jsonl files (or the sample's output, with sap/)."),
    ],
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on; 0 picks a free one.")] = 50000,
    page_size: Annotated[int, typer.Option("--page-size", min=1, help="Rows per page before __next.")] = 5000,
    username: Annotated[str | None, typer.Option(help="User to accept (default: the secret's).")] = None,
    password: Annotated[str | None, typer.Option(help="Password to accept.")] = None,
    password_from_secret: Annotated[
        str | None,
        typer.Option(
            "--password-from-secret", help="Secrets Manager secret to read it from, e.g. ior/local/sap."
        ),
    ] = None,
    endpoint_url: Annotated[
        str | None,
        typer.Option("--endpoint-url", help="AWS endpoint for the secret (default: AWS_ENDPOINT_URL)."),
    ] = None,
    region: Annotated[str, typer.Option(help="AWS region of the secret.")] = "us-east-1",
) -> None:
    """Serve DATA until interrupted. Credentials come from the command line or from the SAP secret."""
    if (password is None) == (password_from_secret is None):
        raise typer.BadParameter("give exactly one of --password and --password-from-secret")
    if password_from_secret is not None:
        secret = _secret(password_from_secret, endpoint_url, region)
        password, username = secret["password"], username or secret.get("username")
    if not username or not password:
        raise typer.BadParameter("no username: give --username or put one in the secret")
    mock = SapMock(data, username, password, host=host, port=port, page_size=page_size)
    base_url = mock.start()
    typer.echo(f"mock SAP on {base_url} as user {username}, {page_size} rows per page")
    for name in mock.entity_sets():
        typer.echo(f"  {base_url}/sap/opu/odata/sap/{name}_SRV/{name}Set")
    typer.echo(
        f"faults: POST {base_url}/__mock/faults  ·  counts: GET {base_url}/__mock/requests  ·  Ctrl-C stops"
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        mock.stop()
