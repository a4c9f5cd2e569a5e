"""Entry point of the Pulumi program (`Pulumi.yaml`); everything lives in `ior_infra`."""

from ior_infra.program import main

main()
