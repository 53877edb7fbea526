"""Whether an address is this machine only: single-user mode never serves anything else."""

from __future__ import annotations

import ipaddress


def is_loopback(address: str) -> bool:
    """True for ``localhost``, ``127.0.0.0/8`` and ``::1``; false for anything else."""
    text = address.strip().lower()
    if text == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def remote_client(ip: object) -> bool:
    """Whether a client address (``st.context.ip_address``) is another machine's."""
    return isinstance(ip, str) and bool(ip) and not is_loopback(ip)
