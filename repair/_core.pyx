# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled core: the typed Cython build of the scanner specified by ``repair/_core_py.py``.

Same classes, methods and constants in the same order as the pure twin; a side-by-side
diff reads as "added types". The buffer is kept as a ``str`` and read with
``PyUnicode_READ`` (its kind and data pointer are refreshed in ``feed()``), character
classes are C comparisons, and the container stack is a set of C arrays. Python objects
appear only where the twin produces a token, an edit or a candidate.
"""
cimport cython
from cpython.unicode cimport PyUnicode_DATA, PyUnicode_FromObject, PyUnicode_KIND, PyUnicode_READ
from libc.stdlib cimport free, malloc, qsort, realloc
from libc.stdint cimport uint8_t, uint16_t, uint32_t
from libc.string cimport memcpy, memmove
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize

# (compiled core only) the characters of a str's data, one type per kind: a function of
# them is compiled once per kind, its reads with no test of the kind
ctypedef fused ucs_t:
    uint8_t
    uint16_t
    uint32_t


cdef extern from "Python.h":
    const Py_ssize_t PY_SSIZE_T_MAX
    const int PyUnicode_1BYTE_KIND
    const int PyUnicode_2BYTE_KIND
    bint PyUnicode_IS_ASCII(object)
    const char* PyUnicode_AsUTF8AndSize(object, Py_ssize_t*) except NULL
    Py_UCS4 PyUnicode_READ_CHAR(object, Py_ssize_t) noexcept

cdef extern from *:
    """
    #define REPAIR_LOW_WATER_NONE (((Py_ssize_t)1) << 62)

    /* Large arrays straight from the system (POSIX mmap), so that freeing them gives
       the memory back at once: malloc may keep freed blocks in the process (glibc's
       mmap threshold adapts upwards). Elsewhere, and for small sizes, malloc. */
    #define REPAIR_BIG ((size_t)1 << 18)
    #if defined(__unix__) || defined(__APPLE__)
    #include <sys/mman.h>
    #include <string.h>
    #ifndef MAP_ANONYMOUS
    #define MAP_ANONYMOUS MAP_ANON
    #endif
    static void* repair_big_alloc(size_t size) {
        void* p;
        if (size < REPAIR_BIG) return malloc(size);
        p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p == MAP_FAILED ? NULL : p;
    }
    static void repair_big_free(void* p, size_t size) {
        if (p == NULL) return;
        if (size < REPAIR_BIG) free(p); else munmap(p, size);
    }
    #else
    static void* repair_big_alloc(size_t size) { return malloc(size); }
    static void repair_big_free(void* p, size_t size) { (void)size; free(p); }
    #endif
    /* The UTF-8 size of n characters beyond n: branch-free loops the compiler can
       vectorise (the module is built with -O2, which does not) */
    #if defined(__GNUC__) && !defined(__clang__)
    #define REPAIR_VECTORISE __attribute__((optimize("O3")))
    #else
    #define REPAIR_VECTORISE
    #endif
    REPAIR_VECTORISE static Py_ssize_t repair_utf8_extra1(const unsigned char* s, Py_ssize_t n) {
        Py_ssize_t extra = 0, i;
        for (i = 0; i < n; i++) extra += s[i] >> 7;
        return extra;
    }
    REPAIR_VECTORISE static Py_ssize_t repair_utf8_extra2(const uint16_t* s, Py_ssize_t n) {
        Py_ssize_t extra = 0, i;
        for (i = 0; i < n; i++) extra += (s[i] >= 0x80) + (s[i] >= 0x800);
        return extra;
    }
    /* n characters in UTF-8 at p (a surrogate as its three bytes); the end. Blocks of
       ASCII characters are copied whole. */
    static char* repair_utf8_copy1(char* p, const unsigned char* s, Py_ssize_t n) {
        Py_ssize_t i = 0, end;
        uint64_t w[2];
        while (i < n) {
            end = i + 16 <= n ? i + 16 : n;
            if (end - i == 16) {
                memcpy(w, s + i, 16);
                if (((w[0] | w[1]) & 0x8080808080808080ULL) == 0) {
                    memcpy(p, s + i, 16); p += 16; i += 16; continue;
                }
            }
            for (; i < end; i++) {
                if (s[i] < 0x80) *p++ = (char)s[i];
                else { *p++ = (char)(0xC0 | (s[i] >> 6)); *p++ = (char)(0x80 | (s[i] & 0x3F)); }
            }
        }
        return p;
    }
    static char* repair_utf8_copy2(char* p, const uint16_t* s, Py_ssize_t n) {
        Py_ssize_t i = 0, end;
        int k;
        uint32_t c;
        uint64_t w[2];
        while (i < n) {
            end = i + 8 <= n ? i + 8 : n;
            if (end - i == 8) {
                memcpy(w, s + i, 16);
                if (((w[0] | w[1]) & 0xFF80FF80FF80FF80ULL) == 0) {
                    for (k = 0; k < 8; k++) p[k] = (char)s[i + k];
                    p += 8; i += 8; continue;
                }
            }
            for (; i < end; i++) {
                c = s[i];
                if (c < 0x80) *p++ = (char)c;
                else if (c < 0x800) { *p++ = (char)(0xC0 | (c >> 6)); *p++ = (char)(0x80 | (c & 0x3F)); }
                else {
                    *p++ = (char)(0xE0 | (c >> 12));
                    *p++ = (char)(0x80 | ((c >> 6) & 0x3F));
                    *p++ = (char)(0x80 | (c & 0x3F));
                }
            }
        }
        return p;
    }
    /* Is the valid JSON of n UTF-8 bytes nested deeper than limit? Outside strings a
       table marks the bytes that matter (the quote, brackets and braces); a string is
       skipped with memchr to its closing quote (one not escaped by an odd run of
       backslashes). */
    static int repair_utf8_depth_exceeds(const char* u, Py_ssize_t n, Py_ssize_t limit) {
        static unsigned char mark[256];
        const unsigned char* b = (const unsigned char*)u;
        const char* q;
        Py_ssize_t i = 0, depth = 0, k;
        unsigned char c;
        if (!mark['"']) { mark['['] = mark['{'] = 1; mark[']'] = mark['}'] = 2; mark['"'] = 3; }
        for (;;) {
            while (i < n && !mark[b[i]]) i++;
            if (i >= n) return 0;
            c = mark[b[i]];
            if (c == 1) { if (++depth > limit) return 1; }
            else if (c == 2) depth--;
            else {
                for (;;) {
                    q = (const char*)memchr(u + i + 1, '"', (size_t)(n - i - 1));
                    if (q == NULL) return 0;
                    i = q - u;
                    for (k = i - 1; b[k] == 0x5C; k--) ;
                    if ((i - k) % 2 == 1) break;
                }
            }
            i++;
        }
    }
    /* p (of old_size bytes, from repair_big_alloc) grown to new_size, or NULL */
    static void* repair_big_grow(void* p, size_t old_size, size_t new_size) {
        void* q;
        if (new_size < REPAIR_BIG) return realloc(p, new_size);
    #if defined(__linux__) && defined(MREMAP_MAYMOVE)
        if (p != NULL && old_size >= REPAIR_BIG) {
            q = mremap(p, old_size, new_size, MREMAP_MAYMOVE);
            return q == MAP_FAILED ? NULL : q;
        }
    #endif
        q = repair_big_alloc(new_size);
        if (q == NULL) return NULL;
        if (p != NULL) { memcpy(q, p, old_size); repair_big_free(p, old_size); }
        return q;
    }
    """
    void* repair_big_grow(void* p, size_t old_size, size_t new_size) noexcept
    Py_ssize_t repair_utf8_extra1(const unsigned char* s, Py_ssize_t n) noexcept
    Py_ssize_t repair_utf8_extra2(const uint16_t* s, Py_ssize_t n) noexcept
    char* repair_utf8_copy1(char* p, const unsigned char* s, Py_ssize_t n) noexcept
    char* repair_utf8_copy2(char* p, const uint16_t* s, Py_ssize_t n) noexcept
    bint repair_utf8_depth_exceeds(const char* u, Py_ssize_t n, Py_ssize_t limit) noexcept
    void repair_big_free(void* p, size_t size) noexcept
    # (compiled core only) LOW_WATER_NONE as a C constant
    const Py_ssize_t REPAIR_LOW_WATER_NONE

import json as _json

from .errors import RepairError
from .kinds import (
    COMMENT,
    CONCAT,
    CONTROL_CHAR,
    DOUBLED,
    ELLIPSIS,
    ESCAPE,
    EXTRA_CLOSER,
    EXTRA_COMMA,
    FULLWIDTH,
    GARBAGE,
    IMPLICIT_OBJECT,
    INNER_QUOTE,
    KEY_AMBIGUOUS,
    KEY_CASE,
    LATEX,
    LITERAL,
    MISMATCHED_CLOSER,
    MISSING_CLOSER,
    MISSING_COLON,
    MISSING_COMMA,
    MISSING_OPENER,
    MISSING_QUOTE,
    MISSING_VALUE,
    NUMBER,
    QUOTE_STYLE,
    STRINGIFIED,
    TRUNCATED,
    UNQUOTED_KEY,
    UNQUOTED_VALUE,
    WRAPPER_CALL,
)

# container types on the stack
cpdef enum:
    OBJ = 0
    ARR = 1
    PAREN = 2          # `(1, 2)` tuple or `Name(value)` call

# states of the machine
cpdef enum:
    PROSE = 0          # outside any value: text around the payload
    KEY = 1            # in an object, before a key
    COLON = 2          # in an object, after a key
    VALUE = 3          # before a value
    AFTER = 4          # after a value inside a container
    STRING = 5         # inside a string
    THINK = 6          # inside <think>...</think>
    TOP_AFTER = 7      # right after a top-level value: stray closers are dropped

# candidate flags
cpdef enum:
    TRUNCATED_END = 1  # containers were still open at the end of the input
    CUT = 2            # the value was closed early because prose followed
    IMPLICIT = 4       # braces were inserted around bare members
    SCALAR = 8         # the payload is a bare string, number or literal

# rule switches (the API turns presets into these)
cpdef enum:
    RULE_IMPLICIT_ANYWHERE = 1  # bare `"key": value` starts an object anywhere in prose

cpdef enum:
    LOOKAHEAD = 256    # the furthest any decision looks past the current character
    NEED = -1          # a look-ahead ran into the end of the buffer before the end of input
    ROW_ENDED = -2     # st_run: the last element of the array was a row (an array)

LOW_WATER_NONE = REPAIR_LOW_WATER_NONE   # low_water when nothing went in out of order

# (compiled core only) what the twin's `""` stands for where a character is expected:
# past the end of the input. Never a code point of a str.
cdef enum:
    NO_CHAR = 0x110000

WS = " \t\n\r"
QUOTES = "\"'`\u201c\u201d\u2018\u2019"
STOPS = ",:[]{}()\"'`\u201c\u201d\u2018\u2019\uff1a\uff0c\uff3b\uff3d\uff5b\uff5d"
FULLWIDTH_MAP = {"\uff1a": ":", "\uff0c": ",", "\uff3b": "[", "\uff3d": "]", "\uff5b": "{", "\uff5d": "}"}
OTHER_SPACE = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u3000\ufeff"
LITERALS = {
    "true": "true", "false": "false", "null": "null",
    "True": "true", "False": "false", "None": "null",
    "TRUE": "true", "FALSE": "false", "NULL": "null",
    "undefined": "null", "nil": "null",
    "NaN": "null", "nan": "null", "Infinity": "null", "-Infinity": "null",
    "+Infinity": "null", "inf": "null", "-inf": "null",
}
LITERAL_PREFIXES = ("true", "false", "null", "True", "False", "None")
ESCAPES = "\"\\/bfnrtu"
CONTROL_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


# -- character classes (compiled core only): the twin's `c in WS` and friends ------

cdef inline bint is_ws(Py_UCS4 c) noexcept:
    """``c in WS``"""
    return c == " " or c == "\t" or c == "\n" or c == "\r"


cdef inline bint is_quote(Py_UCS4 c) noexcept:
    """``c in QUOTES``"""
    return (c == '"' or c == "'" or c == "`" or c == "\u201c" or c == "\u201d"
            or c == "\u2018" or c == "\u2019")


cdef inline bint is_stop(Py_UCS4 c) noexcept:
    """``c in STOPS``"""
    if c < 0x80:
        return (c == "," or c == ":" or c == "[" or c == "]" or c == "{" or c == "}"
                or c == "(" or c == ")" or c == '"' or c == "'" or c == "`")
    return (c == "\u201c" or c == "\u201d" or c == "\u2018" or c == "\u2019"
            or c == "\uff1a" or c == "\uff0c" or c == "\uff3b" or c == "\uff3d"
            or c == "\uff5b" or c == "\uff5d")


cdef inline Py_UCS4 fullwidth(Py_UCS4 c) noexcept:
    """``FULLWIDTH_MAP.get(c, c)``"""
    if c < 0xff0c or c > 0xff5d:
        return c
    if c == "\uff1a":
        return ":"
    if c == "\uff0c":
        return ","
    if c == "\uff3b":
        return "["
    if c == "\uff3d":
        return "]"
    if c == "\uff5b":
        return "{"
    if c == "\uff5d":
        return "}"
    return c


cdef inline bint is_other_space(Py_UCS4 c) noexcept:
    """``c in OTHER_SPACE``"""
    return c == 0xa0 or (0x2000 <= c <= 0x200b) or c == 0x3000 or c == 0xfeff


cdef inline bint is_hex(Py_UCS4 c) noexcept:
    return ("0" <= c <= "9") or ("a" <= c <= "f") or ("A" <= c <= "F")


cdef inline int hex_value(Py_UCS4 c) noexcept:
    cdef int x = <int>c
    if x <= 57:     # "9"
        return x - 48
    if x <= 70:     # "F"
        return x - 55
    return x - 87


cdef inline bint is_alpha(Py_UCS4 c) noexcept:
    """``c.isalpha()``, without a call for ASCII"""
    cdef uint32_t x = c
    if x < 128:
        x |= 0x20
        return x >= 0x61 and x <= 0x7A
    return c.isalpha()


cdef inline bint is_digit(Py_UCS4 c) noexcept:
    """``c.isdigit()``, without a call for ASCII"""
    cdef uint32_t x = c
    if x < 128:
        return x >= 0x30 and x <= 0x39
    return c.isdigit()


cdef inline bint is_alnum(Py_UCS4 c) noexcept:
    """``c.isalnum()``, without a call for ASCII"""
    cdef uint32_t x = c
    if x < 128:
        return (x >= 0x30 and x <= 0x39) or ((x | 0x20) >= 0x61 and (x | 0x20) <= 0x7A)
    return c.isalnum()


cdef inline bint is_digit_ascii(Py_UCS4 c) noexcept:
    return "0" <= c <= "9"


cdef void* grow(void* p, size_t size) except NULL:
    """(compiled core only) realloc, or MemoryError."""
    cdef void* q = realloc(p, size)
    if q == NULL:
        raise MemoryError()
    return q


def is_ident(c):
    """A character of a bare key or word: letters, digits, `_`, `$`, `-`, `.`."""
    return c.isalnum() or c in "_$-.@/"


cdef inline bint ident_char(Py_UCS4 c) noexcept:
    """(compiled core only) :func:`is_ident` of one character."""
    return c.isalnum() or c in "_$-.@/"


def fix_number(tok):
    """The JSON spelling of a number-like token, or None when it is not a number.

    Accepts what models write for numbers: `+1`, `.5`, `5.`, `007`, `0xFF`, `1_000`.
    """
    t = tok.replace("_", "") if "_" in tok else tok
    sign = ""
    if t and t[0] in "+-":
        sign = "-" if t[0] == "-" else ""
        t = t[1:]
    if not t:
        return None
    if t[:2] in ("0x", "0X"):
        h = t[2:]
        if h and all(ch in "0123456789abcdefABCDEF" for ch in h):
            return sign + str(int(h, 16))
        return None
    mant, e, exp = t, "", ""
    for k in range(len(t)):
        if t[k] in "eE":
            mant, e, exp = t[:k], t[k], t[k + 1:]
            break
    intpart, dot, frac = mant.partition(".")
    if not intpart and not frac:
        return None
    if not (intpart.isdigit() or not intpart) or not (frac.isdigit() or not frac):
        return None
    if not intpart.isascii() or not frac.isascii():
        return None
    if e:
        esign = exp[0] if exp and exp[0] in "+-" else ""
        edigits = exp[len(esign):]
        if not edigits:
            e = esign = ""      # `1e` / `1e-`: exponent cut off
        elif not (edigits.isdigit() and edigits.isascii()):
            return None
    intpart = intpart.lstrip("0") or "0"
    out = sign + intpart
    if frac:
        out += "." + frac
    if e:
        out += e + esign + edigits
    if (e and len(edigits) > 2) or len(intpart) > 300:
        f = float(out)
        if f == f * 2 and f != 0:
            return "null"       # beyond a double, like Infinity
    return out


cdef unsigned char[128] STRING_STOP    # (compiled core only) ASCII that ends a plain run


cdef void init_string_stop() noexcept:
    cdef int k
    for k in range(128):
        STRING_STOP[k] = k < 0x20 or k == 0x22 or k == 0x5C


init_string_stop()


cdef inline Py_ssize_t plain_run(int kind, const void* data, Py_ssize_t i, Py_ssize_t n,
                                 Py_UCS4 close) noexcept:
    """(compiled core only) The first position from ``i`` inside a string that is not
    plain content: a quote (``close``, `"` or `”`), a backslash or a control
    character; ``n`` if none."""
    cdef const unsigned char* s1
    cdef const uint16_t* s2
    cdef uint32_t c
    if kind == PyUnicode_1BYTE_KIND:
        s1 = <const unsigned char*>data
        while i < n:
            c = s1[i]
            if (c < 128 and STRING_STOP[c]) or c == close:
                return i
            i += 1
        return n
    if kind == PyUnicode_2BYTE_KIND:
        s2 = <const uint16_t*>data
        while i < n:
            c = s2[i]
            if (c < 128 and STRING_STOP[c]) or c == close or c == 0x201D:
                return i
            i += 1
        return n
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        if (c < 128 and STRING_STOP[c]) or c == close or c == 0x201D:
            return i
        i += 1
    return n


cdef inline Py_ssize_t skip_ws_run(int kind, const void* data, Py_ssize_t i,
                                   Py_ssize_t n) noexcept:
    """(compiled core only) The first position from ``i`` that is not in WS, or ``n``."""
    cdef const unsigned char* s1
    cdef const uint16_t* s2
    cdef uint32_t c
    if kind == PyUnicode_1BYTE_KIND:
        s1 = <const unsigned char*>data
        while i < n:
            c = s1[i]
            if not (c == 0x20 or c == 0x0A or c == 0x09 or c == 0x0D):
                return i
            i += 1
        return n
    if kind == PyUnicode_2BYTE_KIND:
        s2 = <const uint16_t*>data
        while i < n:
            c = s2[i]
            if not (c == 0x20 or c == 0x0A or c == 0x09 or c == 0x0D):
                return i
            i += 1
        return n
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        if not (c == 0x20 or c == 0x0A or c == 0x09 or c == 0x0D):
            return i
        i += 1
    return n


cdef bint plain_number(int kind, void* data, Py_ssize_t i, Py_ssize_t j) noexcept:
    """(compiled core only) Is ``buf[i:j]`` a number in JSON spelling already, so that
    :func:`fix_number` would return it unchanged? -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    and short (a long one may be beyond a double: fix_number checks)."""
    cdef Py_ssize_t k = i
    cdef Py_UCS4 c
    if j - i > 300:
        return 0
    if k < j and PyUnicode_READ(kind, data, k) == "-":
        k += 1
    if k >= j:
        return 0
    c = PyUnicode_READ(kind, data, k)
    if c == "0":
        k += 1
    elif "1" <= c <= "9":
        k += 1
        while k < j and is_digit_ascii(PyUnicode_READ(kind, data, k)):
            k += 1
    else:
        return 0
    if k < j and PyUnicode_READ(kind, data, k) == ".":
        k += 1
        if k >= j or not is_digit_ascii(PyUnicode_READ(kind, data, k)):
            return 0
        while k < j and is_digit_ascii(PyUnicode_READ(kind, data, k)):
            k += 1
    if k < j and (PyUnicode_READ(kind, data, k) == "e" or PyUnicode_READ(kind, data, k) == "E"):
        k += 1
        if k < j and (PyUnicode_READ(kind, data, k) == "+" or PyUnicode_READ(kind, data, k) == "-"):
            k += 1
        if k >= j or not is_digit_ascii(PyUnicode_READ(kind, data, k)):
            return 0
        if j - k > 2:
            return 0            # a three-digit exponent may be beyond a double
        while k < j and is_digit_ascii(PyUnicode_READ(kind, data, k)):
            k += 1
    return k == j


cdef bint plain_literal(int kind, void* data, Py_ssize_t i, Py_ssize_t j) noexcept:
    """(compiled core only) Is ``buf[i:j]`` `true`, `false` or `null`, so that
    ``LITERALS.get(tok)`` is the token itself?"""
    cdef Py_ssize_t n = j - i
    cdef Py_UCS4 c
    if n == 4:
        c = PyUnicode_READ(kind, data, i)
        if c == "t":
            return (PyUnicode_READ(kind, data, i + 1) == "r" and PyUnicode_READ(kind, data, i + 2) == "u"
                    and PyUnicode_READ(kind, data, i + 3) == "e")
        if c == "n":
            return (PyUnicode_READ(kind, data, i + 1) == "u" and PyUnicode_READ(kind, data, i + 2) == "l"
                    and PyUnicode_READ(kind, data, i + 3) == "l")
        return False
    if n == 5:
        return (PyUnicode_READ(kind, data, i) == "f" and PyUnicode_READ(kind, data, i + 1) == "a"
                and PyUnicode_READ(kind, data, i + 2) == "l" and PyUnicode_READ(kind, data, i + 3) == "s"
                and PyUnicode_READ(kind, data, i + 4) == "e")
    return False


cdef struct EditKey:
    # (compiled core only) the sort key of one edit for apply_edits
    Py_ssize_t pos
    Py_ssize_t rank     # (removed != "") * n + index: insertions first, then input order
    Py_ssize_t index


cdef int edit_key_cmp(const void* a, const void* b) noexcept nogil:
    cdef const EditKey* x = <const EditKey*>a
    cdef const EditKey* y = <const EditKey*>b
    if x.pos != y.pos:
        return -1 if x.pos < y.pos else 1
    if x.rank != y.rank:
        return -1 if x.rank < y.rank else 1
    return 0


cdef bint edit_keys(list seq, EditKey* keys) except -1:
    """(compiled core only) Fill ``keys`` with the sort keys of ``edit_order`` for the
    edits of ``seq``; whether they are in order already."""
    cdef Py_ssize_t n = len(seq)
    cdef Py_ssize_t k
    cdef bint ordered = True
    cdef tuple e
    for k in range(n):
        e = seq[k]
        keys[k].pos = e[1]
        keys[k].rank = (n if e[2] != "" else 0) + k
        keys[k].index = k
        if k and edit_key_cmp(&keys[k - 1], &keys[k]) > 0:
            ordered = False
    return ordered


def apply_edits(str buf, Py_ssize_t start, Py_ssize_t end, edits):
    """The text of ``buf[start:end]`` with ``edits`` applied, built once.

    Edits are sorted by position (stably: edits at one position keep the order in which
    they were recorded); an edit that overlaps text an earlier edit removed is skipped.
    """
    cdef list seq = edits if type(edits) is list else list(edits)
    cdef Py_ssize_t n = len(seq)
    cdef EditKey* keys
    cdef Py_ssize_t k, pos
    cdef Py_ssize_t cur = start
    cdef tuple e
    out = []
    keys = <EditKey*>malloc((n if n > 0 else 1) * sizeof(EditKey))
    if keys == NULL:
        raise MemoryError()
    try:
        # sorted(edits, key=edit_order), as C keys: most lists come in order already
        if not edit_keys(seq, keys):
            qsort(keys, n, sizeof(EditKey), edit_key_cmp)
        for k in range(n):
            pos = keys[k].pos
            if pos < cur or pos > end:
                continue
            e = seq[keys[k].index]
            out.append(buf[cur:pos])
            out.append(e[3])
            cur = min(pos + len(e[2]), end)
    finally:
        free(keys)
    out.append(buf[cur:end])
    return "".join(out)


cdef enum:
    # (compiled core only) EditList.ins: nothing inserted; ``INS_CHAR - c``: the one
    # character c; an index >= 0: a text of the scanner's table
    INS_NONE = -1
    INS_CHAR = -2


cdef inline char* utf8_put(char* p, uint32_t c) noexcept:
    """(compiled core only) ``c`` in UTF-8 at ``p`` (a surrogate as its three bytes, which
    no JSON parser takes); the position after it."""
    if c < 0x80:
        p[0] = <char>c
        return p + 1
    if c < 0x800:
        p[0] = <char>(0xC0 | (c >> 6))
        p[1] = <char>(0x80 | (c & 0x3F))
        return p + 2
    if c < 0x10000:
        p[0] = <char>(0xE0 | (c >> 12))
        p[1] = <char>(0x80 | ((c >> 6) & 0x3F))
        p[2] = <char>(0x80 | (c & 0x3F))
        return p + 3
    p[0] = <char>(0xF0 | (c >> 18))
    p[1] = <char>(0x80 | ((c >> 12) & 0x3F))
    p[2] = <char>(0x80 | ((c >> 6) & 0x3F))
    p[3] = <char>(0x80 | (c & 0x3F))
    return p + 4


cdef char* utf8_copy(char* p, int kind, const void* data, Py_ssize_t a, Py_ssize_t b) noexcept:
    """(compiled core only) The characters ``[a, b)`` of a str's data in UTF-8 at ``p``."""
    cdef const uint32_t* s4
    if b <= a:
        return p
    if kind == PyUnicode_1BYTE_KIND:
        return repair_utf8_copy1(p, <const unsigned char*>data + a, b - a)
    if kind == PyUnicode_2BYTE_KIND:
        return repair_utf8_copy2(p, <const uint16_t*>data + a, b - a)
    s4 = <const uint32_t*>data
    while a < b:
        p = utf8_put(p, s4[a])
        a += 1
    return p


cdef inline Py_ssize_t utf8_char_len(uint32_t c) noexcept:
    return 1 + (c >= 0x80) + (c >= 0x800) + (c >= 0x10000)


cdef Py_ssize_t utf8_len(int kind, const void* data, Py_ssize_t a, Py_ssize_t b) noexcept:
    """(compiled core only) The UTF-8 size of the characters ``[a, b)`` of a str's data."""
    cdef const unsigned char* s1
    cdef const uint16_t* s2
    cdef const uint32_t* s4
    cdef Py_ssize_t size = b - a
    cdef uint32_t c
    if b <= a:
        return 0
    if kind == PyUnicode_1BYTE_KIND:
        s1 = <const unsigned char*>data
        size += repair_utf8_extra1(s1 + a, b - a)
    elif kind == PyUnicode_2BYTE_KIND:
        s2 = <const uint16_t*>data
        size += repair_utf8_extra2(s2 + a, b - a)
    else:
        s4 = <const uint32_t*>data
        while a < b:
            c = s4[a]
            size += (c >= 0x80) + (c >= 0x800) + (c >= 0x10000)
            a += 1
    return size


