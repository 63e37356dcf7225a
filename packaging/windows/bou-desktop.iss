; Inno Setup 6 script: a per-user installer for BoU Desktop, in Swedish. No administrator rights are
; needed: the program goes to %LOCALAPPDATA%\Programs\BoU Desktop. The user's data (databases, settings,
; backups) lives elsewhere, in %LOCALAPPDATA%\BoU Desktop, and the uninstaller leaves it alone.
;
; Made by packaging/build.py --installer, which passes the values below; by hand, from the repository root,
; after building the program folder (dist\bou-desktop):
;     iscc /DAppVersion=0.1.0 packaging\windows\bou-desktop.iss
; Needs Inno Setup 6.3 or later (it ships Languages\Swedish.isl).

#ifndef AppVersion
  #error Ange programmets version: iscc /DAppVersion=0.1.0 ...
#endif
#ifndef NumericVersion
  #define NumericVersion AppVersion
#endif
#ifndef RepoDir
  #define RepoDir AddBackslash(SourcePath) + "..\.."
#endif
#ifndef SourceDir
  #define SourceDir RepoDir + "\dist\bou-desktop"
#endif
#ifndef OutputDir
  #define OutputDir RepoDir + "\dist"
#endif
#define AppName "BoU Desktop"
#define AppExe "bou-desktop.exe"
#define CliExe "bou-desktop-cli.exe"

[Setup]
; AppId identifies the program for upgrades and uninstalling: never change it.
AppId={{6F1C3E2A-5B7D-4E8F-9A2B-3C4D5E6F7A81}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
AppComments=Samla in och sammanställ SKL:s kartläggning om systematisk uppföljning av placerade barn
VersionInfoVersion={#NumericVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} installationsprogram
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=bou-desktop-{#AppVersion}-setup
SetupIconFile={#RepoDir}\resources\icons\bou-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; Close a running BoU Desktop before files are replaced (its database is safe: every change is already saved).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "swedish"; MessagesFile: "compiler:Languages\Swedish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller folder: both programs and _internal (Python, Qt, forms, resources).
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundled libraries as a whole, so that no file of an older version is left behind.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "Samla in och sammanställ kartläggningen"
Name: "{autoprograms}\{#AppName} (kommandorad)"; Filename: "{cmd}"; Parameters: "/k ""{app}\{#CliExe}"" --help"; WorkingDir: "{userdocs}"; Comment: "BoU Desktop i kommandotolken (bou-desktop-cli)"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
