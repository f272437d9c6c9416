"""Local stand-in for the package the Azure ML parallel run driver puts on a worker's path."""
