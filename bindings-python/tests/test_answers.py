"""Typed answers (camskit.answers): the recorded answer of every CAMS operation parses into a
plain dict with CAMS's PascalCase keys and exact integers, of the shape its TypedDict says; the
TypedDicts exist at run time; mypy --strict and pyright accept tests/typing/answers_use.py and
refuse each marked line of tests/typing/answers_bad.py."""

from __future__ import annotations

import json
import subprocess
import sys
import typing
from pathlib import Path

import pytest

import camskit
import camskit.answers as answers
from conftest import VECTORS

HERE = Path(__file__).resolve().parent
TYPING = HERE / "typing"
RECORDED = json.loads((VECTORS / "answers.json").read_text(encoding="utf-8"))
UNKNOWN = RECORDED["unknown_field"]


def conforms(value: object, tp: object, where: str) -> None:
    """Asserts that a parsed value has the type answers.pyi gives it (undeclared keys are
    allowed: CAMS may send more than the official model declares)."""
    origin = typing.get_origin(tp)
    if tp is typing.Any:
        return
    if isinstance(tp, type) and hasattr(tp, "__total__"):  # a TypedDict
        assert type(value) is dict, where
        hints = typing.get_type_hints(tp)
        for key, item in value.items():  # type: ignore[union-attr]
            if key in hints:
                conforms(item, hints[key], f"{where}.{key}")
            else:
                assert key == UNKNOWN, f"{where}: {key} is not in {tp.__name__}"
    elif origin is list:
        assert type(value) is list, where
        for i, item in enumerate(value):  # type: ignore[arg-type]
            conforms(item, typing.get_args(tp)[0], f"{where}[{i}]")
    elif origin is dict:
        assert type(value) is dict, where
    elif tp is float:
        assert type(value) in (int, float), where
    else:
        assert type(value) is tp, f"{where}: {value!r} is not {tp}"


@pytest.mark.parametrize("case", RECORDED["answers"], ids=lambda c: c["action"])
def test_recorded_answer_is_a_plain_dict_of_its_typeddict(case: dict) -> None:
    text = json.dumps(case["body"])
    answer = camskit.parse_response(200, text.encode(), case["action"])
    assert answer.body is answer.raw and type(answer.body) is dict
    assert answer.body == json.loads(text)  # every key as CAMS sent it, integers exact
    body_type = answers.answer_type(case["action"])
    assert body_type.__name__ == case["model"]
    conforms(answer.body, body_type, case["action"])


def test_three_answers_at_run_time() -> None:
    listed = camskit.parse_response(200, b'{"Code":"OK","ListTemplate":[{"TemplateCode":"t1"}],"Total":1}',
                                    "ListChatappTemplate")
    assert listed.body["ListTemplate"] == [{"TemplateCode": "t1"}]
    nested = camskit.parse_response(200, b'{"Data":{"Components":[{"Buttons":[{"Url":"u"}]}]}}', "GetChatappTemplateDetail")
    assert nested.body["Data"]["Components"][0]["Buttons"][0]["Url"] == "u"
    big = camskit.parse_response(200, b'{"Data":[{"Id":9223372036854775807}]}', "ListMarketingFlow")
    assert big.body["Data"][0]["Id"] == 2**63 - 1 and type(big.body["Data"][0]["Id"]) is int


def test_answers_module_at_run_time() -> None:
    from camskit.answers import ListChatappTemplateAnswer, ListChatappTemplateResponseBody

    assert ListChatappTemplateAnswer is ListChatappTemplateResponseBody
    assert camskit.answers is answers and answers.ListChatappTemplateResponseBody is ListChatappTemplateResponseBody
    assert answers.answer_type("list_chatapp_template") is ListChatappTemplateResponseBody
    hints = typing.get_type_hints(ListChatappTemplateResponseBody)
    assert hints["ListTemplate"] == typing.List[answers.ListChatappTemplateResponseBodyListTemplate]
    assert ListChatappTemplateResponseBody.__total__ is False
    assert set(typing.get_args(answers.Action)) == {op.name for op in camskit.operations()}
    with pytest.raises(camskit.ValidationError):
        answers.answer_type("ListChatAppTemplates")
    with pytest.raises(AttributeError):
        answers.NoSuchModel  # noqa: B018
    # Response[...] in annotations evaluated at run time.
    assert typing.get_args(camskit.Response[ListChatappTemplateResponseBody]) == (ListChatappTemplateResponseBody,)


def test_importing_camskit_does_not_import_the_answers() -> None:
    out = subprocess.run([sys.executable, "-c", "import sys, camskit; print('camskit.answers' in sys.modules)"],
                         capture_output=True, text=True, timeout=60, cwd=TYPING)
    assert out.stdout.strip() == "False", out.stderr


def test_answers_use_runs() -> None:
    out = subprocess.run([sys.executable, "answers_use.py"], capture_output=True, text=True, timeout=60, cwd=TYPING)
    assert out.returncode == 0 and "answers_use: ok" in out.stdout, out.stdout + out.stderr


def mypy(name: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", name],
                          capture_output=True, text=True, timeout=600, cwd=TYPING)


def marked(name: str) -> dict[int, str]:
    """Line -> what its error must name (the text after '# E<n>: ')."""
    out = {}
    for i, line in enumerate((TYPING / name).read_text(encoding="utf-8").splitlines(), 1):
        if "  # E" in line:
            out[i] = line.split("  # E", 1)[1].split(": ", 1)[1].strip()
    return out


def test_mypy_strict_accepts_typed_answers() -> None:
    out = mypy("answers_use.py")
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_strict_rejects_wrong_fields() -> None:
    out = mypy("answers_bad.py")
    assert out.returncode == 1, out.stdout + out.stderr
    errors: dict[int, str] = {}
    for line in out.stdout.splitlines():
        if ": error:" in line:
            n = int(line.split(":")[1])
            errors[n] = errors.get(n, "") + line
    expected = marked("answers_bad.py")
    assert len(expected) == 6
    for n, word in expected.items():
        assert n in errors and f'"{word}"' in errors[n], (n, word, out.stdout)


def pyright(name: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, name],
                          capture_output=True, text=True, timeout=600, cwd=TYPING)


def have_pyright() -> bool:
    try:
        import pyright  # noqa: F401
    except ImportError:
        return False
    return True


needs_pyright = pytest.mark.skipif(not have_pyright(), reason="pyright is not installed (test.sh installs it from PyPI)")


@needs_pyright
def test_pyright_strict_accepts_typed_answers() -> None:
    out = pyright("answers_use.py")  # the file says `# pyright: strict`
    assert out.returncode == 0 and "0 errors" in out.stdout, out.stdout + out.stderr


@needs_pyright
def test_pyright_accepts_the_example() -> None:
    out = pyright("example.py")
    assert out.returncode == 0 and "0 errors" in out.stdout, out.stdout + out.stderr


@needs_pyright
def test_pyright_rejects_wrong_fields() -> None:
    out = pyright("answers_bad.py")
    assert out.returncode == 1, out.stdout + out.stderr
    errors: dict[int, str] = {}
    lines = out.stdout.splitlines()
    for i, line in enumerate(lines):
        if " - error: " in line:
            n = int(line.split(":")[1])
            errors[n] = errors.get(n, "") + line + (lines[i + 1] if i + 1 < len(lines) else "")
    for n, word in marked("answers_bad.py").items():
        assert n in errors and f'"{word}"' in errors[n], (n, word, out.stdout)
