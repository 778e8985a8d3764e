"""Data shipped with ctdesk: scope definitions, icons. Read with importlib.resources."""
