"""Findings. Being written."""

from ctdesk.record import Record, Records


class Findings(Records[Record]):
    kind = "finding"
    noun = "finding"
    list_hint = "ctdesk finding list"
    table = "findings"
    record_type = Record
    columns = ()
