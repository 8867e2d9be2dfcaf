@echo off
rem tether's launcher on Windows: the image's JVM with the AOT cache trained at build time. JVM options
rem are baked into the image (jlink --add-options).
"%~dp0java.exe" -XX:AOTCache="%~dp0..\lib\tether.aot" -m tether.cli/tether.cli.Main %*
exit /b %ERRORLEVEL%
