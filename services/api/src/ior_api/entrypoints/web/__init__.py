"""The API's web app: FastAPI routes under `/api`, their dependencies and their HTTP models."""
