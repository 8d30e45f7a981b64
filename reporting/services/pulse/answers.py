"""Taking one anonymous answer to a term's pulse: once per token, nothing that identifies."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reporting.domain.pulse.answers import AlreadyAnswered, Answer
from reporting.domain.terms import Term
from reporting.domain.words import N_
from reporting.models import PulseAgreement, PulseResponse, PulseToken

ALREADY = N_("You have already answered the pulse this term. Thank you: it has been counted.")


def digest(token: str) -> str:
    """What is kept of a used token: its SHA-256, so the token itself is stored nowhere."""
    return hashlib.sha256(token.encode()).hexdigest()


def used(session: Session, token: str) -> bool:
    """Has this token already answered?"""
    return session.get(PulseToken, digest(token)) is not None


def take_answer(session: Session, school_id: int, term: Term, token: str,
                answer: Answer) -> None:
    """Store one answer (AlreadyAnswered if this token was used). The token's digest and
    the response are separate rows with nothing in common but the term."""
    if used(session, token):
        raise AlreadyAnswered(ALREADY)
    response = PulseResponse(id=secrets.token_hex(16), school_id=school_id, term=term.key,
                             tags=" ".join(answer.tags))
    try:
        with session.begin_nested():
            session.add(PulseToken(digest=digest(token), school_id=school_id, term=term.key))
            session.flush()  # two sends of the same form at once: the second stops here
    except IntegrityError as exc:
        raise AlreadyAnswered(ALREADY) from exc
    session.add(response)
    session.flush()
    session.add_all(PulseAgreement(response_id=response.id, item_id=item_id, agreement=value)
                    for item_id, value in answer.agreements.items())
    session.flush()


def terms_answered(session: Session, school_id: int) -> list[str]:
    """The keys of the terms with any answer, for choosing what to show."""
    return list(session.scalars(select(PulseResponse.term).where(
        PulseResponse.school_id == school_id).distinct()))
