"""The ETL's pure logic: validation, the six dataset builders, the manual path's readers,
deterministic snapshots and the shadow comparison. Bytes and frames in, bytes and frames out."""
