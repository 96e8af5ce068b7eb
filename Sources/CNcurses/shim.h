#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H

/* Wide-character curses: these must precede every system header. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <sys/ioctl.h>
#include <unistd.h>
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

/* Globals and macros Swift cannot see (or, under Swift 6, cannot touch safely). */
static inline WINDOW *shim_stdscr(void) { return stdscr; }
static inline int shim_colors(void) { return COLORS; }
static inline int shim_color_pairs(void) { return COLOR_PAIRS; }
static inline void shim_getmaxyx(WINDOW *w, int *y, int *x) {
    int yy, xx;
    getmaxyx(w, yy, xx);
    *y = yy;
    *x = xx;
}
static inline int shim_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int shim_key_resize(void) { return KEY_RESIZE; }
static inline int shim_key_f(int n) { return KEY_F(n); }

static inline attr_t shim_a_normal(void) { return A_NORMAL; }
static inline attr_t shim_a_bold(void) { return A_BOLD; }
static inline attr_t shim_a_dim(void) { return A_DIM; }
static inline attr_t shim_a_italic(void) {
#ifdef A_ITALIC
    return A_ITALIC;
#else
    return A_NORMAL;
#endif
}
static inline attr_t shim_a_underline(void) { return A_UNDERLINE; }
static inline attr_t shim_a_reverse(void) { return A_REVERSE; }

/* wget_wch with a plain int result: returns OK (a character), KEY_CODE_YES (a key code) or ERR (none). */
static inline int shim_wget_wch(WINDOW *w, int *out) {
    wint_t ch = 0;
    int rc = wget_wch(w, &ch);
    *out = (int)ch;
    return rc;
}

/* Writes a NUL-terminated wide string at (y, x) with attributes and an (extended) colour pair. */
static inline int shim_mvwaddwstr_styled(WINDOW *w, int y, int x, const wchar_t *s, attr_t attrs, int pair) {
    int p = pair;
    wattr_set(w, attrs, (short)(pair > 32767 ? 0 : pair), &p);
    int rc = mvwaddwstr(w, y, x, s);
    wattr_set(w, A_NORMAL, 0, NULL);
    return rc;
}

/* Restores the terminal once; safe to call before initscr and more than once. */
static inline void shim_restore_terminal(void) {
    if (!isendwin()) endwin();
}

/* Terminating signals: restore the terminal, then re-raise with the default action (the handler is
   installed with SA_RESETHAND, so the kernel has already put SIG_DFL back). */
static inline void shim_signal_handler(int sig) {
    shim_restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void shim_atexit_handler(void) { shim_restore_terminal(); }

/* Installs the restore handlers for SIGINT, SIGTERM, SIGSEGV, SIGABRT and atexit. A signal that was
   ignored stays ignored. */
static inline void shim_install_restore_handlers(void) {
    static int installed = 0;
    if (installed) return;
    installed = 1;
    int signals[] = {SIGINT, SIGTERM, SIGSEGV, SIGABRT};
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        int sig = signals[i];
        struct sigaction previous;
        if (sigaction(sig, NULL, &previous) != 0) continue;
        if (previous.sa_handler == SIG_IGN) continue;
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = shim_signal_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND | SA_NODEFER;
        sigaction(sig, &action, NULL);
    }
    atexit(shim_atexit_handler);
}

/* Terminal size changes: the SIGWINCH handler only writes a byte to a pipe (async-signal-safe); the
   UI thread then asks the kernel for the new size and tells curses. */
static int shim_winch_fd = -1;
static inline void shim_winch_handler(int sig) {
    (void)sig;
    if (shim_winch_fd >= 0) {
        char c = 'w';
        ssize_t ignored = write(shim_winch_fd, &c, 1);
        (void)ignored;
    }
}
static inline void shim_install_winch_pipe(int fd) {
    shim_winch_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = shim_winch_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGWINCH, &action, NULL);
}
/* The terminal's size from the kernel: 0 and rows/cols, or -1. */
static inline int shim_terminal_size(int *rows, int *cols) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) return -1;
    *rows = size.ws_row;
    *cols = size.ws_col;
    return 0;
}

#endif
