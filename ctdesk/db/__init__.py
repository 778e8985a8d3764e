"""The store: opening workbook files, migrations and named queries. The only place with SQL."""
