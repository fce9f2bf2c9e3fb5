@echo off
rem phisync launcher: builds the CLI on first use, then runs it. Works from any directory.
setlocal
set "PHISYNC_HOME=%~dp0"
set "PHISYNC_JAR=%PHISYNC_HOME%phisync-cli\target\phisync.jar"
if exist "%PHISYNC_JAR%" goto run
echo phisync: building the CLI (first use) ... 1>&2
pushd "%PHISYNC_HOME%"
call "%PHISYNC_HOME%mvnw.cmd" -q -B -DskipTests -Dspotless.check.skip=true package -pl phisync-cli -am 1>&2
set "PHISYNC_BUILD=%ERRORLEVEL%"
popd
if not "%PHISYNC_BUILD%"=="0" (
  echo phisync: the build failed; run "mvnw.cmd -B package -pl phisync-cli -am" in %PHISYNC_HOME% to see why 1>&2
  exit /b 1
)
:run
set "PHISYNC_JAVA=java"
if defined JAVA_HOME set "PHISYNC_JAVA=%JAVA_HOME%\bin\java"
rem As the POSIX launcher: C1 only and the serial GC start a short command fastest (no AppCDS archive
rem here yet); %PHISYNC_JAVA_OPTS% comes last, to override (e.g. -XX:TieredStopAtLevel=4).
"%PHISYNC_JAVA%" -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto %PHISYNC_JAVA_OPTS% -jar "%PHISYNC_JAR%" %*
exit /b %ERRORLEVEL%
