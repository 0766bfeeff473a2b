"""A therapist's clients: the one place that finds, creates and forgets a client. A new name is
validated and normalised (NFC, no control or bidi characters, spaces collapsed) and every change is
audited, whichever channel or command asked for it."""
from __future__ import annotations

import unicodedata
from typing import Sequence

from core.errors import AmbiguousClient, InvalidClientName, UnknownClient
from core.language.client_match import ClientRecord, match_name
from core.ports import UnitOfWork

MAX_CLIENT_NAME = 80
MARKUP = set("<>@*&#`|\\{}[]=+^~$%_/")
# Bidi controls and zero-width characters: they can make "Maya" display as something else.
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", *map(chr, range(0x202A, 0x202F)),
             *map(chr, range(0x2066, 0x206A))}


def clean_name(name: str) -> str:
    """A name as it will be stored and shown: NFC, without invisible formatting characters (zero-width,
    bidi controls), spaces collapsed. Other control characters stay, for name_problem to refuse."""
    name = unicodedata.normalize("NFC", name)
    return " ".join("".join(ch for ch in name if ch not in INVISIBLE).split())


def name_problem(name: str) -> str | None:
    """Why a typed name can't be a stored client's (None when it can): it must read like a name."""
    if any(not ch.isprintable() for ch in name):  # NUL, ESC[2J...: junk, not a name
        return "That name contains characters I can't store; please type it plainly."
    if any(ch in MARKUP for ch in name):  # "<!channel>", "*bold*", "<b>": markup, not a name
        return "A client's name can have letters, spaces, hyphens, apostrophes and periods; please type it plainly."
    if not any(ch.isalpha() for ch in name):
        return "A client's name needs letters, e.g. Maya Thompson."
    if len(name) > MAX_CLIENT_NAME:
        return f"That name is too long ({len(name)} characters); please use at most {MAX_CLIENT_NAME}."
    return None


def find(uow: UnitOfWork, therapist_id: int, name: str) -> ClientRecord:
    """The client a typed name means. Raises UnknownClient or AmbiguousClient."""
    matches = match_name(clean_name(name), uow.clients.list(therapist_id))
    if not matches:
        raise UnknownClient()
    best = [c for c, score in matches if score >= matches[0][1] - 1e-6]
    if len(best) > 1:
        raise AmbiguousClient([c.name for c in best])
    return matches[0][0]


def create(uow: UnitOfWork, therapist_id: int, name: str, actor: str, aliases: Sequence[str] = ()) -> ClientRecord:
    """A new client (raises InvalidClientName). An exact name already on file is returned, not doubled."""
    name = clean_name(name)
    problem = name_problem(name)
    if problem:
        raise InvalidClientName(problem)
    aliases = [a for a in (clean_name(a) for a in aliases) if a and not name_problem(a)]
    for client in uow.clients.list(therapist_id):
        if client.name.casefold() == name.casefold():
            return client
    client = uow.clients.add(therapist_id, name, aliases)
    uow.audit.record(therapist_id, actor, "write", "client", client.id)
    return client


def find_or_create(uow: UnitOfWork, therapist_id: int, name: str, actor: str) -> ClientRecord:
    """The client a typed name means, or a new one when nobody matches. Ambiguity is never resolved
    by creating a near-duplicate: AmbiguousClient propagates."""
    name = clean_name(name)
    problem = name_problem(name)  # before any lookup: this name may become a stored client
    if problem:
        raise InvalidClientName(problem)
    try:
        return find(uow, therapist_id, name)
    except UnknownClient:
        return create(uow, therapist_id, name, actor)


def forget(uow: UnitOfWork, therapist_id: int, client_id: int, actor: str) -> ClientRecord | None:
    """Delete a client and everything recorded about them; None when already gone."""
    client = uow.clients.get(therapist_id, client_id)
    if client is None or not uow.clients.delete(therapist_id, client_id):
        return None
    uow.audit.record(therapist_id, actor, "delete", "client", client_id)
    return client
