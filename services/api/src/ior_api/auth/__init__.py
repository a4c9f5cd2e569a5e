"""Authentication: password hashes, session tokens, CSRF tokens and the login rules."""
