/* libFuzzer harness: the web form's decoding (rt_form_*, libmicrohttpd's
 * post processor) and the escaping of what it decodes (src/serve/form.c).
 *
 * An input is a Content-Type value (its first line) and a request body (the
 * rest). It is sent as a POST through a real libmicrohttpd daemon in this
 * process (no listening socket: one end of a socket pair is handed to
 * MHD_add_connection, the harness writes the request on the other and
 * reads the answer), whose handler decodes it with the limits the server
 * uses. Keep-alive connections are reused across inputs.
 *
 * Beyond crashes, leaks and undefined behaviour, the contract of serve.h is
 * checked for every decoded form: only the listed names, each once, values
 * within their limits and NUL-terminated, files only where listed; HTML and
 * JSON escaping give valid UTF-8 with no raw markup character; and every
 * value written as a YAML string into a message file and read back by the
 * message loader either comes back byte for byte or is refused for what it
 * holds (never a YAML syntax error, an unknown key or a duplicate key: no
 * value can change the file's structure). */
#include "fuzz_common.h"

#include "../../src/load/load.h"
#include "../../src/serve/serve.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

static const char *const names[] = {"csrf", "from", "text", "format", "contact", "logo", NULL};
static const char *const files[] = {"logo", NULL};
static const rt_form_limits limits = {names, files, 4096, 8192};

static struct MHD_Daemon *g_daemon;
static int g_client = -1; /* our end of the current connection */
static char *g_dir, *g_msg;
static FILE *g_null;
static bool g_verbose; /* $FUZZ_FORM_VERBOSE: what each input reaches */

static void teardown(void) {
    if (g_client >= 0)
        close(g_client);
    if (g_daemon)
        MHD_stop_daemon(g_daemon);
    fz_rmtree(g_dir);
    free(g_dir);
    free(g_msg);
    if (g_null)
        fclose(g_null);
    g_daemon = NULL;
    g_dir = g_msg = NULL;
    g_null = NULL;
    g_client = -1;
}

static bool valid_utf8(const rt_buf *b) {
    size_t bad;
    return rt_utf8_valid(b->data ? b->data : "", b->len, &bad);
}

/* A value written as YAML and read back by the message loader. */
static void round_trip(const char *v, size_t n) {
    rt_buf y = {0};
    rt_buf_adds(&y, "from: ");
    rt_yaml_string(&y, v, n, 2);
    rt_buf_adds(&y, "\ntext: ");
    rt_yaml_string(&y, v, n, 2);
    rt_buf_adds(&y, "\nformat: \"1/16\"\ncontact: ");
    rt_yaml_string(&y, v, n, 2);
    rt_buf_adds(&y, "\npayment:\n  amount: 30\n  reference: \"R\"\n  status: paid\n");
    fz_write(g_msg, y.data, y.len);
    rt_buf_free(&y);
    rt_diag d;
    rt_diag_init(&d, g_null);
    d.keep = true;
    rt_message m;
    bool ok = rt_message_load(g_msg, g_dir, NULL, &m, &d);
    size_t bad;
    /* invalid UTF-8 is written as U+FFFD (and refused by the server before) */
    if (ok && rt_utf8_valid(v, n, &bad)) {
        if (strlen(m.from) != n || memcmp(m.from, v, n) != 0 || strcmp(m.text, m.from) != 0 ||
            strcmp(m.contact, m.from) != 0)
            abort(); /* the value did not come back as it was */
    }
    if (ok)
        rt_message_clear(&m);
    for (size_t i = 0; i < d.n_items; i++) {
        const char *msg = d.items[i].message;
        if (strstr(msg, "YAML syntax") || strstr(msg, "unknown key") ||
            strstr(msg, "duplicate key") || strstr(msg, "missing required key"))
            abort(); /* the escaping let a value change the file's structure */
    }
    rt_diag_clear(&d);
}

static void check_form(const rt_form *f) {
    size_t n = rt_form_count(f);
    if (n > 16)
        abort();
    for (const char *const *nm = names; *nm; nm++) {
        const rt_form_field *x = rt_form_get(f, *nm);
        if (!x)
            continue;
        if (strcmp(x->name, *nm) != 0 || x->value[x->len] != '\0' || x->size < x->len)
            abort();
        if (x->file ? (strcmp(*nm, "logo") != 0 || x->len > limits.max_file || x->size != x->len)
                    : x->len > limits.max_value)
            abort();
        rt_buf h = {0}, j = {0};
        rt_html_escape(&h, x->value, x->len);
        rt_json_string(&j, x->value, x->len);
        if (!valid_utf8(&h) || !valid_utf8(&j))
            abort();
        for (size_t i = 0; i < h.len; i++)
            if (strchr("<>\"'", h.data[i]) || (unsigned char)h.data[i] < 0x09)
                abort();
        for (size_t i = 0; i < j.len; i++)
            if (strchr("<>&", j.data[i]) || (unsigned char)j.data[i] < 0x20)
                abort();
        rt_buf_free(&h);
        rt_buf_free(&j);
        if (!x->file) {
            char *copy = rt_xstrndup(x->value, x->len);
            size_t len = x->len;
            if (memchr(x->value, '\0', x->len))
                len = strlen(copy);
            len = rt_text_newlines(copy, len);
            if (memchr(copy, '\r', len))
                abort();
            if (len <= 2100) /* a message's longest text, and some */
                round_trip(copy, len);
            free(copy);
        }
    }
}

