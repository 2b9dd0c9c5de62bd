"""Calls by action name are typed (issue 26): under ``mypy --strict`` and pyright strict, a
misspelt action (call, sign, paginate, apaginate), a misspelt parameter name and a wrong answer
field each give exactly the expected error (tests/typing/calls_bad.py), and a program calling
five real operations through ``call`` checks clean (tests/typing/calls_use.py). At run time the
``*_raw`` twins are the same methods."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import camskit

TYPING = Path(__file__).resolve().parent / "typing"

# Marker -> the exact mypy error (after "file:line: error: ").
MYPY = {
    "E1": 'No overload variant of "call" of "Client" matches argument types "str", "dict[str, str]"  [call-overload]',
    "E2": 'No overload variant of "sign" of "Client" matches argument types "str", "dict[str, str]"  [call-overload]',
    "E3": 'No overload variant of "paginate" of "Client" matches argument types "str", "dict[str, str]"  [call-overload]',
    "E4": 'No overload variant of "apaginate" of "Client" matches argument types "str", "dict[str, str]", "object"  '
          "[call-overload]",
    "E5": 'No overload variant of "call" of "Client" matches argument types "str", "dict[str, str]"  [call-overload]',
    "E6": 'TypedDict "ListChatappTemplateResponseBody" has no key "ListTemplates"  [typeddict-item]',
}

# Marker -> the exact pyright errors of that line (message with its detail lines, the rule).
PYRIGHT = {
    "E1": ['No overloads for "call" match the provided arguments (reportCallIssue)',
           r'Argument of type "Literal\[\'ListChatappTemplat\'\]" cannot be assigned to parameter "action" of type '
           r'"Literal\[\'\w+\'\]" in function "call" .*\(reportArgumentType\)'],
    "E2": ['No overloads for "sign" match the provided arguments (reportCallIssue)',
           r'Argument of type "Literal\[\'ChatappMigrationRegistr\'\]" cannot be assigned to parameter "action" .*'
           r'in function "sign" .*\(reportArgumentType\)'],
    "E3": ['No overloads for "paginate" match the provided arguments (reportCallIssue)',
           r'Argument of type "Literal\[\'ListChatAppTemplate\'\]" cannot be assigned to parameter "action" .*'
           r'in function "paginate" .*\(reportArgumentType\)'],
    "E4": ['No overloads for "apaginate" match the provided arguments (reportCallIssue)',
           r'Argument of type "Literal\[\'ListChatappTemplates\'\]" cannot be assigned to parameter "action" .*'
           r'in function "apaginate" .*\(reportArgumentType\)'],
    "E5": ['No overloads for "call" match the provided arguments (reportCallIssue)',
           r'Argument of type "dict\[str, str\]" cannot be assigned to parameter "params" of type '
           r'"ListChatappTemplateParams" in function "call" "CustSpaceID" is an undefined item in type '
           r'"ListChatappTemplateParams" \(reportArgumentType\)'],
    "E6": [r'Could not access item in TypedDict "ListTemplates" is not a defined key in '
           r'"ListChatappTemplateResponseBody" \(reportGeneralTypeIssues\)'],
}


def markers(name: str) -> dict[int, str]:
    out = {}
    for i, line in enumerate((TYPING / name).read_text(encoding="utf-8").splitlines(), 1):
        m = re.search(r"  # (E\d+):", line)
        if m:
            out[i] = m.group(1)
    return out


def mypy(name: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", name],
                          capture_output=True, text=True, timeout=600, cwd=TYPING)


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


def test_mypy_strict_gives_exactly_the_expected_errors() -> None:
    out = mypy("calls_bad.py")
    assert out.returncode == 1, out.stdout + out.stderr
    got: dict[int, list[str]] = {}
    for line in out.stdout.splitlines():
        m = re.match(r"calls_bad\.py:(\d+): error: (.*)$", line)
        if m:
            got.setdefault(int(m.group(1)), []).append(m.group(2))
    expected = {n: [MYPY[e]] for n, e in markers("calls_bad.py").items()}
    assert len(expected) == 6
    assert got == expected, out.stdout


def test_mypy_strict_accepts_five_typed_calls() -> None:
    out = mypy("calls_use.py")
    assert out.returncode == 0 and "Success: no issues found" in out.stdout, out.stdout + out.stderr


@needs_pyright
def test_pyright_strict_gives_exactly_the_expected_errors() -> None:
    out = pyright("calls_bad.py")  # the file says `# pyright: strict`
    assert out.returncode == 1, out.stdout + out.stderr
    # One error per " - error: " line, its indented detail lines joined to it.
    errors: list[tuple[int, str]] = []
    for line in out.stdout.replace("\u00a0", " ").splitlines():
        m = re.match(r"\s*\S+calls_bad\.py:(\d+):\d+ - error: (.*)$", line)
        if m:
            errors.append((int(m.group(1)), m.group(2)))
        elif errors and line.startswith("    ") and " - " not in line[:6]:
            n, text = errors[-1]
            errors[-1] = (n, text + " " + line.strip())
    got: dict[int, list[str]] = {}
    for n, text in errors:
        got.setdefault(n, []).append(text)
    marks = markers("calls_bad.py")
    assert sorted(got) == sorted(marks), out.stdout
    for n, e in marks.items():
        want = PYRIGHT[e]
        assert len(got[n]) == len(want), (e, got[n])
        for pattern, text in zip(want, got[n]):
            assert re.fullmatch(pattern if "\\" in pattern else re.escape(pattern), text), (e, pattern, text)
    assert f"{sum(len(v) for v in PYRIGHT.values())} errors" in out.stdout


@needs_pyright
def test_pyright_strict_accepts_five_typed_calls() -> None:
    out = pyright("calls_use.py")
    assert out.returncode == 0 and "0 errors" in out.stdout, out.stdout + out.stderr


def test_raw_twins_are_the_same_methods_at_run_time() -> None:
    c = camskit.Client("LTAI5tCamsKitPyTest01", "PyTestSecret0123456789abcdefAB")
    for name in ("call", "acall", "paginate", "iter_items", "apaginate", "aiter_items", "sign"):
        assert getattr(camskit.Client, f"{name}_raw") is getattr(camskit.Client, name), name
    # Any action at run time, as before (the stub is what refuses a name it does not know).
    a = c.sign_raw("DescribeRegions", {"AcceptLanguage": "en"}, raw=True, api_version="2014-05-26",
                   timestamp=1752480000, nonce="n-1")
    b = c.sign("DescribeRegions", {"AcceptLanguage": "en"}, raw=True, api_version="2014-05-26",  # type: ignore[call-overload]
               timestamp=1752480000, nonce="n-1")
    assert a.url == b.url and "Action=DescribeRegions" in a.url


def test_every_operation_has_its_params_typeddict_in_the_stub() -> None:
    stub = Path(camskit.__file__).with_name("__init__.pyi").read_text(encoding="utf-8")
    for op in camskit.operations():
        block = stub.split(f"class {op.name}Params(TypedDict, total=False):\n", 1)[1].split("\nclass ", 1)[0]
        for p in op.params:
            assert (f"    {p.name}: Required[" in block) == p.required, (op.name, p.name)
            assert f"    {p.name}: " in block, (op.name, p.name)
