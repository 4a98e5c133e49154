"""install.bat, checked statically (no Windows here): every step checks its error level, no path
can break on a space, and it says what an analyst needs to know."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "install.bat"
#: Variables holding paths that may contain spaces (C:\Users\Jane Smith\...).
PATH_VARIABLES = ("%~dp0", "%LOCALAPPDATA%", "%USERPROFILE%", "%SOURCE%", "%HOME_DIR%",
                  "%VENV%", "%PY%", "%XLWINGS%", "%CONF%")
#: Lines that run nothing that can fail, or that are the checks themselves.
NOT_A_STEP = re.compile(r"^(@?echo\b|rem\b|set\s|setlocal|endlocal|exit\s|goto\s|:|if errorlevel)",
                        re.IGNORECASE)


def lines() -> list[str]:
    return [line.strip() for line in SCRIPT.read_text(encoding="ascii").splitlines()]


def steps() -> list[tuple[int, str]]:
    return [(i, line) for i, line in enumerate(lines()) if line and not NOT_A_STEP.match(line)]


def test_windows_line_endings():
    data = SCRIPT.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n"), "cmd.exe needs CRLF for labels and goto"


def test_every_step_checks_its_error_level():
    text = lines()
    assert len(steps()) >= 8
    for i, line in steps():
        following = text[i + 1] if i + 1 < len(text) else ""
        checked = re.search(r"\|\|\s*\(?.*exit /b [1-9]", line) or \
            re.match(r"if errorlevel 1 (goto :\w+|set )", following, re.IGNORECASE)
        assert checked, f"line {i + 1} does not check its error level: {line}"


def test_every_failure_label_exists_and_exits_non_zero():
    text = lines()
    targets = set(re.findall(r"goto :(\w+)", "\n".join(text)))
    for label in targets:
        start = text.index(f":{label}")
        block = text[start + 1:]
        end = next(i for i, line in enumerate(block) if line.startswith("exit /b"))
        assert block[end] == "exit /b 1" and block[0].startswith("echo Error:"), label


def test_no_path_breaks_on_a_space():
    for number, line in enumerate(lines(), start=1):
        if re.match(r"(@?echo|rem)\b", line, re.IGNORECASE):
            continue
        outside_quotes = re.sub(r'"[^"]*"', '""', line)
        for variable in PATH_VARIABLES:
            assert variable.lower() not in outside_quotes.lower(), \
                f"line {number}: {variable} outside double quotes: {line}"


def test_the_python_check_is_valid_python_and_asks_for_64_bit_311():
    check = next(re.search(r'-c "([^"]*version_info[^"]*)"', line).group(1) for line in lines()
                 if "version_info" in line)
    assert "(3, 11)" in check and "calcsize('P') == 8" in check
    ok = subprocess.run([sys.executable, "-c", check], check=False)
    assert ok.returncode == (0 if sys.version_info >= (3, 11) and sys.maxsize > 2**32 else 1)


def test_it_does_what_the_analyst_needs():
    text = "\n".join(lines())
    for needed in (r"%LOCALAPPDATA%\xl-profile", '"%SOURCE%[excel]"', '"%XLWINGS%" addin install',
                   '"%XLWINGS%" config create', 'echo "UDF MODULES","udfs"',
                   "=CC_PROPORTION(65,100)", "55.3", "73.6", "Windows Defender", "32-bit Office"):
        assert needed in text, needed
    assert text.index("addin install") < text.index("UDF MODULES")


def test_an_existing_xlwings_settings_file_is_kept_before_it_is_rewritten():
    text = "\n".join(lines())
    backup = 'if exist "%CONF%" copy /y "%CONF%" "%CONF%.before-xl-profile"'
    assert backup in text
    assert text.index(backup) < text.index('"%XLWINGS%" config create --force')
