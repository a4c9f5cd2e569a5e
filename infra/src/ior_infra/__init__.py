"""The AWS deployment of the pipeline, built from the services' own declarations (`load_topology`)
and named by `Naming`, as the local runtime is."""
