"""Fetching a voice memo from Slack safely.

The download carries the bot token, so it goes only to Slack's file host (or the host of
SLACK_API_URL, for GovSlack and test servers), over HTTPS unless SLACK_API_URL itself is plain HTTP,
and never follows redirects (a redirect would carry us, or the token, somewhere else). Without the
files:read scope Slack answers 200 with its HTML sign-in page, so an HTML answer is an error with a
clear fix, never a "memo". Sizes are checked before and during the download.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import aiohttp

from core.errors import AllianceError
from core.memo_flow import too_big_message

SLACK_FILE_HOST = "files.slack.com"
AUDIO_FILETYPES = frozenset({"m4a", "mp4", "webm", "mp3", "mpga", "ogg", "oga", "opus", "wav", "flac", "aac", "amr", "mpeg"})
VIDEO_CLIP_MIMETYPES = frozenset({"video/mp4", "video/webm", "video/quicktime"})  # Slack clips are stored as video
CHUNK = 64 * 1024


class DownloadError(AllianceError):
    """The memo could not be fetched; the message says why and is safe to show."""


def missing_scope() -> DownloadError:
    return DownloadError(
        "Slack sent me a web page instead of your recording, which means this app can't read files yet. "
        "Ask your Slack admin to add the files:read scope (it's in the app manifest) and reinstall the app, "
        "then send the memo again."
    )


def is_audio(file: dict[str, Any]) -> bool:
    mimetype = (file.get("mimetype") or "").lower()
    filetype = (file.get("filetype") or "").lower()
    return mimetype.startswith("audio/") or mimetype in VIDEO_CLIP_MIMETYPES or filetype in AUDIO_FILETYPES


def needs_file_info(file: dict[str, Any]) -> bool:
    """Events may carry a stub ({"id", "file_access": "check_file_info"}); files.info has the rest."""
    return file.get("file_access") == "check_file_info" or not file.get("url_private_download") and not file.get("url_private")


def allowed_url(url: str, api_url: str | None) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host == SLACK_FILE_HOST:
        return True
    if not api_url:
        return False
    api = urlsplit(api_url)
    api_host = (api.hostname or "").lower()
    bare = api_host.removeprefix("api.").removeprefix("www.")
    # GovSlack serves the API at slack-gov.com and files at files.slack-gov.com.
    hosts = {api_host, f"files.{bare}"}
    same_scheme = parts.scheme == "https" or parts.scheme == api.scheme
    return host in hosts and same_scheme and (parts.port == api.port or host != api_host)


def file_url(file: dict[str, Any]) -> str:
    return file.get("url_private_download") or file.get("url_private") or ""


def check_file(file: dict[str, Any], *, api_url: str | None, max_bytes: int) -> None:
    """What can be refused before any request: a file elsewhere than Slack's file host, or too big."""
    if not allowed_url(file_url(file), api_url):
        raise DownloadError("That file isn't stored on Slack's file server, so I didn't download it.")
    size = int(file.get("size") or 0)
    if size > max_bytes:
        raise DownloadError(too_big_message(size, max_bytes))


async def download(file: dict[str, Any], token: str, *, api_url: str | None, max_bytes: int, timeout_s: float = 120) -> bytes:
    check_file(file, api_url=api_url, max_bytes=max_bytes)
    url = file_url(file)
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        try:
            async with session.get(url, headers={"Authorization": f"Bearer {token}"}, allow_redirects=False) as response:
                if 300 <= response.status < 400:
                    raise missing_scope()  # Slack redirects to sign-in when the token may not read the file
                if response.status != 200:
                    raise DownloadError(f"Slack didn't hand over the file (HTTP {response.status}). Please send it again.")
                if response.content_type == "text/html":
                    raise missing_scope()
                data = bytearray()
                async for chunk in response.content.iter_chunked(CHUNK):
                    data += chunk
                    if len(data) > max_bytes:
                        raise DownloadError(too_big_message(len(data), max_bytes))
                return bytes(data)
        except aiohttp.ClientError:
            raise DownloadError("I couldn't reach Slack to fetch the file. Please send it again in a minute.") from None
        except TimeoutError:
            raise DownloadError("Fetching the file from Slack took too long. Please send it again.") from None
