/* curl_loop: see curl_loop.h. */
#include "curl_loop.h"

#include "log.h"
#include "regular_file.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>


struct curl_xfer {
	struct curl_loop *h;
	CURL *easy;
	struct curl_slist *headers; /* HTTP headers, or a mail's recipients */
	const char *upload;         /* a mail's message, read out by s_read_cb */
	size_t upload_len, upload_pos;
	curl_done_fn done;
	void *ud;
	struct curl_result res;
	size_t body_len;
	struct curl_xfer *next;
};

struct curl_loop {
	struct daemon *d;
	CURLM *multi;
	int epfd;
	struct daemon_timer *timer;
	struct curl_xfer *xfers;
	size_t active;
};

static int s_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	(void)easy;
	(void)socketp;
	struct curl_loop *h = userp;
	if (what == CURL_POLL_REMOVE) {
		epoll_ctl(h->epfd, EPOLL_CTL_DEL, s, NULL);
		return 0;
	}
	struct epoll_event ev = { .data.fd = s };
	if (what & CURL_POLL_IN)
		ev.events |= EPOLLIN;
	if (what & CURL_POLL_OUT)
		ev.events |= EPOLLOUT;
	if (epoll_ctl(h->epfd, EPOLL_CTL_MOD, s, &ev) < 0 && errno == ENOENT &&
	    epoll_ctl(h->epfd, EPOLL_CTL_ADD, s, &ev) < 0)
		log_error("epoll_ctl on a curl socket: %s", strerror(errno));
	return 0;
}

static int s_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	(void)multi;
	struct curl_loop *h = userp;
	if (timeout_ms < 0)
		daemon_timer_cancel(h->timer);
	else
		daemon_timer_reset(h->timer, timeout_ms, 0);
	return 0;
}

static void s_unlink(struct curl_loop *h, struct curl_xfer *x)
{
	for (struct curl_xfer **p = &h->xfers; *p; p = &(*p)->next) {
		if (*p == x) {
			*p = x->next;
			break;
		}
	}
}

static void s_free_xfer(struct curl_loop *h, struct curl_xfer *x)
{
	s_unlink(h, x);
	curl_multi_remove_handle(h->multi, x->easy);
	curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	free(x);
	h->active--;
}

/* Hands every finished transfer to its owner. */
static void s_check_done(struct curl_loop *h)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(h->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct curl_xfer *x = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (!x)
			continue;
		struct curl_result r = x->res;
		r.curl = msg->data.result;
		if (r.curl == CURLE_OK) {
			curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r.code);
			r.error[0] = '\0';
		} else {
			r.code = 0;
			if (!r.error[0])
				snprintf(r.error, sizeof r.error, "%s", curl_easy_strerror(msg->data.result));
		}
		curl_off_t up = 0;
		curl_easy_getinfo(x->easy, CURLINFO_SIZE_UPLOAD_T, &up);
		r.bytes_up = (uint64_t)up;
		curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME, &r.seconds);
		curl_done_fn done = x->done;
		void *ud = x->ud;
		s_free_xfer(h, x);
		done(&r, ud);
	}
}

static void s_on_timer(struct daemon *d, void *ud)
{
	(void)d;
	struct curl_loop *h = ud;
	int running;
	/* one-shot: curl re-arms it if it wants */
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	s_check_done(h);
}

static void s_on_epoll(struct daemon *d, void *ud)
{
	(void)d;
	struct curl_loop *h = ud;
	struct epoll_event evs[16];
	int n = epoll_wait(h->epfd, evs, 16, 0);
	for (int i = 0; i < n; i++) {
		int flags = 0, running;
		if (evs[i].events & (EPOLLIN | EPOLLHUP))
			flags |= CURL_CSELECT_IN;
		if (evs[i].events & EPOLLOUT)
			flags |= CURL_CSELECT_OUT;
		if (evs[i].events & EPOLLERR)
			flags |= CURL_CSELECT_ERR;
		curl_multi_socket_action(h->multi, evs[i].data.fd, flags, &running);
	}
	s_check_done(h);
}

