"""Extracts from SAP OData and the official USITC HTS, landed raw with their checksums."""
