"""The engineer's side of ior-pipeline: the ior CLI, the local runtime, the mock SAP, the sample company."""