@cython.final
cdef class EditList:
    """(compiled core only) The edits of one candidate as C arrays, in place of the twin's
    list of ``(kind, pos, removed, inserted)`` tuples: no Python object per edit.
    ``removed`` is the text of the scanner's buffer at ``[pos, pos + rlen)`` (the buffer
    only grows, so it stays there); ``inserted`` is one character or an index into the
    scanner's table of inserted texts. ``len``, indexing, slices, iteration and ``==``
    give the twin's tuples, made when read."""
    cdef Scanner owner
    cdef Py_ssize_t n
    cdef Py_ssize_t cap
    cdef Py_ssize_t* pos
    cdef Py_ssize_t* rlen
    cdef int* ins
    cdef unsigned char* kind

    def __dealloc__(self):
        self.free_arrays()

    cdef void free_arrays(self) noexcept:
        cdef size_t cap = self.cap
        repair_big_free(self.pos, cap * sizeof(Py_ssize_t))
        repair_big_free(self.rlen, cap * sizeof(Py_ssize_t))
        repair_big_free(self.ins, cap * sizeof(int))
        repair_big_free(self.kind, cap * sizeof(unsigned char))
        self.pos = NULL
        self.rlen = NULL
        self.ins = NULL
        self.kind = NULL
        self.n = self.cap = 0

    cdef int reserve(self, Py_ssize_t want) except -1:
        cdef Py_ssize_t cap, old
        cdef void* p
        if want <= self.cap:
            return 0
        old = self.cap
        cap = max(want, old + (old >> 1) + 8)
        # one array at a time: on failure the others keep their old size
        p = repair_big_grow(self.pos, old * sizeof(Py_ssize_t), cap * sizeof(Py_ssize_t))
        if p == NULL:
            raise MemoryError()
        self.pos = <Py_ssize_t*>p
        p = repair_big_grow(self.rlen, old * sizeof(Py_ssize_t), cap * sizeof(Py_ssize_t))
        if p == NULL:
            raise MemoryError()
        self.rlen = <Py_ssize_t*>p
        p = repair_big_grow(self.ins, old * sizeof(int), cap * sizeof(int))
        if p == NULL:
            raise MemoryError()
        self.ins = <int*>p
        p = repair_big_grow(self.kind, old * sizeof(unsigned char), cap * sizeof(unsigned char))
        if p == NULL:
            raise MemoryError()
        self.kind = <unsigned char*>p
        self.cap = cap
        return 0

    cdef int put(self, Py_ssize_t k, int kind, Py_ssize_t pos, Py_ssize_t rlen, int ins) except -1:
        """Insert an edit at index ``k``."""
        cdef Py_ssize_t m
        self.reserve(self.n + 1)
        m = self.n - k
        if m > 0:
            memmove(self.pos + k + 1, self.pos + k, m * sizeof(Py_ssize_t))
            memmove(self.rlen + k + 1, self.rlen + k, m * sizeof(Py_ssize_t))
            memmove(self.ins + k + 1, self.ins + k, m * sizeof(int))
            memmove(self.kind + k + 1, self.kind + k, m * sizeof(unsigned char))
        self.pos[k] = pos
        self.rlen[k] = rlen
        self.ins[k] = ins
        self.kind[k] = <unsigned char>kind
        self.n += 1
        return 0

    cdef object inserted(self, Py_ssize_t k):
        cdef int x = self.ins[k]
        if x == INS_NONE:
            return ""
        if x <= INS_CHAR:
            return chr(INS_CHAR - x)
        return self.owner.ins_texts[x]

    cdef tuple get(self, Py_ssize_t k):
        cdef Py_ssize_t p = self.pos[k]
        return (<int>self.kind[k], p, self.owner.buf[p:p + self.rlen[k]] if self.rlen[k] else "",
                self.inserted(k))

    def append(self, edit):
        """Add an edit at the end (as ``list.append``)."""
        kind, pos, removed, inserted = edit
        self.put(self.n, kind, pos, len(removed), self.owner._ins_code(inserted))

    def clear(self):
        """Forget every edit and free the arrays (as ``list.clear``)."""
        self.free_arrays()

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        cdef Py_ssize_t k
        if isinstance(index, slice):
            return [self.get(k) for k in range(*index.indices(self.n))]
        k = index
        if k < 0:
            k += self.n
        if k < 0 or k >= self.n:
            raise IndexError("edit index out of range")
        return self.get(k)

    def __iter__(self):
        cdef Py_ssize_t k
        for k in range(self.n):
            yield self.get(k)

    def __eq__(self, other):
        if isinstance(other, (EditList, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self):
        return "EditList(%r)" % (list(self),)


cdef bint editlist_keys(EditList el, EditKey* keys) noexcept:
    """(compiled core only) ``edit_keys`` for an EditList."""
    cdef Py_ssize_t n = el.n
    cdef Py_ssize_t k
    cdef bint ordered = True
    for k in range(n):
        keys[k].pos = el.pos[k]
        keys[k].rank = (n if el.rlen[k] else 0) + k
        keys[k].index = k
        if k and edit_key_cmp(&keys[k - 1], &keys[k]) > 0:
            ordered = False
    return ordered


cdef bint editlist_ordered(EditList el) noexcept:
    """(compiled core only) Are the edits in :func:`edit_order` already?"""
    cdef Py_ssize_t k
    for k in range(1, el.n):
        if el.pos[k - 1] > el.pos[k] or (el.pos[k - 1] == el.pos[k] and el.rlen[k - 1] and not el.rlen[k]):
            return False
    return True


cdef bint same_text(EditList el, Py_ssize_t k, str buf) except -1:
    """(compiled core only) Does edit ``k`` insert the very text it removes?"""
    cdef int x = el.ins[k]
    cdef Py_ssize_t p = el.pos[k]
    cdef Py_ssize_t m = el.rlen[k]
    cdef Py_ssize_t j
    cdef str t
    if x == INS_NONE:
        return m == 0
    if x <= INS_CHAR:
        return m == 1 and <Py_UCS4>(INS_CHAR - x) == buf[p]
    t = el.owner.ins_texts[x]
    if len(t) != m:
        return False
    for j in range(m):
        if t[j] != buf[p + j]:
            return False
    return True


def render(str buf, Py_ssize_t start, Py_ssize_t end, edits, bint text=True):
    """``apply_edits`` as UTF-8 bytes (a lone surrogate is passed through, for the JSON
    parser to reject), and whether the text differs from ``buf``: the span is not all of
    it, or an edit applied replaces text by other text. With ``text`` false, only the
    latter: ``(None, changed)``."""
    cdef EditList el
    cdef Py_ssize_t n, idx, pos, size
    cdef Py_ssize_t cur = start
    cdef bint changed = start != 0 or end != len(buf)
    cdef int kind = PyUnicode_KIND(buf)
    cdef void* data = PyUnicode_DATA(buf)
    cdef bint ascii = kind == PyUnicode_1BYTE_KIND and PyUnicode_IS_ASCII(buf)
    cdef int x
    cdef str t
    cdef bytes out
    cdef char* p
    if type(edits) is not EditList:
        seq = order_edits(edits)
        for e in seq:
            if e[2] != e[3]:
                changed = True
                break
        return (apply_edits(buf, start, end, seq).encode("utf-8", "surrogatepass")
                if text else None), changed
    el = order_edit_list(edits)
    n = el.n
    if not text:
        for idx in range(n):
            pos = el.pos[idx]
            if pos < cur or pos > end:
                continue
            if not changed and not same_text(el, idx, buf):
                changed = True
            cur = min(pos + el.rlen[idx], end)
        return None, changed
    # two passes over the edits: the exact size, then the bytes, written in place
    size = 0
    for idx in range(n):
        pos = el.pos[idx]
        if pos < cur or pos > end:
            continue
        size += (pos - cur) if ascii else utf8_len(kind, data, cur, pos)
        x = el.ins[idx]
        if x <= INS_CHAR:
            size += utf8_char_len(<uint32_t>(INS_CHAR - x))
        elif x >= 0:
            t = el.owner.ins_texts[x]
            size += utf8_len(PyUnicode_KIND(t), PyUnicode_DATA(t), 0, len(t))
        cur = min(pos + el.rlen[idx], end)
    size += (end - cur) if ascii else utf8_len(kind, data, cur, end)
    out = PyBytes_FromStringAndSize(NULL, size)
    p = PyBytes_AS_STRING(out)
    cur = start
    for idx in range(n):
        pos = el.pos[idx]
        if pos < cur or pos > end:
            continue
        if ascii:
            memcpy(p, <const char*>data + cur, pos - cur)
            p += pos - cur
        else:
            p = utf8_copy(p, kind, data, cur, pos)
        x = el.ins[idx]
        if x <= INS_CHAR:
            p = utf8_put(p, <uint32_t>(INS_CHAR - x))
        elif x >= 0:
            t = el.owner.ins_texts[x]
            p = utf8_copy(p, PyUnicode_KIND(t), PyUnicode_DATA(t), 0, len(t))
        if not changed and not same_text(el, idx, buf):
            changed = True
        cur = min(pos + el.rlen[idx], end)
    if ascii:
        memcpy(p, <const char*>data + cur, end - cur)
    else:
        utf8_copy(p, kind, data, cur, end)
    return out, changed


def edit_order(edit):
    # at one position, insertions go before removals: the removed text is gone anyway
    return (edit[1], edit[2] != "")


def order_edits(edits):
    """``edits`` sorted by :func:`edit_order` (stably): a new list, or ``edits`` itself
    (a list) when it is in order already."""
    if type(edits) is EditList:
        return order_edit_list(edits)
    cdef list seq = edits if type(edits) is list else list(edits)
    cdef Py_ssize_t n = len(seq)
    cdef EditKey* keys
    cdef Py_ssize_t k
    keys = <EditKey*>malloc((n if n > 0 else 1) * sizeof(EditKey))
    if keys == NULL:
        raise MemoryError()
    try:
        if edit_keys(seq, keys):
            return seq
        qsort(keys, n, sizeof(EditKey), edit_key_cmp)
        return [seq[keys[k].index] for k in range(n)]
    finally:
        free(keys)


cdef EditList order_edit_list(EditList el):
    """(compiled core only) ``order_edits`` for an EditList: itself when in order, else
    a sorted copy."""
    cdef Py_ssize_t n = el.n
    cdef EditKey* keys
    cdef Py_ssize_t k, j
    cdef EditList out
    if editlist_ordered(el):
        return el
    keys = <EditKey*>malloc((n if n > 0 else 1) * sizeof(EditKey))
    if keys == NULL:
        raise MemoryError()
    try:
        editlist_keys(el, keys)
        qsort(keys, n, sizeof(EditKey), edit_key_cmp)
        out = EditList.__new__(EditList)
        out.owner = el.owner
        out.reserve(n)
        for k in range(n):
            j = keys[k].index
            out.pos[k] = el.pos[j]
            out.rlen[k] = el.rlen[j]
            out.ins[k] = el.ins[j]
            out.kind[k] = el.kind[j]
        out.n = n
        return out
    finally:
        free(keys)


def applied_edits(edits, Py_ssize_t start, Py_ssize_t end):
    """The ordered ``edits`` without those :func:`apply_edits` skips (inside text an
    earlier edit removed), so that a report lists only what was applied. Edits past
    ``end`` that only remove (closers dropped after the payload) stay: they are reported,
    not applied; those past it that insert text (the scanner read on after the payload)
    describe nothing in the output and go. ``edits`` itself when every edit stays."""
    cdef EditList el, out
    cdef Py_ssize_t k, j, pos
    cdef Py_ssize_t cur = start
    cdef Py_ssize_t n
    if type(edits) is not EditList:
        seq = list(edits)
        kept = []
        for e in seq:
            pos = e[1]
            if pos < cur or (pos > end and e[3]):
                continue
            kept.append(e)
            if pos <= end:
                cur = min(pos + len(e[2]), end)
        return edits if len(kept) == len(seq) else kept
    el = edits
    n = el.n
    for k in range(n):
        pos = el.pos[k]
        if pos < cur or (pos > end and el.ins[k] != INS_NONE):
            break
        if pos <= end:
            cur = min(pos + el.rlen[k], end)
    else:
        return el
    out = EditList.__new__(EditList)
    out.owner = el.owner
    out.reserve(n)
    # (one more pass from the start: the C arrays make the copy cheap)
    cur = start
    j = 0
    for k in range(n):
        pos = el.pos[k]
        if pos < cur or (pos > end and el.ins[k] != INS_NONE):
            continue
        out.pos[j] = pos
        out.rlen[j] = el.rlen[k]
        out.ins[j] = el.ins[k]
        out.kind[j] = el.kind[k]
        j += 1
        if pos <= end:
            cur = min(pos + el.rlen[k], end)
    out.n = j
    return out


def depth_exceeds(str text, Py_ssize_t limit):
    """Is the *valid* JSON ``text`` nested deeper than ``limit`` containers?"""
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text)
    cdef const char* u
    cdef Py_ssize_t un
    if kind != PyUnicode_1BYTE_KIND or not PyUnicode_IS_ASCII(text):
        # (compiled core only) the UTF-8 form, which orjson cached on the str when it
        # parsed it: no byte of a multi-byte character is ASCII
        u = PyUnicode_AsUTF8AndSize(text, &un)
        return repair_utf8_depth_exceeds(u, un, limit)
    return repair_utf8_depth_exceeds(<const char*>data, n, limit)


cdef enum:
    # (compiled core only) what broken_json_prefix expects next
    J_VALUE = 0
    J_VALUE_OR_END = 1
    J_KEY = 2
    J_KEY_OR_END = 3
    J_COLON = 4
    J_AFTER = 5


cdef inline bint json_ws(Py_UCS4 c) noexcept:
    return c == " " or c == "\t" or c == "\n" or c == "\r"


cdef inline bint digit(Py_UCS4 c) noexcept:
    return c >= "0" and c <= "9"


def broken_json_prefix(str text, Py_ssize_t limit):
    """Does the first ``limit`` characters of ``text`` already show that ``text`` is not
    one JSON value (RFC 8259)? ``False`` means "not known": the text may be JSON. The
    API asks before it hands a long text to orjson, which first encodes all of it."""
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text)
    cdef Py_ssize_t lim = min(n, limit)
    cdef unsigned char[64] stack       # b"{" or b"[" per open container
    cdef Py_ssize_t depth = 0
    cdef int want = J_VALUE
    cdef Py_ssize_t i = 0
    cdef Py_ssize_t j, k
    cdef Py_UCS4 c, e
    while True:
        while i < lim and json_ws(PyUnicode_READ(kind, data, i)):
            i += 1
        if i >= lim:
            # the end of the text: a complete value is JSON, anything else is not
            return lim == n and (want != J_AFTER or depth > 0)
        c = PyUnicode_READ(kind, data, i)
        if want == J_AFTER:
            if depth == 0:
                return True                 # text after the value
            if c == ",":
                want = J_KEY if stack[depth - 1] == b"{" else J_VALUE
            elif c == ("}" if stack[depth - 1] == b"{" else "]"):
                depth -= 1
            else:
                return True
            i += 1
            continue
        if want == J_COLON:
            if c != ":":
                return True
            want = J_VALUE
            i += 1
            continue
        if want == J_KEY or want == J_KEY_OR_END:
            if c == "}" and want == J_KEY_OR_END:
                depth -= 1
                want = J_AFTER
                i += 1
                continue
            if c != '"':
                return True
        elif want == J_VALUE_OR_END and c == "]":
            depth -= 1
            want = J_AFTER
            i += 1
            continue
        # a value (or a key's string)
        if c == '"':
            i += 1
            while True:
                if i >= lim:
                    return lim == n
                c = PyUnicode_READ(kind, data, i)
                if c == '"':
                    break
                if c < " ":
                    return True
                if c == "\\":
                    if i + 1 >= lim:
                        return lim == n
                    e = PyUnicode_READ(kind, data, i + 1)
                    if not (e == '"' or e == "\\" or e == "/" or e == "b" or e == "f" or e == "n"
                            or e == "r" or e == "t" or e == "u"):
                        return True
                    if e == "u":
                        for k in range(i + 2, i + 6):
                            if k >= lim:
                                return lim == n
                            if not is_hex(PyUnicode_READ(kind, data, k)):
                                return True
                        i += 6
                        continue
                    i += 2
                    continue
                i += 1
            i += 1
            want = J_COLON if (want == J_KEY or want == J_KEY_OR_END) else J_AFTER
        elif c == "{" or c == "[":
            if depth >= 64:
                return False                # deep: left to orjson
            stack[depth] = b"{" if c == "{" else b"["
            depth += 1
            want = J_KEY_OR_END if c == "{" else J_VALUE_OR_END
            i += 1
        elif c == "-" or digit(c):
            j = i + 1 if c == "-" else i
            if j >= lim:
                return lim == n
            if PyUnicode_READ(kind, data, j) == "0":
                j += 1
            elif digit(PyUnicode_READ(kind, data, j)):
                while j < lim and digit(PyUnicode_READ(kind, data, j)):
                    j += 1
            else:
                return True
            if j < lim and PyUnicode_READ(kind, data, j) == ".":
                j += 1
                if j >= lim:
                    return lim == n
                if not digit(PyUnicode_READ(kind, data, j)):
                    return True
                while j < lim and digit(PyUnicode_READ(kind, data, j)):
                    j += 1
            if j < lim and (PyUnicode_READ(kind, data, j) == "e" or PyUnicode_READ(kind, data, j) == "E"):
                j += 1
                if j < lim and (PyUnicode_READ(kind, data, j) == "+" or PyUnicode_READ(kind, data, j) == "-"):
                    j += 1
                if j >= lim:
                    return lim == n
                if not digit(PyUnicode_READ(kind, data, j)):
                    return True
                while j < lim and digit(PyUnicode_READ(kind, data, j)):
                    j += 1
            if j >= lim and lim < n:
                return False                # the number may go on past the limit
            i = j
            want = J_AFTER
        elif text.startswith("true", i) or text.startswith("null", i):
            i += 4                          # (past the limit: then "not known")
            want = J_AFTER
        elif text.startswith("false", i):
            i += 5
            want = J_AFTER
        else:
            return True


_NO_WANT = object()   # not looked up yet


def normalize_key(key):
    """Case-fold and treat runs of spaces, `_` and `-` alike: the key-map lookup form."""
    out = []
    gap = False
    for ch in key.casefold():
        if ch in " _-\t":
            gap = True
            continue
        if gap and out:
            out.append(" ")
        gap = False
        out.append(ch)
    return "".join(out)


def unescape_key(text):
    """A key as written between its quotes, with its JSON escapes decoded (`CAF\\u00c9`
    is `CAFÉ`); as written when they are not valid JSON."""
    try:
        return _json.loads('"' + text + '"')
    except ValueError:
        return text


