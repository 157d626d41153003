/* Wine-only stand-in for Windows' system icuuc.dll: every converter fails to open. */
#include <stddef.h>
typedef int UErrorCode;
#define X __declspec(dllexport)
static void fail(UErrorCode *e) { if (e && *e <= 0) *e = 16; /* U_UNSUPPORTED_ERROR */ }
X void *ucnv_open(const char *n, UErrorCode *e) { (void)n; fail(e); return NULL; }
X void ucnv_close(void *c) { (void)c; }
X void ucnv_reset(void *c) { (void)c; }
X signed char ucnv_getMaxCharSize(const void *c) { (void)c; return 1; }
X const char *ucnv_getName(const void *c, UErrorCode *e) { (void)c; fail(e); return NULL; }
X void ucnv_getToUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
X void ucnv_getFromUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
X void ucnv_setToUCallBack(void *c, void *n, const void *x, void **o, const void **q, UErrorCode *e) { (void)c; (void)n; (void)x; if (o) *o = NULL; if (q) *q = NULL; fail(e); }
X void ucnv_setFromUCallBack(void *c, void *n, const void *x, void **o, const void **q, UErrorCode *e) { (void)c; (void)n; (void)x; if (o) *o = NULL; if (q) *q = NULL; fail(e); }
X void ucnv_cbToUWriteUChars(void *a, const void *s, int l, int o, UErrorCode *e) { (void)a; (void)s; (void)l; (void)o; fail(e); }
X void ucnv_cbFromUWriteUChars(void *a, const void **s, const void *l, int o, UErrorCode *e) { (void)a; (void)s; (void)l; (void)o; fail(e); }
X void ucnv_toUnicode(void *c, void **t, const void *tl, const char **s, const char *sl, int *o, signed char f, UErrorCode *e) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(e); }
X void ucnv_fromUnicode(void *c, char **t, const char *tl, const void **s, const void *sl, int *o, signed char f, UErrorCode *e) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(e); }
X int ucnv_toUCountPending(const void *c, UErrorCode *e) { (void)c; fail(e); return 0; }
X int ucnv_fromUCountPending(const void *c, UErrorCode *e) { (void)c; fail(e); return 0; }
X const char *ucnv_getStandardName(const char *n, const char *s, UErrorCode *e) { (void)n; (void)s; fail(e); return NULL; }
X const char *ucnv_getAvailableName(int i) { (void)i; return NULL; }
X int ucnv_countAvailable(void) { return 0; }
X void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *a, void *b, const void *c, int d, int f, int g, UErrorCode *e) { (void)a; (void)b; (void)c; (void)d; (void)f; (void)g; fail(e); }
X void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *a, void *b, const char *c, int d, int f, UErrorCode *e) { (void)a; (void)b; (void)c; (void)d; (void)f; fail(e); }
