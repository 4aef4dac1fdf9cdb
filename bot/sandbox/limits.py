"""Discord's limits, as numbers the sandbox enforces and tests may shrink."""

from __future__ import annotations

from dataclasses import dataclass, field

# A route limit is (requests allowed, window in seconds).
RouteLimit = tuple[int, float]


def _default_route_limits() -> dict[str, RouteLimit]:
    return {
        # Observed, unpublished: about 5 messages per 5 s per channel.
        "POST /channels/{channel_id}/messages": (5, 5.0),
        # Opening DMs is throttled by Discord without a published number.
        "POST /users/@me/channels": (5, 5.0),
        # Interaction follow-ups share the webhook bucket of their token.
        "POST /webhooks/{webhook_id}/{webhook_token}": (5, 2.0),
    }


@dataclass
class SandboxLimits:
    """Every limit the sandbox enforces. Defaults are Discord's (or what bots observe)."""

    # Messages and embeds
    content_length: int = 2000
    embeds_per_message: int = 10
    embed_title: int = 256
    embed_description: int = 4096
    embed_fields: int = 25
    embed_field_name: int = 256
    embed_field_value: int = 1024
    embed_footer: int = 2048
    embed_author: int = 256
    embed_total: int = 6000
    allowed_mention_ids: int = 100
    action_rows: int = 5
    components_per_row: int = 5
    button_label: int = 80
    custom_id_length: int = 100
    attachment_size_limit: int = 10 * 1024 * 1024
    # nonce + enforce_nonce: a create with a nonce the same author used this many seconds ago or
    # less returns that message. Discord says "the past few minutes".
    nonce_window: float = 120.0

    # Interactions
    initial_response_deadline: float = 3.0
    token_lifetime: float = 15 * 60.0
    autocomplete_choices: int = 25
    autocomplete_name_length: int = 100
    autocomplete_value_length: int = 100

    # REST rate limits
    global_limit: int = 50
    global_window: float = 1.0
    default_route_limit: RouteLimit = (50, 1.0)
    route_limits: dict[str, RouteLimit] = field(default_factory=_default_route_limits)
    # Discord's anti-spam on new DM channels: beyond this many in the window, 403 code 40003
    # "You are opening direct messages too fast." (counted as invalid). None: off.
    dm_open_spam_limit: RouteLimit | None = None
    invalid_request_limit: int = 10_000
    invalid_request_window: float = 600.0
    # 0 disables; N > 0 answers every Nth bot-authenticated request with a "shared" 429.
    shared_429_every: int = 0
    shared_retry_after: float = 0.05

    # Gateway
    heartbeat_interval: float = 41.25
    # discord.py's heartbeat thread notes the send time only after the loop has sent the beat;
    # an instant in-process ACK can be handled first and read as a 40-second lag. Discord's
    # ACK always takes a network round trip: wait this long before answering.
    heartbeat_ack_delay: float = 0.05
    gateway_send_limit: int = 120
    gateway_send_window: float = 60.0
    resume_buffer: int = 1000

    # Sandbox behaviour (not Discord limits)
    quiet_period: float = 0.05
    invoke_timeout: float = 15.0

    def route_limit(self, route_key: str) -> RouteLimit:
        """Limit for ``"METHOD /template"``."""
        return self.route_limits.get(route_key, self.default_route_limit)
