"""The compare service's adapters: its table, its objects, and the customs lines it reads."""
