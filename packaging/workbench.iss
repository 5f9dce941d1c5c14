; Inno Setup 6 script of the Workbench installer for Windows (per machine, all users).
; build_installer.py compiles it: ISCC /DAppVersion=x.y.z /DSourceDir=dist\workbench
;                                      /DOutputDir=dist /DIconFile=build\icon\workbench.ico
; Silent install for IT (see README, "Installing on Windows"):
;   WorkbenchSetup-x.y.z.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CONFIG=\\server\it\workbench.toml

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=x.y.z (build_installer.py does)
#endif
#ifndef SourceDir
  #define SourceDir "..\dist\workbench"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif

[Setup]
; The AppId ties upgrades and the uninstaller to one product: never change it.
AppId={{E47420E6-B805-4CCD-9178-77B84C1ED1A1}
AppName=Workbench
AppVersion={#AppVersion}
AppVerName=Workbench {#AppVersion}
AppPublisher=Workbench contributors
DefaultDirName={autopf}\Workbench
DefaultGroupName=Workbench
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=WorkbenchSetup-{#AppVersion}
#ifdef IconFile
SetupIconFile={#IconFile}
#endif
UninstallDisplayIcon={app}\workbench.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; An upgrade closes a running Workbench (its drafts are saved as typed) and starts nothing.
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Libraries of the previous version must not linger beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole bundle, with LICENSE.txt (GPL-3.0-or-later) and THIRD-PARTY-LICENSES.txt at its top.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The machine-wide configuration lives in ProgramData, outside the program folder, so upgrades
; and uninstalls keep it. /CONFIG=<file> installs the practice's file (replacing an older one).
Source: "{#SourceDir}\workbench.toml.example"; DestDir: "{commonappdata}\workbench"; Flags: ignoreversion
Source: "{param:CONFIG}"; DestDir: "{commonappdata}\workbench"; DestName: "workbench.toml"; Flags: external ignoreversion; Check: ConfigGiven

[Dirs]
Name: "{commonappdata}\workbench"

[Icons]
Name: "{autoprograms}\Workbench"; Filename: "{app}\workbench.exe"
Name: "{autodesktop}\Workbench"; Filename: "{app}\workbench.exe"; Tasks: desktopicon

[Run]
; As the user who started Setup, not as the administrator: the keyring and store are per user.
Filename: "{app}\workbench.exe"; Description: "{cm:LaunchProgram,Workbench}"; Flags: nowait postinstall skipifsilent runasoriginaluser

[Code]
function ConfigGiven: Boolean;
begin
  Result := ExpandConstant('{param:CONFIG}') <> '';
end;

function InitializeSetup: Boolean;
begin
  Result := True;
  if ConfigGiven and not FileExists(ExpandConstant('{param:CONFIG}')) then
  begin
    Log('Configuration file not found: ' + ExpandConstant('{param:CONFIG}'));
    SuppressibleMsgBox('Configuration file not found: ' + ExpandConstant('{param:CONFIG}'),
      mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;