struct curl_loop *curl_loop_new(struct daemon *d)
{
	static bool global;
	if (!global) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			log_fatal(EXIT_TEMPORARY, "curl_global_init failed");
		global = true;
	}
	struct curl_loop *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->d = d;
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	h->multi = curl_multi_init();
	if (h->epfd < 0 || !h->multi) {
		log_error("cannot set up HTTP: %s", h->epfd < 0 ? strerror(errno) : "curl_multi_init failed");
		if (h->epfd >= 0)
			close(h->epfd);
		if (h->multi)
			curl_multi_cleanup(h->multi);
		free(h);
		return NULL;
	}
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, s_socket_cb);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, s_timer_cb);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	h->timer = daemon_timer_once(d, s_on_timer, h);
	if (!h->timer || daemon_watch_fd(d, h->epfd, s_on_epoll, h) < 0) {
		daemon_timer_destroy(d, &h->timer);
		curl_multi_cleanup(h->multi);
		close(h->epfd);
		free(h);
		return NULL;
	}
	return h;
}

void curl_loop_destroy(struct curl_loop **hp)
{
	struct curl_loop *h = *hp;
	if (!h)
		return;
	while (h->xfers) {
		struct curl_xfer *x = h->xfers;
		curl_loop_cancel(h, &x);
	}
	daemon_unwatch(h->d, NULL, h->epfd);
	daemon_timer_destroy(h->d, &h->timer);
	curl_multi_cleanup(h->multi);
	close(h->epfd);
	free(h);
	*hp = NULL;
}

void curl_result_body(struct curl_result *r, const char *data, size_t len)
{
	size_t have = strlen(r->body);
	size_t room = sizeof r->body - 1 - have;
	size_t take = len < room ? len : room;
	for (size_t i = 0; i < take; i++) /* keep it printable: it goes to logs and status */
		r->body[have + i] = (data[i] >= 0x20 && data[i] < 0x7f) ? data[i] : ' ';
	r->body[have + take] = '\0';
}

void curl_result_header(struct curl_result *r, const char *data, size_t len, time_t now)
{
	if (len >= 5 && !strncmp(data, "HTTP/", 5)) {
		/* a new response (after a 100 Continue): forget the last one's */
		r->have_retry_after = false;
		r->body[0] = '\0';
		return;
	}
	static const char name[] = "retry-after:";
	if (len > sizeof name - 1 && !strncasecmp(data, name, sizeof name - 1)) {
		char value[128];
		size_t vlen = len - (sizeof name - 1);
		if (vlen >= sizeof value)
			vlen = sizeof value - 1;
		memcpy(value, data + sizeof name - 1, vlen);
		value[vlen] = '\0';
		int64_t s;
		if (retry_after_parse(value, now, &s)) {
			r->have_retry_after = true;
			r->retry_after_s = s;
		}
	}
}

static size_t s_write_cb(char *data, size_t size, size_t nmemb, void *ud)
{
	struct curl_xfer *x = ud;
	curl_result_body(&x->res, data, size * nmemb);
	return size * nmemb;
}

static size_t s_header_cb(char *data, size_t size, size_t nmemb, void *ud)
{
	struct curl_xfer *x = ud;
	curl_result_header(&x->res, data, size * nmemb, time(NULL));
	return size * nmemb;
}

static size_t s_read_cb(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct curl_xfer *x = ud;
	size_t room = size * nmemb, left = x->upload_len - x->upload_pos;
	size_t n = left < room ? left : room;
	memcpy(buf, x->upload + x->upload_pos, n);
	x->upload_pos += n;
	return n;
}

/* A transfer not started yet, or NULL with a reason. */
static struct curl_xfer *s_xfer_new(struct curl_loop *h, curl_done_fn done, void *ud, char *err, size_t errlen)
{
	struct curl_xfer *x = calloc(1, sizeof *x);
	if (!x || !(x->easy = curl_easy_init())) {
		free(x);
		snprintf(err, errlen, "out of memory starting a transfer");
		return NULL;
	}
	x->h = h;
	x->done = done;
	x->ud = ud;
	return x;
}

