; NFC Tagify Desktop: per-user Windows installer (NSIS 3, Modern UI 2).
;
; Built by packaging/windows/build.sh:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DVERSION4=0.1.0.0 -DSRCDIR=<one-folder app>
;            -DOUTFILE=<setup.exe> -DICON=<nfctagify.ico> installer.nsi
;
; - Installs for the current user only, with no administrator rights (and no UAC prompt), into
;   %LOCALAPPDATA%\Programs\NFC Tagify Desktop, the folder Windows uses for per-user apps.
; - Start-menu shortcut always; desktop shortcut optional (a component, or /DESKTOPSHORTCUT
;   with /S for a silent install).
; - Registers the uninstaller under HKCU so it shows in Settings > Apps (Apps & features).
; - An update is the new installer run over the old install: same folder, old program files
;   replaced. User data (drafts, outbox, settings, logs in %LOCALAPPDATA%\nfctagify-desktop)
;   and the API keys (Windows Credential Manager) are never touched, not even by the uninstaller.
; - Refuses to run on Windows older than 10 version 1703 (build 15063): the bundled Qt needs
;   Windows' own ICU, which came with 1703. (32-bit Windows cannot start a 64-bit installer.)

; A 64-bit installer for a 64-bit app: it also runs under a Wine without 32-bit support.
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!ifndef VERSION | VERSION4 | SRCDIR | OUTFILE | ICON
  !error "define VERSION, VERSION4, SRCDIR, OUTFILE and ICON (see the header)"
!endif

!define APP_NAME "NFC Tagify Desktop"
!define APP_EXE "nfctagify-desktop.exe"
!define PUBLISHER "NFC Tagify"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\NFCTagifyDesktop"
!define SHORTCUT "${APP_NAME}.lnk"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
; An update goes where the previous version is.
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} ${VERSION} Setup"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "© ${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; The app's files can only be replaced or removed while it is closed.
!macro WAIT_FOR_APP_CLOSED
  ${Do}
    ClearErrors
    ${IfNot} ${FileExists} "$INSTDIR\${APP_EXE}"
      ${Break}
    ${EndIf}
    FileOpen $0 "$INSTDIR\${APP_EXE}" a
    ${IfNot} ${Errors}
      FileClose $0
      ${Break}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION \
      "${APP_NAME} is running. Close it (unsent orders stay in the Outbox), then click Retry." \
      /SD IDCANCEL IDRETRY +2
    Abort
  ${Loop}
!macroend

Section "${APP_NAME}" SecApp
  SectionIn RO
  SetShellVarContext current
  !insertmacro WAIT_FOR_APP_CLOSED
  SetOutPath "$INSTDIR"
  ; An update: the previous version's libraries go, so no stale DLL outlives it.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRCDIR}/*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${SHORTCUT}" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 \
    SW_SHOWNORMAL "" "Order NFC business cards and follow your orders"

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  SetShellVarContext current
  CreateShortcut "$DESKTOP\${SHORTCUT}" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

Function .onInit
  SetShellVarContext current
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} 15063
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME} needs Windows 10 version 1703 or later." /SD IDOK
    Abort
  ${EndIf}
  ; A silent install (/S) adds the desktop shortcut only when asked: /DESKTOPSHORTCUT.
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DESKTOPSHORTCUT" $1
  ${IfNot} ${Errors}
    SectionSetFlags ${SecDesktop} ${SF_SELECTED}
  ${EndIf}
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  !insertmacro WAIT_FOR_APP_CLOSED
  ; Only what the installer put there: never a recursive delete of $INSTDIR itself, which
  ; could be a folder the user chose that holds other files.
  Delete "$INSTDIR\${APP_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${SHORTCUT}"
  Delete "$DESKTOP\${SHORTCUT}"
  DeleteRegKey HKCU "${UNINST_KEY}"
  ; The app registers itself for Windows notifications (toasts) under its name on first use.
  DeleteRegKey HKCU "Software\Classes\AppUserModelId\${APP_NAME}"
SectionEnd