typedef struct {
    rt_form *form;
    rt_form_status st;
} req;

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls) {
    (void)cls, (void)url, (void)method, (void)version;
    req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            fz_die("out of memory", NULL);
        *con_cls = r;
        r->form = rt_form_new(c, &limits, &r->st);
        if (!r->form && r->st != RT_FORM_BAD_TYPE)
            abort(); /* NULL only for a type that is not a form */
        return MHD_YES;
    }
    if (*upload_size) {
        if (r->form && r->st == RT_FORM_OK)
            r->st = rt_form_feed(r->form, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    unsigned status = 415;
    if (r->form) {
        if (r->st == RT_FORM_OK)
            r->st = rt_form_end(r->form);
        if (r->st == RT_FORM_OK)
            check_form(r->form);
        status = r->st == RT_FORM_OK ? 200 : r->st == RT_FORM_TOO_LARGE ? 413 : 400;
    }
    if (g_verbose)
        fprintf(stderr, "fuzz_form: %u, %zu fields%s%s\n", status,
                r->form ? rt_form_count(r->form) : 0, r->form ? " " : "",
                r->form ? rt_form_problem(r->form) : "");
    static char body[] = "ok";
    struct MHD_Response *resp = MHD_create_response_from_buffer(2, body, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result res = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return res;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode why) {
    (void)cls, (void)c, (void)why;
    req *r = *con_cls;
    if (r) {
        rt_form_free(r->form);
        free(r);
    }
    *con_cls = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (g_daemon)
        return 0;
    signal(SIGPIPE, SIG_IGN);
    g_null = fz_devnull();
    g_verbose = getenv("FUZZ_FORM_VERBOSE") != NULL;
    g_dir = fz_tmpdir();
    g_msg = fz_join(g_dir, "msg.yaml");
    g_daemon = MHD_start_daemon(
        MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, handler, NULL, MHD_OPTION_NOTIFY_COMPLETED,
        completed, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 << 10), MHD_OPTION_END);
    if (!g_daemon)
        fz_die("cannot start the libmicrohttpd daemon", NULL);
    atexit(teardown);
    return 0;
}

static void connect_client(void) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        fz_die("socketpair", NULL);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (MHD_add_connection(g_daemon, sv[1], (struct sockaddr *)&a, sizeof a) != MHD_YES)
        fz_die("MHD_add_connection", NULL);
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    g_client = sv[0];
}

/* Sends one request and reads its answer; the connection is dropped if the
 * daemon closes it or the answer does not come. */
static void exchange(const char *req, size_t n) {
    if (g_client < 0)
        connect_client();
    size_t sent = 0;
    char buf[4096];
    rt_buf in = {0};
    bool done = false, closed = false;
    int round;
    for (round = 0; round < 200000 && !done && !closed; round++) {
        if (sent < n) {
            ssize_t w = send(g_client, req + sent, n - sent, MSG_NOSIGNAL);
            if (w > 0)
                sent += (size_t)w;
            else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                closed = true;
        }
        MHD_run(g_daemon);
        ssize_t r;
        while ((r = recv(g_client, buf, sizeof buf, 0)) > 0)
            rt_buf_add(&in, buf, (size_t)r);
        if (r == 0)
            closed = true;
        /* one response: headers, then Content-Length bytes */
        const char *end = in.data ? strstr(in.data, "\r\n\r\n") : NULL;
        if (end) {
            const char *cl = strcasestr(in.data, "\r\nContent-Length: ");
            size_t want = cl && cl < end ? strtoul(cl + 18, NULL, 10) : 0;
            done = in.len >= (size_t)(end + 4 - in.data) + want;
        }
        if (!done && !closed && sent == n && round > 1000) {
            struct pollfd p = {g_client, POLLIN, 0};
            poll(&p, 1, 1);
        }
    }
    if (g_verbose)
        fprintf(stderr, "fuzz_form: %s after %zu bytes sent of %zu, %zu received, %d rounds\n",
                done     ? "answered"
                : closed ? "closed"
                         : "no answer",
                sent, n, in.len, round);
    if (!done || closed || (in.data && strcasestr(in.data, "\r\nConnection: close"))) {
        close(g_client);
        g_client = -1;
        for (int i = 0; i < 4; i++)
            MHD_run(g_daemon); /* lets the daemon see the close */
    }
    rt_buf_free(&in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    LLVMFuzzerInitialize(NULL, NULL);
    const char *d = (const char *)data;
    const char *nl = memchr(d, '\n', size);
    size_t tl = nl ? (size_t)(nl - d) : size;
    /* the type on one header line: no CR, LF or NUL */
    char type[512];
    size_t k = 0;
    for (size_t i = 0; i < tl && k < sizeof type - 1; i++)
        if (d[i] != '\r' && d[i] != '\0')
            type[k++] = d[i];
    type[k] = '\0';
    const char *body = nl ? nl + 1 : d + size;
    size_t blen = (size_t)(d + size - body);
    rt_buf req = {0};
    rt_buf_addf(&req,
                "POST / HTTP/1.1\r\nHost: fuzz\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                k ? type : "multipart/form-data; boundary=b", blen);
    rt_buf_add(&req, body, blen);
    exchange(req.data, req.len);
    rt_buf_free(&req);
    return 0;
}
