"""A downstream consumer of ior-pipeline's events, deployed in its own AWS account."""
