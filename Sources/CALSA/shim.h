#ifndef SIPTERM_CALSA_SHIM_H
#define SIPTERM_CALSA_SHIM_H

#include <alsa/asoundlib.h>

/* ALSA's default error handler prints to stderr, which would scribble over the ncurses screen;
   sipterm reports the error code it gets back instead. Swift cannot write a C variadic function. */
static inline void calsa_quiet_handler(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file;
    (void)line;
    (void)function;
    (void)err;
    (void)fmt;
}

static inline void calsa_silence_errors(void) { snd_lib_error_set_handler(calsa_quiet_handler); }

#endif
