/* Wine-only: the 4 mscms functions Qt's qwindows.dll imports (Wine 8 lacks WcsCreateIccProfile).
   No screen colour profile: Qt assumes sRGB. Used only by the Xvfb run (WINEDLLOVERRIDES). */
#include <windows.h>
__declspec(dllexport) HANDLE WINAPI OpenColorProfileW(void *p, DWORD a, DWORD s, DWORD c) { (void)p; (void)a; (void)s; (void)c; SetLastError(ERROR_FILE_NOT_FOUND); return NULL; }
__declspec(dllexport) BOOL WINAPI GetColorProfileFromHandle(HANDLE h, BYTE *b, DWORD *n) { (void)h; (void)b; if (n) *n = 0; return FALSE; }
__declspec(dllexport) BOOL WINAPI CloseColorProfile(HANDLE h) { (void)h; return TRUE; }
__declspec(dllexport) HANDLE WINAPI WcsCreateIccProfile(HANDLE h, DWORD o) { (void)h; (void)o; return NULL; }
