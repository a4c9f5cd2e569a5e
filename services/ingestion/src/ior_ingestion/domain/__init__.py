"""The ingestion service's pure logic: OData literals, the declared sources and extract windows."""
