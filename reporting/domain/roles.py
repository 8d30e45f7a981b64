"""Staff roles and the channels a role may work in."""

from __future__ import annotations

from enum import StrEnum

from reporting.domain.words import N_


class ChannelKind(StrEnum):
    """The three kinds of support a case can be routed to."""

    PEER = "peer"
    PASTORAL = "pastoral"
    INSTITUTIONAL = "institutional"

    @property
    def label(self) -> str:
        """How the channel is named to students and staff, in the page's language."""
        return str(CHANNEL_LABELS[self])


CHANNEL_LABELS = {
    ChannelKind.PEER: N_("Peer support"),
    ChannelKind.PASTORAL: N_("Pastoral and wellbeing support"),
    ChannelKind.INSTITUTIONAL: N_("Formal complaints and EDI office"),
}


class Role(StrEnum):
    """What a staff account is for; each role is scoped to one school."""

    PEER_SUPPORTER = "peer_supporter"
    PASTORAL_OFFICER = "pastoral_officer"
    INSTITUTIONAL_OFFICER = "institutional_officer"
    ADMIN = "admin"
    # A volunteer students may write to (issue 13): a key pair like a handler's, no cases.
    ROLE_MODEL = "role_model"

    @property
    def label(self) -> str:
        """The role's name in plain words, in the page's language."""
        return str(ROLE_LABELS[self])

    @property
    def channel(self) -> ChannelKind | None:
        """The channel a handler role works in; None for admins."""
        return HANDLER_CHANNEL.get(self)


ROLE_LABELS = {
    Role.PEER_SUPPORTER: N_("Peer supporter"),
    Role.PASTORAL_OFFICER: N_("Pastoral officer"),
    Role.INSTITUTIONAL_OFFICER: N_("Institutional officer"),
    Role.ADMIN: N_("Admin"),
    Role.ROLE_MODEL: N_("Role model"),
}
HANDLER_CHANNEL = {
    Role.PEER_SUPPORTER: ChannelKind.PEER,
    Role.PASTORAL_OFFICER: ChannelKind.PASTORAL,
    Role.INSTITUTIONAL_OFFICER: ChannelKind.INSTITUTIONAL,
}
HANDLER_ROLES = frozenset(HANDLER_CHANNEL)
