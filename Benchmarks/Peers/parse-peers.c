/*
 * The parser race's peers: sofia-sip and libosip2 parse the same messages as sipterm's
 * ParseRace and read the same fields (From user and tag, To host, top Via branch and host,
 * CSeq, Call-ID, Contact host), round robin on one thread for a fixed time.
 *
 *   parse-peers sofia|sofia-checked|osip SECONDS FILE...   prints "<name> <msgs/s> msgs/s"
 *   parse-peers show sofia|osip FILE...                     prints the fields read, one line each
 *
 * "sofia-checked" adds sofia-sip's own sanity check (sip_sanity_check) to every message, the
 * counterpart of sipterm's full validation. Built by scripts/bench (gcc -O2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_parser.h>
#include <sofia-sip/sip_util.h>

#include <osipparser2/osip_parser.h>

struct sample {
    char *bytes;
    size_t length;
};

/* What was read from one message; the race sums its lengths so nothing can be skipped. */
struct fields {
    const char *from_user, *from_tag, *to_host, *via_branch, *via_host, *call_id, *contact_host;
    unsigned long cseq;
};

static size_t weight(const char *text) { return text ? strlen(text) : 0; }

static size_t sum(const struct fields *f) {
    return weight(f->from_user) + weight(f->from_tag) + weight(f->to_host) + weight(f->via_branch) +
           weight(f->via_host) + weight(f->call_id) + weight(f->contact_host) + f->cseq;
}

static void print(const struct fields *f) {
    printf("from.user=%s from.tag=%s to.host=%s via.branch=%s via.host=%s cseq=%lu call-id=%s contact.host=%s\n",
           f->from_user ? f->from_user : "-", f->from_tag ? f->from_tag : "-", f->to_host ? f->to_host : "-",
           f->via_branch ? f->via_branch : "-", f->via_host ? f->via_host : "-", f->cseq,
           f->call_id ? f->call_id : "-", f->contact_host ? f->contact_host : "-");
}

/* sofia-sip: msg_make parses the message and decodes every header it knows. */
static int sofia(const struct sample *s, int checked, struct fields *out, int show) {
    msg_t *msg = msg_make(sip_default_mclass(), 0, s->bytes, (ssize_t)s->length);
    if (!msg) return -1;
    sip_t *sip = sip_object(msg);
    int ok = sip && sip->sip_from && sip->sip_to && sip->sip_via && sip->sip_cseq && sip->sip_call_id;
    if (ok && checked && sip_sanity_check(sip) < 0) ok = 0;
    if (ok) {
        struct fields f = {
            .from_user = sip->sip_from->a_url->url_user,
            .from_tag = sip->sip_from->a_tag,
            .to_host = sip->sip_to->a_url->url_host,
            .via_branch = sip->sip_via->v_branch,
            .via_host = sip->sip_via->v_host,
            .call_id = sip->sip_call_id->i_id,
            .contact_host = sip->sip_contact ? sip->sip_contact->m_url->url_host : NULL,
            .cseq = sip->sip_cseq->cs_seq,
        };
        if (show) print(&f);
        out->cseq = sum(&f); /* the strings die with the message: keep only their weight */
    }
    msg_destroy(msg);
    return ok ? 0 : -1;
}

/* libosip2: osip_message_parse decodes the headers it knows into structures. */
static int osip(const struct sample *s, struct fields *out, int show) {
    osip_message_t *sip = NULL;
    if (osip_message_init(&sip) != 0) return -1;
    int ok = osip_message_parse(sip, s->bytes, s->length) == 0;
    osip_via_t *via = NULL;
    osip_contact_t *contact = NULL;
    osip_generic_param_t *branch = NULL;
    osip_generic_param_t *tag = NULL;
    ok = ok && sip->from && sip->to && sip->cseq && sip->call_id && osip_message_get_via(sip, 0, &via) >= 0 && via;
    if (ok) {
        osip_via_param_get_byname(via, "branch", &branch);
        osip_from_get_tag(sip->from, &tag);
        osip_message_get_contact(sip, 0, &contact);
        struct fields f = {
            .from_user = sip->from->url ? sip->from->url->username : NULL,
            .from_tag = tag ? tag->gvalue : NULL,
            .to_host = sip->to->url ? sip->to->url->host : NULL,
            .via_branch = branch ? branch->gvalue : NULL,
            .via_host = via->host,
            .call_id = sip->call_id->number,
            .contact_host = contact && contact->url ? contact->url->host : NULL,
            .cseq = strtoul(sip->cseq->number, NULL, 10),
        };
        if (show) print(&f);
        out->cseq = sum(&f);
    }
    osip_message_free(sip);
    return ok ? 0 : -1;
}

static int one(const char *peer, const struct sample *s, struct fields *f, int show) {
    if (strcmp(peer, "sofia") == 0) return sofia(s, 0, f, show);
    if (strcmp(peer, "sofia-checked") == 0) return sofia(s, 1, f, show);
    if (strcmp(peer, "osip") == 0) return osip(s, f, show);
    fprintf(stderr, "parse-peers: unknown peer %s (sofia, sofia-checked or osip)\n", peer);
    exit(2);
}

static struct sample load(const char *path) {
    struct sample s = {0};
    FILE *file = fopen(path, "rb");
    if (!file) {
        perror(path);
        exit(2);
    }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    s.bytes = malloc((size_t)size + 1);
    if (!s.bytes || fread(s.bytes, 1, (size_t)size, file) != (size_t)size) {
        fprintf(stderr, "parse-peers: cannot read %s\n", path);
        exit(2);
    }
    s.bytes[size] = 0;
    s.length = (size_t)size;
    fclose(file);
    return s;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: parse-peers sofia|sofia-checked|osip SECONDS FILE... | show PEER FILE...\n");
        return 2;
    }
    parser_init(); /* libosip2's tables */
    int show = strcmp(argv[1], "show") == 0;
    const char *peer = argv[2 - !show];
    int first = 3;
    int count = argc - first;
    struct sample *samples = calloc((size_t)count, sizeof *samples);
    for (int i = 0; i < count; i++) samples[i] = load(argv[first + i]);
    struct fields f;
    for (int i = 0; i < count; i++) {
        if (one(peer, &samples[i], &f, show) != 0) {
            fprintf(stderr, "parse-peers: %s cannot read %s\n", peer, argv[first + i]);
            return 1;
        }
    }
    if (show) return 0;

    double seconds = atof(argv[2]);
    /* warm up for a tenth of the time, then count whole rounds until the time is up */
    size_t checksum = 0;
    double warm = now() + seconds / 10;
    while (now() < warm)
        for (int i = 0; i < count; i++) checksum += (one(peer, &samples[i], &f, 0), f.cseq);
    unsigned long messages = 0;
    double start = now(), end = start + seconds, t = start;
    while (t < end) {
        for (int round = 0; round < 64; round++)
            for (int i = 0; i < count; i++) checksum += (one(peer, &samples[i], &f, 0), f.cseq);
        messages += 64UL * (unsigned long)count;
        t = now();
    }
    printf("%s %.0f msgs/s (checksum %zu)\n", peer, (double)messages / (t - start), checksum);
    return 0;
}
