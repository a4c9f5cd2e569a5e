"""The API's plain data and rules: what events become in the read models, alerts, lines, parity, the
upload check and the authentication rules. No I/O, no AWS, no settings."""
