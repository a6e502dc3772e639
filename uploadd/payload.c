/* payload: see payload.h. */
#include "payload.h"

#include "columns.h"
#include "lineproto.h"
#include "msg.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>

bool payload_time_known(const json_t *rec)
{
	const char *t = json_string_value(json_object_get(rec, "time"));
	const json_t *ts = json_object_get(rec, "ts");
	return t && (!strcmp(t, "synced") || !strcmp(t, "restamped")) && json_is_integer(ts) &&
	       json_integer_value(ts) > 0 && json_integer_value(ts) % 60 == 0;
}

/* The envelope of docs/UPLOAD.md around series, with the names of the
 * meters and pulse inputs in them. */
static void s_envelope(struct buf *out, const json_t *series, const struct hubinfo *hub, long long now)
{
	json_t *meters = json_object(), *pulses = json_object();
	size_t i;
	const json_t *s;
	json_array_foreach(series, i, s)
	{
		const char *kind = json_string_value(json_object_get(s, "kind"));
		const json_t *jn = json_object_get(s, "n");
		int slot = json_is_integer(jn) ? (int)json_integer_value(jn) - 1 : -1;
		if (!kind || slot < 0 || slot >= CONFIG_SLOTS)
			continue;
		char n[24];
		snprintf(n, sizeof n, "%d", slot + 1);
		if (!strcmp(kind, "meter") && !json_object_get(meters, n))
			json_object_set_new(meters, n,
					    json_pack("{s:s,s:s,s:s}", "name", hub->meter[slot].name, "phase_type",
						      hub->meter[slot].phase_type, "purpose", hub->meter[slot].purpose));
		else if (!strcmp(kind, "pulse") && !json_object_get(pulses, n))
			json_object_set_new(pulses, n, json_pack("{s:s}", "name", hub->pulse[slot].name));
	}
	json_t *hubj = hubinfo_json(hub);
	buf_puts(out, "{\"format\":\"" PAYLOAD_FORMAT "\",\"hub\":");
	buf_put_json(out, hubj, MSG_JSON_FLAGS);
	buf_printf(out, ",\"sent\":%lld,\"meters\":", now);
	buf_put_json(out, meters, MSG_JSON_FLAGS);
	buf_puts(out, ",\"pulses\":");
	buf_put_json(out, pulses, MSG_JSON_FLAGS);
	buf_puts(out, ",\"series\":");
	buf_put_json(out, series, MSG_JSON_FLAGS);
	buf_putc(out, '}');
	json_decref(hubj);
	json_decref(meters);
	json_decref(pulses);
}

static void s_record_name(const json_t *r, char *buf, size_t len)
{
	const json_t *n = json_object_get(r, "n");
	char nbuf[64];
	if (json_is_integer(n))
		snprintf(nbuf, sizeof nbuf, "%lld", (long long)json_integer_value(n));
	else
		snprintf(nbuf, sizeof nbuf, "%.40s", json_string_value(n) ?: "?");
	snprintf(buf, len, "record %lld (%.20s/%s/%lld)", (long long)json_integer_value(json_object_get(r, "id")),
		 json_string_value(json_object_get(r, "kind")) ?: "?", nbuf,
		 (long long)json_integer_value(json_object_get(r, "ts")));
}

static int s_http_json(struct buf *out, const json_t *records, size_t lo, size_t hi, const struct hubinfo *hub,
		       long long now, char *err, size_t errlen)
{
	struct columns *c = columns_new();
	int rc = c ? 0 : -1;
	if (!c)
		snprintf(err, errlen, "out of memory encoding the batch");
	for (size_t i = lo; rc == 0 && i < hi; i++) {
		const json_t *r = json_array_get(records, i);
		char why[160];
		if ((rc = columns_add_record(c, r, why, sizeof why)) < 0) {
			char name[160];
			s_record_name(r, name, sizeof name);
			snprintf(err, errlen, "%s: %s", name, why);
		}
	}
	json_t *series = rc == 0 ? columns_series(c) : NULL;
	if (rc == 0 && !series) {
		snprintf(err, errlen, "out of memory encoding the batch");
		rc = -1;
	}
	if (series)
		s_envelope(out, series, hub, now);
	json_decref(series);
	columns_free(&c);
	return rc;
}

int payload_build_series(struct buf *out, const json_t *series, const struct hubinfo *hub, long long now, char *err,
			 size_t errlen)
{
	buf_reset(out);
	s_envelope(out, series, hub, now);
	if (buf_failed(out)) {
		snprintf(err, errlen, "out of memory building the request");
		return -1;
	}
	return 0;
}

int payload_build(struct buf *out, enum payload_type type, const json_t *records, size_t lo, size_t hi,
		  const struct hubinfo *hub, long long now, char *err, size_t errlen)
{
	buf_reset(out);
	if (hi > json_array_size(records) || lo >= hi) {
		snprintf(err, errlen, "empty or out-of-range slice %zu..%zu", lo, hi);
		return -1;
	}
	if (type == PAYLOAD_HTTP_JSON) {
		if (s_http_json(out, records, lo, hi, hub, now, err, errlen) < 0)
			return -1;
	} else {
		for (size_t i = lo; i < hi; i++) {
			char why[256];
			const json_t *r = json_array_get(records, i);
			if (lineproto_record(out, r, hub, why, sizeof why) < 0) {
				snprintf(err, errlen, "record %s: %s",
					 json_string_value(json_object_get(r, "rid")) ?: "(no rid)", why);
				return -1;
			}
		}
	}
	if (buf_failed(out)) {
		snprintf(err, errlen, "out of memory building the request");
		return -1;
	}
	return 0;
}

int payload_gzip(struct buf *out, const void *in, size_t len, int level, char *err, size_t errlen)
{
	buf_reset(out);
	z_stream z = { 0 };
	/* 15 + 16: a gzip wrapper, which Content-Encoding: gzip means */
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
		snprintf(err, errlen, "deflateInit2 failed");
		return -1;
	}
	uLong bound = deflateBound(&z, (uLong)len);
	if (!buf_reserve(out, bound)) {
		deflateEnd(&z);
		snprintf(err, errlen, "out of memory compressing the request");
		return -1;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->data;
	z.avail_out = (uInt)bound;
	int rc = deflate(&z, Z_FINISH);
	size_t produced = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		snprintf(err, errlen, "deflate failed (%d)", rc);
		buf_reset(out);
		return -1;
	}
	out->len = produced;
	out->data[produced] = '\0';
	return 0;
}