@cython.final
cdef class Scanner:
    """The push-based repair machine. ``feed()`` text, then ``finish()``.

    keymap     normalised key -> required spelling (see :func:`normalize_key`)
    max_depth  deepest nesting allowed before :class:`RepairError`
    rules      RULE_* switches
    """
    cdef readonly str buf
    cdef int buf_kind          # PyUnicode_KIND(buf), refreshed whenever buf changes
    cdef void* buf_data        # PyUnicode_DATA(buf), likewise
    cdef Py_ssize_t buf_room   # (compiled core only) characters buf has memory for
    cdef readonly Py_ssize_t pos
    cdef bint final
    cdef readonly int state
    cdef object keymap
    cdef dict key_wants
    cdef Py_ssize_t max_depth
    cdef long rules
    # the stack of open containers: C arrays of st_cap entries, depth in use
    cdef Py_ssize_t depth
    cdef Py_ssize_t st_cap
    cdef int* st_type
    cdef Py_ssize_t* st_open
    cdef Py_ssize_t* st_comma
    cdef Py_ssize_t* st_sep
    cdef Py_ssize_t* st_count
    cdef list st_keys          # only with a key map: one entry per level
    cdef Py_ssize_t* st_run
    cdef Py_ssize_t* st_dbl
    cdef Py_ssize_t dbl_after
    cdef Py_ssize_t paren_floor
    cdef Py_ssize_t paren_depth
    cdef readonly EditList edits
    cdef list ins_texts        # (compiled core only) the inserted texts of the edits
    cdef dict ins_index        # (compiled core only) ... and their indexes
    cdef readonly list candidates
    cdef readonly Py_ssize_t cand_start
    cdef int cand_flags
    cdef readonly Py_ssize_t last_end
    cdef Py_ssize_t val_start
    cdef bint val_str
    cdef Py_ssize_t last_str_end
    cdef Py_ssize_t key_start
    cdef Py_ssize_t key_end
    cdef public Py_ssize_t low_water
    cdef bint implicit_ok
    cdef bint fenced
    cdef Py_ssize_t word_at
    cdef Py_ssize_t word_end
    cdef Py_ssize_t bare_at
    cdef Py_ssize_t bare_end
    cdef bint bare_paren
    cdef Py_ssize_t cmt_at
    cdef Py_ssize_t cmt_from
    cdef Py_ssize_t s_start
    cdef Py_UCS4 s_close
    cdef bint s_key
    cdef bint s_triple
    cdef bint s_escaped
    cdef bint s_bad_escape
    cdef list s_latex
    cdef bint s_fence
    cdef Py_ssize_t kca_pos    # (compiled core only) the last _key_colon_ahead: where,
    cdef Py_ssize_t kca_len    # for which buffer length and `final`,
    cdef bint kca_final
    cdef int kca_depth
    cdef Py_ssize_t kca_result  # and its answer

    def __cinit__(self, *args, **kwargs):
        self.kca_pos = -1
        self.st_cap = 16
        self.depth = 0
        self.st_type = <int*>malloc(self.st_cap * sizeof(int))
        self.st_open = <Py_ssize_t*>malloc(self.st_cap * sizeof(Py_ssize_t))
        self.st_comma = <Py_ssize_t*>malloc(self.st_cap * sizeof(Py_ssize_t))
        self.st_sep = <Py_ssize_t*>malloc(self.st_cap * sizeof(Py_ssize_t))
        self.st_count = <Py_ssize_t*>malloc(self.st_cap * sizeof(Py_ssize_t))
        self.st_run = <Py_ssize_t*>malloc(self.st_cap * sizeof(Py_ssize_t))
        self.st_dbl = <Py_ssize_t*>malloc(self.st_cap * sizeof(Py_ssize_t))
        if (self.st_type == NULL or self.st_open == NULL or self.st_comma == NULL
                or self.st_sep == NULL or self.st_count == NULL or self.st_run == NULL
                or self.st_dbl == NULL):
            raise MemoryError()

    def __dealloc__(self):
        free(self.st_type)
        free(self.st_open)
        free(self.st_comma)
        free(self.st_sep)
        free(self.st_count)
        free(self.st_run)
        free(self.st_dbl)

    def __init__(self, keymap=None, max_depth=1000, rules=0):
        self.buf = ""
        self.buf_kind = PyUnicode_KIND(self.buf)
        self.buf_data = PyUnicode_DATA(self.buf)
        self.pos = 0
        self.final = False
        self.state = PROSE
        self.keymap = keymap if keymap else None
        self.key_wants = {}    # key text -> its keymap entry (normalize_key is slow)
        # (clamped to C ranges; only the comparison with the depth and the rule bits matter)
        self.max_depth = max(0, min(max_depth, PY_SSIZE_T_MAX))
        self.rules = rules & 0x7fffffff
        # the stack of open containers, one entry per level in each array
        self.depth = 0
        # st_type[k]              container type
        # st_open[k]              position of the opener (for a call: of its name)
        # st_comma[k]             position of a comma waiting for the next member, or -1
        # st_sep[k]               position of the comma before the current member, or -1
        # st_count[k]             members so far
        self.st_keys = []      # keys seen in an object (only with a key map), else None
        # st_run[k]               in an array of rows: start of the scalars after the last
        #                         row, ROW_ENDED right after a row, else -1
        # st_dbl[k]               doubled `{` of an open object (`{{`), each owing a `}`
        self.dbl_after = 0     # `}` owed right after the object that just closed
        self.paren_floor = -1   # opener of the outermost open `(` (its edits wait), or -1
        self.paren_depth = 0
        self.ins_texts = []
        self.ins_index = {}
        self.edits = self._new_edits()
        self.candidates = []
        self.cand_start = -1
        self.cand_flags = 0
        self.last_end = 0      # end of the last token of the current payload
        self.val_start = -1    # start of the last value
        self.val_str = False   # the last value was a string
        self.last_str_end = -1  # end of the last string value
        self.key_start = -1    # start of the current key token
        self.key_end = -1
        self.low_water = LOW_WATER_NONE  # lowest position where an edit went in or was
                                         # dropped since a stream last reset it
        self.implicit_ok = True  # a bare `"key":` may open an implicit object here
        self.fenced = False      # inside a ``` fence (opened in prose, not yet closed)
        # a bare token (_word()) or text (_bare_string()) the end of the input cut: where
        # it starts and how far its scan got, so that the next run goes on from there (a
        # long one fed in chunks is read once, not once per chunk)
        self.word_at = -1
        self.word_end = -1
        self.bare_at = -1
        self.bare_end = -1
        self.bare_paren = False
        self.cmt_at = -1         # ... and a comment (_comment()): where its end is sought
        self.cmt_from = -1
        # the string being scanned
        self.s_start = -1
        self.s_close = '"'
        self.s_key = False
        self.s_triple = False
        self.s_escaped = False   # delimited by `\"` (stringified JSON)
        self.s_bad_escape = False
        self.s_latex = []        # positions of `\f \b \t \n \r` + letter, maybe LaTeX
        self.s_fence = False     # a ```lang code block is open inside the string

    # -- input --------------------------------------------------------------------

    cpdef feed(self, chunk):
        cdef str text
        if not isinstance(chunk, str):
            raise TypeError("feed() takes str, not %s" % type(chunk).__name__)
        text = PyUnicode_FromObject(chunk)     # (compiled core only) a str subclass: its str
        self._feed_str(text)

    cdef int _feed_str(self, str text) except -1:
        """(compiled core only) feed() of a checked str (a stream's chunk)."""
        self._append(text)
        self._run()
        return 0

    cdef inline bint _append_bytes(self, str text) noexcept:
        """(compiled core only) _append() of a one-byte ``text`` written in place (a
        stream's usual chunk: grow_buffer's case, with no call), when the buffer can take
        it so (takes_in_place()); whether it was."""
        cdef PyObject* bp = <PyObject*>self.buf
        cdef Py_ssize_t n = (<PyASCIIObject*>bp).length
        cdef Py_ssize_t m = (<PyASCIIObject*>text).length
        if (n == 0 or PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND
                or not takes_in_place(bp, 1, n + m, self.buf_room,
                                          0 if is_ascii(text) else 255)):
            return False
        put_bytes(self.buf_kind, self.buf_data, n, <const unsigned char*>PyUnicode_DATA(text), m)
        write_char(self.buf_kind, self.buf_data, n + m, 0)
        (<PyASCIIObject*>bp).length = n + m
        (<PyASCIIObject*>bp).hash = -1
        return True

    cdef int _append(self, str text) except -1:
        """(compiled core only) Add ``text`` to the buffer, unread."""
        cdef str buf
        if self._append_bytes(text) or self._append_grown(text):
            return 0
        # with the only reference in a local, `+=` grows the str in place: amortised
        # linear over many small chunks
        buf = self.buf
        self.buf = None
        buf = grow_buffer(buf, text, &self.buf_room)   # (compiled core only) `buf += text`
        self.buf = buf
        self.buf_kind = PyUnicode_KIND(buf)
        self.buf_data = PyUnicode_DATA(buf)
        return 0

    cdef bint _append_grown(self, str text) except -1:
        """(compiled core only) _append() of a ``text`` that does not fit the buffer's
        room when only the scanner holds the buffer and the text needs no wider kind: the
        buffer's memory grows to twice what it will hold (PyUnicode_Resize(): realloc,
        which moves a large block by remapping its pages rather than copying them into
        fresh memory), then the text is written in place; whether it was."""
        cdef PyObject* p = <PyObject*>self.buf
        cdef Py_ssize_t n = (<PyASCIIObject*>p).length
        cdef Py_ssize_t m = len(text)
        cdef Py_ssize_t size = max(2 * (n + m), 256)
        cdef int kind = PyUnicode_KIND(<object>p)
        cdef int tkind = PyUnicode_KIND(text)
        cdef int r
        cdef Py_ssize_t k
        cdef void* data
        if (n == 0 or n + m <= self.buf_room or _Py_REFCNT(p) != 1 or tkind > kind
                or (is_ascii(<object>p) and not is_ascii(text))
                or not (is_ascii(<object>p) or (<PyCompactUnicodeObject*>p).utf8 == NULL)):
            return False
        # the reference moves from the attribute to p for the resize (which may move the
        # str), then back
        incref(p)
        self.buf = None
        r = resize_str(&p, size)
        self.buf = <str>p
        decref(p)
        if r < 0:
            raise MemoryError()
        self.buf_room = size
        data = PyUnicode_DATA(self.buf)
        self.buf_kind = kind
        self.buf_data = data
        if tkind == kind:
            copy_bytes(<char*>data + n * kind, PyUnicode_DATA(text), m * kind)
        else:
            for k in range(m):
                write_char(kind, data, n + k, PyUnicode_READ(tkind, PyUnicode_DATA(text), k))
        write_char(kind, data, n + m, 0)
        (<PyASCIIObject*>p).length = n + m
        (<PyASCIIObject*>p).hash = -1
        return True

    def finish(self):
        """End of input: settle what is open and return the candidates."""
        self.final = True
        self._run()
        self._close_all(len(self.buf), TRUNCATED_END)
        return self.candidates

    cpdef Py_ssize_t committed(self) except? -2:
        """Streaming: the input position before which the current payload's repaired text
        is final (no later input can change an edit there), or -1 when no payload is open.

        Held back: a value the next token may still reinterpret (a string that may be an
        echoed key, be concatenated, or turn into a key of an object whose array lost its
        `]`; scalars after a row that may have lost its `[`), a pending comma, a key, and
        at the end of a string the spaces, commas and closers that may turn out to be
        structure, and LaTeX-looking escapes not yet decided.
        """
        cdef int st
        cdef Py_ssize_t w, top
        cdef bint in_value_string = False
        if self.cand_start < 0 or self.state == PROSE or self.state == THINK or self.state == TOP_AFTER:
            return -1
        if not self.depth:
            return self.cand_start          # a bare scalar payload: shown when complete
        top = self.depth - 1
        st = self.state
        w = self.pos
        if st == STRING:
            if self.s_key:
                w = self.s_start
            else:
                in_value_string = True
                while w > self.s_start + 1 and self._ch(w - 1) in " \t\r\n,}]":
                    w -= 1
                if self.s_latex and <Py_ssize_t>self.s_latex[0] < w:
                    w = self.s_latex[0]
                # (content longer than the key's token is no prefix of the key)
                if (self.st_type[top] == OBJ and self.pos - self.s_start - 1 <= self.key_end - self.key_start
                        and self._echo_prefix()):
                    w = self.s_start
        elif st == AFTER:
            w = self.last_end
            if self.val_str:
                w -= 1                      # the closing quote: `"a" + "b"` may follow
                if (self.st_type[top] == OBJ and self.last_end - self.val_start - 2 <= self.key_end - self.key_start
                        and self._echo_prefix()):
                    w = self.val_start
        elif st == COLON:
            w = min(w, self.key_start)
            if self.st_sep[top] >= 0 and self.st_sep[top] < w:
                # a key with no value yet is dropped with the comma before it when the
                # payload ends (or a closing fence cuts it) there
                w = self.st_sep[top]
        else:
            w = min(w, self.last_end)
        if self.st_comma[top] >= 0 and self.st_comma[top] < w:
            w = self.st_comma[top]
        if self.st_type[top] == ARR:
            if self.st_run[top] >= 0 and self.st_run[top] < w:
                w = self.st_run[top]
            if self.st_sep[top] < 0 and (self.st_count[top] == 0 or (st == AFTER and self.val_str)):
                # `["k": 1]`: until its first comma the array may turn out an object
                w = min(w, self.st_open[top])
            elif in_value_string or (st == AFTER and self.val_str):
                if self.depth >= 2 and self.st_type[top - 1] == OBJ:
                    # `{"a": [1, "b": 2}`: the string may be the next key
                    w = min(w, self.st_sep[top])
        if self.paren_floor >= 0 and self.paren_floor < w:
            w = self.paren_floor
        return w if w > self.cand_start else self.cand_start

    cdef bint _echo_prefix(self) except -1:
        """Is the value string so far (or just closed) a prefix of its key, so that a
        `:` after it would make it an echoed key (`{"k": "k": "v"}`)?"""
        cdef str buf = self.buf
        cdef Py_ssize_t n = len(buf)
        cdef Py_ssize_t s = self.key_start
        cdef Py_ssize_t e = self.key_end
        cdef Py_ssize_t start, end, m, k
        if e - s >= 2 and s >= 0 and is_quote(self._ch(s)) and is_quote(self._ch(e - 1)):
            s += 1
            e -= 1
        if self.state == AFTER:
            start = self.val_start + 1
            end = self.last_end - 1
        else:
            start = self.s_start + 1
            end = self.pos
        if end - start > e - s:
            return False
        if s < 0 or start < 0:
            # (not reached: positions are set) Python's negative indexing
            return bool(buf.startswith(buf[start:end] if start >= 0 else buf[start + n:end], s))
        # buf.startswith(buf[start:end], s), without the slice
        m = end - start if end > start else 0
        if s + m > n:
            return False
        for k in range(m):
            if self._ch(start + k) != self._ch(s + k):
                return False
        return True

    cdef inline Py_UCS4 _ch(self, Py_ssize_t i) noexcept:
        """(compiled core only) ``buf[i]``, read from the buffer without an object."""
        return PyUnicode_READ(self.buf_kind, self.buf_data, i)

    # -- edits --------------------------------------------------------------------

    cdef EditList _new_edits(self):
        """(compiled core only) An empty edit list reading this scanner's buffer."""
        cdef EditList el = EditList.__new__(EditList)
        el.owner = self
        return el

    cdef int _ins_code(self, text) except? -3:
        """(compiled core only) How an EditList stores the inserted ``text``."""
        cdef Py_ssize_t k
        cdef Py_ssize_t n = len(text)
        if n == 0:
            return INS_NONE
        if n == 1:
            return INS_CHAR - <int>PyUnicode_READ_CHAR(text, 0)
        k = self.ins_index.get(text, -1)
        if k < 0:
            k = len(self.ins_texts)
            self.ins_texts.append(text)
            self.ins_index[text] = k
        return <int>k

    cdef int _add_edit(self, int kind, Py_ssize_t pos, Py_ssize_t rlen, int ins) except -1:
        """(compiled core only) ``_add`` with the edit's parts as C values."""
        cdef EditList el = self.edits
        cdef Py_ssize_t k = el.n
        while k > 0 and el.pos[k - 1] > pos:
            k -= 1
        el.put(k, kind, pos, rlen, ins)
        if pos < self.low_water:
            self.low_water = pos
        return 0

    cdef int _add(self, tuple edit) except -1:
        """Record an edit, keeping the list sorted by position (edits at one position in
        the order they were recorded)."""
        return self._add_edit(edit[0], edit[1], len(edit[2]), self._ins_code(edit[3]))

    cdef int _insert(self, kind, Py_ssize_t pos, text) except -1:
        return self._add_edit(kind, pos, 0, self._ins_code(text))

    cdef int _delete(self, kind, Py_ssize_t start, Py_ssize_t end) except -1:
        self._drop_edits(start, end)
        return self._add_edit(kind, start, end - start, INS_NONE)

    cdef int _replace(self, kind, Py_ssize_t start, Py_ssize_t end, text) except -1:
        self._drop_edits(start, end)
        return self._add_edit(kind, start, end - start, self._ins_code(text))

    cdef int _drop_edits(self, Py_ssize_t start, Py_ssize_t end) except -1:
        """Forget recorded edits that fall inside ``[start, end)`` (text about to go)."""
        cdef EditList el = self.edits
        cdef Py_ssize_t k = el.n
        cdef Py_ssize_t j, w
        while k > 0 and el.pos[k - 1] >= start:
            k -= 1
        if k == el.n:
            return 0
        # an insertion at ``start`` stands before the removed text: it stays
        w = k
        for j in range(k, el.n):
            if el.pos[j] >= end or (el.pos[j] == start and el.rlen[j] == 0):
                el.pos[w] = el.pos[j]
                el.rlen[w] = el.rlen[j]
                el.ins[w] = el.ins[j]
                el.kind[w] = el.kind[j]
                w += 1
        el.n = w
        if start < self.low_water:
            self.low_water = start
        return 0

    # -- the loop -----------------------------------------------------------------

    cdef int _run(self) except -1:
        cdef Py_ssize_t n = len(self.buf)
        cdef int st
        cdef bint ok
        while self.pos < n:
            st = self.state
            if st == STRING:
                ok = self._string()
            elif st == PROSE:
                ok = self._prose()
            elif st == THINK:
                ok = self._think()
            elif st == TOP_AFTER:
                ok = self._top_after()
            else:
                ok = self._structure()
            if not ok:
                break
        return 0

    # -- outside the payload ------------------------------------------------------

    cdef int _prose(self) except -1:
        """Skip text until a value starts; tags, fences and `<think>` are skipped whole."""
        cdef str buf = self.buf
        cdef Py_ssize_t n = len(buf)
        cdef Py_ssize_t i = self.pos
        cdef Py_ssize_t r, j
        cdef Py_UCS4 c
        while i < n:
            c = self._ch(i)
            if c == "{" or c == "\uff5b":
                self._begin(i)
                return True
            if c == "[":
                r = self._bracket_kind(i)
                if r == NEED:
                    self.pos = i
                    return False
                if r > 0:            # a tag like [CONTENT] or [/CONTENT]: skip it
                    i = r
                    self.implicit_ok = True
                    continue
                if r == 0:
                    self._begin(i)
                    return True
                i += 1
                continue
            if c == "<":
                r = self._angle_tag(i)
                if r == NEED:
                    self.pos = i
                    return False
                if r == -2:           # <think>
                    self.pos = i + 7
                    self.state = THINK
                    return True
                if r > 0:
                    i = r
                    self.implicit_ok = True
                    continue
                i += 1
                continue
            if c == "`" and n - i < 3 and not self.final and self._ch(n - 1) == "`" and (n - i < 2 or self._ch(i + 1) == "`"):
                # buf[i:] == "`" * (n - i)
                self.pos = i         # maybe a fence
                return False
            if c == "`" and buf.startswith("```", i):
                j = i + 3
                while j < n and (self._ch(j).isalnum() or self._ch(j) in "_-+"):
                    j += 1
                if j >= n and not self.final:
                    self.pos = i     # the language tag may go on
                    return False
                i = j
                self.implicit_ok = True
                self.fenced = not self.fenced
                continue
            if is_ws(c):
                i += 1
                continue
            if c == "\\" and i + 1 >= n and not self.final:
                self.pos = i
                return False
            if c == "\\" and i + 1 < n and self._ch(i + 1) in "nrt":
                i += 2               # literal `\n` of an escaped log: still a line break
                continue
            if self.implicit_ok or (self.rules & RULE_IMPLICIT_ANYWHERE):
                r = self._start_of_text_value(i)
                if r == NEED:
                    self.pos = i
                    return False
                if r == 1:
                    return True
            self.implicit_ok = False
            i += 1
        self.pos = i
        return True

    cdef Py_ssize_t _start_of_text_value(self, Py_ssize_t i) except? -1:
        """At the start of the text or after a tag: a bare member or scalar payload."""
        cdef str buf = self.buf
        cdef Py_UCS4 c = self._ch(i)
        cdef Py_ssize_t r, e, n
        if is_quote(c):
            r = self._key_colon_ahead(i)
            if r == NEED:
                return NEED
            if r == 1:
                self._begin_implicit(i)
                return 1
            if i == self._first_sig():
                self._begin_scalar(i)
                return 1
            return 0
        n = len(buf)
        if i == self._first_sig() and self._literal_start(i) == NEED:
            return NEED             # `nu` may become `null`
        if i == self._first_sig() and (c.isdigit() or c in "-+." or buf.startswith(LITERAL_PREFIXES, i)):
            e = i
            while e < n and not is_ws(self._ch(e)) and not is_stop(self._ch(e)):
                e += 1
            if e == n and not self.final:
                return NEED
            tok = buf[i:e]
            if tok in LITERALS or fix_number(tok) is not None or (e == n and self._literal_prefix(tok)):
                self._begin_scalar(i)
                return 1
        return 0

    cdef Py_ssize_t _first_sig(self) noexcept:
        """Position of the first character of the text that is not white space."""
        cdef Py_ssize_t i = 0
        cdef Py_ssize_t n = len(self.buf)
        while i < n and (is_ws(self._ch(i)) or is_other_space(self._ch(i))):
            i += 1
        return i

    cdef Py_ssize_t _bracket_kind(self, Py_ssize_t i) except? -1:
        """At `[` in prose: end of a `[TAG]`/`[/TAG]` (>0), an array start (0), or text (-3)."""
        cdef str buf = self.buf
        cdef Py_ssize_t n = len(buf)
        cdef Py_ssize_t j = i + 1
        cdef Py_ssize_t lim = min(n, i + 40)
        cdef Py_ssize_t k, m, r
        cdef Py_UCS4 d
        if j < lim and self._ch(j) == "/":
            j += 1
        k = j
        while k < lim and (self._ch(k).isalnum() or self._ch(k) == "_"):
            k += 1
        if k < lim and self._ch(k) == "]" and k > j and buf[j:k] not in LITERALS and fix_number(buf[j:k]) is None:
            return k + 1
        if k >= n and not self.final:
            return NEED
        m = i + 1
        while m < n and (is_ws(self._ch(m)) or (self._ch(m) == "\\" and m + 1 < n and self._ch(m + 1) in "nrt")):
            m += 2 if self._ch(m) == "\\" else 1       # a literal `\n` of stringified JSON too
        if m >= n:
            return NEED if not self.final else 0
        d = self._ch(m)
        if d == "\\":
            # stringified JSON: `[\"a\"]`
            if m + 1 >= n:
                return NEED if not self.final else -3
            return 0 if self._ch(m + 1) == '"' else -3
        if d == "." and n - m < 3 and not self.final and self._ch(n - 1) == "." and (n - m < 2 or self._ch(m + 1) == "."):
            return NEED             # `[..` may become `[...`: an ellipsis, then items
        if d in "{[],\"'-\u201c\u2026" or d.isdigit() or d == "#" or (d == "." and n - m >= 3 and self._ch(m + 1) == "." and self._ch(m + 2) == "."):
            return 0
        if d == "/":
            if m + 1 >= n:
                return NEED if not self.final else -3
            return 0 if self._ch(m + 1) in "/*" else -3   # `[ // note` opens an array
        r = self._literal_start(m)
        return -3 if r == 0 else (0 if r == 1 else NEED)

    cdef Py_ssize_t _angle_tag(self, Py_ssize_t i) except? -1:
        """At `<` in prose: -2 for `<think>`, the end of another tag (>0), or text (-3)."""
        cdef str buf = self.buf
        cdef Py_ssize_t n = len(buf)
        cdef Py_ssize_t j, lim
        if buf.startswith("<think>", i):
            return -2
        if n - i < 7 and not self.final and "<think>".startswith(buf[i:]):
            return NEED
        j = i + 1
        lim = min(n, i + LOOKAHEAD)
        while j < lim and self._ch(j) not in "<>{}\n":
            j += 1
        if j < lim and self._ch(j) == ">":
            return j + 1
        if j >= n and not self.final:
            return NEED
        return -3

    cdef int _think(self) except -1:
        cdef str buf = self.buf
        cdef Py_ssize_t k = buf.find("</think>", self.pos)
        if k < 0:
            if not self.final:
                self.pos = max(self.pos, len(buf) - 8)
                return False
            # never closed: what followed `<think>` is read as ordinary text
            self.state = PROSE
            return True
        self.pos = k + 8
        self.state = PROSE
        self.implicit_ok = True
        return True

    cdef int _top_after(self) except -1:
        """After a top-level value: drop stray closers, then back to prose."""
        cdef str buf = self.buf
        cdef Py_ssize_t n = len(buf)
        cdef Py_ssize_t i = self.pos
        cdef Py_ssize_t r
        while i < n and is_ws(self._ch(i)):
            i += 1
        if i < n and self._ch(i) == "+" and <int>self.candidates[len(self.candidates) - 1][3] & SCALAR and self.val_str:
            # `"a" + "b"` as the whole payload: reopen the candidate and join
            start, end, edits, flags = self.candidates.pop()
            self.cand_start, self.edits, self.cand_flags = start, edits, flags
            r = self._concat(i)
            if r == 1:
                return True
            self.candidates.append((start, end, edits, flags))
            self.edits = self._new_edits()
            self.cand_start = -1
            if r == -1:
                self.pos = i
                return False
        if i < n and self._ch(i) in "}]":
            self.candidates[len(self.candidates) - 1][2].append((EXTRA_CLOSER, i, buf[i], ""))
            self.pos = i + 1
            return True
        if i >= n and not self.final:
            self.pos = i
            return False
        self.pos = i
        self.state = PROSE
        self.implicit_ok = False
        return True

    # -- candidates ---------------------------------------------------------------

    cdef int _begin(self, Py_ssize_t i) except -1:
        """A container opens the payload at ``i``."""
        self.cand_start = i
        self.cand_flags = 0
        self.edits = self._new_edits()
        self.state = VALUE
        self.pos = i
        self._structure()
        return 0

    cdef int _begin_implicit(self, Py_ssize_t i) except -1:
        self.cand_start = i
        self.cand_flags = IMPLICIT
        self.edits = self._new_edits()
        self._insert(IMPLICIT_OBJECT, i, "{")
        self._push(OBJ, i)
        self.state = KEY
        self.pos = i
        return 0

    cdef int _begin_scalar(self, Py_ssize_t i) except -1:
        self.cand_start = i
        self.cand_flags = SCALAR
        self.edits = self._new_edits()
        self.state = VALUE
        self.pos = i
        return 0

    cdef int _end_candidate(self, Py_ssize_t end) except -1:
        self.candidates.append((self.cand_start, end, self.edits, self.cand_flags))
        self.edits = self._new_edits()
        self.cand_start = -1
        self.state = TOP_AFTER
        return 0

    # -- the stack ----------------------------------------------------------------

    cdef int _push(self, int kind, Py_ssize_t pos) except -1:
        cdef Py_ssize_t d = self.depth
        cdef Py_ssize_t cap
        if d >= self.max_depth:
            raise RepairError("maximum nesting depth exceeded", self.buf, pos)
        if d >= self.st_cap:
            # grow every array by doubling
            cap = self.st_cap * 2
            self.st_type = <int*>grow(self.st_type, cap * sizeof(int))
            self.st_open = <Py_ssize_t*>grow(self.st_open, cap * sizeof(Py_ssize_t))
            self.st_comma = <Py_ssize_t*>grow(self.st_comma, cap * sizeof(Py_ssize_t))
            self.st_sep = <Py_ssize_t*>grow(self.st_sep, cap * sizeof(Py_ssize_t))
            self.st_count = <Py_ssize_t*>grow(self.st_count, cap * sizeof(Py_ssize_t))
            self.st_run = <Py_ssize_t*>grow(self.st_run, cap * sizeof(Py_ssize_t))
            self.st_dbl = <Py_ssize_t*>grow(self.st_dbl, cap * sizeof(Py_ssize_t))
            self.st_cap = cap
        self.st_type[d] = kind
        self.st_open[d] = pos
        self.st_comma[d] = -1
        self.st_sep[d] = -1
        self.st_count[d] = 0
        self.st_run[d] = -1
        self.st_dbl[d] = 0
        self.depth = d + 1
        if kind == PAREN and self.paren_floor < 0:
            self.paren_floor = pos
            self.paren_depth = self.depth
        if self.keymap is not None:
            self.st_keys.append({} if kind == OBJ else None)
        return 0

    cdef int _pop(self) except -1:
        """Close the top container; a finished top level ends the candidate."""
        cdef Py_ssize_t dbl = self.st_dbl[self.depth - 1]
        cdef int kind = self._pop_quiet()
        self._after_value(self.last_end, False)
        if self.depth:
            self.st_run[self.depth - 1] = ROW_ENDED if kind == ARR else -1
            self.dbl_after = dbl
        return kind

    cdef Py_UCS4 _closer_of(self, int kind) noexcept:
        return "}" if kind == OBJ else ("]" if kind == ARR else ")")

    cdef int _after_value(self, Py_ssize_t end, bint is_str) except -1:
        """A value ended at ``end``: the container goes to AFTER, the top level ends."""
        self.last_end = end
        self.val_str = is_str
        self.dbl_after = 0
        if not self.depth:
            self._end_candidate(end)
            return 0
        self.st_count[self.depth - 1] += 1
        self.st_comma[self.depth - 1] = -1
        if self.st_run[self.depth - 1] == ROW_ENDED:
            self.st_run[self.depth - 1] = self.val_start
        self.state = AFTER
        return 0

    cdef int _close_all(self, Py_ssize_t at, int flag) except -1:
        """Close every open container (and a pending token) at the end of the payload."""
        cdef int st, kind
        cdef Py_ssize_t c, end
        if self.state == STRING:
            self._close_string_at_end()
        if self.cand_start < 0 or self.state in (PROSE, THINK, TOP_AFTER):
            return 0
        st = self.state
        if st == VALUE and self.depth:
            if self.st_type[self.depth - 1] == OBJ:
                self._insert(MISSING_VALUE, self.last_end, " null")
                self._after_value(self.last_end, False)
            elif self.st_comma[self.depth - 1] >= 0:
                c = self.st_comma[self.depth - 1]
                self._delete(EXTRA_COMMA, c, c + 1)
        elif st == VALUE:
            # a scalar payload that never started: nothing to close
            self.cand_start = -1
            self.state = PROSE
            return 0
        elif st in (KEY, COLON) and self.depth:
            self._drop_partial_member()
        end = self.last_end
        while self.depth:
            kind = self.st_type[self.depth - 1]
            if kind == PAREN:
                self._close_paren_inner(end)
            else:
                self._insert(MISSING_CLOSER, end, self._closer_of(kind))
                self.cand_flags |= flag
                self._pop()
        return 0

    cdef int _drop_partial_member(self) except -1:
        """A key with no value at the end: drop it with the comma before it."""
        cdef Py_ssize_t c = self.st_comma[self.depth - 1]
        cdef Py_ssize_t start
        if self.state == COLON:
            start = self.key_start
            if c < 0:
                c = self._comma_before(start)
            if c >= 0:
                start = c
            else:
                self._drop_missing_comma()
            self._forget_key()
            self._delete(TRUNCATED, start, self.key_end)
            self.last_end = start
        elif c >= 0:
            self._delete(EXTRA_COMMA, c, c + 1)
            self.last_end = c
        else:
            self._drop_missing_comma()      # (`{"a": 1\` at the end: no member follows)
        return 0

    cdef Py_ssize_t _comma_before(self, Py_ssize_t pos) noexcept:
        cdef Py_ssize_t j = pos - 1
        while j >= 0 and is_ws(self._ch(j)):
            j -= 1
        if j >= 0 and self._ch(j) == "," and self.depth and self.st_count[self.depth - 1] > 0:
            return j
        return -1

    # -- structure ----------------------------------------------------------------

    cdef int _structure(self) except -1:
        cdef str buf = self.buf
        cdef Py_ssize_t n = len(buf)
        cdef Py_ssize_t i = self.pos
        cdef Py_UCS4 c = self._ch(i)
        cdef Py_UCS4 fw
        cdef int st
        cdef Py_ssize_t r
        if is_ws(c):
            # (compiled core only) the white space is skipped and the token after it read
            # in the same call (the state is the same)
            i = skip_ws_run(self.buf_kind, self.buf_data, i + 1, n)
            self.pos = i
            if i >= n:
                return True
            c = self._ch(i)
        st = self.state
        fw = fullwidth(c)
        if fw != c:
            self._replace(FULLWIDTH, i, i + 1, fw)
            c = fw
        if c == "/" or c == "#":
            r = self._comment(i, c, st)
            if r != 0:
                return r > 0
        if is_other_space(c):
            # no-break, zero-width and ideographic spaces, a BOM: removed
            self._delete(GARBAGE, i, i + 1)
            self.pos = i + 1
            return True
        if c == "\\" and i + 1 < n and self._ch(i + 1) in "nrt":
            # a literal `\n` between tokens of an escaped log: a line break
            self._delete(STRINGIFIED, i, i + 2)
            self.pos = i + 2
            return True
        if c == "\\" and i + 1 >= n and not self.final:
            return False
        if c == "`":
            r = self._fence_at(i)
            if r == NEED:
                return False
            if r == 1:
                # the closing fence of the payload: close what is open before it
                self._close_all(i, CUT)
                self.pos = i
                return True
        if c == "}" or c == "]" or c == ")":
            return self._closer(i, c)
        if c == ",":
            return self._comma(i)
        if c == ":":
            return self._colon(i)
        if st == KEY:
            return self._key(i, c)
        if st == COLON:
            return self._missing_colon(i, c)
        if st == AFTER:
            return self._after(i, c)
        return self._value(i, c)

    cdef Py_ssize_t _fence_at(self, Py_ssize_t i) noexcept:
        """Does a ``` fence start at ``i``? 1, 0, or NEED."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t k
        if n - i < 3 and not self.final:
            # buf[i:] == "`" * (n - i)
            k = i
            while k < n and self._ch(k) == "`":
                k += 1
            if k >= n:
                return NEED
        return 1 if (n - i >= 3 and self._ch(i) == "`" and self._ch(i + 1) == "`" and self._ch(i + 2) == "`") else 0

    cdef int _comment(self, Py_ssize_t i, Py_UCS4 c, int st) except -2:
        """`//`, `/* */` and `#` comments where white space may stand: removed."""
        cdef str buf = self.buf
        cdef Py_ssize_t n = len(buf)
        cdef Py_ssize_t end
        cdef Py_UCS4 d
        if c == "#":
            if st == VALUE:
                # `#fff` is a value; `# note` (a space after) is a comment
                if i + 1 >= n:
                    return 0 if self.final else -1
                if not is_ws(self._ch(i + 1)):
                    return 0
            end = buf.find("\n", self.cmt_from if self.cmt_at == i else i)
        else:
            if i + 1 >= n:
                return 0 if self.final else -1
            d = self._ch(i + 1)
            if d == "/":
                end = buf.find("\n", self.cmt_from if self.cmt_at == i else i)
            elif d == "*":
                end = buf.find("*/", self.cmt_from if self.cmt_at == i else i + 2)
                if end >= 0:
                    end += 2
            else:
                return 0
        if end < 0:
            if not self.final:
                # (the search goes on from here: the last character may begin `*/`)
                self.cmt_at = i
                self.cmt_from = max(i + 2, n - 1)
                return -1
            end = n
        self._delete(COMMENT, i, end)
        self.pos = end
        return 1

    cdef int _closer(self, Py_ssize_t i, Py_UCS4 c) except -1:
        """`}`, `]` or `)`: close, or repair a mismatched or stray closer."""
        cdef int kind, want_kind
        cdef Py_UCS4 want
        cdef Py_ssize_t r, nxt, depth, deeper, k, reading, best, score, keep
        cdef str ahead
        if not self.depth:
            # a closer where the payload should start: stray, skip it
            self.pos = i + 1
            return True
        if c == "}" and self.dbl_after > 0 and self.state == AFTER:
            # `[{{"a": 1}}, 2]`: the second brace of an object whose `{` was doubled
            self.dbl_after -= 1
            self._delete(DOUBLED, i, i + 1)
            self.pos = i + 1
            return True
        kind = self.st_type[self.depth - 1]
        want = self._closer_of(kind)
        if c == want:
            if kind == ARR and self.st_run[self.depth - 1] >= 0 and self.state == AFTER and self.depth >= 2 and self.st_type[self.depth - 2] == OBJ:
                # `[[1, 2], 3, 4], [5, 6]]` in an object: a row lost its `[`
                r = self._row_follows(i + 1)
                if r == NEED:
                    return False
                if r == 1:
                    self._insert(MISSING_OPENER, self.st_run[self.depth - 1], "[")
                    self._after_value(i + 1, False)
                    self.st_run[self.depth - 1] = ROW_ENDED
                    self.pos = i + 1
                    return True
            if self.depth == 1 and kind == OBJ:
                # `{"a": "x"\n},\n"b": 2}`: a brace that does not end the object
                r = self._member_follows(i + 1)
                if r == NEED:
                    return False
                if r == 1:
                    self._delete(EXTRA_CLOSER, i, i + 1)
                    self.pos = i + 1
                    return True
            return self._close_top(i, i + 1)
        want_kind = OBJ if c == "}" else (ARR if c == "]" else PAREN)
        # which reading of the stray closer does the next character agree with?
        nxt = self._next_sig(i + 1)
        if nxt == NEED:
            return False
        depth = self.depth
        deeper = -1
        k = depth - 2
        while k >= 0 and k >= depth - 8:
            if self.st_type[k] == want_kind:
                deeper = k
                break
            k -= 1
        if deeper >= 0 and self._fits(deeper, <Py_UCS4>nxt):
            reading = 0             # missing closers
        elif nxt != want and kind != PAREN and self._fits(depth - 1, <Py_UCS4>nxt):
            reading = 1             # a typo
        else:
            reading = 2             # a stray closer
        # ... unless the closers that follow fit another reading better (`{"k": [{], 2]}`)
        ahead = self._closers_ahead(i + 1, depth)
        if ahead is None:
            return False
        best = self._closers_fit(ahead, (deeper, depth - 1, depth)[reading])
        for r, keep in ((0, deeper), (1, depth - 1), (2, depth)):
            if r == reading or (r == 0 and (deeper < 0 or not self._fits(deeper, <Py_UCS4>nxt))):
                continue
            if r == 1 and (kind == PAREN or not self._fits(depth - 1, <Py_UCS4>nxt)):
                continue
            score = self._closers_fit(ahead, keep)
            if score > best:
                reading, best = r, score
        if reading == 0:
            # missing closers: close the inner containers, then this one
            self._settle_member()
            while self.depth - 1 > deeper:
                if self.st_type[self.depth - 1] == PAREN:
                    self._close_paren_inner()
                else:
                    self._insert(MISSING_CLOSER, self.last_end, self._closer_of(self.st_type[self.depth - 1]))
                    self._pop()
            return self._close_top(i, i + 1)
        if reading == 1:
            # a typo: `}` written for `]` or the reverse
            self._replace(MISMATCHED_CLOSER, i, i + 1, want)
            return self._close_top(i, i + 1)
        # closes nothing open: dropped
        self._delete(EXTRA_CLOSER, i, i + 1)
        self.pos = i + 1
        return True

    cdef str _closers_ahead(self, Py_ssize_t i, Py_ssize_t most):
        """The closers from ``i`` on that close containers open before ``i`` (strings
        skipped; at most ``most`` + 1 of them, within LOOKAHEAD), then `$` when the input
        ends there; None when the buffer ends first (NEED)."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t lim = min(n, i + LOOKAHEAD)
        cdef list out = []
        cdef Py_ssize_t rel = 0
        cdef Py_UCS4 ch
        while i < lim and len(out) <= most:
            ch = self._ch(i)
            if ch == '"':
                i += 1
                while i < lim and self._ch(i) != '"':
                    i += 2 if self._ch(i) == "\\" else 1
                if i >= lim:
                    break
            elif ch == "{" or ch == "[" or ch == "(":
                rel += 1
            elif ch == "}" or ch == "]" or ch == ")":
                if rel:
                    rel -= 1
                else:
                    out.append(ch)
            i += 1
        if i >= n and len(out) <= most:
            if not self.final:
                return None
            out.append("$")
        return "".join(out)

    cdef Py_ssize_t _closers_fit(self, str ahead, Py_ssize_t keep) except? -1:
        """How well the closers ``ahead`` close the ``keep`` lowest open containers: 2 for
        each that matches (from the top down), 1 more when they close them all and the
        input ends there."""
        cdef Py_ssize_t m = len(ahead)
        cdef bint end = m > 0 and ahead[m - 1] == "$"
        cdef Py_ssize_t t = 0
        if end:
            m -= 1
        while t < m and t < keep and <Py_UCS4>ahead[t] == self._closer_of(self.st_type[keep - 1 - t]):
            t += 1
        return 2 * t + (1 if end and t == m and t == keep else 0)

    cdef Py_ssize_t _member_follows(self, Py_ssize_t i) noexcept:
        """After a closer at ``i``: does `, "key":` follow (so the object goes on)?"""
        cdef Py_ssize_t n = len(self.buf)
        i = self._skip_ws(i)
        if i >= n:
            return 0 if self.final else NEED
        if self._ch(i) not in ",\uff0c":
            return 0
        i = self._skip_ws(i + 1)
        if i >= n:
            return 0 if self.final else NEED
        if is_quote(self._ch(i)):
            return self._key_colon_ahead(i)
        return self._bare_key_ahead(i)

    cdef Py_ssize_t _row_follows(self, Py_ssize_t i) noexcept:
        """After a `]` at ``i``: does `, [` follow (so the array of rows goes on)?"""
        cdef Py_ssize_t n = len(self.buf)
        i = self._skip_ws(i)
        if i >= n:
            return 0 if self.final else NEED
        if self._ch(i) != ",":
            return 0
        i = self._skip_ws(i + 1)
        if i >= n:
            return 0 if self.final else NEED
        return 1 if self._ch(i) == "[" else 0

    cdef Py_ssize_t _skip_ws(self, Py_ssize_t i) noexcept:
        """The first position from ``i`` that is not white space (at most LOOKAHEAD on)."""
        cdef Py_ssize_t lim = min(len(self.buf), i + LOOKAHEAD)
        while i < lim and is_ws(self._ch(i)):
            i += 1
        return i

    cdef bint _fits(self, Py_ssize_t level, Py_UCS4 nxt) noexcept:
        """Would the character ``nxt`` make sense once ``level`` and above are closed?"""
        cdef int parent
        if level == 0:
            return nxt == NO_CHAR or nxt not in ",:"
        parent = self.st_type[level - 1]
        if nxt == ",":
            return True
        if nxt == "}":
            return parent == OBJ
        if nxt == "]":
            return parent == ARR
        if nxt == ")":
            return parent == PAREN
        return True

    cdef Py_ssize_t _next_sig(self, Py_ssize_t i) noexcept:
        """The next character that is not white space (``NO_CHAR`` at the end of input)."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t start = i
        i = self._skip_ws(i)
        if i >= n:
            return NO_CHAR if self.final else NEED
        if i >= start + LOOKAHEAD:
            return ord(" ")
        return fullwidth(self._ch(i))

    cdef int _settle_member(self) except -1:
        """Before closing: a pending comma is trailing, a key without value gets null."""
        cdef int st = self.state
        cdef Py_ssize_t c
        if st == VALUE and self.st_type[self.depth - 1] == OBJ:
            self._insert(MISSING_VALUE, self.last_end, " null")
            self._after_value(self.last_end, False)
        elif st == COLON:
            self._insert(MISSING_VALUE, self.last_end, ": null")
            self._after_value(self.last_end, False)
        elif self.st_comma[self.depth - 1] >= 0:
            c = self.st_comma[self.depth - 1]
            self._delete(EXTRA_COMMA, c, c + 1)
            self.st_comma[self.depth - 1] = -1
        return 0

    cdef int _close_top(self, Py_ssize_t i, Py_ssize_t end) except -1:
        self._settle_member()
        if self.st_type[self.depth - 1] == PAREN:
            self.last_end = end
            self._close_paren_at(i)
            self.pos = end
            return True
        self.last_end = end
        self._pop()
        self.pos = end
        return True

    cdef int _close_paren_inner(self, Py_ssize_t end=-1) except -1:
        cdef Py_ssize_t at = self.last_end if end < 0 else end
        self._paren_edits(at, -1)
        self._pop()
        return 0

    cdef int _close_paren_at(self, Py_ssize_t i) except -1:
        self._paren_edits(i, i)
        self._pop()
        return 0

    cdef int _paren_edits(self, Py_ssize_t close_at, Py_ssize_t close_pos) except -1:
        """A tuple becomes an array; a call with one argument becomes the argument."""
        cdef Py_ssize_t start = self.st_open[self.depth - 1]
        cdef str buf = self.buf
        cdef Py_ssize_t k = start
        cdef bint one
        while self._ch(k) != "(":
            k += 1
        one = self.st_count[self.depth - 1] == 1 and self.st_sep[self.depth - 1] < 0
        if one and k > start:
            self._delete(WRAPPER_CALL, start, k + 1)
            if close_pos >= 0:
                self._delete(WRAPPER_CALL, close_pos, close_pos + 1)
            if self.val_str and buf.startswith("Number", start):
                # `NumberLong("2")`: the quoted digits are the number
                num = fix_number(buf[self.val_start + 1:self.last_str_end - 1])
                if num is not None:
                    self._replace(WRAPPER_CALL, self.val_start, self.last_str_end, num)
        else:
            self._replace(WRAPPER_CALL, start, k + 1, "[")
            if close_pos >= 0:
                self._replace(WRAPPER_CALL, close_pos, close_pos + 1, "]")
            else:
                self._insert(MISSING_CLOSER, close_at, "]")
        return 0

    cdef int _comma(self, Py_ssize_t i) except -1:
        cdef int st = self.state
        if st == AFTER:
            self.st_comma[self.depth - 1] = i
            self.st_sep[self.depth - 1] = i
            self.state = KEY if self.st_type[self.depth - 1] == OBJ else VALUE
            self.pos = i + 1
            return True
        if st == VALUE and self.depth and self.st_type[self.depth - 1] == OBJ:
            # `{"a": , "b": 2}`: the value is missing
            self._insert(MISSING_VALUE, i, "null")
            self._after_value(i, False)
            return self._comma(i)
        if st == COLON:
            self._insert(MISSING_VALUE, self.last_end, ": null")
            self._after_value(self.last_end, False)
            return self._comma(i)
        # a leading or doubled comma
        self._delete(EXTRA_COMMA, i, i + 1)
        self.pos = i + 1
        return True

    cdef int _colon(self, Py_ssize_t i) except -1:
        cdef int st = self.state
        cdef int kind
        if st == COLON:
            self.state = VALUE
            self.last_end = i + 1
            self.pos = i + 1
            return True
        kind = self.st_type[self.depth - 1] if self.depth else -1
        if st == AFTER and kind == OBJ and self.val_str:
            # `{"k": "k": "v"}`: the key was echoed as its own value
            self._delete(DOUBLED, self.val_start, i + 1)
            self.state = VALUE
            self.pos = i + 1
            return True
        if st == AFTER and kind == ARR and self.val_str:
            return self._colon_in_array(i)
        self._delete(GARBAGE, i, i + 1)
        self.pos = i + 1
        return True

    cdef int _colon_in_array(self, Py_ssize_t i) except -1:
        """`["k": 1]` means an object; `{"a": [1, 2, "b": 3}` lost its `]`."""
        cdef Py_ssize_t o, sep, key_end
        if self.st_count[self.depth - 1] == 1 and self.st_sep[self.depth - 1] < 0:
            o = self.st_open[self.depth - 1]
            self._replace(MISMATCHED_CLOSER, o, o + 1, "{")
            self.st_type[self.depth - 1] = OBJ
            if self.keymap is not None:
                self.st_keys[self.depth - 1] = {}
            self.key_start = self.val_start
            self.key_end = self.last_end
            self._check_key()
            self.st_count[self.depth - 1] = 0
            self.state = VALUE
            self.pos = i + 1
            return True
        if self.depth >= 2 and self.st_type[self.depth - 2] == OBJ and self.st_sep[self.depth - 1] >= 0:
            sep = self.st_sep[self.depth - 1]
            key_end = self.last_end
            self._insert(MISSING_CLOSER, sep, "]")
            self.st_count[self.depth - 1] -= 1
            self.last_end = sep
            self._pop_quiet()
            # the comma now separates members of the object; the string is its key
            self.st_comma[self.depth - 1] = sep
            self.key_start = self.val_start
            self.key_end = key_end
            self._check_key()
            self.state = VALUE
            self.pos = i + 1
            return True
        self._delete(GARBAGE, i, i + 1)
        self.pos = i + 1
        return True

    cdef int _pop_quiet(self) except -1:
        """Close the top container without ending a value (the caller sets the state)."""
        if not self.depth:
            raise IndexError("pop from empty list")
        cdef int kind
        self.depth -= 1
        kind = self.st_type[self.depth]
        if self.depth < self.paren_depth:
            self.paren_floor = -1
            self.paren_depth = 0
        if self.keymap is not None:
            keys = self.st_keys.pop()
            if keys:
                self._settle_keys(keys)
        return kind

    # -- keys ---------------------------------------------------------------------

    cdef int _key(self, Py_ssize_t i, Py_UCS4 c) except -1:
        """Before a key: a string, a bare word, or a repair."""
        cdef Py_ssize_t r, s
        if c == '"':
            r = self._key_colon_ahead(i)
            if r == NEED:
                return False
            if r == 0:
                s = self._stutter(i)
                if s == NEED:
                    return False
                if s > i:
                    self._delete(GARBAGE, i, s)
                    self.pos = s
                    return True
        if is_quote(c) or c == "\\":
            return self._open_string(i, c, True)
        if c == "{" or c == "[":
            return self._restart(i, c)
        if c == ".":
            r = self._ellipsis(i)
            if r != 0:
                return r > 0
        if c == "\u2026":
            return self._ellipsis(i) > 0
        return self._bare_key(i)

    cdef int _restart(self, Py_ssize_t i, Py_UCS4 c) except -1:
        """A `{` where a key should be: the model restarted or doubled the object."""
        cdef Py_ssize_t comma, at
        if c == "{" and self.depth >= 2 and self.st_type[self.depth - 2] == ARR and self.st_count[self.depth - 1] > 0:
            # `[{"a": 1, {"b": 2}]`: close this object, the brace starts the next element
            comma = self.st_comma[self.depth - 1]
            at = comma if comma >= 0 else self.last_end
            self.st_comma[self.depth - 1] = -1
            self._insert(MISSING_CLOSER, at, "}")
            self._pop_quiet()
            self.st_count[self.depth - 1] += 1
            if comma >= 0:
                self.st_comma[self.depth - 1] = comma
                self.st_sep[self.depth - 1] = comma
            else:
                self._insert(MISSING_COMMA, at, ",")
            self.state = VALUE
            return self._value(i, c)
        # `{{"a": 1}}` or `{"a": 1, {"a": 1, ...`: the brace is doubled
        self.st_dbl[self.depth - 1] += 1
        self._delete(DOUBLED, i, i + 1)
        self.pos = i + 1
        return True

    cdef int _bare_key(self, Py_ssize_t i) except -1:
        """A key without quotes, up to the colon: `{a: 1}`. Else prose ends the value."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t j = i
        cdef Py_ssize_t lim = min(n, i + LOOKAHEAD)
        cdef Py_ssize_t e
        cdef Py_UCS4 d
        while j < lim and self._ch(j) not in ",:{}[]\"\n\uff1a\uff0c" and not (self._ch(j) == "/" and j + 1 < n and self._ch(j + 1) in "/*"):
            j += 1
        if j >= n and not self.final:
            return False
        e = j
        while e > i and is_ws(self._ch(e - 1)):
            e -= 1
        d = self._ch(j) if j < n else NO_CHAR
        d = fullwidth(d)
        if d == ":" and e > i:
            self._insert(UNQUOTED_KEY, i, '"')
            self._bare_key_escapes(i, e)
            self._insert(UNQUOTED_KEY, e, '"')
            self._key_token(i, e, i, e)
            return True
        if (d == "," or d == "}") and e > i and self._is_word(i, e):
            # `{ xxx }`: a key with no value
            self._insert(UNQUOTED_KEY, i, '"')
            self._insert(UNQUOTED_KEY, e, '"')
            self._key_token(i, e, i, e)
            return True
        if d == NO_CHAR and self.final:
            # a bare partial key at the end: dropped with its comma
            self.pos = n
            self._drop_partial_member()
            self.state = AFTER if self.st_count[self.depth - 1] else KEY
            self._close_all(n, TRUNCATED_END)
            return True
        # prose inside the object: the value ended before it
        return self._cut(i)

    cdef int _bare_key_escapes(self, Py_ssize_t i, Py_ssize_t e) except -1:
        """The text of a bare key ``[i, e)`` as JSON string content: a backslash is a
        character of the key (`{a\\b: 1}`), unless it starts a `\\uXXXX` escape of a
        character that is not a surrogate (as in a JavaScript name); a control character
        is escaped."""
        cdef Py_ssize_t k = i
        cdef Py_ssize_t a
        cdef Py_UCS4 c
        cdef int u
        while k < e:
            c = self._ch(k)
            if c == "\\":
                if k + 6 <= e and self._ch(k + 1) == "u":
                    u = 0
                    for a in range(k + 2, k + 6):
                        if not is_hex(self._ch(a)):
                            u = -1
                            break
                        u = u * 16 + hex_value(self._ch(a))
                    if u >= 0 and not 0xD800 <= u <= 0xDFFF:
                        k += 6
                        continue
                self._insert(ESCAPE, k, "\\")
            elif c < " ":
                self._replace(CONTROL_CHAR, k, k + 1, CONTROL_ESCAPES.get(c, "\\u%04x" % ord(c)))
            k += 1
        return 0

    cdef bint _is_word(self, Py_ssize_t i, Py_ssize_t e) noexcept:
        cdef Py_ssize_t k
        for k in range(i, e):
            if not (ident_char(self._ch(k)) or self._ch(k) == " "):
                return False
        return True

    cdef int _cut(self, Py_ssize_t i) except -1:
        """Prose where a member should be: close everything after the last value."""
        cdef Py_ssize_t c, end
        cdef int kind
        if self.st_comma[self.depth - 1] >= 0:
            c = self.st_comma[self.depth - 1]
            self._delete(EXTRA_COMMA, c, c + 1)
            self.st_comma[self.depth - 1] = -1
        end = self.last_end
        self.state = AFTER
        while self.depth:
            kind = self.st_type[self.depth - 1]
            if kind == PAREN:
                self._close_paren_inner(end)
            else:
                self._insert(MISSING_CLOSER, end, self._closer_of(kind))
                self._pop()
        self.cand_flags |= CUT
        self.pos = i
        self.state = PROSE
        return True

    cdef int _key_token(self, Py_ssize_t start, Py_ssize_t end, Py_ssize_t cstart, Py_ssize_t cend) except -1:
        """A key was read (token ``[start, end)``, content ``[cstart, cend)``)."""
        self.key_start = start
        self.key_end = end
        self.last_end = end
        self.pos = end if end > self.pos else self.pos
        self.st_comma[self.depth - 1] = -1
        self._check_key_content(cstart, cend)
        self.state = COLON
        return 0

    cdef int _check_key(self) except -1:
        """Rename a key read as a value (array turned object) if the key map says so."""
        cdef Py_ssize_t s = self.key_start
        cdef Py_ssize_t e = self.key_end
        # the quotes the key has (either may be missing: `[-a": 1` holds the key `-a`)
        if e > s and is_quote(self._ch(s)):
            s += 1
        if e > s and is_quote(self._ch(e - 1)):
            e -= 1
        self._check_key_content(s, e)
        return 0

    cdef int _check_key_content(self, Py_ssize_t cstart, Py_ssize_t cend) except -1:
        cdef tuple rename
        if self.keymap is None:
            return 0
        text = self.buf[cstart:cend]
        keys = self.st_keys[self.depth - 1]
        want = self.key_wants.get(text, _NO_WANT)
        if want is _NO_WANT:
            plain = unescape_key(text) if "\\" in text else text
            want = self.keymap.get(normalize_key(plain))
            # (the key map holds the required spellings JSON-escaped, as they are written)
            if want is not None and plain is not text and unescape_key(want) == plain:
                want = None     # the required key, written with other escapes
            self.key_wants[text] = want
        if want is not None and want != text:
            self._drop_edits(cstart, cend)
            if cend > cstart and (self._ch(cstart) == '"' or self._ch(cstart) == "\\"):
                # the escape of a first `"` or `\` is part of the content renamed
                self._drop_inserted(INNER_QUOTE if self._ch(cstart) == '"' else ESCAPE, cstart)
            rename = (KEY_CASE, cstart, text, want)
            self._add(rename)
            keys[text] = rename
        elif keys is not None:
            keys[text] = None
        return 0

    cdef int _forget_key(self) except -1:
        """The current key is dropped: it no longer counts as a spelling the object has
        (`{"A": 1, "a"` with required `a`: the `A` is renamed)."""
        if self.keymap is None or not self.depth:
            return 0
        keys = self.st_keys[self.depth - 1]
        if not keys:
            return 0
        cdef Py_ssize_t s = self.key_start
        cdef Py_ssize_t e = self.key_end
        if e - s >= 2 and is_quote(self._ch(s)) and is_quote(self._ch(e - 1)):
            s += 1
            e -= 1
        keys.pop(self.buf[s:e], None)
        return 0

    cdef int _drop_missing_comma(self) except -1:
        """The member after a comma the scanner inserted is dropped (a key cut off at the
        end): the inserted comma goes too (`{"a": 1 "b"`)."""
        cdef Py_ssize_t sep = self.st_sep[self.depth - 1]
        if sep < 0 or sep >= len(self.buf) or self._ch(sep) == "," or self._ch(sep) == 0xFF0C:
            return 0
        self._drop_inserted(MISSING_COMMA, sep)
        self.st_sep[self.depth - 1] = -1
        return 0

    cdef int _drop_inserted(self, int kind, Py_ssize_t pos) except -1:
        """Forget the last insertion of ``kind`` recorded at ``pos`` (if any)."""
        cdef EditList el = self.edits
        cdef Py_ssize_t j = el.n - 1
        cdef Py_ssize_t m
        while j >= 0 and el.pos[j] >= pos:
            if el.pos[j] == pos and el.kind[j] == kind and el.rlen[j] == 0:
                for m in range(j + 1, el.n):
                    el.pos[m - 1] = el.pos[m]
                    el.rlen[m - 1] = el.rlen[m]
                    el.ins[m - 1] = el.ins[m]
                    el.kind[m - 1] = el.kind[m]
                el.n -= 1
                if pos < self.low_water:
                    self.low_water = pos
                return 0
            j -= 1
        return 0

    cdef int _settle_keys(self, dict keys) except -1:
        """A renamed key whose required spelling the object also has: left alone."""
        cdef EditList edits
        cdef Py_ssize_t j, pos
        for text, rename in keys.items():
            if rename is None or rename[3] not in keys:
                continue
            # (compiled core only) the rename is the one KEY_CASE edit at its position
            edits = self.edits
            pos = rename[1]
            j = edits.n - 1
            while j >= 0 and not (edits.pos[j] == pos and edits.kind[j] == KEY_CASE):
                j -= 1
            if j < 0:
                continue
            edits.kind[j] = KEY_AMBIGUOUS
            edits.rlen[j] = 0
            edits.ins[j] = INS_NONE
            if pos < self.low_water:
                self.low_water = pos
        return 0

    cdef int _missing_colon(self, Py_ssize_t i, Py_UCS4 c) except -1:
        """After a key, a value starts without a colon: `{"a" 1}`."""
        self._insert(MISSING_COLON, self.key_end, ":")
        self.state = VALUE
        return self._value(i, c)

    # -- after a value ------------------------------------------------------------

    cdef int _after(self, Py_ssize_t i, Py_UCS4 c) except -1:
        """After a value: a comma is missing, strings are concatenated, or prose."""
        cdef Py_ssize_t r
        cdef int kind
        if c == "+":
            r = self._concat(i)
            if r != 0:
                return r > 0
        kind = self.st_type[self.depth - 1]
        if c == "[":
            r = self._bracket_kind_inner(i)
            if r == NEED:
                return False
            if r > 0:
                return self._cut(i)
        if c == "." or c == "\u2026":
            r = self._ellipsis(i)
            if r != 0:
                return r > 0
        if kind == OBJ:
            if is_quote(c) or c == "\\":
                self._insert(MISSING_COMMA, self.last_end, ",")
                self.st_sep[self.depth - 1] = self.last_end
                self.state = KEY
                return self._key(i, c)
            if c == "{":
                return self._restart(i, c)
            r = self._bare_key_ahead(i)
            if r == NEED:
                return False
            if r == 1:
                self._insert(MISSING_COMMA, self.last_end, ",")
                self.st_sep[self.depth - 1] = self.last_end
                self.state = KEY
                return self._bare_key(i)
            return self._cut(i)
        # in an array: `[1 2]`
        if c.isalpha():
            r = self._value_word_ahead(i)
            if r == NEED:
                return False
            if r == 0:
                return self._cut(i)
        self._insert(MISSING_COMMA, self.last_end, ",")
        self.st_sep[self.depth - 1] = self.last_end
        self.state = VALUE
        return self._value(i, c)

    cdef Py_ssize_t _bracket_kind_inner(self, Py_ssize_t i) except? -1:
        """At `[` after a value: a `[TAG]` (its end) ends the payload, else 0."""
        cdef Py_ssize_t r = self._bracket_kind(i)
        if r == NEED:
            return NEED
        return r if r > 0 else 0

    cdef Py_ssize_t _value_word_ahead(self, Py_ssize_t i) except? -2:
        """Is the word at ``i`` a literal (so `[1 true]` is missing a comma)? 1, 0, or
        NEED when the word runs into the end of the buffer."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t e = i
        while e < n and ident_char(self._ch(e)):
            e += 1
        if e >= n and not self.final:
            return NEED
        if e >= n and e - i < 5 and self._literal_prefix(self.buf[i:e]):
            return 1                # `[0, "", f` cut off: a literal
        # (compiled core only) no literal is longer than 9 characters: no slice for a long word
        return 1 if (e - i <= 9 and self.buf[i:e] in LITERALS) else 0

    cdef Py_ssize_t _bare_key_ahead(self, Py_ssize_t i) noexcept:
        """Does a bare key followed by `:` start at ``i`` (on this line)?"""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t j = i
        cdef Py_ssize_t lim = min(n, i + LOOKAHEAD)
        while j < lim and (ident_char(self._ch(j)) or self._ch(j) == " "):
            j += 1
        if j >= n and not self.final:
            return NEED
        if j > i and j < n and self._ch(j) in ":\uff1a":
            return 1
        return 0

    cdef int _concat(self, Py_ssize_t i) except -2:
        """`"a" + "b"`: the two strings are joined."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t j = i + 1
        cdef Py_ssize_t lim = min(n, i + LOOKAHEAD)
        cdef Py_ssize_t close
        cdef Py_UCS4 q
        if not self.val_str:
            return 0
        while j < lim and is_ws(self._ch(j)):
            j += 1
        if j >= n and not self.final:
            return -1
        if j >= n or not is_quote(self._ch(j)):
            return 0
        close = self.last_end - 1
        self._delete(CONCAT, close, j + 1)
        q = self._ch(j)
        self.state = STRING
        self.s_close = self._closing_quote(q)
        self.s_key = False
        self.s_triple = False
        self.s_escaped = False
        self.pos = j + 1
        return 1

    cdef int _ellipsis(self, Py_ssize_t i) except -2:
        """`...` or `…` standing for more members: removed."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t e
        if self._ch(i) == "\u2026":
            e = i + 1
        else:
            if n - i < 3 and not self.final:
                return -1
            if n - i < 3 or not (self._ch(i) == "." and self._ch(i + 1) == "." and self._ch(i + 2) == "."):
                return 0
            e = i + 3
            while e < n and self._ch(e) == ".":
                e += 1
            if e >= n and not self.final:
                return -1
        self._delete(ELLIPSIS, i, e)
        self.pos = e
        return 1

    # -- values -------------------------------------------------------------------

    cdef int _value(self, Py_ssize_t i, Py_UCS4 c) except -1:
        """Before a value: open a container or string, or read a bare token."""
        cdef int r
        if c == "{":
            if self.state == VALUE and self.depth and self.st_comma[self.depth - 1] >= 0:
                self.st_comma[self.depth - 1] = -1
            self._open(i, OBJ)
            return True
        if c == "[":
            if self.depth and self.st_comma[self.depth - 1] >= 0:
                self.st_comma[self.depth - 1] = -1
            self._open(i, ARR)
            return True
        if is_quote(c) or c == "\\":
            return self._open_string(i, c, False)
        if c == "(":
            self.val_start = i
            self._push(PAREN, i)
            self.state = VALUE
            self.pos = i + 1
            return True
        if c == "." or c == "\u2026":
            r = self._ellipsis(i)
            if r != 0:
                return r > 0
        return self._word(i)

    cdef int _open(self, Py_ssize_t i, int kind) except -1:
        if self.depth:
            self.st_comma[self.depth - 1] = -1
        self.val_start = i
        self._push(kind, i)
        self.state = KEY if kind == OBJ else VALUE
        self.last_end = i + 1
        self.pos = i + 1
        return 0

    cdef int _word(self, Py_ssize_t i) except -1:
        """A bare token where a value should be: literal, number, call, or text."""
        cdef str buf = self.buf
        cdef Py_ssize_t n = len(buf)
        cdef Py_ssize_t j = self.word_end if self.word_at == i else i
        cdef Py_UCS4 c
        while j < n:
            c = self._ch(j)
            if is_ws(c) or is_stop(c) or c == "\\" or (c == "/" and j + 1 < n and self._ch(j + 1) in "/*"):
                break
            j += 1
        if j >= n and not self.final:
            # (the last character is read again: a `/` may begin a comment)
            self.word_at = i
            self.word_end = max(i, j - 1)
            return False
        if j == i:
            return self._bare_string(i)
        if plain_literal(self.buf_kind, self.buf_data, i, j) or plain_number(self.buf_kind, self.buf_data, i, j):
            # (compiled core only) `true`, `false`, `null` or a number in JSON spelling:
            # LITERALS / fix_number would give the token back unchanged, no edit
            self.val_start = i
            if self.depth and self.st_comma[self.depth - 1] >= 0:
                self.st_comma[self.depth - 1] = -1
            self.pos = j
            self._after_value(j, False)
            return True
        tok = buf[i:j]
        self.val_start = i
        if self.depth and self.st_comma[self.depth - 1] >= 0:
            self.st_comma[self.depth - 1] = -1
        lit = LITERALS.get(tok)
        if lit is not None:
            if lit != tok:
                self._replace(LITERAL, i, j, lit)
            self.pos = j
            self._after_value(j, False)
            return True
        num = fix_number(tok) if tok else None
        if num is not None:
            if num != tok:
                self._replace(NUMBER, i, j, num)
            self.pos = j
            self._after_value(j, False)
            return True
        if j < n and self._ch(j) == "(" and tok and tok.replace("_", "a").replace(".", "a").isalnum():
            # `NumberLong("2")`, `ObjectId("...")`: a call around a value
            self._push(PAREN, i)
            self.state = VALUE
            self.pos = j + 1
            return True
        if j >= n and self._literal_prefix(tok):
            # `tr`, `fals`, `nul` cut off at the end
            for L in LITERAL_PREFIXES:
                if L.startswith(tok):
                    full = L
                    break
            self._replace(TRUNCATED, i, j, LITERALS[full])
            self.pos = j
            self._after_value(j, False)
            return True
        if j >= n and tok and tok[0] in "-+.0123456789" and fix_number(tok.rstrip(".eE+-")) is not None:
            part = tok.rstrip(".eE+-")
            self._replace(TRUNCATED, i, j, fix_number(part))
            self.pos = j
            self._after_value(j, False)
            return True
        if j >= n and tok in ("-", "+"):
            self._delete(TRUNCATED, i, j)
            self.pos = j
            self.state = VALUE
            return True
        return self._bare_string(i)

    cdef Py_ssize_t _literal_start(self, Py_ssize_t i) except? -2:
        """Does a literal (`true`, `None` …) start at ``i``? 1, 0, or NEED while the buffer
        ends inside what may still become one."""
        cdef str buf = self.buf
        if buf.startswith(LITERAL_PREFIXES, i):
            return 1
        if len(buf) - i < 5 and self._literal_prefix(buf[i:]):
            return NEED if not self.final else 1    # `[tr` cut off: a literal
        return 0

    cdef int _literal_prefix(self, tok) except -1:
        if not tok:
            return False
        for L in LITERAL_PREFIXES:
            if L.startswith(tok):
                return True
        return False

    cdef int _bare_string(self, Py_ssize_t i) except -1:
        """Text without quotes where a value should be: quoted up to the delimiter."""
        cdef Py_ssize_t n = len(self.buf)
        cdef bint paren = self.depth and self.st_type[self.depth - 1] == PAREN
        cdef Py_ssize_t j = (self.bare_end if self.bare_at == i and self.bare_paren == paren
                             else i)
        cdef Py_ssize_t e, r
        cdef Py_UCS4 c
        while j < n:
            c = self._ch(j)
            if c in ",}]\n\uff0c\uff5d" or (c == ")" and paren):
                break
            if c == '"':
                break
            if c == "/" and j + 1 < n and self._ch(j + 1) in "/*":
                break
            j += 1
        if j >= n and not self.final:
            # (as in _word(); the stop at `)` depends on the container: noted too)
            self.bare_at = i
            self.bare_end = max(i, j - 1)
            self.bare_paren = paren
            return False
        if j == i:
            # a character that can start nothing: removed
            self._delete(GARBAGE, i, i + 1)
            self.pos = i + 1
            return True
        self.val_start = i
        e = j
        while e > i and is_ws(self._ch(e - 1)):
            e -= 1
        if j < n and self._ch(j) == '"':
            # `hello"` : the opening quote is missing
            r = self._string_end(j, j + 1, '"', False)
            if r == NEED:
                return False
            if r == 1:
                self._insert(MISSING_QUOTE, i, '"')
                self._escape_run(i, j)
                self.pos = j + 1
                self._after_value(j + 1, True)
                return True
            # an inner quote: keep reading as text
            e = j
            self._insert(MISSING_QUOTE, i, '"')
            self.state = STRING
            self.s_start = i
            self.s_close = '"'
            self.s_key = False
            self.s_triple = False
            self.s_escaped = False
            self.s_bad_escape = False
            self.s_latex = []
            self.s_fence = False
            self.pos = j
            return True
        self._insert(UNQUOTED_VALUE, i, '"')
        self._escape_run(i, e)
        self._insert(UNQUOTED_VALUE, e, '"')
        self.pos = e
        self._after_value(e, True)
        return True

    cdef int _escape_run(self, Py_ssize_t i, Py_ssize_t e) except -1:
        """Escape `"`, `\\` and control characters inside bare text being quoted."""
        cdef Py_ssize_t k
        cdef Py_UCS4 ch
        for k in range(i, e):
            ch = self._ch(k)
            if ch == '"' or ch == "\\":
                self._insert(INNER_QUOTE if ch == '"' else ESCAPE, k, "\\")
            elif ch < " ":
                self._replace(CONTROL_CHAR, k, k + 1, CONTROL_ESCAPES.get(ch, "\\u%04x" % ord(ch)))
        return 0

    # -- strings ------------------------------------------------------------------

    cdef Py_UCS4 _closing_quote(self, Py_UCS4 q) noexcept:
        if q == "\u201c":
            return "\u201d"
        if q == "\u2018":
            return "\u2019"
        return q

    cdef int _open_string(self, Py_ssize_t i, Py_UCS4 c, bint is_key) except -1:
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t start = i
        cdef Py_ssize_t k
        if c == "\\":
            # `\"` where a string should start: stringified JSON
            if i + 1 >= n:
                return False if not self.final else self._bare_start(i, is_key)
            if self._ch(i + 1) != '"':
                return self._bare_start(i, is_key)
            self._delete(STRINGIFIED, i, i + 1)
            self.s_escaped = True
            i += 1
            c = '"'
        else:
            self.s_escaped = False
        self.s_triple = False
        if c in "\"'" and n - i < 3 and not self.final:
            # buf[i:] == c * (n - i): only this quote to the end of the buffer
            k = i
            while k < n and self._ch(k) == c:
                k += 1
            if k == n:
                return False
        if c in "\"'" and n - i >= 3 and self._ch(i + 1) == c and self._ch(i + 2) == c:
            self.s_triple = True
            self._replace(QUOTE_STYLE, i, i + 3, '"')
            self.pos = i + 3
        else:
            if c != '"':
                self._replace(QUOTE_STYLE, i, i + 1, '"')
            self.pos = i + 1
        if not is_key and self.depth and self.st_comma[self.depth - 1] >= 0:
            self.st_comma[self.depth - 1] = -1
        self.s_start = start
        self.s_close = self._closing_quote(c)
        self.s_key = is_key
        self.s_bad_escape = False
        if self.s_latex:
            self.s_latex = []
        self.s_fence = False
        if is_key:
            self.key_start = start
        else:
            self.val_start = start
        self.state = STRING
        return True

    cdef int _bare_start(self, Py_ssize_t i, bint is_key) except -1:
        if is_key:
            return self._bare_key(i)
        return self._word(i)

    cdef int _string(self) except -1:
        """Inside a string: copy content, decide at every candidate closing quote."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t i = self.pos
        cdef Py_UCS4 close = self.s_close
        cdef int kind = self.buf_kind
        cdef void* data = self.buf_data
        cdef Py_ssize_t r
        cdef Py_UCS4 c
        while i < n:
            # (compiled core only) the common case: content with no quote, backslash or
            # control character, skipped in a loop of its own
            i = plain_run(kind, data, i, n, close)
            if i >= n:
                break
            c = PyUnicode_READ(kind, data, i)
            if c == close or (c == "\u201d" and close == '"') or (c == '"' and close == "\u201d") or (c == "\\" and self.s_escaped and i + 1 < n and PyUnicode_READ(kind, data, i + 1) == '"'):
                r = self._quote(i, c)
                if r == NEED:
                    self.pos = i
                    return False
                if r >= 0:
                    return True
                i = -r - 2
                continue
            if c == "\\":
                r = self._escape(i)
                if r == NEED:
                    self.pos = i
                    return False
                i = r
                continue
            if c == "\n" and self.fenced and not self.s_key:
                r = self._fence_line(i + 1)
                if r == NEED:
                    self.pos = i
                    return False
                if r == 2:
                    self.s_fence = True          # a code block inside the string opens
                elif r == 1 and self.s_fence:
                    self.s_fence = False         # ... and closes
                elif r == 1:
                    # the payload's closing fence: the string lost its closing quote
                    self._insert(MISSING_QUOTE, i, '"')
                    self._finish_string(i, i)
                    return True
            if c < " ":
                self._replace(CONTROL_CHAR, i, i + 1, CONTROL_ESCAPES.get(c, "\\u%04x" % ord(c)))
                i += 1
                continue
            if c == '"':
                # a `"` inside a string delimited otherwise
                self._insert(INNER_QUOTE, i, "\\")
            i += 1
        self.pos = i
        return True

    cdef Py_ssize_t _fence_line(self, Py_ssize_t i) noexcept:
        """At the start of a line: a bare ``` fence (only spaces after it, then a line
        break or the end of the input) 1, a fence with a language tag 2, else 0; or NEED."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t j = i
        cdef Py_ssize_t lim = min(n, i + LOOKAHEAD)
        cdef Py_ssize_t r
        while j < lim and (self._ch(j) == " " or self._ch(j) == "\t"):
            j += 1
        r = self._fence_at(j) if j < n else (NEED if not self.final else 0)
        if r != 1:
            return r
        j += 3
        while j < lim and (self._ch(j) == " " or self._ch(j) == "\t" or self._ch(j) == "\r"):
            j += 1
        if j >= n:
            return 1 if self.final else NEED
        if self._ch(j) == "\n":
            return 1
        return 2 if (self._ch(j).isalnum() and self._ch(j - 1) == "`") else 0

    cdef Py_ssize_t _quote(self, Py_ssize_t i, Py_UCS4 c) except? -1:
        """At a possible closing quote: >=0 when the string ended (and was closed),
        NEED to wait for input, or ``-(next)-2`` to go on reading content at ``next``."""
        cdef Py_ssize_t r, split, n
        if self.s_escaped:
            # `\"` closes a stringified string
            if c == "\\":
                self._delete(STRINGIFIED, i, i + 1)
                self._finish_string(i, i + 2)
                return 1
        if self.s_triple:
            n = len(self.buf)
            if n - i < 3 and not self.final and self._ch(i) == self.s_close and (n - i < 2 or self._ch(i + 1) == self.s_close):
                # buf[i:] == s_close * (n - i): the rest of the buffer may still close it
                return NEED
            if not (len(self.buf) - i >= 3 and self._ch(i) == self.s_close and self._ch(i + 1) == self.s_close and self._ch(i + 2) == self.s_close):
                if c == '"':
                    self._insert(INNER_QUOTE, i, "\\")
                return -(i + 1) - 2
            self._replace(QUOTE_STYLE, i, i + 3, '"')
            self._finish_string(i, i + 3)
            return 1
        r = self._string_end(i, i + 1, c, self.s_key)
        if r == NEED:
            return NEED
        if r == 1:
            if c != '"':
                self._replace(QUOTE_STYLE, i, i + 1, '"')
            self._finish_string(i, i + 1)
            return 1
        if r >= 2:
            # the string lost its closing quote before a line break: close it there
            split = r - 2
            self._drop_edits(split, i)
            self._insert(MISSING_QUOTE, split, '"')
            self._finish_string(split, split)
            return 1
        # an inner quote
        if c == '"':
            self._insert(INNER_QUOTE, i, "\\")
        return -(i + 1) - 2

    cdef Py_ssize_t _string_end(self, Py_ssize_t q, Py_ssize_t j, Py_UCS4 c, bint is_key) except? -1:
        """Does the quote at ``q`` close the string? 1 yes, 0 no, NEED, or split+2
        when the string ended earlier at ``split`` (missing closing quote)."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t k = j
        cdef Py_ssize_t lim = min(n, j + LOOKAHEAD)
        cdef Py_ssize_t e, split, r, m
        cdef Py_UCS4 d
        while k < lim and is_ws(self._ch(k)):
            k += 1
        if k >= n:
            return 1 if self.final else NEED
        if k >= lim:
            return 1
        d = fullwidth(self._ch(k))
        if c != self.s_close:
            # `”` closing a `"` value (or the reverse) only where ASCII structure follows
            if q == self.s_start + 1 and not self.depth:
                # at the top level, right after the opening quote only at a line end:
                # `"”}}. "` is text (in a container `"a": "”}` is an empty string)
                for m in range(j, k):
                    if self._ch(m) == "\n":
                        break
                else:
                    return 0
            d = self._ch(k)
            if d == ":" or (d == 0xFF1A and is_key):
                if not is_key or q == self.s_start + 1:
                    return 0        # (nor is an empty key `"”:` closed by its smart quote)
                # `{"name”: 1}`: a key closed by `”`, unless a straight quote further on
                # the line closes it before a `:` (`{"a”:b": 1}`)
                m = k + 1
                lim = min(n, k + LOOKAHEAD)
                while m < lim and self._ch(m) != self.s_close and self._ch(m) != "\n":
                    m += 2 if self._ch(m) == "\\" else 1
                if m >= n:
                    return NEED if not self.final else 1
                if m >= lim or self._ch(m) == "\n":
                    return 1
                if m > k + 1:
                    e = k + 1
                    while e < m and self._ch(e) in " \t\r[{":
                        e += 1
                    if e == m:
                        # the quote opens the value: `{"a”: ":"}`, `{"a”: [":"]}`; unless it
                        # closes the key before the rest of a member in strict JSON: then the
                        # text is valid as it stands (`{"\\"”：{":null}`) and the `”` is content
                        r = self._member_tail(m + 1)
                        if r == NEED:
                            return NEED
                        if r == 0:
                            return 1
                e = m - 1
                while e > k and self._ch(e) in " \t\r":
                    e -= 1
                if e > k and self._ch(e) == ",":
                    # a comma ends a member before it: `{"a”: 0, ":": 1}`; unless the
                    # straight quote closes the key before the rest of a member in strict
                    # JSON: the text is valid as it stands (`{"“”:,":1}`)
                    r = self._member_tail(m + 1)
                    if r == NEED:
                        return NEED
                    return 1 if r == 0 else 0
                e = self._next_sig(m + 1)
                if e == NEED:
                    return NEED
                # a straight quote that ends the input ends the key too (`{"a”:"`)
                return 0 if (e == ord(":") or e == NO_CHAR) else 1
            if is_key:
                return 0
            if d == "," or (d == 0xFF0C and self.depth):
                # (a fullwidth comma too, inside a container: `{"a": "1”， "b": 2}`)
                r = self._ascii_close_ahead(k + 1, True)
                if r == 1 and self.depth and self.st_type[self.depth - 1] == OBJ:
                    # ... unless a quoted key and its colon follow the comma:
                    # `{"t": “", "a": "x “q”, y"}`
                    m = self._skip_ws(k + 1)
                    if m < n and is_quote(self._ch(m)):
                        e = self._key_colon_ahead(m)
                        if e == 1 or e == NEED:
                            return 1 if e == 1 else NEED
                if r == 1 or r == NEED:
                    return 0 if r == 1 else NEED
                if not self.depth:
                    return 1        # (a top-level `"x”,"` is one string)
                return self._comma_ahead(k + 1)
            if d == "/" and k + 1 >= n and not self.final:
                return NEED
            if not self.s_escaped and ((d == "/" and k + 1 < n and self._ch(k + 1) in "/*") or (d == "#" and k + 1 < n and self._ch(k + 1) in " \t")):
                # `"NA” // note`: a comment after the string, unless a `"` later on the
                # line closes it, or starts the next line before the end of the container
                # (`"“q” // \n"}`: the string holds a raw line break)
                r = self._ascii_close_ahead(k, True)
                if r == 0:
                    r = self._close_next_line(k)
                return 0 if r == 1 else (NEED if r == NEED else 1)
            if is_quote(d) and k > j and self.depth:
                # `"x”` ends its line, a string follows: a missing comma; unless the next
                # line starts with the string's own closing quote before the end of the
                # container (`"“q” \n"}`: the string holds a raw line break)
                for m in range(j, k):
                    if self._ch(m) == "\n":
                        r = self._close_next_line(j)
                        return 0 if r == 1 else (NEED if r == NEED else 1)
            if d not in "}]":
                return 0
            r = self._ascii_close_ahead(k)
            if r == 1 or r == NEED:
                return 0 if r == 1 else NEED
            for m in range(j, k):
                if self._ch(m) == "\n":
                    return 1        # `"x”` ends its line, a closer stands on the next
            if r == 2 and not (c == '"' and self.s_close == 0x201D):
                # the look-ahead bound: the text stays content; but a straight quote
                # before a closer ends a string opened by `“` (`“x"], "b": ...`)
                return 0
            e = self._next_sig(k + 1)
            if e == NEED:
                return NEED
            if e == ord("[") or e == ord("`"):
                # the payload's end: a `[/CONTENT]` tag or a closing fence follows
                m = self._skip_ws(k + 1)
                r = self._bracket_kind(m) if e == ord("[") else self._fence_at(m)
                return NEED if r == NEED else (1 if r > 0 else 0)
            if e == NO_CHAR or <Py_UCS4>e in ",]}":
                return 1
            if self.depth == 1 and (d == "}") == (self.st_type[0] == OBJ):
                # `{"a": "NA”}` and text on a later line: the closer ends the payload
                m = self._skip_ws(k + 1)
                for e in range(k + 1, m):
                    if self._ch(e) == "\n":
                        return 1
            return 0
        if is_key:
            # a key ends at its quote unless a letter follows at once: `"a"b": 1`
            return 1 if (k > j or not is_alnum(d)) else 0
        if d == ":":
            if is_key or not self.depth:
                return 1
            split = self._split_before(q)
            if split >= 0:
                return split + 2
            return 1
        if d in "}])":
            return 1
        if d == "+":
            return 1
        if is_quote(d):
            if d != c and self.depth:
                for m in range(j, k):
                    if self._ch(m) == "\n":
                        return 1    # `“x”` ends its line, a `"` opens the next: a missing comma
            if d != c:
                # `"x "hi" 'y' z"`: a quote later on the line closes the string
                r = self._ascii_close_ahead(k)
                if r == NEED:
                    return NEED
                if r == 1 or r == 2:
                    return 0        # (at the look-ahead bound the text stays content)
            if k == j and d == c:
                # `"...""`: a doubled quote; the last one of the run closes
                e = self._next_sig(k + 1)
                if e == NEED:
                    return NEED
                if e == NO_CHAR or <Py_UCS4>e in ",}]:":
                    return 0
            if k > j and d == c:
                # `{"a": "x "y" "}`: after a space, a lone quote right before the closer
                # ends the string; this one is content
                for m in range(j, k):
                    if self._ch(m) == "\n":
                        break
                else:
                    e = self._next_sig(k + 1)
                    if e == NEED:
                        return NEED
                    if e == NO_CHAR or <Py_UCS4>e in "}]":
                        return 0
            if k > j and d == '"' and self.depth and self.st_type[self.depth - 1] == OBJ:
                # `{"a": "x\n"\n"b": 1}`: the next key starts at the other quote, so this
                # one closes the string (a raw line break before it is content)
                r = self._key_colon_ahead(k)
                if r == NEED:
                    return NEED
                if r == 1:
                    return 1
            split = self._split_before(q)
            return split + 2 if split >= 0 else 1
        if d == ",":
            if is_key or not self.depth:
                return 1
            return self._comma_ahead(k + 1)
        if (d == "/" or d == "\\") and k + 1 >= n and not self.final:
            return NEED
        if d == "`" and k > j and not is_key:
            r = self._fence_at(k)
            if r != 0:
                return r            # a fence on the next line ends the string
        if (d == "/" and k + 1 < n and self._ch(k + 1) in "/*") or (d == "#" and k > j):
            # a comment after the string, unless a quote later on the line closes the
            # string (`"x "hi" # y"`)
            r = self._ascii_close_ahead(k)
            return 0 if r == 1 else (NEED if r == NEED else 1)
        if d == "\\" and self.s_escaped:
            return 1
        if d == "\\" and k + 1 < n and self._ch(k + 1) in "nrt":
            return 1                # a literal `\n` of an escaped log follows
        # a letter or other text: an inner quote, unless a key starts on a new line
        if not is_key and self.depth and self.st_type[self.depth - 1] == OBJ:
            split = self._split_before(q)
            if split >= 0:
                r = self._key_colon_ahead(q)
                if r == NEED:
                    return NEED
                if r == 1:
                    return split + 2
        if c == "'" and not is_key and d.isalpha() and k == j:
            return 0                # `'don't'`: a letter right after the quote
        if k > j and self.depth:
            # buf.count("\n", j, k): the quote ends its line and text follows on the
            # next: a missing comma
            for m in range(j, k):
                if self._ch(m) == "\n":
                    return 1
        return 0

    cdef Py_ssize_t _split_before(self, Py_ssize_t q) noexcept:
        """If the content before the quote at ``q`` ends in `,` + line break (+ spaces),
        the string lost its closing quote there: the position to close it, else -1."""
        cdef Py_ssize_t j = q - 1
        cdef Py_ssize_t lim = max(self.s_start + 1, q - LOOKAHEAD)
        cdef bint nl = False
        while j >= lim and is_ws(self._ch(j)):
            if self._ch(j) == "\n":
                nl = True
            j -= 1
        if not nl or j < lim:
            return -1
        if self._ch(j) == ",":
            return j
        return j + 1

    cdef Py_ssize_t _ascii_close_ahead(self, Py_ssize_t i, bint line_end=False) noexcept:
        """After `”` in a string opened with `"` (or the reverse), followed by structure:
        does a closing quote of the string's own kind come later on the line, followed
        by the end of its container (`["x”,"]`, `["x”}}a"]`, `{"b": "q”, a b: c",}`)?
        Then the `”` and what follows are content. 1, 0, NEED, or 2 at the look-ahead
        bound. A quote right after the structure counts, and one after text; one after a space
        may open the next string (`["x”, "y"]`) and does not, unless a closer follows it at
        once (`["”}, "]`)."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_UCS4 close = self.s_close
        cdef Py_ssize_t j = i
        cdef Py_ssize_t lim = min(n, i + LOOKAHEAD)
        cdef Py_ssize_t e
        cdef Py_UCS4 c
        cdef bint text = False
        cdef bint quoted = False
        while j < lim:
            c = self._ch(j)
            if not (is_ws(c) or c == "," or c == "}" or c == "]"):
                break
            j += 1
        while j < lim and self._ch(j) != close and self._ch(j) != "\n":
            text = True
            if is_quote(self._ch(j)):
                quoted = True
            if self._ch(j) == "\\" and self.s_escaped and j + 1 < n and self._ch(j + 1) == close:
                j += 1              # stringified JSON: `\"` is the closing quote
                break
            j += 2 if self._ch(j) == "\\" else 1
        if j >= n:
            return NEED if not self.final else 0
        if j >= lim:
            return 2                # the look-ahead bound: cannot tell
        if self._ch(j) != close:
            return 0
        if text and is_ws(self._ch(j - 1)):
            # (a quote right before a closer opens no string)
            e = self._next_sig(j + 1)
            if e == NEED:
                return NEED
            if e != ord("]") and e != ord("}"):
                return 0
        e = self._next_sig(j + 1)
        if e == NEED:
            return NEED
        if e == ord("/") or e == ord("#"):
            m = self._skip_ws(j + 1)
            if e == ord("/") and m + 1 >= n:
                return NEED if not self.final else 0
            return 1 if (e == ord("#") or self._ch(m + 1) == "/" or self._ch(m + 1) == "*") else 0    # a comment follows
        if e == NO_CHAR or <Py_UCS4>e in ",]}":
            return 1
        # a quote that ends its line opens no string: it closes this one, right after
        # the structure (`["the “q” ,"\n  []\n]`), or after the text of what
        # looked like a comment or the next item (`["“q” //"\n  ""\n]`, ``line_end``)
        # when that text holds no quote
        if text and (not line_end or quoted):
            return 0
        m = self._skip_ws(j + 1)
        for j in range(j + 1, m):
            if self._ch(j) == "\n":
                return 1
        return 0

    cdef Py_ssize_t _close_next_line(self, Py_ssize_t i) noexcept:
        """After `”` and what looks like a comment, in a string opened with `"` (or the
        reverse): does the next line start with a closing quote of the string's own kind,
        followed by a `,`, a closer or the end of the input (`"“q” // \n"}`)? Then the
        string goes on past a raw line break and closes there. 1, 0 (also at the
        look-ahead bound), or NEED."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t lim = min(n, i + LOOKAHEAD)
        cdef Py_ssize_t j = i
        cdef Py_ssize_t e
        while j < lim and self._ch(j) != "\n":
            j += 1
        if j >= lim:
            return NEED if (lim >= n and not self.final) else 0
        j += 1
        while j < lim and self._ch(j) in " \t\r":
            j += 1
        if j >= n:
            return NEED if not self.final else 0
        if j >= lim or self._ch(j) != self.s_close:
            return 0
        e = self._next_sig(j + 1)
        if e == NEED:
            return NEED
        return 1 if (e == NO_CHAR or <Py_UCS4>e in ",]}") else 0

    cdef Py_ssize_t _comma_ahead(self, Py_ssize_t k) except? -1:
        """After `",`: does the text at ``k`` start the next member (1) or not (0)?"""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t lim = min(n, k + LOOKAHEAD)
        cdef Py_ssize_t r
        cdef Py_UCS4 d
        cdef int kind
        while k < lim and (is_ws(self._ch(k)) or self._ch(k) == "," or self._ch(k) == 0xFF0C):
            k += 1                  # white space, and doubled commas (fullwidth too)
        if k >= n:
            return 1 if self.final else NEED
        if k >= lim:
            return 1
        d = self._ch(k)
        kind = self.st_type[self.depth - 1]
        if d == "/" and k + 1 >= n and not self.final:
            return NEED
        if d == "#" or (d == "/" and k + 1 < n and self._ch(k + 1) in "/*"):
            return 1                # a comment after the comma
        if d == "`":
            r = self._fence_at(k)
            if r != 0:
                return r            # the closing fence: the comma was trailing
        if kind == OBJ:
            if is_quote(d):
                r = self._key_colon_ahead(k)
                if r == 0 and d == '"':
                    r = self._stutter(k)
                    return 1 if r > 0 else r
                return 1 if r >= 1 else (NEED if r == NEED else 0)
            if d in "}]{[":
                return 1
            r = self._bare_key_ahead(k)
            return 1 if r == 1 else (NEED if r == NEED else 0)
        if is_quote(d) or d in "{[]}-" or is_digit(d):
            return 1
        return self._value_word_ahead(k)

    cdef Py_ssize_t _stutter(self, Py_ssize_t k) noexcept:
        """At a `"` before a key: a run of stray quotes and commas (`",","key":`, an
        OCR-style stutter) before the real key? The position of the key's opening quote,
        0 (no), or NEED."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t m = k
        cdef Py_ssize_t lim = min(n, k + LOOKAHEAD)
        cdef Py_ssize_t r
        while m < lim and (self._ch(m) == '"' or self._ch(m) == "," or is_ws(self._ch(m))):
            m += 1
        if m >= n:
            return NEED if not self.final else 0
        if m >= lim or m - k < 3 or self._ch(m - 1) != '"':
            return 0
        r = self._key_colon_ahead(m - 1)
        if r == NEED:
            return NEED
        return m - 1 if r == 1 else 0

    cdef Py_ssize_t _key_colon_ahead(self, Py_ssize_t i) noexcept:
        """Is there a quoted key followed by `:` at ``i``? 1, 0, NEED, or 2 when the
        input ends (or the look-ahead bound comes) before that is known."""
        # (compiled core only) asked twice for most keys (after the comma, then at the
        # key): the last answer is kept while the buffer and the depth stay the same
        cdef Py_ssize_t n = len(self.buf)
        if (i != self.kca_pos or n != self.kca_len or self.final != self.kca_final
                or self.depth != self.kca_depth):
            self.kca_result = self._key_colon_scan(i)
            self.kca_pos = i
            self.kca_len = n
            self.kca_final = self.final
            self.kca_depth = self.depth
        return self.kca_result

    cdef Py_ssize_t _key_colon_scan(self, Py_ssize_t i) noexcept:
        """(compiled core only) ``_key_colon_ahead`` without the memo."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_UCS4 q = self._ch(i)
        cdef Py_UCS4 close, other
        cdef Py_ssize_t j, lim, r
        if q == "\\":
            if i + 1 >= n:
                return NEED if not self.final else 0
            if self._ch(i + 1) != '"':
                return 0
            i += 1
            q = '"'
        close = self._closing_quote(q)
        # `"key”:` / `“key":`: a key may close with the other double quote
        other = 0x201d if close == '"' else (ord('"') if close == 0x201d else close)
        j = i + 1
        lim = min(n, i + LOOKAHEAD)
        while j < lim and self._ch(j) != close and self._ch(j) != "\n":
            # (not right after the opening quote: an empty key `"”:` is not closed there)
            if j > i + 1 and self._ch(j) == other and self._next_sig(j + 1) == ord(":"):
                r = self._string_tail(j + 1, close)
                if r == NEED:
                    return NEED
                if r == 0:
                    break
            if self._ch(j) == "\\":
                j += 1
            j += 1
        if j >= n:
            return NEED if not self.final else 2
        if j >= lim:
            return 2                # a key longer than the look-ahead: cannot tell
        if self._ch(j) == "\n":
            return 0
        j += 1
        while j < lim and is_ws(self._ch(j)):
            j += 1
        if j >= n:
            return NEED if not self.final else 2
        if j >= lim:
            return 2
        if self._ch(j) in ":\uff1a":
            return 1
        return 0

    cdef Py_ssize_t _string_tail(self, Py_ssize_t i, Py_UCS4 close) noexcept:
        """After `”` and a `:` at the top level: does the first `close` quote after the
        `:` on this line end the input (`"”:"`, `"a”: b"`: the whole is one string, not
        a key)? 1, 0, or NEED."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t k, lim, e
        if self.depth:
            return 0
        k = self._skip_ws(i) + 1            # past the `:`
        lim = min(n, k + LOOKAHEAD)
        while k < lim and self._ch(k) != close and self._ch(k) != "\n":
            k += 2 if self._ch(k) == "\\" else 1
        if k >= n:
            return NEED if not self.final else 0
        if k >= lim or self._ch(k) != close:
            return 0
        e = self._next_sig(k + 1)
        if e == NEED:
            return NEED
        return 1 if e == NO_CHAR else 0

    cdef Py_ssize_t _member_tail(self, Py_ssize_t i) except? -1:
        """After a straight quote that may close a key: does the rest of a member in
        strict JSON follow at ``i`` -- `:`, then a string, number or literal complete
        within the look-ahead (a string on its line), then `,`, `}` or the end of the
        input? 1, 0 (also at the look-ahead bound), or NEED."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_ssize_t lim = min(n, i + LOOKAHEAD)
        cdef Py_ssize_t k, e
        cdef Py_UCS4 c
        k = self._skip_ws(i)
        if k >= n:
            return NEED if not self.final else 0
        if k >= lim or self._ch(k) != ":":
            return 0
        k = self._skip_ws(k + 1)
        if k >= n:
            return NEED if not self.final else 0
        if k >= lim:
            return 0
        if self._ch(k) == '"':
            k = self._quoted_end(k + 1, lim)
            if k >= n:
                return NEED if not self.final else 0
            if k >= lim or self._ch(k) != '"':
                return 0
            k += 1
        elif self._ch(k) == "[" or self._ch(k) == "{":
            k = self._short_container(k, lim)
            if k <= 0:
                return k
        else:
            e = k
            while e < lim:
                c = self._ch(e)
                if is_ws(c) or is_stop(c):
                    break
                e += 1
            if e >= n and not self.final:
                return NEED
            if e >= lim and e < n:
                return 0
            tok = self.buf[k:e]
            if tok != "true" and tok != "false" and tok != "null" and fix_number(tok) != tok:
                return 0
            k = e
        k = self._skip_ws(k)
        if k >= n:
            return NEED if not self.final else 1
        if k >= lim:
            return 0
        c = self._ch(k)
        return 1 if (c == "," or c == "}") else 0

    cdef Py_ssize_t _quoted_end(self, Py_ssize_t k, Py_ssize_t lim) noexcept:
        """From ``k`` inside a straight-quoted string on its line: the position of its
        closing quote, of a control character, or ``lim`` (or past it) when neither
        comes first."""
        cdef Py_UCS4 c
        while k < lim:
            c = self._ch(k)
            if c == '"' or c < " ":
                break
            k += 2 if c == "\\" else 1
        return k

    cdef Py_ssize_t _short_container(self, Py_ssize_t k, Py_ssize_t lim) except? -2:
        """At the `[` or `{` of a member's value in _member_tail(): the position after
        its matching closer when the container ends before ``lim`` with only strings (on
        their line), tokens and punctuation in it (`{"\\"”:{":[]}`); 0 when it does
        not, NEED (as -1) when the input ends first."""
        cdef Py_ssize_t n = len(self.buf)
        cdef char opens[LOOKAHEAD + 1]
        cdef Py_ssize_t depth = 0
        cdef Py_UCS4 c
        while k < lim:
            c = self._ch(k)
            if c == "[" or c == "{":
                opens[depth] = b"]" if c == "[" else b"}"
                depth += 1
            elif c == "]" or c == "}":
                depth -= 1
                if <Py_UCS4>opens[depth] != c:
                    return 0
                if depth == 0:
                    return k + 1
            elif c == '"':
                k = self._quoted_end(k + 1, lim)
                if k >= lim or self._ch(k) != '"':
                    break
            elif not (is_ws(c) or c == "," or c == ":" or c < 0x80 and (
                    is_alnum(c) or c == "+" or c == "-" or c == ".")):
                return 0
            k += 1
        if k >= n and not self.final:
            return NEED
        return 0

    cdef Py_ssize_t _escape(self, Py_ssize_t i) except? -1:
        """At a backslash in a string: the position after the escape (edits recorded)."""
        cdef Py_ssize_t n = len(self.buf)
        cdef Py_UCS4 d
        cdef Py_ssize_t hn, k
        cdef long u, lo
        if i + 1 >= n:
            return NEED if not self.final else n
        d = self._ch(i + 1)
        if d in "\"\\/":
            return i + 2
        if d in "bfnrt":
            if i + 2 < n and is_alpha(self._ch(i + 2)):
                self.s_latex.append(i)
            elif i + 2 >= n and not self.final:
                return NEED
            return i + 2
        if d == "u":
            if n - i < 6 and not self.final:
                if self._all_hex(i + 2, n):
                    return NEED
            # h = buf[i + 2:i + 6]: hn characters
            hn = min(n, i + 6) - (i + 2)
            if hn == 4 and self._all_hex(i + 2, i + 6):
                u = 0
                for k in range(i + 2, i + 6):
                    u = u * 16 + hex_value(self._ch(k))
                if u < 0xD800 or u > 0xDFFF:
                    return i + 6
                if u < 0xDC00 and i + 8 <= n and self._ch(i + 6) == "\\" and self._ch(i + 7) == "u":
                    # lo = buf[i + 8:i + 12]
                    if i + 12 <= n and self._all_hex(i + 8, i + 12):
                        lo = 0
                        for k in range(i + 8, i + 12):
                            lo = lo * 16 + hex_value(self._ch(k))
                        if 0xDC00 <= lo <= 0xDFFF:
                            return i + 12
                if u < 0xDC00 and n - i < 12 and not self.final:
                    return NEED
                # a lone surrogate: no JSON parser takes it, the replacement character does
                self._replace(ESCAPE, i, i + 6, "\\ufffd")
                return i + 6
            if i + 2 + hn >= n and self.final and self._all_hex(i + 2, i + 2 + hn):
                return n   # a cut-off `\u12`: settled at the end of the input
        if d == "'":
            self._delete(ESCAPE, i, i + 1)
            return i + 2
        # an invalid escape like `\d` or `C:\Users`: the backslash is kept literally
        self._insert(ESCAPE, i, "\\")
        self.s_bad_escape = True
        return i + 1

    cdef bint _all_hex(self, Py_ssize_t a, Py_ssize_t b) noexcept:
        """(compiled core only) ``all(ch in "0123456789abcdefABCDEF" for ch in buf[a:b])``"""
        while a < b:
            if not is_hex(self._ch(a)):
                return False
            a += 1
        return True

    cdef int _finish_string(self, Py_ssize_t close_at, Py_ssize_t end) except -1:
        """The string closed at ``close_at``; its token ends at ``end``."""
        cdef Py_ssize_t start, cs
        if self.s_bad_escape and self.s_latex:
            for p in self.s_latex:
                self._insert(LATEX, p, "\\")
        if self.s_latex:
            self.s_latex = []
        self.s_fence = False
        self.pos = end
        if self.s_key:
            start = self.key_start
            cs = start + (2 if self.s_escaped else 1)
            if self.s_triple:
                cs = start + 3
            self.st_comma[self.depth - 1] = -1
            self.key_start = start
            self.key_end = end
            self.last_end = end
            self._check_key_content(cs, close_at)
            self.state = COLON
        else:
            self.last_str_end = end
            self._after_value(end, True)
        return 0

    cdef int _close_string_at_end(self) except -1:
        """The input ended inside a string: close it, leaving trailing closers out."""
        cdef str buf = self.buf
        cdef Py_ssize_t n = len(buf)
        cdef Py_ssize_t c, start, end, k, j, split
        if self.s_key:
            # a partial key is dropped
            self.state = KEY
            c = self.st_comma[self.depth - 1]
            start = c if c >= 0 else self.key_start
            if c < 0:
                self._drop_missing_comma()
            self._delete(TRUNCATED, start, n)
            self.last_end = start if c >= 0 else self.last_end
            if c < 0:
                self.last_end = self._before_ws(self.key_start)
            self.st_comma[self.depth - 1] = -1
            self.state = AFTER if self.st_count[self.depth - 1] else KEY
            return 0
        end = n
        # a cut-off escape: `"x\` or `"x\u12`
        k = n - 1
        while k > self.s_start and is_hex(self._ch(k)) and n - k <= 4:
            k -= 1
        # (buf[k - 1] wraps around to the last character when k is 0, as in Python)
        if k > self.s_start and self._ch(k) == "u" and self._ch(k - 1 if k > 0 else n - 1) == "\\" and n - k <= 5 and not self._escaped_backslash(k - 1):
            # (a complete `\u0041` stays, unless it is a high surrogate without its low half)
            if n - k < 5 or (self._ch(k + 1) in "dD" and self._ch(k + 2) in "89abAB"):
                end = k - 1
        elif self._ch(n - 1) == "\\" and n - 1 > self.s_start and not self._escaped_backslash(n - 1):
            end = n - 1
        if end < n and end - 6 > self.s_start and buf[end - 6:end - 3] in ("\\uD", "\\ud") and self._ch(end - 3) in "89abAB":
            end -= 6                # the high half of a surrogate pair whose low half was cut
        if end < n:
            self._delete(TRUNCATED, end, n)
        else:
            # `{"a": "hello}`: closers the string swallowed are structure
            j = n - 1
            while j > self.s_start and self._ch(j) in " \t\r\n,}]":
                j -= 1
            if j < n - 1 and ("}" in buf[j + 1:n] or "]" in buf[j + 1:n]) and self.depth:
                split = j + 1
                self._drop_edits(split, n)
                self._insert(MISSING_QUOTE, split, '"')
                self._finish_string(split, split)
                self.final = True
                self._run()
                return 0
        self._insert(MISSING_QUOTE, end, '"')
        self.cand_flags |= TRUNCATED_END
        self._finish_string(end, end)
        return 0

    cdef bint _escaped_backslash(self, Py_ssize_t k) noexcept:
        """Is the backslash at ``k`` itself escaped by the one before it?"""
        cdef Py_ssize_t m = 0
        cdef Py_ssize_t j = k - 1
        while j > self.s_start and self._ch(j) == "\\":
            m += 1
            j -= 1
        return m % 2 == 1

    cdef Py_ssize_t _before_ws(self, Py_ssize_t k) noexcept:
        while k > 0 and is_ws(self._ch(k - 1)):
            k -= 1
        return k


