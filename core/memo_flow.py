"""The memo pipeline: received -> transcribed -> drafted (-> delivered by the channel), or failed.
Each step is persisted before the next starts, so a restart resumes where it stopped."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import date
from typing import Callable

from core.language.client_match import ClientRecord, resolve_client
from core.commands import client_name_problem
from core.language.dates import session_date_from
from core.errors import AllianceError, AudioError
from core.ports import NoteWriter, Transcriber
from core.types import NoteDraft
from storage.store import MemoView, Store

log = logging.getLogger(__name__)

RETRY_HINT = "Your memo is kept — send /retry to try again."


class MemoFailed(Exception):
    """Processing stopped; `message` is safe to show the therapist."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MemoPipeline:
    def __init__(
        self,
        store: Store,
        transcriber: Transcriber,
        writer: NoteWriter,
        *,
        today_for: Callable[[int], date],
        keep_audio: bool = False,
    ):
        self.store = store
        self.transcriber = transcriber
        self.writer = writer
        self.today_for = today_for
        self.keep_audio = keep_audio
        self._locks: dict[int, asyncio.Lock] = {}

    async def run(self, therapist_id: int, memo_id: int) -> int:
        """Finish a memo and return its note id. Safe to call twice: a done memo returns its note."""
        lock = self._locks.setdefault(memo_id, asyncio.Lock())
        async with lock:
            try:
                return await self._run(therapist_id, memo_id)
            finally:
                self._locks.pop(memo_id, None)

    async def _run(self, therapist_id: int, memo_id: int) -> int:
        memo = self.store.memo(therapist_id, memo_id)
        if memo is None:
            raise MemoFailed("I can't find that memo any more.")
        if memo.note_id is not None:
            return memo.note_id
        stored = self.store.note_for_memo(therapist_id, memo_id)
        if stored is not None:  # a crash came between storing the note and marking the memo
            self.store.update_memo(therapist_id, memo_id, status="drafted", note_id=stored, drop_audio=not self.keep_audio)
            return stored
        try:
            transcript = memo.transcript
            if transcript is None:
                transcript = await self._transcribe(memo)
            return await self._draft(memo, transcript)
        except AudioError as error:
            self._fail(memo, f"{error}")
            raise MemoFailed(str(error)) from None
        except AllianceError as error:
            self._fail(memo, str(error))
            raise MemoFailed(f"{error} {RETRY_HINT}") from None
        except Exception as error:  # never lose the memo: keep it and say how to recover
            log.error("memo %s failed in processing: %s", memo_id, type(error).__name__)
            message = f"Something went wrong while writing that note. {RETRY_HINT}"
            self._fail(memo, message)
            raise MemoFailed(message) from None

    async def _transcribe(self, memo: MemoView) -> str:
        if memo.audio is None:  # an AudioError: retrying cannot help, only sending it again
            raise AudioError("The audio of that memo is no longer stored; please send it again.")
        names = [c.name for c in self.store.clients(memo.therapist_id)]
        result = await asyncio.to_thread(
            self.transcriber.transcribe, memo.audio, filename=memo.filename, hint_names=names
        )
        self.store.update_memo(memo.therapist_id, memo.id, status="transcribed", transcript=result.text, failure=None)
        log.info("memo %s transcribed (%.1f s of audio)", memo.id, result.duration_s)
        return result.text

    async def _draft(self, memo: MemoView, transcript: str) -> int:
        therapist = self.store.therapist(memo.therapist_id)
        client = self._client_for(memo, transcript)
        today = self.today_for(memo.therapist_id)
        session_date = memo.session_date or session_date_from(transcript, today) or today
        preferences = self.store.cipher.decrypt(therapist.preferences_enc) or ""
        draft = await asyncio.to_thread(
            self.writer.write,
            transcript,
            note_format=memo.note_format or therapist.note_format,
            session_date=session_date,
            client_name=client.name if client else None,
            preferences=preferences,
        )
        draft = replace(draft, client_id=client.id if client else None, client_name=client.name if client else None)
        note_id = self.store.add_note(
            memo.therapist_id, draft, memo_id=memo.id, status="final" if client else "draft"
        )
        self.store.update_memo(
            memo.therapist_id,
            memo.id,
            status="drafted",
            note_id=note_id,
            client_id=client.id if client else None,
            failure=None,
            drop_audio=not self.keep_audio,
        )
        self.store.audit(memo.therapist_id, "system", "write", "note", note_id)
        log.info("memo %s drafted as note %s (%s)", memo.id, note_id, draft.writer)
        return note_id

    def _client_for(self, memo: MemoView, transcript: str) -> ClientRecord | None:
        """The client the memo is about; None (ask the therapist) when unsure."""
        if memo.client_id is not None:
            return self.store.client(memo.therapist_id, memo.client_id)
        clients = self.store.clients(memo.therapist_id)
        resolution = resolve_client(transcript, clients, hint=memo.client_hint)
        if resolution.kind == "match":
            return resolution.client
        if resolution.kind == "new" and resolution.new_name:
            if client_name_problem(resolution.new_name):  # e.g. a 500-character --client: ask instead of storing it
                return None
            client = self.store.add_client(memo.therapist_id, resolution.new_name)
            self.store.audit(memo.therapist_id, "system", "write", "client", client.id)
            return client
        return None

    def _fail(self, memo: MemoView, message: str) -> None:
        self.store.update_memo(memo.therapist_id, memo.id, status="failed", failure=message, attempts=memo.attempts + 1)


def note_with_client(draft: NoteDraft, client: ClientRecord) -> NoteDraft:
    return replace(draft, client_id=client.id, client_name=client.name, needs_client=False)
