"""Errors whose message is safe to show the therapist: they never carry client content."""


class AllianceError(Exception):
    """A problem the therapist can act on. str(error) is the human message."""


class AudioError(AllianceError):
    pass


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
