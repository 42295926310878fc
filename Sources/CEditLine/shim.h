// libedit for aq's REPL, with non-variadic wrappers (Swift cannot call C variadic
// functions such as el_set and history), and the few terminal calls the shell needs.
#ifndef AQ_CEDITLINE_SHIM_H
#define AQ_CEDITLINE_SHIM_H

#include <stdio.h>
#include <histedit.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <pty.h>

typedef unsigned char (*aq_el_function_t)(EditLine *, int);
typedef char *(*aq_el_prompt_t)(EditLine *);

static inline int aq_el_set_prompt(EditLine *el, aq_el_prompt_t f) { return el_set(el, EL_PROMPT, f); }
static inline int aq_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int aq_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int aq_el_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline int aq_el_set_client_data(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *aq_el_client_data(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
static inline int aq_el_add_function(EditLine *el, const char *name, const char *help, aq_el_function_t f) {
    return el_set(el, EL_ADDFN, name, help, f);
}
static inline int aq_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}
/// `setty -d FLAG`: changes a terminal flag of the editing mode (e.g. "-isig").
static inline int aq_el_setty_edit(EditLine *el, const char *flag) {
    return el_set(el, EL_SETTY, "-d", flag, (const char *)NULL);
}
/// `setty -x FLAG`: changes a terminal flag of the mode used while a command runs.
static inline int aq_el_setty_exec(EditLine *el, const char *flag) {
    return el_set(el, EL_SETTY, "-x", flag, (const char *)NULL);
}

static inline int aq_history_set_size(History *h, int n) { HistEvent ev; return history(h, &ev, H_SETSIZE, n); }
static inline int aq_history_set_unique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
static inline int aq_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int aq_history_load(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_LOAD, path); }
static inline int aq_history_save(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_SAVE, path); }

/// Columns of the terminal on `fd`, or 0 when it is not a terminal.
static inline int aq_terminal_width(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 0;
}

/// Opens a pseudo-terminal pair (for tests that drive the shell): the master's descriptor,
/// or -1; the slave's path is written to `name` (`size` bytes) and its descriptor closed.
static inline int aq_open_pseudo_terminal(char *name, size_t size) {
    int master = -1, slave = -1;
    if (openpty(&master, &slave, NULL, NULL, NULL) != 0) return -1;
    if (ttyname_r(slave, name, size) != 0) { close(master); close(slave); return -1; }
    close(slave);
    return master;
}

/// Sets the size a terminal reports (used on a pseudo-terminal's master side).
static inline int aq_terminal_set_size(int fd, unsigned short rows, unsigned short columns) {
    struct winsize size = { .ws_row = rows, .ws_col = columns, .ws_xpixel = 0, .ws_ypixel = 0 };
    return ioctl(fd, TIOCSWINSZ, &size);
}

#endif
