"""Tools around the archive: evaluation against hand-checked facts, benchmarks."""
