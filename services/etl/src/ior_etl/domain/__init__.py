"""The ETL's pure logic: validation and the hold policy, the six dataset builders and which one
builds what from which sources, the manual path's readers, deterministic snapshots and quarantine
files, and the shadow comparison. Bytes and frames in, bytes and frames out; no I/O, no settings."""
