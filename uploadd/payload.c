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

static int s_http_json(struct buf *out, const json_t *records, size_t lo, size_t hi, const struct hubinfo *hub,
		       long long now, char *err, size_t errlen)
{
	json_t *meters = json_object(), *pulses = json_object();
	for (size_t i = lo; i < hi; i++) {
		const json_t *r = json_array_get(records, i);
		const char *kind = json_string_value(json_object_get(r, "kind"));
		const json_t *jn = json_object_get(r, "n");
		if (!kind || !json_is_integer(jn))
			continue;
		char n[24];
		snprintf(n, sizeof n, "%lld", (long long)json_integer_value(jn));
		int slot = (int)json_integer_value(jn) - 1;
		if (slot < 0 || slot >= CONFIG_SLOTS)
			continue;
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
	json_decref(hubj);
	json_decref(meters);
	json_decref(pulses);
	if (columns_write(out, records, lo, hi, err, errlen) < 0)
		return -1;
	buf_putc(out, '}');
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
