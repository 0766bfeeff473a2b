"""Errors whose message is safe to show the therapist: they never carry client content."""


class AllianceError(Exception):
    """A problem the therapist can act on. str(error) is the human message."""


class AudioError(AllianceError):
    pass


class RecordingTooLong(AudioError):
    """Over the size or length limit: no retry can use the audio, so it is not kept."""


class NoSpeech(AudioError):
    def __init__(self) -> None:
        super().__init__("I couldn't hear any speech in that memo. Please record it again.")


class NotEnrolled(AllianceError):
    def __init__(self) -> None:
        super().__init__(
            "Sorry, this assistant is private to the practice's therapists. "
            "Ask your practice admin for an invite link."
        )


class NotPrivate(AllianceError):
    def __init__(self) -> None:
        super().__init__("For your clients' privacy I only work in a private chat with you. Please message me directly.")


class FetchFailed(AllianceError):
    """A channel could not download a memo's audio; the message says why (never content)."""


class UnknownClient(AllianceError):
    def __init__(self) -> None:
        super().__init__("I don't have a client by that name. Your clients: /clients")


class AmbiguousClient(AllianceError):
    def __init__(self, names: list[str]) -> None:
        super().__init__("Several clients match: " + ", ".join(names) + ". Please use the full name.")
        self.names = names


class InvalidClientName(AllianceError):
    """A typed name that can't become a stored client (the message says why)."""


class NoteNotFound(AllianceError):
    def __init__(self) -> None:
        super().__init__("I can't find that note: it may have been deleted, or that number is not one of your notes.")


class NoteLocked(AllianceError):
    """A signed note's text never changes: a later change is stored as an addendum."""

    def __init__(self) -> None:
        super().__init__("That note is signed, so its text stays as signed. Add what changed as an addendum, "
                         "e.g. \"addendum: client called to reschedule\".")


class SimilarTherapist(AllianceError):
    """A new name at the terminal that resembles a therapist on file: asked about before a second is made."""

    def __init__(self, name: str, existing: list[str]) -> None:
        super().__init__(f'There is no therapist "{name}" yet, but there is "{existing[0]}". Use that name with --as, '
                         f'or confirm that "{name}" is a different therapist.')
        self.name, self.existing = name, existing
