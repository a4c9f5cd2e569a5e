"""US customs entry lines from invoice lines and the datasets in force."""
