#ifndef SIPTERM_CCARES_SHIM_H
#define SIPTERM_CCARES_SHIM_H

#include <ares.h>
#include <poll.h>
#include <stddef.h>

/* Runs a channel's queries to completion on the calling thread: poll(2) on the channel's
   sockets (no fd_set, so any descriptor number works) until c-ares has nothing pending.
   Each query's callback has run when this returns. */
static inline void ccares_run(ares_channel channel) {
    for (;;) {
        ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
        int bits = ares_getsock(channel, sockets, ARES_GETSOCK_MAXNUM);
        struct pollfd fds[ARES_GETSOCK_MAXNUM];
        nfds_t count = 0;
        for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
            short events = 0;
            if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
            if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
            if (events == 0) continue;
            fds[count].fd = sockets[i];
            fds[count].events = events;
            fds[count].revents = 0;
            count++;
        }
        if (count == 0) return;
        struct timeval limit, *wait = ares_timeout(channel, NULL, &limit);
        int timeout = wait ? (int)(wait->tv_sec * 1000 + wait->tv_usec / 1000) : 1000;
        int ready = poll(fds, count, timeout);
        if (ready <= 0) {
            ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD); /* timeouts */
            continue;
        }
        for (nfds_t i = 0; i < count; i++) {
            if (fds[i].revents == 0) continue;
            ares_socket_t readable = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) ? fds[i].fd : ARES_SOCKET_BAD;
            ares_socket_t writable = (fds[i].revents & POLLOUT) ? fds[i].fd : ARES_SOCKET_BAD;
            ares_process_fd(channel, readable, writable);
        }
    }
}

#endif
