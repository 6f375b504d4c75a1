/* serve: who may talk to the server. The listening socket, the client a
 * request comes from and its rate, the CSRF tokens of the forms, and the
 * admin's bearer token. */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --------------------------------------------------------------- clients */

/* The client a request comes from: its address, or behind a proxy on this
 * machine, the address the proxy appended to X-Forwarded-For. */
void sv_client_of(struct MHD_Connection *c, char *out, size_t cap) {
    snprintf(out, cap, "unknown");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    bool loopback = false;
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET) {
            const struct sockaddr_in *in = (const void *)sa;
            inet_ntop(AF_INET, &in->sin_addr, out, (socklen_t)cap);
            loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
        } else if (sa->sa_family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const void *)sa;
            inet_ntop(AF_INET6, &in6->sin6_addr, out, (socklen_t)cap);
            loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
        }
    }
    const char *xff =
        loopback ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For") : NULL;
    if (!xff)
        return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ' || *last == '\t')
        last++;
    char addr[48];
    size_t n = strcspn(last, " \t");
    if (n == 0 || n >= sizeof addr)
        return;
    memcpy(addr, last, n);
    addr[n] = '\0';
    unsigned char bin[16];
    if (inet_pton(AF_INET, addr, bin) == 1 || inet_pton(AF_INET6, addr, bin) == 1)
        snprintf(out, cap, "%s", addr);
}

static unsigned long hash_str(const char *s) {
    unsigned long h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

/* A token bucket per client: `rate` requests a minute, as a burst too.
 * The table forgets clients whose bucket is full again when it fills up. */
bool sv_allow(sv_server *s, const char *client) {
    double t = now_s(), per_s = s->rate / 60.0;
    if (s->n_clients > CLIENT_SLOTS * 3 / 4) {
        size_t kept = 0;
        for (size_t i = 0; i < CLIENT_SLOTS; i++) {
            sv_client_slot *x = &s->clients[i];
            if (!x->key[0])
                continue;
            if (x->tokens + (t - x->last) * per_s >= s->rate)
                x->key[0] = '\0';
            else
                kept++;
        }
        if (kept > CLIENT_SLOTS / 2) /* a flood of addresses: start afresh */
            memset(s->clients, 0, CLIENT_SLOTS * sizeof *s->clients);
        /* rehash what is left */
        sv_client_slot *old = s->clients;
        s->clients = rt_xcalloc(CLIENT_SLOTS, sizeof *s->clients);
        s->n_clients = 0;
        for (size_t i = 0; i < CLIENT_SLOTS; i++)
            if (old[i].key[0]) {
                size_t k = hash_str(old[i].key) % CLIENT_SLOTS;
                while (s->clients[k].key[0])
                    k = (k + 1) % CLIENT_SLOTS;
                s->clients[k] = old[i];
                s->n_clients++;
            }
        free(old);
    }
    size_t k = hash_str(client) % CLIENT_SLOTS;
    while (s->clients[k].key[0] && strcmp(s->clients[k].key, client) != 0)
        k = (k + 1) % CLIENT_SLOTS;
    sv_client_slot *x = &s->clients[k];
    if (!x->key[0]) {
        snprintf(x->key, sizeof x->key, "%s", client);
        x->tokens = s->rate;
        x->last = t;
        s->n_clients++;
    }
    x->tokens += (t - x->last) * per_s;
    if (x->tokens > s->rate)
        x->tokens = s->rate;
    x->last = t;
    if (x->tokens < 1)
        return false;
    x->tokens -= 1;
    return true;
}

/* ----------------------------------------------------------------- CSRF
 * A form carries "<time>-<HMAC(secret, purpose, cookie, time)>": the
 * cookie binds it to the browser that fetched the form (SameSite=Strict
 * keeps other sites from sending it); the admin's is bound to its bearer
 * token instead. */

void sv_hex(char *out, const uint8_t *in, size_t n) {
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", in[i]);
}

void sv_csrf_make(const sv_server *s, const char *purpose, const char *bind, long long t,
                  char out[96]) {
    struct hmac_sha256_ctx h;
    hmac_sha256_set_key(&h, sizeof s->secret, s->secret);
    char msg[256];
    int n = snprintf(msg, sizeof msg, "%s\n%s\n%lld", purpose, bind, t);
    hmac_sha256_update(&h, (size_t)n, (const uint8_t *)msg);
    uint8_t mac[SHA256_DIGEST_SIZE];
    hmac_sha256_digest(&h, sizeof mac, mac);
    int k = snprintf(out, 96, "%lld-", t);
    sv_hex(out + k, mac, sizeof mac);
}

bool sv_csrf_ok(const sv_server *s, const char *purpose, const char *bind, const char *token) {
    if (!token || !bind || !*bind)
        return false;
    char *end;
    long long t = strtoll(token, &end, 10);
    long long now = (long long)time(NULL);
    if (end == token || *end != '-' || t > now + 60 || now - t > CSRF_LIFETIME)
        return false;
    char want[96];
    sv_csrf_make(s, purpose, bind, t, want);
    return strlen(token) == strlen(want) && memeql_sec(token, want, strlen(want));
}

/* The browser's cookie (32 sv_hex digits), or NULL. */
const char *sv_form_cookie(struct MHD_Connection *c) {
    const char *v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "rotative_form");
    if (!v || strlen(v) != 32 || strspn(v, "0123456789abcdef") != 32)
        return NULL;
    return v;
}

