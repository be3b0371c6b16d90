<#
.SYNOPSIS
  Runs the CoGPT gateway on Windows as a scheduled task that starts with the machine.

.DESCRIPTION
  enable    registers the task (at startup, as the current user whether or not anyone is logged
            on, restarted after a crash) and starts it
  disable   stops the task and removes it
  start     starts the task
  stop      stops the task
  restart   stops, then starts the task
  status    shows the task's state, last run and last result, and asks the gateway's /healthz
  run       what the task itself runs: the gateway, restarted after a crash

  From the release archive unpacked in C:\CoGPT (this script is then C:\CoGPT\examples\...), the
  gateway runs as `C:\CoGPT\runtime\node.exe C:\CoGPT\lib\cogpt.mjs serve`; from a global npm
  install (`npm install -g cogpt`), pass -InstallDir "$(npm root -g)\cogpt" -DataDir C:\CoGPT and
  it runs `node <InstallDir>\dist\src\main.js serve` with the node.exe on PATH. It runs in DataDir
  (default: InstallDir), so .env, db\cache.sqlite3 and log\cogpt.log are there. Use an elevated
  PowerShell.
  Windows has no SIGTERM: stop ends the process at once, so streams in flight are cut (the
  SQLite cache survives that).

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File examples\cogpt-api-service.ps1 enable
#>
[CmdletBinding()]
param(
  [Parameter(Mandatory = $true, Position = 0)]
  [ValidateSet('enable', 'disable', 'start', 'stop', 'restart', 'status', 'run')]
  [string] $Action,

  # The unpacked archive, or the cogpt package of a global npm install. Default: the one this
  # script is in.
  [string] $InstallDir = '',

  # Where .env, db\ and log\ live. Default: InstallDir.
  [string] $DataDir = '',

  # node.exe. Default: the archive's runtime\node.exe, else the one on PATH.
  [string] $Node = '',

  [string] $TaskName = 'cogpt-api',

  # Where status asks /healthz (the gateway's PORT).
  [int] $Port = 8080
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if ($InstallDir -eq '') { $InstallDir = Split-Path -Parent $PSScriptRoot }
# No trailing backslash: it would escape the closing quote in the task's argument string.
$InstallDir = (Resolve-Path -LiteralPath $InstallDir).Path.TrimEnd('\')
# The archive holds the one-file bundle and its own Node; the npm package, the compiled code.
$Bundle = Join-Path $InstallDir 'lib\cogpt.mjs'
$BundledNode = Join-Path $InstallDir 'runtime\node.exe'
if (Test-Path -LiteralPath $Bundle) { $MainScript = $Bundle } else { $MainScript = Join-Path $InstallDir 'dist\src\main.js' }
if ($DataDir -eq '') { $DataDir = $InstallDir }
$DataDir = $DataDir.TrimEnd('\')

function Resolve-Node {
  if ($Node -ne '') { return (Resolve-Path -LiteralPath $Node).Path }
  if (Test-Path -LiteralPath $BundledNode) { return $BundledNode }
  $command = Get-Command node -CommandType Application -ErrorAction SilentlyContinue |
    Select-Object -First 1
  if ($null -eq $command) { throw 'node.exe is not on PATH: install Node.js 20.19 or newer, or pass -Node.' }
  return $command.Path
}

function Assert-Administrator {
  $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
  $principal = New-Object Security.Principal.WindowsPrincipal($identity)
  if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw "'$Action' registers a task that runs at startup: run it in an elevated PowerShell."
  }
}

function Get-GatewayTask {
  $task = Get-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue
  if ($null -eq $task) { throw "There is no scheduled task '$TaskName': run '$PSCommandPath enable' first." }
  return $task
}

function Enable-Gateway {
  Assert-Administrator
  $nodePath = Resolve-Node
  if (-not (Test-Path -LiteralPath $MainScript)) {
    throw "$MainScript is missing: -InstallDir must be the unpacked archive or the installed cogpt package."
  }
  $shell = (Get-Process -Id $PID).Path
  New-Item -ItemType Directory -Force -Path $DataDir | Out-Null
  $arguments = "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$PSCommandPath`" run " +
    "-InstallDir `"$InstallDir`" -DataDir `"$DataDir`" -Node `"$nodePath`" -TaskName `"$TaskName`""
  $taskAction = New-ScheduledTaskAction -Execute $shell -Argument $arguments -WorkingDirectory $DataDir
  $trigger = New-ScheduledTaskTrigger -AtStartup
  # S4U: runs as this user at startup, logged on or not, without storing the password.
  $principal = New-ScheduledTaskPrincipal -UserId $([Security.Principal.WindowsIdentity]::GetCurrent().Name) `
    -LogonType S4U -RunLevel Limited
  # Task Scheduler's own restart covers a failed launch only; `run` restarts the gateway after a
  # crash. No time limit, one instance, and batteries do not stop it.
  $settings = New-ScheduledTaskSettingsSet -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1) `
    -ExecutionTimeLimit ([TimeSpan]::Zero) -MultipleInstances IgnoreNew -StartWhenAvailable `
    -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
  Register-ScheduledTask -TaskName $TaskName -Description 'CoGPT gateway (GitHub Copilot models over the OpenAI API)' `
    -Action $taskAction -Trigger $trigger -Principal $principal -Settings $settings -Force | Out-Null
  Start-ScheduledTask -TaskName $TaskName
  Write-Host "Task '$TaskName' registered and started: $nodePath $MainScript serve (in $DataDir)."
}

function Disable-Gateway {
  Assert-Administrator
  Get-GatewayTask | Out-Null
  Stop-Gateway
  Unregister-ScheduledTask -TaskName $TaskName -Confirm:$false
  Write-Host "Task '$TaskName' stopped and removed."
}

function Start-Gateway {
  Get-GatewayTask | Out-Null
  Start-ScheduledTask -TaskName $TaskName
  Write-Host "Task '$TaskName' started."
}

function Stop-Gateway {
  Get-GatewayTask | Out-Null
  Stop-ScheduledTask -TaskName $TaskName
  # Ending the task ends its process tree; should a gateway outlive it, end that one process too
  # (matched by its full command line, so no other node program is touched).
  Get-CimInstance Win32_Process -Filter "Name = 'node.exe'" |
    Where-Object { $null -ne $_.CommandLine -and $_.CommandLine.Contains($MainScript) } |
    ForEach-Object { Stop-Process -Id $_.ProcessId -Force -ErrorAction SilentlyContinue }
  for ($i = 0; $i -lt 20 -and (Get-GatewayTask).State -eq 'Running'; $i++) { Start-Sleep -Milliseconds 500 }
  Write-Host "Task '$TaskName' stopped."
}

function Show-GatewayStatus {
  $task = Get-GatewayTask
  $info = $task | Get-ScheduledTaskInfo
  [pscustomobject]@{
    Task           = $TaskName
    State          = $task.State
    LastRunTime    = $info.LastRunTime
    LastTaskResult = $info.LastTaskResult
    NextRunTime    = $info.NextRunTime
  } | Format-List | Out-Host
  try {
    $health = Invoke-RestMethod -Uri "http://localhost:$Port/healthz" -TimeoutSec 5
    Write-Host "healthz: $($health.status), version $($health.version), up $($health.uptime_seconds) s, cache $($health.cache)"
  } catch {
    Write-Host "healthz: no answer on port $Port ($($_.Exception.Message))"
  }
}

function Invoke-Gateway {
  $nodePath = Resolve-Node
  Set-Location -LiteralPath $DataDir
  # A native program's exit code is data here, not an error.
  $ErrorActionPreference = 'Continue'
  while ($true) {
    & $nodePath $MainScript serve
    $code = $LASTEXITCODE
    # 0: a clean stop. 2: a configuration error, which a restart would only repeat.
    if ($code -eq 0 -or $code -eq 2) { exit $code }
    Start-Sleep -Seconds 5
  }
}

switch ($Action) {
  'enable' { Enable-Gateway }
  'disable' { Disable-Gateway }
  'start' { Start-Gateway }
  'stop' { Stop-Gateway }
  'restart' { Stop-Gateway; Start-Gateway }
  'status' { Show-GatewayStatus }
  'run' { Invoke-Gateway }
}
