@echo off
rem Set up xl-profile on Windows with the xlwings Excel add-in, so analysts can call the
rem worksheet functions (=CC_WILSON, =CC_VALUE, ...) in their own workbooks.
rem Run from the folder this file is in. Needs Python 3.11+ on PATH and Excel closed.
setlocal
cd /d "%~dp0"

where python >nul 2>nul || (echo Error: Python 3.11 or later is not on PATH. & exit /b 1)

if not exist .venv (
    python -m venv .venv || (echo Error: could not create .venv & exit /b 1)
)
.venv\Scripts\python -m pip install --quiet --upgrade pip
.venv\Scripts\python -m pip install --quiet -e ".[excel]" || (echo Error: installing xl-profile failed & exit /b 1)

rem The add-in itself, then the user settings that point it at this interpreter and our UDFs.
.venv\Scripts\xlwings addin install || (echo Error: installing the xlwings add-in failed & exit /b 1)
.venv\Scripts\xlwings config create --force
>>"%USERPROFILE%\.xlwings\xlwings.conf" echo "UDF MODULES","udfs.functions"
>>"%USERPROFILE%\.xlwings\xlwings.conf" echo "PYTHONPATH","%~dp0"

echo.
echo xl-profile is installed. Open Excel, go to the xlwings tab and click "Import Functions";
echo then type =CC_WILSON(65,100) in a cell to check.
echo Circulated workbooks never need this add-in.
endlocal
