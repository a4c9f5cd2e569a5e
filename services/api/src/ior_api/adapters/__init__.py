"""The API's adapters: its table, the signing-key secret and the bus."""