# -- streaming: the value built as the repaired text grows ---------------------------------

import codecs as _codecs
from types import MemberDescriptorType as _MemberDescriptorType

import orjson as _orjson

# (compiled core only) the C API the builder and the stream use, under names of their own
from cpython.float cimport PyFloat_FromDouble as float_from_c
from cpython.long cimport PyLong_FromLongLong as long_from_c
from cpython.ref cimport PyObject, _Py_REFCNT
from cpython.unicode cimport PyUnicode_4BYTE_KIND as UCS4_KIND
from cpython.unicode cimport PyUnicode_FromKindAndData as unicode_from_ucs4
from libc.math cimport isinf as is_inf, NAN

cdef extern from "Python.h":
    double string_to_double "PyOS_string_to_double" (const char* s, char** endptr, PyObject* overflow) except? -1.0

from libc.string cimport memcpy as copy_bytes, memcmp

cdef extern from "Python.h":
    # (compiled core only) what grow_buffer (the scanner's buffer) and the builder read
    # and set of a str
    ctypedef struct PyASCIIObject:
        Py_ssize_t length
        Py_hash_t hash
    ctypedef struct PyCompactUnicodeObject:
        char* utf8
    Py_ssize_t refcount "Py_REFCNT" (object)
    bint is_ascii "PyUnicode_IS_ASCII" (object)
    Py_UCS4 max_char_value "PyUnicode_MAX_CHAR_VALUE" (object)
    object str_new "PyUnicode_New" (Py_ssize_t size, Py_UCS4 maxchar)
    Py_ssize_t copy_characters "PyUnicode_CopyCharacters" (object to, Py_ssize_t to_start, object src, Py_ssize_t src_start, Py_ssize_t n) except -1
    void write_char "PyUnicode_WRITE" (int kind, void* data, Py_ssize_t index, Py_UCS4 c)
    # (compiled core only) the builder: put a member when its key is new, in one lookup
    PyObject* dict_setdefault "PyDict_SetDefault" (object d, object key, object value) except NULL
    # (compiled core only) Stream.feed() as a method of a C function (feed_method())
    ctypedef struct PyTypeObject
    ctypedef PyObject* (*PyCFunction)(PyObject*, PyObject*)
    ctypedef struct PyMethodDef:
        const char* ml_name
        PyCFunction ml_meth
        int ml_flags
        const char* ml_doc
    object new_method_descriptor "PyDescr_NewMethod" (PyTypeObject* cls, PyMethodDef* method)
    int METH_O
    # (compiled core only) the builder's stacks: drop_last()
    PyObject* list_item "PyList_GET_ITEM" (object l, Py_ssize_t i)
    void set_size "Py_SET_SIZE" (object o, Py_ssize_t size)
    void decref "Py_DECREF" (PyObject* o)
    void incref "Py_INCREF" (PyObject* o)
    int resize_str "PyUnicode_Resize" (PyObject** s, Py_ssize_t length)


