"""The ``fieldservice demo`` walk-through: the standard applied to example customers.

It grows with the library; it only composes public API and prints.
"""

from __future__ import annotations

from typing import TextIO

from fieldservice.model import Address, Area, Customer, Tier
from fieldservice.standard import ServiceStandard, format_duration

__all__ = ["run"]

_CUSTOMERS = (
    Customer(
        id="C-1001",
        name="张三",
        tier=Tier.DIAMOND,
        phones="138 0013 8000",
        address=Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302"),
    ),
    Customer(
        id="C-1002",
        name="李四",
        tier=Tier.GOLD,
        phones="021-6888 1234",
        address=Address(region="上海市徐汇区", detail="漕溪北路 8 号 1201"),
    ),
    Customer(
        id="C-1003",
        name="王五",
        tier=Tier.ORDINARY,
        phones="139 0139 0000",
        address=Address(region="崇明区", detail="新河镇 3 组 17 号"),
        area=Area.COUNTRYSIDE,
        language="wuu",
    ),
)


def run(std: ServiceStandard, out: TextIO) -> int:
    """Print the demonstration for ``std`` to ``out`` and return the exit code 0."""
    out.write(f"fieldservice demo on the standard {std.name!r} ({std.timezone})\n\n")
    out.write("Customers (personal data masked, G1) and their time limits:\n")
    for cust in _CUSTOMERS:
        limits = ", ".join(
            f"{rule.rule} {format_duration(rule.limit(cust.tier, cust.area))}"
            for rule in (std.booking_contact, std.resource_notice, std.repair)
        )
        out.write(
            f"  {cust.id} {cust.name} {cust.tier.label_zh:<2} {cust.area.label_zh} "
            f"{cust.phones[0]} {cust.address} -> {limits}\n"
        )
    return 0
