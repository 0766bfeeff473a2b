"""The app manifest a workspace admin pastes into Slack: it must grant every scope the bot's Web API
calls need (else they fail with missing_scope in front of a therapist) and nothing more."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

BOTS = Path(__file__).resolve().parents[2] / "bots"

# Web API method (as slack_sdk spells it) -> bot scope it needs (None: no scope).
METHOD_SCOPES = {
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_postEphemeral": "chat:write",
    "reactions_add": "reactions:write",
    "reactions_remove": "reactions:write",
    "files_info": "files:read",
    "files_upload_v2": "files:write",
    "conversations_open": "im:write",
    "views_publish": None,
}
EVENT_SCOPES = {"message.im": "im:history", "app_mention": "app_mentions:read", "app_home_opened": None}


def test_manifest_grants_exactly_what_the_bot_uses():
    manifest = yaml.safe_load((BOTS / "slack_manifest.yaml").read_text())
    source = "\n".join(p.read_text() for p in BOTS.glob("slack*.py"))
    called = set(re.findall(r"\.(chat_\w+|reactions_\w+|files_\w+|conversations_\w+|views_\w+|users_\w+)\(", source))
    assert called <= set(METHOD_SCOPES), f"add the scope for {called - set(METHOD_SCOPES)} to the manifest and this table"

    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == set(EVENT_SCOPES)
    needed = {METHOD_SCOPES[m] for m in called} | {EVENT_SCOPES[e] for e in events} | {"commands", "files:read"}
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed - {None}

    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/alliance"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] and manifest["settings"]["interactivity"]["is_enabled"]
    assert manifest["settings"]["socket_mode_enabled"] is True  # works without a public URL