/* Frees a transfer that was never started. */
static void s_xfer_drop(struct curl_xfer *x)
{
	curl_slist_free_all(x->headers);
	curl_easy_cleanup(x->easy);
	free(x);
}

/* Adds x to the multi handle and the list; -1 with a reason, x freed. */
static int s_start(struct curl_loop *h, struct curl_xfer *x, char *err, size_t errlen)
{
	CURLMcode mc = curl_multi_add_handle(h->multi, x->easy);
	if (mc != CURLM_OK) {
		snprintf(err, errlen, "curl_multi_add_handle: %s", curl_multi_strerror(mc));
		s_xfer_drop(x);
		return -1;
	}
	x->next = h->xfers;
	h->xfers = x;
	h->active++;
	return 0;
}

/* A CA file, when one is set, must be a regular file: OpenSSL reads it
 * in the handshake, inside this loop, where a FIFO would stop the daemon
 * and a device never end. */
static bool s_ca_file_ok(const char *ca_file, char *err, size_t errlen)
{
	if (!ca_file || !ca_file[0])
		return true;
	char why[512];
	int fd = regular_file_open(ca_file, 0, why, sizeof why);
	if (fd < 0) {
		snprintf(err, errlen, "CA file %s", why);
		return false;
	}
	close(fd);
	return true;
}

struct curl_xfer *curl_loop_post(struct curl_loop *h, const struct http_request *req, curl_done_fn done, void *ud, char *err,
			    size_t errlen)
{
	if (!s_ca_file_ok(req->ca_file, err, errlen))
		return NULL;
	struct curl_xfer *x = s_xfer_new(h, done, ud, err, errlen);
	if (!x)
		return NULL;
	CURL *e = x->easy;
	char hdr[1024];
	snprintf(hdr, sizeof hdr, "Content-Type: %s", req->content_type);
	x->headers = curl_slist_append(x->headers, hdr);
	if (req->content_encoding) {
		snprintf(hdr, sizeof hdr, "Content-Encoding: %s", req->content_encoding);
		x->headers = curl_slist_append(x->headers, hdr);
	}
	if (req->authorization && req->authorization[0]) {
		snprintf(hdr, sizeof hdr, "Authorization: %s", req->authorization);
		x->headers = curl_slist_append(x->headers, hdr);
	}
	/* no 100-continue round trip: the receivers answer a POST whole */
	x->headers = curl_slist_append(x->headers, "Expect:");
	snprintf(hdr, sizeof hdr, "User-Agent: eniscope-%s/%s", daemon_name(h->d), HUB_VERSION);
	x->headers = curl_slist_append(x->headers, hdr);

	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->len);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, req->connect_timeout_s);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, req->timeout_s);
	if (req->low_speed_bps > 0) {
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, req->low_speed_bps);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, req->low_speed_time_s);
	}
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, req->tls_verify ? 1L : 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, req->tls_verify ? 2L : 0L);
	if (req->ca_file && req->ca_file[0])
		curl_easy_setopt(e, CURLOPT_CAINFO, req->ca_file);
	if (req->username && req->username[0]) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, req->username);
		curl_easy_setopt(e, CURLOPT_PASSWORD, req->password ? req->password : "");
	}
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->res.error);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, s_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, s_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	if (!x->headers) {
		snprintf(err, errlen, "out of memory starting a request");
		s_xfer_drop(x);
		return NULL;
	}
	return s_start(h, x, err, errlen) < 0 ? NULL : x;
}

