@echo off
rem PMQA Desktop on the command line: pmqa-desktop diagnose, demo, print, check, merge ...
"%~dp0Python\python.exe" "%~dp0pmqa_desktop_start.py" %*
exit /b %ERRORLEVEL%
