"""What a write changed, so that each view refreshes only what it shows."""

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """Kinds of records changed (``note``, ``scope``, ...) and the ids of changed records."""

    kinds: frozenset[str] = field(default_factory=frozenset)
    ids: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, kind: str, *ids: str) -> "Changes":
        return cls(frozenset({kind}), frozenset(ids))

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(self.kinds | other.kinds, self.ids | other.ids)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, kind: str) -> bool:
        return kind in self.kinds


NO_CHANGES = Changes()


@dataclass(frozen=True)
class Changed(Generic[T]):
    """A service result: the record as now stored, and what changed."""

    value: T
    changes: Changes
