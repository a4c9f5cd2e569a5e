"""The compare service's pure logic: no I/O, no AWS, no clock (times are passed in).

- `frames`: the input contract (lines and entries of one date and one mode) and its validators.
- `tolerances`: the compared fields and tolerances, a versioned configuration.
- `engine.compare`: expected (manual) against actual (automated); `result` describes what it returns,
  `report_json` and `report_html` render it. `keys`, `fields`, `outcomes`, `discrepancies` and `text`
  are its parts.
- `business_days`, `parity`: US federal business days and the parity streak.
- `cutover`, `designation`: the cutover gate and each date's official run.
- `signoff`: the parity sign-off report for the business."""
