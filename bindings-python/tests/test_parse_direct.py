"""parse_response builds the body's Python objects straight from the answer's bytes (core's
parse_envelope decides, no serde_json tree in between): the same objects as json.loads (and as
the call path, which converts core's tree), in the same order, for the shapes JSON allows; the
same errors as before."""

from __future__ import annotations

import json

import pytest

import camskit

BODIES = [
    '{"Code":"OK","Data":{"a":1,"b":[1,2,3],"c":{"d":null,"e":true,"f":false}}}',
    '{"RequestId":"r","Code":"OK","List":[{"K":"v1"},{"K":"v2"},{"K":"v3","X":1.5}]}',
    '{"Code":"OK","Ints":[0,-1,9007199254740993,18446744073709551615,-9223372036854775808]}',
    '{"Code":"OK","Floats":[1.5,-0.0,1e300,2.5e-10,3.0]}',
    '{"Code":"OK","Text":"caf\\u00e9 \\ud83d\\ude00 \\"q\\" \\\\ \\n\\t","Raw":"café 😀 中文"}',
    '{"Code":"OK","A":1,"B":2,"A":3}',
    '{"Code":"OK","K\\u0065y":"escaped key","Key":"plain key"}',
    '{"Code":"OK","Empty":{},"EmptyList":[],"Nested":[[[[{"deep":[]}]]]]}',
    '  {"Code":"OK"}  \n',
    '{"RequestId":"only"}',
    '{"code":"OK","message":"lower case envelope"}',
]


@pytest.mark.parametrize("text", BODIES)
def test_body_is_what_json_loads_gives(text: str) -> None:
    for body in (text.encode(), text, bytearray(text.encode()), memoryview(text.encode())):
        answer = camskit.parse_response(200, body)
        assert answer.body == json.loads(text)
        assert list(answer.body) == list(json.loads(text))  # key order kept
        assert type(answer.body) is dict


def test_integers_beyond_64_bits_are_floats_as_before() -> None:
    body = camskit.parse_response(200, b'{"Code":"OK","Big":18446744073709551616,"Small":-9223372036854775809}').body
    assert body == {"Code": "OK", "Big": 1.8446744073709552e19, "Small": -9.223372036854776e18}
    assert type(body["Big"]) is float


def test_keys_are_shared_strings() -> None:
    body = camskit.parse_response(200, b'{"Code":"OK","L":[{"TemplateCode":"a"},{"TemplateCode":"b"}]}').body
    first, second = (next(iter(d)) for d in body["L"])
    assert first is second


def test_the_envelope_fields() -> None:
    answer = camskit.parse_response(200, b'{"Data":1,"RequestId":"r1","Message":"fine","Code":"OK",'
                                         b'"AccessDeniedDetail":{"PolicyType":"x"}}')
    assert (answer.status, answer.request_id, answer.code, answer.message) == (200, "r1", "OK", "fine")
    assert answer.access_denied_detail == '{"PolicyType":"x"}'


@pytest.mark.parametrize("body,cls,words", [
    (b'{"Code":"OK","Data":"\\ud800"}', camskit.ParseError, "not valid JSON"),
    (b'{"Code":"OK","Data":"' + b"\xff\xfe" + b'"}', camskit.ParseError, "not valid JSON"),
    (b'{"Code":"OK","Data":[1,2}', camskit.ParseError, "not valid JSON"),
    (b'{"Code":"OK","Data":[1,2', camskit.ParseError, "truncated"),
    (b'{"Code":"OK"} trailing', camskit.ParseError, "not valid JSON"),
    (b'[{"Code":"OK"}]', camskit.ParseError, "not an object"),
    (b'{"Code":"OK","D":' + b"[" * 200 + b"]" * 200 + b"}", camskit.ParseError, "recursion"),
    (b'{"Code":"OK","N":1e400}', camskit.ParseError, "out of range"),
    (b'{"Code":"Throttling","Code":"Throttling.User","Message":"slow"}', camskit.ThrottlingError, "slow"),
    (b'{"Code":"OK","Code":"InvalidParameter","Message":"bad"}', camskit.InvalidParameterError, "bad"),
])
def test_errors_are_core_s(body: bytes, cls: type, words: str) -> None:
    with pytest.raises(cls) as info:
        camskit.parse_response(200, body)
    assert words in str(info.value)


def test_a_server_error_to_a_write_is_outcome_unknown() -> None:
    with pytest.raises(camskit.OutcomeUnknownApiError):
        camskit.parse_response(500, b'{"Code":"InternalError","Message":"m"}', "SendChatappMessage")
    with pytest.raises(camskit.ServerError) as info:
        camskit.parse_response(500, b'{"Code":"InternalError","Message":"m"}', "ListChatappTemplate")
    assert not isinstance(info.value, camskit.OutcomeUnknownError)
