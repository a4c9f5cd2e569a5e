"""The ingestion service's adapters to the outside: SAP OData and the USITC HTS export."""