struct curl_xfer *curl_loop_mail(struct curl_loop *h, const struct mail_request *req, curl_done_fn done, void *ud,
				 char *err, size_t errlen)
{
	if (!s_ca_file_ok(req->ca_file, err, errlen))
		return NULL;
	struct curl_xfer *x = s_xfer_new(h, done, ud, err, errlen);
	if (!x)
		return NULL;
	x->upload = req->message;
	x->upload_len = req->len;
	bool oom = false;
	for (size_t i = 0; i < req->nto; i++) {
		char rcpt[300];
		snprintf(rcpt, sizeof rcpt, "<%s>", req->to[i]);
		struct curl_slist *l = curl_slist_append(x->headers, rcpt);
		if (!l)
			oom = true;
		else
			x->headers = l;
	}
	if (oom || !x->headers) {
		snprintf(err, errlen, oom ? "out of memory starting a mail" : "a mail needs a recipient");
		s_xfer_drop(x);
		return NULL;
	}
	CURL *e = x->easy;
	char url[300], from[300];
	/* the host as a URL's host: an IPv6 address goes in brackets */
	bool v6 = strchr(req->host, ':') != NULL;
	snprintf(url, sizeof url, "%s://%s%s%s:%d", req->security == MAIL_TLS ? "smtps" : "smtp", v6 ? "[" : "",
		 req->host, v6 ? "]" : "", req->port);
	snprintf(from, sizeof from, "<%s>", req->from);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(e, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(e, CURLOPT_MAIL_RCPT, x->headers);
	curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(e, CURLOPT_READFUNCTION, s_read_cb);
	curl_easy_setopt(e, CURLOPT_READDATA, x);
	curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)req->len);
	if (req->security == MAIL_STARTTLS)
		curl_easy_setopt(e, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	/* the server's certificate is always checked (curl's default, said
	 * here so no one reads it as off): against ca_file when set */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (req->ca_file && req->ca_file[0])
		curl_easy_setopt(e, CURLOPT_CAINFO, req->ca_file);
	if (req->username && req->username[0]) {
		curl_easy_setopt(e, CURLOPT_USERNAME, req->username);
		curl_easy_setopt(e, CURLOPT_PASSWORD, req->password ? req->password : "");
	}
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, req->connect_timeout_s);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, req->timeout_s);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->res.error);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	return s_start(h, x, err, errlen) < 0 ? NULL : x;
}

void curl_loop_kick(struct curl_loop *h)
{
	int running;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
}

void curl_loop_cancel(struct curl_loop *h, struct curl_xfer **xp)
{
	if (*xp)
		s_free_xfer(h, *xp);
	*xp = NULL;
}

size_t curl_loop_active(const struct curl_loop *h)
{
	return h->active;
}

bool retry_after_parse(const char *value, time_t now, int64_t *delay_s)
{
	if (!value)
		return false;
	while (isspace((unsigned char)*value))
		value++;
	size_t len = strlen(value);
	while (len && isspace((unsigned char)value[len - 1]))
		len--;
	if (!len || len > 64)
		return false;
	char buf[65];
	memcpy(buf, value, len);
	buf[len] = '\0';
	if (isdigit((unsigned char)buf[0])) {
		/* delay-seconds is 1*DIGIT and nothing else */
		for (size_t i = 0; i < len; i++)
			if (!isdigit((unsigned char)buf[i]))
				goto date;
		errno = 0;
		unsigned long long v = strtoull(buf, NULL, 10);
		if (errno == ERANGE || v > INT32_MAX)
			v = INT32_MAX;
		*delay_s = (int64_t)v;
		return true;
	}
date:;
	/* an HTTP-date names its day: "Sun, 06 Nov 1994 08:49:37 GMT",
	 * "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994".
	 * curl_getdate also reads looser forms; requiring the weekday keeps
	 * "12abc" or "soon" from being taken as a date. */
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	bool day = false;
	for (size_t i = 0; i < 7; i++)
		if (!strncasecmp(buf, days[i], 3))
			day = true;
	if (!day)
		return false;
	time_t t = curl_getdate(buf, NULL);
	if (t == (time_t)-1)
		return false;
	*delay_s = t > now ? (int64_t)(t - now) : 0;
	return true;
}
