"""The ingestion service's adapters to the outside: SAP OData, the USITC HTS export, its table and its
prefixes of the data and audit buckets, and the local disk an extract is staged on."""