/* Requests from a browser say where they come from: another site's page
 * posting here is refused whatever it sends. */
bool sv_same_origin(struct MHD_Connection *c) {
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
        return false;
    if (!origin)
        return true;
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    const char *p = strstr(origin, "://");
    return host && p && strcasecmp(p + 3, host) == 0;
}

bool sv_admin_ok(const sv_server *s, struct MHD_Connection *c) {
    if (!s->admin_token)
        return false;
    const char *a = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!a || strncasecmp(a, "Bearer ", 7) != 0)
        return false;
    a += 7;
    while (*a == ' ')
        a++;
    size_t n = strlen(s->admin_token);
    return strlen(a) == n && memeql_sec(a, s->admin_token, n);
}

int sv_listen_socket(const char *spec, FILE *log, char *shown, size_t cap) {
    char host[256];
    const char *port;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof host)
            goto bad;
        memcpy(host, spec + 1, (size_t)(close - spec - 1));
        host[close - spec - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (!colon || (size_t)(colon - spec) >= sizeof host)
            goto bad;
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
        port = colon + 1;
    }
    if (strcmp(host, "localhost") == 0 || !*host)
        snprintf(host, sizeof host, "127.0.0.1");
    char *end;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535)
        goto bad;
    struct addrinfo hints = {0}, *ai;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &ai) != 0)
        goto bad;
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    }
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 64) != 0) {
        fprintf(log, "rotative: cannot listen on %s: %s\n", spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -2;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    int real = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                        : ntohs(((struct sockaddr_in *)&ss)->sin_port);
    snprintf(shown, cap, strchr(host, ':') ? "http://[%s]:%d/" : "http://%s:%d/", host, real);
    return fd;
bad:
    fprintf(log, "rotative: --listen takes ADDRESS:PORT (127.0.0.1:8080, [::1]:8080), not '%s'\n",
            spec);
    return -1;
}

/* The admin's token: one line of at least 16 characters. */
char *sv_read_token(const char *path, FILE *log) {
    size_t n;
    char *t = rt_read_file(path, 4096, &n);
    if (!t) {
        fprintf(log, "rotative: %s: cannot read the admin token: %s\n", path, strerror(errno));
        return NULL;
    }
    while (n && strchr(" \t\r\n", t[n - 1]))
        t[--n] = '\0';
    size_t start = strspn(t, " \t");
    memmove(t, t + start, n - start + 1);
    n -= start;
    bool printable = true;
    for (size_t i = 0; i < n; i++)
        printable &= t[i] > ' ' && t[i] < 0x7F;
    if (n < 16 || !printable) {
        fprintf(log,
                "rotative: %s: the admin token must be one line of at least 16 printable "
                "characters, no spaces\n",
                path);
        free(t);
        return NULL;
    }
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077))
        fprintf(log, "rotative: warning: %s can be read by other users (chmod 600 it)\n", path);
    return t;
}
