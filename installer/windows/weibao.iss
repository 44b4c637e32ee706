; Inno Setup 6 script for 未保工作站 on Windows 10 1809+ / 11 (64-bit; Qt 6 needs nothing older).
; Build the program folder first (pyinstaller installer\weibao.spec), then:
;   ISCC.exe /DMyAppVersion=0.1.0 installer\windows\weibao.iss
; The release workflow passes the version read from src\weibao_desktop\__init__.py.
; Per-user install without administrator rights; uninstalling keeps every data folder.

#ifndef MyAppVersion
  #error Pass the version: ISCC /DMyAppVersion=x.y.z weibao.iss
#endif
#define MyAppName "未保工作站"
#define MyAppExe "weibao.exe"

[Setup]
AppId={{6F3C2A1E-6B1D-4C55-9A51-2F7E0C5B9D41}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher=weibao-desktop
DefaultDirName={localappdata}\Programs\weibao-desktop
DefaultGroupName={#MyAppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir=..\..\dist
OutputBaseFilename=weibao-desktop-{#MyAppVersion}-setup
SetupIconFile=weibao.ico
UninstallDisplayIcon={app}\{#MyAppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
DisableProgramGroupPage=yes
CloseApplications=yes

[Languages]
; Inno Setup ships no Simplified Chinese messages: ours override the wizard's texts, English fills any gap.
Name: "zh_CN"; MessagesFile: "compiler:Default.isl,ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\weibao\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"; WorkingDir: "{userdocs}"
Name: "{autoprograms}\{#MyAppName}（命令行）"; Filename: "{cmd}"; Parameters: "/k ""{app}\weibao-cli.exe"" --help"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#MyAppExe}"; Description: "{cm:LaunchProgram,{#MyAppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for the data: the stores in %LOCALAPPDATA%\weibao-desktop (and any folder
; chosen with --data-dir) stay after uninstalling, as do their backups.
