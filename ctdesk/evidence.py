"""The evidence register (documents a force provides). Being written."""

from ctdesk.record import Record, Records


class Documents(Records[Record]):
    kind = "document"
    noun = "document"
    list_hint = "ctdesk evidence list"
    table = "documents"
    record_type = Record
    columns = ()
