"""The local runtime: the deployed topology in miniature on moto's server, on loopback.

moto stands in for AWS; everything AWS would do on its own and moto does not is done here: the
Lambda event source mappings (workers), EventBridge Scheduler (the local scheduler) and the
archive's windowed replay (the event log)."""
