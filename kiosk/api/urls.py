"""Where other devices reach the kiosk's API: the base of the pairing QR and of the ticket's status QR.

`public_base(config)` is `api.public_url`, or `http://<api.listen>:<api.port>`, where a wildcard listen
address (0.0.0.0, ::) is replaced by this machine's address on its default route (the hall LAN).
`status_base(config)` is what the ticket's QR prefixes to the ticket's code (`/t/<code>`, the status
page) unless the queue's own `status_url` says otherwise.
"""

from __future__ import annotations

import socket


def public_base(config) -> str:
    if config["api.public_url"]:
        return config["api.public_url"].rstrip("/")
    host = config["api.listen"]
    if host in ("0.0.0.0", "::"):
        host = lan_address()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{config['api.port']}"


def status_base(config) -> str:
    return f"{public_base(config)}/t/"


def lan_address() -> str:
    """This machine's address on its default route (no packet is sent), or 127.0.0.1 without one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only the routing table is consulted
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"
