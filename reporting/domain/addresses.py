"""An email address a message may go to: exactly one, written plainly.

A form field or a header that takes "a@b.example,postmaster" (or a group, or a display
name around a second address) sends the message to more than one person. So an address
is accepted only as one plain `local@domain.tld`, in ASCII, within the RFC 5321 lengths.
"""

from __future__ import annotations

import re

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?P<domain>{_LABEL}(?:\.{_LABEL})+)")
LOCAL_MAX = 64
ADDRESS_MAX = 254


def one_address(text: str | None) -> str | None:
    """The address, without surrounding spaces, if `text` is exactly one plain address."""
    value = (text or "").strip()
    match = _ADDRESS.fullmatch(value)
    if match is None or len(value) > ADDRESS_MAX or len(match["local"]) > LOCAL_MAX:
        return None
    return value
