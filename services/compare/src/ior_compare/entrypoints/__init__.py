"""Lambda entry points of the compare service, one per subscription."""
