"""The compare service's pure logic: no I/O, no AWS, no clock (times are passed in).

- `frames`: the input contract (lines and entries of one date and one mode) and its validators.
- `tolerances`: the compared fields and tolerances, a versioned configuration.
- `engine.compare`: expected (manual) against actual (automated); `result` describes what it returns,
  `report_json` and `report_html` render it. `keys`, `fields`, `outcomes`, `discrepancies` and `text`
  are its parts.
- `parity`: the parity streak, counted in business days (`ior_contracts.calendar`).
- `cutover`, `designation`: the cutover gate and each date's official run.
- `records`: what is kept about runs, dates, comparisons and the gate's answers; `stamps`: times
  as they are kept.
- `status`: the gate's status and the sign-off inputs, read from the recorded dates.
- `signoff`: the parity sign-off report for the business."""