cdef inline void drop_last(list l) noexcept:
    """(compiled core only) ``del l[-1]`` of a list that is not empty, its room kept (a
    stack: the builder's open containers and their keys)."""
    cdef Py_ssize_t n = len(l) - 1
    cdef PyObject* item = list_item(l, n)
    set_size(l, n)
    decref(item)


# (compiled core only) the bytes of a stream's chunk of string content (Stream._direct_bytes):
# BYTE_STOP ends plain content (as STRING_STOP), BYTE_TAIL may turn out to be structure
# after a string that lost its closing quote (may_be_structure(), but for the control
# characters among those, which stop)
cdef enum:
    BYTE_STOP = 1
    BYTE_TAIL = 2

cdef unsigned char[256] BYTE_CLASS


cdef void init_byte_class() noexcept:
    cdef int k
    for k in range(256):
        BYTE_CLASS[k] = (BYTE_STOP if k < 0x20 or k == 0x22 or k == 0x5C
                         else BYTE_TAIL if k == 0x20 or k == 0x2C or k == 0x7D or k == 0x5D
                         else 0)


init_byte_class()


cdef inline void put_bytes(int kind, void* dst, Py_ssize_t at, const unsigned char* src,
                           Py_ssize_t m) noexcept:
    """(compiled core only) Write the bytes ``src[:m]`` as characters into ``dst`` (``kind``
    bytes per character) from index ``at`` on."""
    cdef Py_ssize_t k
    if kind == PyUnicode_1BYTE_KIND:
        for k in range(m):
            (<unsigned char*>dst)[at + k] = src[k]
    elif kind == PyUnicode_2BYTE_KIND:
        for k in range(m):
            (<uint16_t*>dst)[at + k] = src[k]
    else:
        for k in range(m):
            (<uint32_t*>dst)[at + k] = src[k]


