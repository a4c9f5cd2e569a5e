"""What the API does, over its ports: projecting events, logging in, reading the read models,
accepting uploads and putting requests on the bus. No client is created here."""
