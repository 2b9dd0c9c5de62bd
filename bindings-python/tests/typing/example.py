"""A typical program, type-checked with `mypy --strict` against the installed stubs."""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request

import camskit


def register(client: camskit.Client, cust_space_id: str, phone: str) -> str | None:
    signed: camskit.SignedRequest = client.chatapp_migration_register(
        cust_space_id=cust_space_id, phone_number=phone, signature="v3",
        timestamp=dt.datetime.now(dt.timezone.utc))
    url: str = signed.url
    headers: dict[str, str] = signed.headers
    body: str | None = signed.body
    print(url, headers, body, signed.string_to_sign, signed.canonical_request)
    try:
        with urllib.request.urlopen(signed.as_urllib_request()) as r:
            resp = camskit.parse_response(r.status, r.read(), "ChatappMigrationRegister")
    except urllib.error.HTTPError as e:
        try:
            camskit.parse_response(e.code, e.read())
        except camskit.ThrottlingError as t:
            retry: bool = t.retryable
            print(retry, t.request_id, t.kind)
        except camskit.SignatureMismatchError as s:
            server: str | None = s.server_string_to_sign
            print(server)
        except camskit.ApiError as a:
            status: int = a.status
            print(status, a.code, a.message, a.host_id, a.recommend, a.access_denied_detail)
        return None
    rid: str | None = resp.request_id
    return rid


def migrate(client: camskit.Client) -> str | None:
    init = camskit.parse_response(200, b"{}", "CreateChatappMigrationInitiate")
    if init.data is not None:
        mid: str | None = init.data.id
        print(mid, init.data.phone_number, init.data.status)
    s = client.get_migration_verify_code(cust_space_id="cs", phone_number="86", locale="en_US", method="sms")
    kwargs = s.as_requests_kwargs()
    print(kwargs["url"], s.as_httpx_kwargs())
    generic = camskit.parse_response(200, "{}")
    print(generic.data, generic.raw, generic["Code"])
    return None


def main() -> None:
    try:
        client = camskit.Client()
    except camskit.CredentialsError:
        client = camskit.Client("id", "secret", region_id="cn-hangzhou")
    any_api = client.sign_raw("DescribeRegions", {"Page": 1, "Tags": [{"K": "v"}], "On": True},
                              raw=True, method="GET", api_version="2014-05-26", nonce="n-1", timestamp=1752480000)
    print(any_api.signature_version, [o.name for o in camskit.operations()], camskit.operation("x").params)
    try:
        client.sign_raw("ChatappMigrationRegister", {"CustSpaceId": None})
    except camskit.ValidationError as v:
        print(v.parameter, v.suggestions)
    register(client, "cs", "86")
    migrate(client)
    calls(client)


def calls(client: camskit.Client) -> None:
    """Sending: client.call, the typed client.calls.<operation>, pages, errors."""
    reg: camskit.ChatappMigrationRegisterResponse = client.calls.chatapp_migration_register(
        cust_space_id="cs", phone_number="86", timeout=5.0, max_attempts=2)
    same: camskit.ChatappMigrationRegisterResponse = client.call(
        "ChatappMigrationRegister", {"CustSpaceId": "cs", "PhoneNumber": "86"}, retry=camskit.RetryPolicy.no_retry())
    listed: camskit.Response = client.call("ListChatappTemplate", {"CustSpaceId": "cs"}, retry=False)
    pages: list[camskit.Response] = list(client.paginate("ListChatappTemplate", {"CustSpaceId": "cs"}))
    count = sum(1 for _ in client.iter_items("ListChatappTemplate", {"CustSpaceId": "cs"}))
    print(reg.code, same.code, listed.raw, len(pages), count, client.credentials_source)
    try:
        client.calls.send_chatapp_message(cust_space_id="cs", channel_type="whatsapp", type="message",
                                          from_="86", to="44")
    except camskit.OutcomeUnknownError as e:
        print("check before retrying", e)
    except camskit.TransportError as t:
        print(t.reason, t.outcome_unknown)
    chain = camskit.Client(credentials=camskit.DefaultCredentialsProvider(profile="dev", timeout=5.0))
    print(chain.access_key_id, camskit.Client(profile="dev").access_key_id)


if __name__ == "__main__":
    main()