cdef inline bint takes_in_place(PyObject* s, Py_ssize_t owners, Py_ssize_t need,
                                Py_ssize_t room, unsigned int top) noexcept:
    """(compiled core only) Can characters up to ``top`` be written into the str ``s``
    in place, up to a length of ``need`` (``room`` characters fit in its memory)? When
    only its ``owners`` hold it (nobody sees it change), they fit, need no wider kind
    (``s`` is at least one byte per character; a pure-ASCII str takes ASCII only) and it
    keeps no UTF-8 copy of itself that would go stale."""
    if need > room or _Py_REFCNT(s) != owners:
        return False
    if is_ascii(<object>s):
        return top < 128
    return (<PyCompactUnicodeObject*>s).utf8 == NULL


cdef str grow_buffer(str buf, str text, Py_ssize_t* room):
    """(compiled core only) ``buf + text`` for the scanner's buffer, the twin's `+=`.

    The buffer is a str with spare room after its characters, as a list has: ``room[0]``
    characters fit in its memory, its length says where the text ends. When the caller
    holds the only reference to ``buf`` (nobody can see it change), the text fits and
    needs no wider kind, it is written in place: O(len(text)). Otherwise the result is a
    new buffer with room for twice its length; the first text is the buffer itself, as
    with `+=` (one-shot repair copies nothing). (CPython's `+=` on a str reallocates on
    every call.)
    """
    cdef Py_ssize_t n = len(buf)
    cdef Py_ssize_t m = len(text)
    cdef Py_ssize_t size, k
    cdef int kind = PyUnicode_KIND(buf)
    cdef int tkind = PyUnicode_KIND(text)
    cdef void* data
    cdef void* tdata
    cdef str out
    if n == 0:
        room[0] = m                 # the whole text in one feed (one-shot): no copy
        return text
    if (n + m <= room[0] and refcount(buf) == 1 and tkind <= kind
            and (is_ascii(text) or not is_ascii(buf))
            and (is_ascii(buf) or (<PyCompactUnicodeObject*>buf).utf8 == NULL)):
        data = PyUnicode_DATA(buf)
        tdata = PyUnicode_DATA(text)
        if tkind == kind:
            copy_bytes(<char*>data + n * kind, tdata, m * kind)
        elif tkind == 1 and kind == 2:
            for k in range(m):
                (<unsigned short*>data)[n + k] = (<unsigned char*>tdata)[k]
        else:
            for k in range(m):
                write_char(kind, data, n + k, PyUnicode_READ(tkind, tdata, k))
        write_char(kind, data, n + m, 0)
        (<PyASCIIObject*>buf).length = n + m
        (<PyASCIIObject*>buf).hash = -1
        return buf
    size = max(2 * (n + m), 256)
    out = str_new(size, max(max_char_value(buf), max_char_value(text)))
    (<PyASCIIObject*>out).length = n + m
    copy_characters(out, 0, buf, 0, n)
    copy_characters(out, n, text, 0, m)
    write_char(PyUnicode_KIND(out), PyUnicode_DATA(out), n + m, 0)
    room[0] = size
    return out

# states of the value builder
cpdef enum:
    B_VALUE = 0        # before a value
    B_STRING = 1       # inside a string (a key or a value)
    B_SCALAR = 2       # inside a number or literal
    B_AFTER = 3        # after a value inside a container
    B_KEY = 4          # in an object, before a key
    B_COLON = 5        # in an object, after a key
    B_DONE = 6         # the value is complete

# escape states of the builder inside a string
cpdef enum:
    E_NONE = 0         # not in an escape
    E_BACKSLASH = 1    # after `\`
    E_HEX = 2          # after `\u`, reading four hex digits
    E_LOW = 3          # after a high surrogate `\ud83d`: its low half must follow, `\`
    E_LOW_U = 4        # ... then `u`

cdef object _nothing = object()
NOTHING = _nothing  # Builder.root before the first value (compiled core: read as _nothing)

SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n",
                  "r": "\r", "t": "\t"}
HEX = "0123456789abcdefABCDEF"

# (compiled core only) what _escape returns besides a character to add
cdef enum:
    ESC_MORE = -1      # the escape goes on
    ESC_BAD = -2       # not a JSON escape

# (compiled core only) slots of the builder's cache of keys
cdef enum:
    KEY_CACHE_SIZE = 256
    KEY_CACHED = 64        # (the longest key kept there: the hash reads every character)
    SHOWN_ROOM = 32        # (the room of a value string's str at first)


cdef double* POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]


cdef double fast_float(Py_UCS4* t, Py_ssize_t n) noexcept:
    """(compiled core only) A JSON number with at most 15 significant digits and a power
    of ten within 10^±22: both are exact doubles, so one multiplication or division
    rounds correctly, to the double orjson reads. NaN when the number is not such."""
    cdef Py_ssize_t k = 0
    cdef long long m = 0
    cdef int sig = 0
    cdef int frac = 0
    cdef int e = 0
    cdef int edigits = 0
    cdef bint in_frac = False
    cdef bint eneg = False
    cdef bint neg = n > 0 and t[0] == "-"
    cdef Py_UCS4 c
    cdef double d
    if neg:
        k = 1
    while k < n:
        c = t[k]
        k += 1
        if c == ".":
            in_frac = True
        elif c == "e" or c == "E":
            if k < n and (t[k] == "+" or t[k] == "-"):
                eneg = t[k] == "-"
                k += 1
            while k < n:
                edigits += 1
                if edigits > 3:
                    return NAN
                e = e * 10 + (<int>t[k] - 48)
                k += 1
            break
        else:
            if sig or c != "0":
                sig += 1
                if sig > 15:
                    return NAN
                m = m * 10 + (<long long>c - 48)
            if in_frac:
                frac += 1
    e = (-e if eneg else e) - frac
    if m == 0:
        return -0.0 if neg else 0.0
    if e < -22 or e > 22:
        return NAN
    d = <double>m
    d = d * POW10[e] if e >= 0 else d / POW10[-e]
    return -d if neg else d


cdef inline Py_ssize_t key_end(int kind, const void* data, Py_ssize_t i, Py_ssize_t n,
                               size_t* hash) noexcept:
    """(compiled core only) The closing quote of a key whose text starts at ``i``: its
    index when it comes before ``n`` after at most KEY_CACHED plain characters (no
    backslash, control character or lone surrogate), else -1. ``hash[0]``: the key's
    hash for the builder's cache (key_hash())."""
    cdef Py_ssize_t end = i + KEY_CACHED if n - i > KEY_CACHED else n
    cdef Py_ssize_t k = i
    cdef Py_UCS4 c
    cdef size_t h = 0
    while k < end:
        c = PyUnicode_READ(kind, data, k)
        if c == '"':
            hash[0] = h + <size_t>(k - i)
            return k
        if c == "\\" or c < 0x20 or 0xD800 <= c <= 0xDFFF:
            return -1
        h = h * 31 + <size_t>c
        k += 1
    return -1


cdef inline size_t key_hash(int kind, const void* data, Py_ssize_t i, Py_ssize_t n) noexcept:
    """(compiled core only) The hash of the key ``data[i:n]`` for the builder's cache
    (of its characters, whatever their kind, and its length)."""
    cdef size_t h = 0
    cdef Py_ssize_t k
    cdef Py_UCS4 c
    for k in range(i, n):
        c = PyUnicode_READ(kind, data, k)
        h = h * 31 + <size_t>c
    return h + <size_t>(n - i)


cdef inline bint same_chars(int tkind, const void* t, int kind, const void* data,
                            Py_ssize_t i, Py_ssize_t n) noexcept:
    """(compiled core only) Are the characters ``t[:n - i]`` those of ``data[i:n]`` (each
    of its kind; the builder's keys: a cached key of one byte per character against a
    stream's pieces, gathered as UCS4, is the usual case)?"""
    cdef Py_ssize_t k
    cdef const Py_UCS4* d4
    cdef const unsigned char* t1
    if tkind == PyUnicode_1BYTE_KIND and kind == UCS4_KIND:
        d4 = <const Py_UCS4*>data + i
        t1 = <const unsigned char*>t
        for k in range(n - i):
            if d4[k] != t1[k]:
                return False
        return True
    for k in range(n - i):
        if PyUnicode_READ(tkind, t, k) != PyUnicode_READ(kind, data, i + k):
            return False
    return True


cdef inline bint scalar_end(Py_UCS4 c) noexcept:
    """(compiled core only) Does ``c`` end a number or literal? ``[ \\t\\n\\r,\\]}:]``"""
    return (c == " " or c == "\t" or c == "\n" or c == "\r" or c == "," or c == "]"
            or c == "}" or c == ":")


cdef Py_UCS4* grow_ucs4(Py_UCS4* p, Py_ssize_t* cap, Py_ssize_t need) except NULL:
    """(compiled core only) ``p`` with room for ``need`` characters (doubling)."""
    cdef Py_ssize_t c = cap[0]
    while c < need:
        c *= 2
    p = <Py_UCS4*>grow(p, c * sizeof(Py_UCS4))
    cap[0] = c
    return p


cdef inline int kind_of(Py_UCS4 c) noexcept:
    """(compiled core only) The bytes per character of a str holding ``c``."""
    return 1 if c < 0x100 else (2 if c < 0x10000 else 4)


class Held(list):
    """Holds the new value of a key the object already has, until it is complete: the
    old value stays in view meanwhile (the last one wins, as in JSON)."""


