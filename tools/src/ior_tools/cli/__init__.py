"""The `ior` command line."""
