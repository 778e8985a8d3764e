"""Exchange bundles between workbooks: format, encryption, merge, team folder."""