@cython.final
cdef class Builder:
    """Builds the value of a strict-JSON text that arrives in pieces, in place.

    Containers are created once and extended; the string being read is stored in its
    container under its final key (or index) and replaced by a longer string when
    :meth:`refresh` is called after more of it arrived. Escapes are decoded as soon as
    they are complete (a high surrogate waits for its low half). Numbers and literals are
    put when their end is seen (or :meth:`end_scalar` says they are complete). Input that
    cannot continue a JSON text stops the builder (``broken``) at that character: nothing
    after it reaches the value, and it never raises.
    """
    cdef readonly object root
    cdef list stack
    cdef list keys
    cdef readonly int state
    cdef bint is_key
    cdef char* sbuf            # (compiled core only) the decoded content of the string
    cdef Py_ssize_t slen       # being read (the twin's `parts`) in the str kind of its
    cdef Py_ssize_t scap       # widest character `smax` (`skind` bytes per character):
    cdef Py_UCS4 smax          # its length, room (in characters)
    cdef int skind
    cdef int esc
    cdef unsigned int hexval
    cdef int nhex
    cdef unsigned int high
    cdef Py_UCS4* tbuf         # (compiled core only) the number or literal being read
    cdef Py_ssize_t tlen       # (the twin's `tok`), its length and room
    cdef Py_ssize_t tcap
    cdef readonly bint broken
    cdef bint dirty
    cdef public bint grew
    cdef public bint text_grew
    cdef str shown             # (compiled core only) the str of the string being read in
    cdef Py_ssize_t shown_room  # its container, with room for this many characters
    cdef list key_cache        # (compiled core only) keys read before, by a hash of their
                               # text: a repeated key is the same str (hashed once)

    def __cinit__(self, *args, **kwargs):
        self.scap = 64
        self.tcap = 32
        self.sbuf = <char*>malloc(self.scap * 4)
        self.tbuf = <Py_UCS4*>malloc(self.tcap * sizeof(Py_UCS4))
        if self.sbuf == NULL or self.tbuf == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.sbuf)
        free(self.tbuf)

    def __init__(self):
        self.root = _nothing
        self.stack = []       # open containers
        self.keys = []        # per open container: the pending key of a dict, else None
        self.state = B_VALUE
        self.is_key = False   # the string being read is a key
        self.slen = 0
        self.smax = 0
        self.skind = 1
        self.esc = E_NONE     # where in an escape the string is
        self.hexval = 0       # the hex digits of a `\u` escape so far
        self.nhex = 0         # ... how many
        self.high = 0         # a high surrogate waiting for its low half, or 0
        self.tlen = 0
        self.broken = False
        self.dirty = False    # the partial string in its container is out of date
        self.grew = False     # the value changed since the caller last cleared this
        self.text_grew = False  # ... or the string being read grew (shown unless broken)
        self.key_cache = [None] * KEY_CACHE_SIZE

    # -- placing values -------------------------------------------------------------

    cdef int _put(self, v) except -1:
        cdef list stack = self.stack
        cdef Py_ssize_t d = len(stack)
        cdef Py_ssize_t size
        if d == 0:
            self.root = v
        else:
            top = stack[d - 1]
            if type(top) is dict:
                # (compiled core only) the key's test and its insertion in one lookup
                size = len(<dict>top)
                dict_setdefault(top, self.keys[d - 1], v)
                if len(<dict>top) == size:
                    top = Held()        # the object has the key already
                    stack.append(top)
                    self.keys.append(None)
                    (<list>top).append(v)
            else:
                (<list>top).append(v)
        self.grew = True
        return 0

    cdef int _put_string(self) except -1:
        """A value string begins. (compiled core only) Its str is made now, empty, with
        room to grow in place (as _refresh() makes it when it is first shown: ASCII until
        a wider character comes), and put in its container once."""
        cdef str t = str_new(SHOWN_ROOM, 127)
        write_char(PyUnicode_1BYTE_KIND, PyUnicode_DATA(t), 0, 0)
        (<PyASCIIObject*>t).length = 0
        self._put(t)
        self.shown = t
        self.shown_room = SHOWN_ROOM
        return 0

    cdef int _settle(self) except -1:
        """A value is complete: a held one replaces the old value of its key."""
        cdef list stack = self.stack
        cdef Py_ssize_t d = len(stack)
        if d and type(stack[d - 1]) is Held:
            held = stack.pop()
            self.keys.pop()
            (<dict>stack[d - 2])[self.keys[d - 2]] = (<list>held)[0]
            self.grew = True
            d -= 1
        self.state = B_AFTER if d else B_DONE
        return 0

    cdef int _set_last(self, v) except -1:
        """Replace the value last put (the partial string) by ``v``."""
        cdef Py_ssize_t d = len(self.stack)
        if d == 0:
            self.root = v
        else:
            top = self.stack[d - 1]
            if type(top) is dict:
                (<dict>top)[self.keys[d - 1]] = v
            else:
                (<list>top)[len(<list>top) - 1] = v
        return 0

    cdef int _close(self, Py_UCS4 c) except -1:
        """``c`` closes the container on top."""
        cdef Py_ssize_t d = len(self.stack)
        if d == 0 or type(self.stack[d - 1]) is not (dict if c == "}" else list):
            self.broken = True
            return 0
        drop_last(self.stack)
        drop_last(self.keys)
        self._settle()
        return 0

    cdef str _key_text(self):
        """(compiled core only) _text() of a key: the str of the same key read before
        when there is one in the cache."""
        if self.slen > KEY_CACHED:
            return self._text()
        return self._key_at(self.skind, self.sbuf, 0, self.slen,
                            key_hash(self.skind, self.sbuf, 0, self.slen))

    cdef str _key_at(self, int kind, const void* data, Py_ssize_t i, Py_ssize_t n, size_t h):
        """(compiled core only) The key ``data[i:n]`` (at most KEY_CACHED characters, no
        escape; ``h`` its key_hash()): the str of the same key read before when there is
        one in the cache, else a new str, kept there."""
        cdef Py_ssize_t slot
        cdef object t
        cdef int tkind
        cdef const void* tdata
        slot = <Py_ssize_t>(h % KEY_CACHE_SIZE)
        t = self.key_cache[slot]
        if t is not None and (<PyASCIIObject*>t).length == n - i:
            tkind = PyUnicode_KIND(t)
            tdata = PyUnicode_DATA(t)
            if tkind == kind:
                if memcmp(tdata, <const char*>data + i * kind, (n - i) * kind) == 0:
                    return <str>t
            elif same_chars(tkind, tdata, kind, data, i, n):
                return <str>t
        t = unicode_from_ucs4(kind, <const char*>data + i * kind, n - i)
        self.key_cache[slot] = t
        return <str>t

    cdef str _text(self):
        """The string read so far (its decoded content, as one str)."""
        cdef str t = str_new(self.slen, self.smax)
        copy_bytes(PyUnicode_DATA(t), self.sbuf, self.slen * self.skind)
        return t

    cdef int _add(self, Py_UCS4 c) except -1:
        """(compiled core only) Append ``c`` to the string (room for it was made)."""
        cdef Py_ssize_t k
        if c > self.smax:
            if kind_of(c) != self.skind:
                self._widen(kind_of(c))
            self.smax = c
        if self.skind == 1:
            (<unsigned char*>self.sbuf)[self.slen] = <unsigned char>c
        elif self.skind == 2:
            (<unsigned short*>self.sbuf)[self.slen] = <unsigned short>c
        else:
            (<Py_UCS4*>self.sbuf)[self.slen] = c
        self.slen += 1
        return 0

    cdef int _widen(self, int kind) except -1:
        """(compiled core only) Store the string ``kind`` bytes per character (from the
        end down, in place: the buffer has room for 4)."""
        cdef Py_ssize_t k = self.slen
        cdef Py_UCS4 c
        while k > 0:
            k -= 1
            if self.skind == 1:
                c = (<unsigned char*>self.sbuf)[k]
            else:
                c = (<unsigned short*>self.sbuf)[k]
            if kind == 2:
                (<unsigned short*>self.sbuf)[k] = <unsigned short>c
            else:
                (<Py_UCS4*>self.sbuf)[k] = c
        self.skind = kind
        return 0

    cdef object _scalar(self):
        """The value of the number or literal read (``NOTHING`` when it is not one)."""
        cdef Py_UCS4* t = self.tbuf
        cdef Py_ssize_t n = self.tlen
        cdef Py_ssize_t k = 0
        cdef Py_ssize_t digits
        cdef long long x = 0
        cdef bint is_float = False
        cdef char[64] ascii
        cdef double d
        self.tlen = 0
        if n == 4 and t[0] == "t" and t[1] == "r" and t[2] == "u" and t[3] == "e":
            return True
        if n == 5 and t[0] == "f" and t[1] == "a" and t[2] == "l" and t[3] == "s" and t[4] == "e":
            return False
        if n == 4 and t[0] == "n" and t[1] == "u" and t[2] == "l" and t[3] == "l":
            return None
        # (compiled core only) a number in JSON spelling, read here as the twin's orjson
        # reads it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
        if k < n and t[k] == "-":
            k += 1
        digits = k
        if k < n and t[k] == "0":
            k += 1
        else:
            while k < n and is_digit_ascii(t[k]):
                x = x * 10 + (<long long>t[k] - 48) if k - digits < 18 else 0
                k += 1
        digits = k - digits
        if digits and k < n and t[k] == ".":
            k += 1
            is_float = True
            if not (k < n and is_digit_ascii(t[k])):
                digits = 0
            while k < n and is_digit_ascii(t[k]):
                k += 1
        if digits and k < n and (t[k] == "e" or t[k] == "E"):
            k += 1
            is_float = True
            if k < n and (t[k] == "+" or t[k] == "-"):
                k += 1
            if not (k < n and is_digit_ascii(t[k])):
                digits = 0
            while k < n and is_digit_ascii(t[k]):
                k += 1
        if digits and k == n:
            if not is_float and digits <= 18:
                return long_from_c(-x if t[0] == "-" else x)
            if is_float:
                d = fast_float(t, n)
                if d == d:
                    return float_from_c(d)
            if is_float and n < 64:
                for k in range(n):
                    ascii[k] = <char>t[k]
                ascii[n] = 0
                d = string_to_double(ascii, NULL, NULL)
                if not is_inf(d):
                    return float_from_c(d)
        # a big int, a number beyond a double, or not a number: as the twin does
        try:
            return _orjson.loads(unicode_from_ucs4(UCS4_KIND, t, n))
        except _orjson.JSONDecodeError:
            return _nothing

    def refresh(self):
        """Bring the partial string in its container up to date (O(its length); the
        compiled core: O(what it gained) when only the container holds it)."""
        self._refresh()

    cdef int _refresh(self) except -1:
        """(compiled core only) refresh(): the str in the container has room to grow; when
        only the container (and ``shown``) hold it, nobody can see it change, and the new
        characters are written into it (as the scanner's buffer grows). Else it is
        replaced by a new str with room."""
        cdef Py_ssize_t n, size
        cdef str t
        if not self.dirty or self.broken:
            return 0
        self.dirty = False
        if self._grow_shown():
            return 0
        n = self.slen
        size = max(2 * n, SHOWN_ROOM)
        t = str_new(size, self.smax)
        copy_bytes(PyUnicode_DATA(t), self.sbuf, n * self.skind)
        write_char(self.skind, PyUnicode_DATA(t), n, 0)
        (<PyASCIIObject*>t).length = n
        self._set_last(t)
        self.shown = t
        self.shown_room = size
        return 0

    cdef inline bint _grow_shown(self) noexcept:
        """(compiled core only) Bring the str in the container (``shown``) up to the
        string read, in place, when only the container (and ``shown``) hold it, so that
        nobody can see it change, and it can take the characters; whether it did."""
        cdef Py_ssize_t n = self.slen
        cdef Py_ssize_t size
        cdef PyObject* t = <PyObject*>self.shown     # (borrowed: its count is the test)
        if (self.shown is None or n > self.shown_room or _Py_REFCNT(t) != 2
                or PyUnicode_KIND(<object>t) != self.skind
                or is_ascii(<object>t) != (self.smax < 128)
                or not (is_ascii(<object>t) or (<PyCompactUnicodeObject*>t).utf8 == NULL)):
            return False
        size = (<PyASCIIObject*>t).length
        copy_bytes(<char*>PyUnicode_DATA(<object>t) + size * self.skind,
                   self.sbuf + size * self.skind, (n - size) * self.skind)
        write_char(self.skind, PyUnicode_DATA(<object>t), n, 0)
        (<PyASCIIObject*>t).length = n
        (<PyASCIIObject*>t).hash = -1
        return True

    # -- the parser -------------------------------------------------------------------

    cpdef int feed(self, str s, Py_ssize_t i, Py_ssize_t n) except -1:
        """Read ``s[i:n]``, the next piece of the text."""
        return self._feed(PyUnicode_KIND(s), PyUnicode_DATA(s), i, n)

    cdef int _feed(self, int kind, const void* data, Py_ssize_t i, Py_ssize_t n) except -1:
        """(compiled core only) feed() of the characters ``[i, n)`` of a str's data (or of
        a stream's pieces gathered as UCS4)."""
        if kind == PyUnicode_1BYTE_KIND:
            return self._feed_k(<const uint8_t*>data, i, n)
        if kind == PyUnicode_2BYTE_KIND:
            return self._feed_k(<const uint16_t*>data, i, n)
        return self._feed_k(<const uint32_t*>data, i, n)

    cdef int _feed_k(self, const ucs_t* chars, Py_ssize_t i, Py_ssize_t n) except -1:
        """(compiled core only) _feed() of characters of one kind."""
        cdef int kind = sizeof(ucs_t)
        cdef const void* data = chars
        cdef int st
        cdef Py_UCS4 c
        cdef Py_ssize_t j
        cdef size_t h
        cdef list stack
        while i < n and not self.broken:
            st = self.state
            if st == B_STRING:
                i = self._string(chars, i, n)
                continue
            if st == B_SCALAR:
                while i < n:
                    c = PyUnicode_READ(kind, data, i)
                    if scalar_end(c):
                        break
                    if self.tlen >= self.tcap:
                        self.tbuf = grow_ucs4(self.tbuf, &self.tcap, self.tlen + 1)
                    self.tbuf[self.tlen] = c
                    self.tlen += 1
                    i += 1
                if i < n:
                    self._scalar_done()
                continue
            while i < n and is_ws(PyUnicode_READ(kind, data, i)):
                i += 1
            if i >= n:
                return 0
            c = PyUnicode_READ(kind, data, i)
            stack = self.stack
            if st == B_VALUE:
                if c == "{" or c == "[":
                    v = {} if c == "{" else []
                    self._put(v)
                    stack.append(v)
                    self.keys.append(None)
                    self.state = B_KEY if c == "{" else B_VALUE
                    i += 1
                elif c == '"':
                    self._put_string()
                    self.is_key = False
                    self.state = B_STRING
                    i += 1
                elif (c == "]" and len(stack) and type(stack[len(stack) - 1]) is list
                        and not stack[len(stack) - 1]):
                    self._close(c)
                    i += 1
                else:
                    self.state = B_SCALAR
            elif st == B_KEY:
                if c == '"':
                    self.is_key = True
                    # (compiled core only) a short plain key whose closing quote is in
                    # this piece: taken at once (as _string() and _end_string() would)
                    j = key_end(kind, data, i + 1, n, &h)
                    if j >= 0:
                        self.keys[len(self.keys) - 1] = self._key_at(kind, data, i + 1, j, h)
                        self.state = B_COLON
                        i = j + 1
                        continue
                    self.state = B_STRING
                elif c == "}" and not stack[len(stack) - 1]:
                    self._close(c)      # (`{}`; after a comma `}` is not JSON)
                else:
                    self.broken = True
                i += 1
            elif st == B_COLON:
                if c != ":":
                    self.broken = True
                self.state = B_VALUE
                i += 1
            elif st == B_AFTER:
                if c == ",":
                    self.state = B_KEY if type(stack[len(stack) - 1]) is dict else B_VALUE
                elif c == "}" or c == "]":
                    self._close(c)
                else:
                    self.broken = True
                i += 1
            else:               # B_DONE: the value is complete; only space may follow
                self.broken = True
                return 0
        return 0

    cdef Py_ssize_t _string(self, const ucs_t* chars, Py_ssize_t i, Py_ssize_t n) except -1:
        """Read string content from ``[i, n)`` of ``chars``; the position after what was
        read."""
        cdef int kind = sizeof(ucs_t)
        cdef const void* data = chars
        cdef bint grown = False
        cdef Py_UCS4 c
        cdef int out
        cdef Py_ssize_t j, k, slen
        cdef Py_UCS4 top
        if self.slen + (n - i) > self.scap:
            # (room for 4 bytes per character, whatever the kind)
            self.sbuf = <char*>grow_ucs4(<Py_UCS4*>self.sbuf, &self.scap, self.slen + (n - i))
        while i < n:
            if self.esc == E_NONE:
                # (compiled core only) a run of plain characters, copied in one go
                j = i
                top = 0
                while j < n:
                    c = PyUnicode_READ(kind, data, j)
                    if c == '"' or c == "\\" or c < 0x20 or 0xD800 <= c <= 0xDFFF:
                        break
                    if c > top:
                        top = c
                    j += 1
                if j > i:
                    if top > self.smax:
                        if kind_of(top) != self.skind:
                            self._widen(kind_of(top))
                        self.smax = top
                    slen = self.slen
                    if self.skind == kind:
                        copy_bytes(self.sbuf + slen * kind, <char*>data + i * kind, (j - i) * kind)
                    elif self.skind == 1:
                        for k in range(i, j):
                            (<unsigned char*>self.sbuf)[slen + k - i] = <unsigned char>PyUnicode_READ(kind, data, k)
                    elif self.skind == 2:
                        for k in range(i, j):
                            (<unsigned short*>self.sbuf)[slen + k - i] = <unsigned short>PyUnicode_READ(kind, data, k)
                    else:
                        for k in range(i, j):
                            (<Py_UCS4*>self.sbuf)[slen + k - i] = PyUnicode_READ(kind, data, k)
                    self.slen = slen + (j - i)
                    grown = True
                    i = j
                    if i >= n:
                        break
            c = PyUnicode_READ(kind, data, i)
            i += 1
            if self.esc == E_NONE:
                if c == '"':
                    self._end_string()
                    return i
                if c == "\\":
                    self.esc = E_BACKSLASH
                    continue
                if c < 0x20 or 0xD800 <= c <= 0xDFFF:
                    self.broken = True      # a control character or a lone surrogate
                    return n
                self._add(c)
                grown = True
                continue
            out = self._escape(c)
            if out == ESC_BAD:
                self.broken = True
                return n
            if out >= 0:
                self._add(<Py_UCS4>out)
                grown = True
        if grown and not self.is_key:
            self.dirty = True
            self.text_grew = True
        return i

    cdef int _plain(self, int kind, const void* data, Py_ssize_t i, Py_ssize_t n,
                    Py_UCS4 top) except -1:
        """(compiled core only) _string() of content known to be plain (no quote,
        backslash, control character or lone surrogate), its characters no wider than
        ``top`` (the top of their range will do: it decides the kind and whether ASCII)."""
        cdef Py_ssize_t m = n - i
        cdef Py_ssize_t slen = self.slen
        cdef Py_ssize_t k
        if slen + m > self.scap:
            self.sbuf = <char*>grow_ucs4(<Py_UCS4*>self.sbuf, &self.scap, slen + m)
        if top > self.smax:
            if kind_of(top) != self.skind:
                self._widen(kind_of(top))
            self.smax = top
        # (the characters fit the string's kind, which may be narrower than the data's:
        # ``[i, n)`` may be an ASCII part of a wider chunk)
        if self.skind == kind:
            copy_bytes(self.sbuf + slen * kind, <const char*>data + i * kind, m * kind)
        elif self.skind == 1:
            for k in range(m):
                (<unsigned char*>self.sbuf)[slen + k] = <unsigned char>PyUnicode_READ(kind, data, i + k)
        elif self.skind == 2:
            for k in range(m):
                (<uint16_t*>self.sbuf)[slen + k] = <uint16_t>PyUnicode_READ(kind, data, i + k)
        else:
            for k in range(m):
                (<Py_UCS4*>self.sbuf)[slen + k] = PyUnicode_READ(kind, data, i + k)
        self.slen = slen + m
        if not self.is_key:
            self.dirty = True
            self.text_grew = True
        return 0

    cdef int _escape(self, Py_UCS4 c) noexcept:
        """One character of an escape: the character it completes, ``ESC_MORE`` if none
        yet, or ``ESC_BAD`` when it cannot continue a JSON escape (the twin: the text,
        "" or ``None``)."""
        cdef int esc = self.esc
        cdef unsigned int code
        if esc == E_BACKSLASH:
            self.esc = E_NONE
            if c == "u":
                self.esc = E_HEX
                self.hexval = 0
                self.nhex = 0
                return ESC_MORE
            if c == '"' or c == "\\" or c == "/":
                return <int>c
            if c == "b":
                return 8
            if c == "f":
                return 12
            if c == "n":
                return 10
            if c == "r":
                return 13
            if c == "t":
                return 9
            return ESC_BAD
        if esc == E_HEX:
            if not is_hex(c):
                return ESC_BAD
            self.hexval = self.hexval * 16 + <unsigned int>hex_value(c)
            self.nhex += 1
            if self.nhex < 4:
                return ESC_MORE
            code = self.hexval
            self.esc = E_NONE
            if self.high:
                if not 0xDC00 <= code <= 0xDFFF:
                    return ESC_BAD
                code = 0x10000 + ((self.high - 0xD800) << 10) + (code - 0xDC00)
                self.high = 0
                return <int>code
            if 0xD800 <= code <= 0xDBFF:
                self.high = code
                self.esc = E_LOW
                return ESC_MORE
            if 0xDC00 <= code <= 0xDFFF:
                return ESC_BAD
            return <int>code
        if esc == E_LOW:
            if c != "\\":
                return ESC_BAD
            self.esc = E_LOW_U
            return ESC_MORE
        # E_LOW_U
        if c != "u":
            return ESC_BAD
        self.esc = E_HEX
        self.hexval = 0
        self.nhex = 0
        return ESC_MORE

    cdef int _end_string(self) except -1:
        if self.is_key:
            self.keys[len(self.keys) - 1] = self._key_text()
            self.state = B_COLON
        else:
            # (compiled core only) the str in the container is the value when it takes
            # the rest in place and has no more than SHOWN_ROOM characters of room to spare
            if self.shown_room - self.slen > SHOWN_ROOM or not self._grow_shown():
                self._set_last(self._text())
            self.dirty = False
            self.grew = True
            self._settle()
        self.shown = None
        self.slen = 0
        self.smax = 0
        self.skind = 1
        return 0

    cdef int _scalar_done(self) except -1:
        v = self._scalar()
        if v is _nothing:
            self.broken = True
            return 0
        self._put(v)
        self._settle()
        return 0

    cpdef end_scalar(self):
        """The number or literal being read is complete: the scanner has passed it."""
        if self.state == B_SCALAR and self.tlen and not self.broken:
            self._scalar_done()


cdef inline Py_ssize_t gather_text(Py_UCS4* dst, Py_ssize_t at, int kind, const void* data,
                                   Py_ssize_t i, Py_ssize_t n) noexcept:
    """(compiled core only) Copy the characters ``[i, n)`` of a str's data to ``dst`` from
    index ``at`` on (as UCS4); the index after them."""
    cdef Py_ssize_t k
    for k in range(i, n):
        dst[at + k - i] = PyUnicode_READ(kind, data, k)
    return at + n - i


cdef inline bint may_be_structure(Py_UCS4 c) noexcept:
    """(compiled core only) Can string content that ends in ``c`` turn out to end before
    it (a string that lost its closing quote)? Scanner.committed() holds such an end back."""
    return c == " " or c == "\t" or c == "\r" or c == "\n" or c == "," or c == "}" or c == "]"


cdef inline Py_ssize_t structure_tail(int kind, const void* data, Py_ssize_t m) noexcept:
    """(compiled core only) How many characters at the end of ``data[:m]`` may turn out
    to be structure (may_be_structure())."""
    cdef Py_ssize_t k = m
    while k > 0 and may_be_structure(PyUnicode_READ(kind, data, k - 1)):
        k -= 1
    return m - k


# (compiled core only) a stream gathers pieces of repaired text up to this many
# characters long, in room for this many (Stream._piece)
cdef enum:
    GATHER_PIECE = 64
    GATHER_ROOM = 256

# where a stream's scanner waits at a string's closing quote (Stream._wait_state)
cpdef enum:
    W_NONE = 0         # not waiting so, or a character came that may decide
    W_SPACE = 1        # white space after the quote
    W_COMMA = 2        # a comma, then white space or more commas
    W_KEY = 3          # inside an object: the text of a quoted key
    W_KEY_END = 4      # white space after the key's closing quote
    W_COLON = 5        # the key's colon, then white space: the value has not begun
    W_KEY_START = 6    # in an object before a key: white space up to its opening quote
    W_QUOTE1 = 7       # a value's opening quote: a triple quote may still follow
    W_QUOTE2 = 8       # ... and a second one
    W_WORD = 9         # a bare value (number, literal, word) that may go on


cdef inline int wait_step(Stream s, int w, Py_UCS4 c) noexcept:
    """(compiled core only) One character of a wait (Stream._wait_scan()): the state after
    it, W_NONE when it may decide. A quote that opens a key notes its closing quote."""
    if w == W_KEY:
        if c == s.wait_close:
            return W_KEY_END
        if (c == s.wait_other or c == "\n" or c == "\\" or c < 0x20
                or 0xD800 <= c <= 0xDFFF):
            return W_NONE
        return W_KEY
    if is_ws(c):
        return w if w < W_QUOTE1 else W_NONE
    if w == W_WORD:
        return W_WORD if word_start(c) or c == "." or c == "+" or c == "_" else W_NONE
    if w == W_COLON:
        # the value's first character
        if c == "'" or c == '"':
            s.wait_close = c
            return W_QUOTE1
        return W_WORD if word_start(c) else W_NONE
    if w == W_SPACE:
        return W_COMMA if c == "," else W_NONE
    if w == W_COMMA or w == W_KEY_START:
        if is_quote(c) and s.wait_obj:
            s.wait_close = 0x201D if c == 0x201C else (0x2019 if c == 0x2018 else c)
            s.wait_other = (0x201D if s.wait_close == '"'
                            else (0x22 if s.wait_close == 0x201D else s.wait_close))
            return W_KEY
        if w == W_COMMA and (c == "," or c == 0xFF0C):
            return W_COMMA
        return W_NONE
    if w == W_KEY_END:
        return W_COLON if c == ":" else W_NONE
    if w == W_QUOTE1:
        return W_QUOTE2 if c == s.wait_close else W_NONE
    return W_NONE          # (W_QUOTE2: a third quote opens a triple-quoted string)


