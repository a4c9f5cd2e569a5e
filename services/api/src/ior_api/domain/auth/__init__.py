"""Authentication rules: password hashes and their policy, session and CSRF tokens, the legacy
`users.json`, and why a request was refused."""
