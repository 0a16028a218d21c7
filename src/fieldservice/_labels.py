"""The one labelled-enum base of the library (private: its members are for fieldservice only).

An enum of the standard's terms carries the seed's Chinese label and an English
one. Each module adds its members' labels with :func:`add_labels`, next to the
enum; the properties read them from one table.

>>> class Colour(Labelled):
...     RED = "red"
>>> add_labels({Colour.RED: ("红", "red")})
>>> Colour.RED.label_zh, Colour.RED.label_en, hash(Colour.RED) == object.__hash__(Colour.RED)
('红', 'red', True)
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Final

__all__ = ["IdentityEnum", "Labelled", "add_labels", "with_article"]


class IdentityEnum(enum.Enum):
    """An enum whose members hash by identity.

    Members are singletons and compare by identity: hashing them by identity
    too is C-fast, where ``Enum.__hash__`` hashes the name in Python. Lookups
    keyed by these members run on every event.
    """

    __hash__ = object.__hash__

    @classmethod
    def _missing_(cls, value: object) -> IdentityEnum:
        # The labels the library prints are taken back as input: Tier("金卡") is Tier.GOLD.
        if isinstance(value, str):
            for member in cls:
                if value in (_label(member, "label_zh"), _label(member, "label_en")):
                    return member
        # Python's own error repeats the value ("'张三' is not a valid Tier"): G1.
        from fieldservice import _validate

        raise _validate.not_a_member(cls, value)


def _label(member: enum.Enum, which: str) -> object:
    try:
        return getattr(member, which, None)
    except LookupError:  # a member whose labels are not recorded
        return None


# Member -> (Chinese label, English label), filled by each module for its enums.
_LABELS: Final[dict[enum.Enum, tuple[str, str]]] = {}


def add_labels(labels: Mapping[enum.Enum, tuple[str, str]]) -> None:
    """Record the Chinese and English labels of an enum's members."""
    _LABELS.update(labels)


class Labelled(IdentityEnum):
    """An enum whose members carry a Chinese label from the seed and an English one."""

    @property
    def label_zh(self) -> str:
        """The member's label in the seed's Chinese terms."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The member's label in English."""
        return _LABELS[self][1]


def with_article(word: str) -> str:
    """``word`` after its English indefinite article, for messages.

    >>> with_article("install"), with_article("repair")
    ('an install', 'a repair')
    """
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"