# the characters a bare value waited through starts with, and goes on with (the compiled
# core tests them with word_start())
WORD_START = frozenset("0123456789-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
WORD_CHARS = WORD_START | frozenset(".+_")


cdef inline bint word_start(Py_UCS4 c) noexcept:
    """(compiled core only) ``c in WORD_START``"""
    return ("0" <= c <= "9") or ("a" <= c <= "z") or ("A" <= c <= "Z") or c == "-"


# (compiled core only) per byte, the waits it keeps as they are (bit ``1 << w`` for wait
# ``w``), as wait_step() would: Stream._wait_bytes() steps only over the others
cdef uint16_t[256] WAIT_KEEP


cdef void init_wait_keep() noexcept:
    cdef int c
    cdef uint16_t keep
    for c in range(256):
        keep = 0
        if c >= 0x20 and c != 0x22 and c != 0x27 and c != 0x5C and c != 0x60:
            keep |= 1 << W_KEY      # (not the quotes a key may close with, nor `\`)
        if c == 0x20 or c == 0x09 or c == 0x0A or c == 0x0D:
            keep |= ((1 << W_SPACE) | (1 << W_COMMA) | (1 << W_KEY_END) | (1 << W_COLON)
                     | (1 << W_KEY_START))
        if c == 0x2C:
            keep |= 1 << W_COMMA
        if word_start(c) or c == 0x2E or c == 0x2B or c == 0x5F:
            keep |= 1 << W_WORD
        WAIT_KEEP[c] = keep


init_wait_keep()


cdef class Stream:
    """The per-chunk path of a stream (the base of :class:`repair.stream.StreamRepairer`).

    The scanner reads each chunk once. After it, the part of the payload's repaired text
    that became final (:meth:`Scanner.committed`, or the end of the payload) goes to the
    :class:`Builder`: the buffer between edits and the inserted texts, read in place.
    :meth:`attach` sets it up; it has no ``__init__`` of its own.
    """
    cdef readonly Scanner scanner
    cdef readonly object job
    cdef Py_ssize_t max_size
    cdef readonly Builder builder
    cdef Py_ssize_t emitted
    cdef readonly Py_ssize_t _start
    cdef Py_ssize_t cursor
    cdef object decoder
    cdef readonly bint closed
    cdef object _result
    cdef readonly Py_ssize_t builder_chars
    cdef readonly Py_ssize_t rebuilds
    cdef object value_slot     # (compiled core only) see _show()
    cdef object shown_value
    cdef Py_UCS4* gather       # (compiled core only) see _piece()
    cdef Py_ssize_t gather_len
    cdef Py_ssize_t gather_cap
    cdef bint direct           # (compiled core only) see _direct_chunk()
    cdef Py_ssize_t held       # (compiled core only) ... and _plain_chunk()
    cdef int wait              # see _wait_state()
    cdef Py_ssize_t wait_limit
    cdef Py_UCS4 wait_close
    cdef Py_UCS4 wait_other
    cdef bint wait_obj

    def __cinit__(self, *args, **kwargs):
        self.gather_cap = GATHER_ROOM
        self.gather = <Py_UCS4*>malloc(GATHER_ROOM * sizeof(Py_UCS4))
        if self.gather == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.gather)

    def attach(self, Scanner scanner, job):
        """Stream into ``scanner``; ``job`` checks the size (``check_size``, called when
        the input grows past ``job.max_size``) and is kept for the caller."""
        self.scanner = scanner
        self.job = job
        self.max_size = -1 if job.max_size is None else min(job.max_size, PY_SSIZE_T_MAX)
        self.builder = Builder()
        self.emitted = -1          # input position up to which text went to the builder
        self._start = -1           # where the streamed payload starts
        self.cursor = 0            # edits of the payload before this index are consumed
        self.decoder = None
        self.closed = False
        self._result = None
        self.builder_chars = 0     # characters handed to the value builder (the work)
        self.rebuilds = 0          # times the value was rebuilt after a restart
        slot = getattr(type(self), "value", None)
        self.value_slot = slot if type(slot) is _MemberDescriptorType else None
        self.shown_value = _nothing
        self.wait = W_NONE
        self.direct = False
        self.held = 0
        self._show()

    @property
    def result(self):
        """The :class:`RepairResult` close() returned (None before)."""
        return self._result

    @result.setter
    def result(self, result):
        self._result = result
        self._show()

    cdef int _show(self) except -1:
        """(compiled core only) When the instance's class keeps ``value`` in a slot of its
        own (a :class:`~repair.stream.StreamRepairer`: reading a slot costs the caller
        less than calling a property), bring it up to date: the string being streamed is
        refreshed here, after every chunk, rather than when ``value`` is read."""
        cdef Builder b
        if self.value_slot is None:
            return 0
        if self._result is not None:
            v = self._result.value
        else:
            b = self.builder
            if b.dirty:
                b._refresh()
            v = None if b.root is _nothing else b.root
        if v is not self.shown_value:
            self.value_slot.__set__(self, v)
            self.shown_value = v
        return 0

    def feed(self, chunk, /):
        """Read the next chunk (str, or UTF-8 bytes); whether ``value`` changed."""
        return self._feed(chunk, False)

    cdef object _feed(self, chunk, bint tried):
        """feed(); ``tried``: (compiled core only) the chunk is one byte per character,
        and _direct_bytes() was tried on it already (stream_feed())."""
        cdef str text
        cdef Py_ssize_t n
        cdef int k
        cdef bint changed
        cdef Py_ssize_t r
        cdef Py_ssize_t h
        if type(chunk) is str and not self.closed:
            text = <str>chunk
        else:
            text = self._text_of(chunk)
        if len(text) == 0:
            return False
        if self.max_size >= 0:
            n = len(self.scanner.buf) + len(text)
            if n > self.max_size:
                # the error's doc is the text fed so far, so that its position points into it
                self.job.check_size(n, self.scanner.buf + text)
        if self.direct:
            k = self._direct_chunk(text, tried)
            if k:
                return k == 1
        self.direct = False
        h = self.held
        self.held = 0
        if self.wait != W_NONE:
            if PyUnicode_KIND(text) == PyUnicode_1BYTE_KIND:
                if self._wait_bytes(text):
                    return False
            elif self._still_waiting(text):
                self.scanner._append(text)
                return False
        k = self._plain_chunk(text, h)  # (the wait ended, if there was one: W_NONE)
        if k:
            changed = k == 1
        else:
            r = self.rebuilds
            self.scanner._feed_str(text)
            changed = self._advance()
            self._wait_state()
            if self.rebuilds != r and self.value_slot is not None:
                self._show()            # (a new builder: its value, even when not grown)
        if changed and self.value_slot is not None:
            self._show()                # (the value in the slot changes only when it grew)
        return changed

    cdef int _plain_chunk(self, str text, Py_ssize_t h) except -1:
        """(compiled core only) A chunk of plain string content (no quote, backslash,
        control character or lone surrogate) read with the scanner inside a string, or of
        white space read between tokens, all of its input read: the scanner would only
        step over it, so it goes to the scanner's buffer directly. When everything before
        it is final and taken (but for the ``h`` characters the last chunk held back, see
        _direct_chunk()), and the chunk only extends the value string, it goes to the
        builder directly too, all but its end that may turn out to be structure (spaces,
        commas, closers: Scanner.committed() holds them back, and so does ``held``);
        else the usual hand-off. 0 when it is not such a chunk, else 1 when the value
        changed, 2 when not."""
        cdef Scanner sc = self.scanner
        cdef Py_ssize_t n = len(sc.buf)
        cdef Py_ssize_t m = len(text)
        cdef Py_ssize_t k, r
        cdef int kind
        cdef void* data
        cdef Py_UCS4 c
        if sc.final or sc.pos != n:
            return 0
        kind = PyUnicode_KIND(text)
        data = PyUnicode_DATA(text)
        if sc.state != STRING:
            # white space between tokens: the scanner would only step over it, and where
            # the repaired text is final (Scanner.committed()) does not move: outside a
            # string it is at most the end of the last token
            if (sc.state == PROSE or sc.state == THINK or sc.state == TOP_AFTER
                    or skip_ws_run(kind, data, 0, m) != m):
                return 0
            sc._append(text)
            sc.pos = n + m
            return 2
        k = plain_run(kind, data, 0, m, sc.s_close)
        if k != m:
            return self._closing_chunk(text, kind, data, k, h)
        if kind != PyUnicode_1BYTE_KIND:
            for k in range(m):
                c = PyUnicode_READ(kind, data, k)
                if 0xD800 <= c <= 0xDFFF:
                    return 0
        sc._append(text)
        sc.pos = n + m
        if sc.s_key:
            return 2        # (inside a key the repaired text is final up to the key's start)
        if not self._builder_in_string(n - h):
            return 1 if self._advance() else 2
        self.direct = True
        r = structure_tail(kind, data, m)
        if r == m:
            self.held = h + m
            return 2
        self._give(n, h, kind, data, m - r, max_char_value(text))
        self.held = r
        return 1

    cdef int _give(self, Py_ssize_t n, Py_ssize_t h, int kind, const void* data,
                   Py_ssize_t e, Py_UCS4 top) except -1:
        """(compiled core only) Plain content of the value string to the builder, taken
        as final: the ``h`` characters held back before ``n`` in the scanner's buffer
        (spaces, commas or closers: ASCII up to `]`), then ``data[:e]`` (no character
        above ``top``)."""
        cdef Scanner sc = self.scanner
        if h:
            self.builder._plain(sc.buf_kind, sc.buf_data, n - h, n, 0x5D)
        if e:
            self.builder._plain(kind, data, 0, e, top)
        self.emitted = n + e
        self.builder_chars += h + e
        return 0

    cdef bint _builder_in_string(self, Py_ssize_t n) except -1:
        """(compiled core only) Is everything of the payload before ``n`` final and taken,
        the builder inside the value string, so that plain content after it can go to
        the builder directly?"""
        cdef Scanner sc = self.scanner
        cdef Builder b = self.builder
        return (b.state == B_STRING and not b.is_key and b.esc == E_NONE and not b.broken
                and not sc.s_key and self.emitted == n and sc.cand_start == self._start
                and not sc.candidates)

    cdef int _direct_chunk(self, str text, bint tried) except -1:
        """(compiled core only) _plain_chunk() of a chunk read right after one that went
        to the builder directly (``direct``): nothing changed since but the length of the
        string both read, so only the chunk is checked. The characters at the end of the
        buffer that may turn out to be structure are held back (``held`` of them, after
        ``emitted``): they go to the builder with the next content that follows them.
        1 when the chunk was taken so and the value grew (it is shown), 2 when it was
        taken and the value did not grow; 0 when nothing was done."""
        cdef Scanner sc = self.scanner
        cdef Py_ssize_t n = (<PyASCIIObject*>sc.buf).length
        cdef Py_ssize_t m = (<PyASCIIObject*>text).length
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        cdef Py_ssize_t k, r
        cdef Py_UCS4 c
        if kind == PyUnicode_1BYTE_KIND and not tried:
            k = self._direct_bytes(text)
            if k:
                return k
        if plain_run(kind, data, 0, m, sc.s_close) != m:
            return 0
        if kind != PyUnicode_1BYTE_KIND:
            for k in range(m):
                c = PyUnicode_READ(kind, data, k)
                if 0xD800 <= c <= 0xDFFF:
                    return 0
        sc._append(text)
        sc.pos = n + m
        r = structure_tail(kind, data, m)
        if r == m:
            self.held += m
            return 2
        self._give(n, self.held, kind, data, m - r, max_char_value(text))
        self.held = r
        if self.value_slot is not None:
            self._show()
        return 1

    cdef int _direct_bytes(self, str text) except -1:
        """(compiled core only) _direct_chunk() of a one-byte chunk in one pass, when the
        scanner's buffer, the builder's content and the shown str of the value string
        all can take it in place (takes_in_place(): the shown str is held by its
        container and the builder only): the chunk is checked, then written into each
        (the held characters first, into the builder's content and the shown str). As
        _direct_chunk(); 0 also when it is not such a case (nothing was done)."""
        cdef Scanner sc = self.scanner
        cdef Builder b = self.builder
        cdef PyObject* tp
        cdef PyObject* bp = <PyObject*>sc.buf
        cdef Py_ssize_t n = (<PyASCIIObject*>bp).length
        cdef Py_ssize_t m = (<PyASCIIObject*>text).length
        cdef Py_ssize_t h = self.held
        cdef Py_ssize_t slen = b.slen
        cdef Py_ssize_t k, e
        cdef const unsigned char* src = <const unsigned char*>PyUnicode_DATA(text)
        cdef int skind = b.skind
        cdef void* out
        cdef unsigned int c
        cdef unsigned int top = 0
        cdef unsigned char cls
        cdef Py_UCS4 close = sc.s_close
        if b.dirty or skind == UCS4_KIND or b.shown is None or n == 0:
            return 0
        tp = <PyObject*>b.shown
        e = 0               # the chunk up to its end that may be structure
        for k in range(m):
            c = src[k]
            cls = BYTE_CLASS[c]
            if cls == BYTE_STOP or c == close:
                return 0
            if cls != BYTE_TAIL:
                e = k + 1
            if c > top:
                top = c
        if ((<PyASCIIObject*>tp).length != slen or PyUnicode_KIND(<object>tp) != skind
                or slen + h + m > b.scap
                or not takes_in_place(tp, 2, slen + h + m, b.shown_room, top)
                or not takes_in_place(bp, 1, n + m, sc.buf_room, top)):
            return 0
        put_bytes(sc.buf_kind, sc.buf_data, n, src, m)
        write_char(sc.buf_kind, sc.buf_data, n + m, 0)
        (<PyASCIIObject*>bp).length = n + m
        (<PyASCIIObject*>bp).hash = -1
        sc.pos = n + m
        if e == 0:
            self.held = h + m
            return 2
        # the builder's content and the shown str: the held characters (spaces, commas,
        # closers), then the chunk up to its end that may be structure
        out = PyUnicode_DATA(<object>tp)
        for k in range(h):
            c = PyUnicode_READ(sc.buf_kind, sc.buf_data, n - h + k)
            write_char(skind, b.sbuf, slen + k, c)
            write_char(skind, out, slen + k, c)
        slen += h
        put_bytes(skind, b.sbuf, slen, src, e)
        put_bytes(skind, out, slen, src, e)
        slen += e
        write_char(skind, out, slen, 0)
        b.slen = slen
        if top > b.smax:
            b.smax = top
        b.grew = True
        (<PyASCIIObject*>tp).length = slen
        (<PyASCIIObject*>tp).hash = -1
        self.emitted = n + e
        self.builder_chars += h + e
        self.held = m - e
        return 1

    cdef int _closing_chunk(self, str text, int kind, void* data, Py_ssize_t q,
                            Py_ssize_t h) except -1:
        """(compiled core only) _plain_chunk() of a chunk that ends a string: plain
        content, the string's closing quote at ``q``, and after it what the scanner waits
        through before it can tell whether the quote closes the string (_wait_state()).
        The scanner would read the content, stop at the quote and wait: the chunk goes to
        its buffer with its position at the quote, the content of a value string to the
        builder (when everything before it is final and taken, as for a plain chunk; a
        key's text reaches the builder when the scanner has passed the key), and the wait
        is noted. 0 when the chunk is not such, else 1 (the value changed) or 2."""
        cdef Scanner sc = self.scanner
        cdef Py_ssize_t n = len(sc.buf)
        cdef Py_ssize_t m = len(text)
        cdef Py_ssize_t k
        cdef Py_UCS4 c
        cdef Py_UCS4 top = 0
        cdef bint key = sc.s_key
        if not key and (not self._builder_in_string(n - h) or (h and not q)):
            return 0
        for k in range(q):
            c = PyUnicode_READ(kind, data, k)
            if 0xD800 <= c <= 0xDFFF:
                return 0
            if c > top:
                top = c
        if q and not key and may_be_structure(PyUnicode_READ(kind, data, q - 1)):
            return 0
        if not self._begin_wait(PyUnicode_READ(kind, data, q), n + q, n + m):
            return 0
        self._wait_scan(text, q + 1, m)
        if self.wait == W_NONE or self.wait == W_COLON or self.wait >= W_QUOTE1:
            # (past the colon the scanner's run would have decided, and passed the key)
            self.wait = W_NONE
            return 0
        sc._append(text)
        sc.pos = n + q
        if not q or key:
            return 2
        self._give(n, h, kind, data, q, top)
        return 1

    cdef int _wait_state(self) except -1:
        """After the scanner stopped at the closing quote of a string,
        waiting for what follows it to tell whether the quote closes it: after a value
        string white space, then a comma, white space and a quoted key up to its colon;
        after a key white space up to its colon. Until a character comes that may decide,
        every chunk would leave the scanner where it is (its look-ahead runs into the end
        of the input again): note where in that wait the input is, so that feed() can add
        such chunks to the buffer without a run. The wait goes on through the key's colon
        and the white space after it: the scanner would pass them, but nothing reaches
        the value before the next value begins (a key is shown with its value), and on
        through the value's first characters while the scanner cannot start the value
        yet (an opening quote that may be triple, a number or word that may go on). So
        does a wait that starts in an object before a key (the scanner stopped there,
        or at the key's opening quote): white space, the quoted key's text, its colon;
        a run over them moves nothing but white space to the builder."""
        cdef Scanner sc = self.scanner
        cdef Py_ssize_t n = len(sc.buf)
        cdef Py_ssize_t p = sc.pos
        self.wait = W_NONE
        if (sc.state == STRING and not sc.final and p < n
                and self._begin_wait(sc._ch(p), p, n)):
            self._wait_scan(sc.buf, p + 1, n)
        elif sc.state == KEY and not sc.final and sc.depth and n - p < LOOKAHEAD:
            self.wait = W_KEY_START
            self.wait_obj = True
            self.wait_limit = p + LOOKAHEAD
            self._wait_scan(sc.buf, p, n)
        return 0

    cdef bint _begin_wait(self, Py_UCS4 c, Py_ssize_t at, Py_ssize_t end) except -1:
        """(compiled core only) With the scanner inside a string: can the quote ``c`` at
        ``at`` start the wait (the buffer ``end`` characters long)? If so the wait is
        noted as starting there (W_SPACE, or W_KEY_END for a key), for _wait_scan() to
        follow."""
        cdef Scanner sc = self.scanner
        if (c != sc.s_close or (c != "'" and c != '"') or sc.s_triple
                or sc.s_escaped or sc.depth == 0 or end - at >= LOOKAHEAD):
            return False
        self.wait = W_KEY_END if sc.s_key else W_SPACE
        self.wait_obj = sc.st_type[sc.depth - 1] == OBJ
        self.wait_limit = at + LOOKAHEAD
        return True

    cdef bint _still_waiting(self, str text) except -1:
        """Does the wait noted by _wait_state() go on through
        ``text``? (Else the wait ends: the scanner runs.)"""
        if len(self.scanner.buf) + len(text) >= self.wait_limit:
            self.wait = W_NONE
            return False
        self._wait_scan(text, 0, len(text))
        return self.wait != W_NONE

    cdef int _wait_scan(self, str s, Py_ssize_t i, Py_ssize_t n) except -1:
        """Follow the wait through ``s[i:n]``; ``wait`` is W_NONE
        after a character that may decide. The scanner's path it mirrors: _string_end()
        skips white space after the quote and, at a comma inside a container, asks
        _comma_ahead(), which skips white space and commas and, inside an object at a
        quote, asks _key_colon_ahead(): the key's text up to its closing quote (a line
        break, a backslash or the other closing quote of `"` may decide), white space,
        then the character that decides; after a key's colon, white space, then the
        value's first characters while the scanner cannot start it yet: one or two
        quotes (a triple quote may follow, _open_string()), or a bare value up to its
        end (_word())."""
        cdef int kind = PyUnicode_KIND(s)
        cdef void* data = PyUnicode_DATA(s)
        cdef int w = self.wait
        while i < n and w != W_NONE:
            w = wait_step(self, w, PyUnicode_READ(kind, data, i))
            i += 1
        self.wait = w
        return 0

    cdef int _wait_bytes(self, str text) except -1:
        """(compiled core only) _still_waiting() of a one-byte chunk and, when the wait
        goes on, the chunk's append to the scanner's buffer: 1 if so, else 0 (the wait
        ended: W_NONE, the chunk not taken)."""
        cdef Scanner sc = self.scanner
        cdef const unsigned char* src = <const unsigned char*>PyUnicode_DATA(text)
        cdef Py_ssize_t n = (<PyASCIIObject*>sc.buf).length
        cdef Py_ssize_t m = (<PyASCIIObject*>text).length
        cdef Py_ssize_t k
        cdef int w = self.wait
        if n + m >= self.wait_limit:
            self.wait = W_NONE
            return 0
        for k in range(m):
            if WAIT_KEEP[src[k]] & (1 << w):
                continue
            w = wait_step(self, w, src[k])
            if w == W_NONE:
                self.wait = W_NONE
                return 0
        self.wait = w
        sc._append(text)        # (in place when it can: Scanner._append_bytes())
        return 1

    def _text_of(self, chunk):
        """The text of a chunk that is not a plain str (bytes are decoded as UTF-8,
        incrementally), or the error feed() raises."""
        if self.closed:
            raise ValueError("feed() after close()")
        if isinstance(chunk, bytes):
            if self.decoder is None:
                self.decoder = _codecs.getincrementaldecoder("utf-8")("strict")
            try:
                return self.decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise RepairError("input is not valid UTF-8", chunk, exc.start) from None
        if not isinstance(chunk, str):
            raise TypeError("feed() takes str or bytes, not %s" % type(chunk).__name__)
        return PyUnicode_FromObject(chunk)     # (compiled core only) a str subclass: its str

    cdef bint _advance(self) except -1:
        """Hand what became final to the builder; whether the value changed."""
        cdef Scanner sc = self.scanner
        cdef Builder b
        cdef Py_ssize_t w
        cdef bint ended = False
        cdef tuple cand
        if self.builder.state == B_DONE:
            return False
        if self._start < 0:
            if sc.candidates:
                self._start = (<tuple>sc.candidates[0])[0]
            elif sc.cand_start >= 0:
                self._start = sc.cand_start
            else:
                return False
            self.emitted = self._start
        cand = <tuple>sc.candidates[0] if sc.candidates else None
        if cand is not None and <Py_ssize_t>cand[0] == self._start:
            edits = cand[2]
            w = cand[1]
            ended = True
        elif sc.cand_start == self._start:
            edits = sc.edits
            w = sc.committed()
        else:
            return False
        if sc.low_water < self.emitted:
            # the scanner re-read text already shown (a restarted member): rebuild
            self.rebuilds += 1
            self.builder = Builder()
            self.emitted = self._start
            self.cursor = 0
        sc.low_water = REPAIR_LOW_WATER_NONE
        if w <= self.emitted:
            return False
        b = self.builder
        b.grew = False
        b.text_grew = False
        self._take(<EditList?>edits, w, ended)
        if ended or w == sc.last_end:
            b.end_scalar()
        # (the content of a string the builder broke in is not shown)
        return b.grew or (b.text_grew and not b.broken)

    cdef int _take(self, EditList el, Py_ssize_t w, bint at_end) except -1:
        """Feed the builder the repaired text of the input ``[emitted, w)``. The scanner
        keeps its edits sorted by position, so the ones there follow the cursor. (compiled
        core only: read from the scanner's edit arrays, no tuple per edit)"""
        cdef Py_ssize_t k = self.cursor
        cdef Py_ssize_t n = el.n
        cdef Py_ssize_t j = k
        cdef Py_ssize_t pos, rlen
        cdef Py_ssize_t prev = -1
        cdef Py_ssize_t cur = self.emitted
        cdef str buf = self.scanner.buf
        cdef bint ordered = True
        cdef bint prev_removes = False
        cdef int x
        cdef str inserted
        cdef int kind = PyUnicode_KIND(buf)
        cdef const void* data = PyUnicode_DATA(buf)
        while j < n:
            pos = el.pos[j]
            if not (pos < w or (at_end and pos == w)):
                break
            rlen = el.rlen[j]
            if rlen and pos + rlen > w:
                w = pos             # a removal reaching past w waits, from its start on
                break
            if j > k and pos == prev and prev_removes and not rlen:
                ordered = False
            prev = pos
            prev_removes = rlen != 0
            j += 1
        while j > k:
            pos = el.pos[j - 1]
            if pos >= w and not (at_end and pos == w):
                j -= 1
            else:
                break
        if ordered:
            while k < j:
                pos = el.pos[k]
                if pos >= cur and pos <= w:     # (else inside text an earlier edit removed)
                    x = el.ins[k]
                    if (x != INS_NONE and x <= INS_CHAR and pos - cur <= GATHER_PIECE
                            and self.gather_len + (pos - cur) < self.gather_cap):
                        # (the usual edit, a character in place of text: _piece() and
                        # _gather_char() written out)
                        self.gather_len = gather_text(self.gather, self.gather_len, kind, data,
                                                      cur, pos)
                        self.gather[self.gather_len] = <Py_UCS4>(INS_CHAR - x)
                        self.gather_len += 1
                        self.builder_chars += pos - cur + 1
                    else:
                        self._piece(buf, cur, pos)
                        if x != INS_NONE and x <= INS_CHAR:
                            self._gather_char(<Py_UCS4>(INS_CHAR - x))
                        elif x != INS_NONE:
                            inserted = el.owner.ins_texts[x]
                            self._piece(inserted, 0, len(inserted))
                    pos += el.rlen[k]
                    cur = pos if pos < w else w
                k += 1
        else:
            for e in order_edits(el[k:j]):
                cur = self._apply(buf, e, cur, w)
        self._piece(buf, cur, w)
        self._flush()
        self.cursor = j
        self.emitted = w
        return 0

    cdef Py_ssize_t _apply(self, str buf, tuple e, Py_ssize_t cur, Py_ssize_t w) except -1:
        """(compiled core only) The twin's loop body in _take: the text up to the edit,
        then its insertion; the position after the text it removes."""
        cdef Py_ssize_t pos = e[1]
        cdef str inserted
        if pos < cur or pos > w:
            return cur                  # inside text an earlier edit removed
        self._piece(buf, cur, pos)
        inserted = e[3]
        self._piece(inserted, 0, len(inserted))
        pos += len(<str>e[2])
        return pos if pos < w else w

    cdef inline int _piece(self, str s, Py_ssize_t i, Py_ssize_t n) except -1:
        """(compiled core only) Hand ``s[i:n]`` to the builder. A short piece is gathered
        with the next ones (as UCS4), and _flush() hands them over in one call: the
        repaired text of a member comes in many short pieces (the text between edits, a
        one-character quote inserted), and a call of the builder per piece costs more
        than copying the characters."""
        if i >= n:
            return 0
        self.builder_chars += n - i
        if n - i > GATHER_PIECE:
            self._flush()
            self.builder._feed(PyUnicode_KIND(s), PyUnicode_DATA(s), i, n)
            return 0
        if self.gather_len + (n - i) > self.gather_cap:
            self._flush()
        self.gather_len = gather_text(self.gather, self.gather_len, PyUnicode_KIND(s),
                                      PyUnicode_DATA(s), i, n)
        return 0

    cdef inline int _gather_char(self, Py_UCS4 c) except -1:
        """(compiled core only) _piece() of one character."""
        if self.gather_len >= self.gather_cap:
            self._flush()
        self.gather[self.gather_len] = c
        self.gather_len += 1
        self.builder_chars += 1
        return 0

    cdef int _flush(self) except -1:
        """(compiled core only) Hand the gathered pieces to the builder."""
        cdef Py_ssize_t n = self.gather_len
        if n:
            self.gather_len = 0
            self.builder._feed(UCS4_KIND, self.gather, 0, n)
        return 0

    @property
    def value(self):
        """The current value: live, extended in place (see StreamRepairer)."""
        cdef Builder b
        if self._result is not None:
            return self._result.value
        b = self.builder
        if b.dirty:
            b._refresh()
        return None if b.root is _nothing else b.root

    @property
    def text(self):
        """The JSON text of ``value`` (built on each read)."""
        if self._result is not None:
            return self._result.text
        v = self.value
        if self.builder.root is _nothing:
            return ""
        return _orjson.dumps(v).decode("utf-8")

    def end_input(self):
        """No more input: the rest of a UTF-8 character cut at the end goes to the scanner
        (or :class:`RepairError`); feed() raises from now on."""
        self.closed = True
        self.direct = False
        if self.decoder is not None:
            try:
                tail = self.decoder.decode(b"", True)
            except UnicodeDecodeError as exc:
                raise RepairError("input is not valid UTF-8", b"", exc.start) from None
            if tail:
                self.scanner.feed(tail)

    def final_value(self):
        """After the scanner's ``finish()``: ``(start, end, value, edits, changed)`` when
        the value built while streaming is that of the payload ``[start, end)`` as one-shot
        repair renders it (every edit of the payload taken, none changed below what was
        taken, the value complete), else ``None``. The rest of the payload is taken
        first. ``edits`` and ``changed`` are what the result reports
        (``applied_edits(order_edits(...))`` of the payload's edits, and ``render()``'s
        flag; the compiled core works them out here, the pure twin while it streams)."""
        cdef Scanner sc = self.scanner
        cdef Builder b
        cdef tuple cand
        cdef Py_ssize_t end
        if self._start < 0 or sc.low_water < self.emitted:
            return None             # (edits changed in text already taken)
        self._advance()
        b = self.builder
        if b.broken or b.state != B_DONE or b.root is _nothing:
            return None
        if not sc.candidates or (<tuple>sc.candidates[0])[0] != self._start:
            return None
        cand = <tuple>sc.candidates[0]
        end = cand[1]
        edits = cand[2]
        if self.emitted != end or (self.cursor < len(edits) and <Py_ssize_t>edits[self.cursor][1] <= end):
            return None
        applied = applied_edits(order_edits(edits), self._start, end)
        _out, changed = render(sc.buf, self._start, end, applied, False)
        return self._start, end, b.root, applied, changed


cdef object stream_feed(object stream, object chunk):
    """(compiled core only) Stream.feed() as a C function of the kind a method takes one
    argument by (METH_O): ``stream`` is a Stream (the descriptor checks it). A stream's
    usual chunk (a few characters of one byte each, during a wait or of the value string
    being streamed) takes its shortest path from here, as Stream._feed() would."""
    cdef Stream s = <Stream>stream
    cdef int k
    if (type(chunk) is str and PyUnicode_KIND(chunk) == PyUnicode_1BYTE_KIND
            and (<PyASCIIObject*>chunk).length and s.max_size < 0 and not s.closed):
        if s.direct:
            k = s._direct_bytes(<str>chunk)
            if k:
                return k == 1
            return s._feed(chunk, True)
        if s.wait != W_NONE and s._wait_bytes(<str>chunk):
            return False
    return s._feed(chunk, False)


cdef bytes STREAM_FEED_DOC = (b"feed($self, chunk, /)\n--\n\n"
                              b"Read the next chunk (str, or UTF-8 bytes); whether ``value`` changed.")
cdef PyMethodDef STREAM_FEED
STREAM_FEED.ml_name = "feed"
STREAM_FEED.ml_meth = <PyCFunction>stream_feed
STREAM_FEED.ml_flags = METH_O
STREAM_FEED.ml_doc = STREAM_FEED_DOC


def feed_method(cls):
    """(compiled core only) Stream.feed() as a method descriptor of ``cls``, a subclass of
    :class:`Stream` (set as its ``feed``). CPython calls a method of a one-argument C
    function straight from its interpreter loop when the instance's type is exactly the
    descriptor's class; a Cython method goes the general way of calling an object, which
    costs a stream read in chunks of a few characters several percent of its time."""
    if not (isinstance(cls, type) and issubclass(cls, Stream)):
        raise TypeError("feed_method() takes a subclass of Stream, not %r" % (cls,))
    return new_method_descriptor(<PyTypeObject*>cls, &STREAM_FEED)
