@echo off
rem Set up xl-profile on Windows with the xlwings Excel add-in, so analysts can call the
rem worksheet functions (=CC_PROPORTION, =CC_REACH, ...) in their own workbooks.
rem Run it from the folder it is in (the xl-profile source), with Excel closed. No admin rights
rem are needed: everything goes under %LOCALAPPDATA%\xl-profile and your own Excel settings.
rem Every step checks its error level and stops with a message naming what to do.
setlocal EnableExtensions
set "SOURCE=%~dp0."
set "HOME_DIR=%LOCALAPPDATA%\xl-profile"
set "VENV=%LOCALAPPDATA%\xl-profile\venv"
set "PY=%LOCALAPPDATA%\xl-profile\venv\Scripts\python.exe"
set "XLWINGS=%LOCALAPPDATA%\xl-profile\venv\Scripts\xlwings.exe"
set "CONF=%USERPROFILE%\.xlwings\xlwings.conf"

rem 1. Python 3.11 or later, 64-bit: the py launcher finds any installed version, else python.
set "BASE=py -3"
py -3 -c "import sys" >nul 2>nul
if errorlevel 1 set "BASE=python"
%BASE% -c "import sys, struct; sys.exit(0 if sys.version_info >= (3, 11) and struct.calcsize('P') == 8 else 1)"
if errorlevel 1 goto :no_python

rem 2. The environment and the package with its Excel extra.
if not exist "%HOME_DIR%" mkdir "%HOME_DIR%"
if errorlevel 1 goto :fail_folder
if not exist "%PY%" %BASE% -m venv "%VENV%"
if errorlevel 1 goto :fail_venv
"%PY%" -m pip install --quiet --upgrade pip
if errorlevel 1 goto :fail_pip
"%PY%" -m pip install --quiet "%SOURCE%[excel]"
if errorlevel 1 goto :fail_pip
"%PY%" -c "import udfs"
if errorlevel 1 goto :fail_pip

rem 3. The add-in, then the settings that point it at this environment and at our functions.
"%XLWINGS%" addin install
if errorlevel 1 goto :fail_addin
rem The settings file is the user's: an existing one is kept beside it before it is rewritten.
if exist "%CONF%" copy /y "%CONF%" "%CONF%.before-xl-profile" >nul
if errorlevel 1 goto :fail_backup
"%XLWINGS%" config create --force
if errorlevel 1 goto :fail_settings
>>"%CONF%" echo "UDF MODULES","udfs"
if errorlevel 1 goto :fail_settings

echo.
echo xl-profile is installed in "%VENV%".
echo Any xlwings settings you had before are kept in "%CONF%.before-xl-profile".
echo To check it: open Excel, click Import Functions on the xlwings tab, then type
echo     =CC_PROPORTION(65,100)
echo in a cell: it shows 65, and the limits 55.3 and 73.6 in the two cells to its right.
echo The functions are listed in Insert Function under "Children's centres"; see docs\udfs.md.
echo.
echo If Excel cannot start Python, or Windows Defender (or another antivirus) says it blocked
echo Excel from starting a program: the rule "Block all Office applications from creating
echo child processes" stops the add-in. Ask IT to exclude
echo     "%VENV%\Scripts\python.exe" and "%VENV%\Scripts\pythonw.exe"
echo from that rule; nothing else needs to change.
echo Circulated workbooks never need this add-in.
endlocal
exit /b 0

:no_python
echo Error: 64-bit Python 3.11 or later was not found (tried the py launcher and python).
echo Install it from https://www.python.org/downloads/windows/ (Windows installer, 64-bit) and
echo run this script again. Keep 64-bit Python with 32-bit Office too: the xlwings add-in carries
echo parts for both, so Python need not match Office.
exit /b 1

:fail_folder
echo Error: could not create "%HOME_DIR%"; check that your user folder can be written.
exit /b 1

:fail_venv
echo Error: could not create the Python environment "%VENV%".
exit /b 1

:fail_pip
echo Error: installing xl-profile into "%VENV%" failed (see the messages above; a proxy may
echo need setting with pip config, or delete "%VENV%" and run this script again).
exit /b 1

:fail_addin
echo Error: installing the xlwings add-in failed: close Excel and run this script again.
exit /b 1

:fail_backup
echo Error: could not keep a copy of your xlwings settings "%CONF%"; nothing was changed.
exit /b 1

:fail_settings
echo Error: could not write the xlwings settings "%CONF%".
exit /b 1
