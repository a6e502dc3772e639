/* storefill DIR DAYS END: writes DAYS days of random minutes ending before
 * END (Unix s) into DIR/store.db, for the tests that need history without
 * waiting for it: meter 1 (P, Pmax, V1, E, averages and a register),
 * pulse input 1 (count and total in m3) and probe 28-0316a2799aff (T),
 * with a gap of two hours a day and an hour per transaction, as a backlog
 * is written.  The same seed each run. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: storefill DIR DAYS END\n");
		return 2;
	}
	int days = atoi(argv[2]);
	int64_t end = strtoll(argv[3], NULL, 10) / 60 * 60;
	char err[512];
	struct store *st = store_open(argv[1], NULL, NULL, err, sizeof err);
	if (!st) {
		fprintf(stderr, "storefill: %s\n", err);
		return 1;
	}
	srand(17);
	int ip = record_field_index(READING_METER, "P"), ipmax = record_field_index(READING_METER, "Pmax"),
	    iv = record_field_index(READING_METER, "V1"), ie = record_field_index(READING_METER, "E"),
	    ic = record_field_index(READING_PULSE, "count"), it = record_field_index(READING_PULSE, "total"),
	    itt = record_field_index(READING_TEMP, "T");
	double e = 12345.6, count = 100;
	static struct record r[3 * 60];
	size_t n = 0;
	for (int64_t ts = end - (int64_t)days * 86400; ts < end; ts += 60) {
		if (ts % 86400 >= 3 * 3600 && ts % 86400 < 5 * 3600) /* the hub off for two hours */
			continue;
		struct record *m = &r[n++];
		*m = (struct record){ .kind = READING_METER, .n = "1", .ts = ts, .count = 60 };
		m->v[ip] = (float)(1500 + rand() % 2000 + (rand() % 10) / 10.0);
		m->v[ipmax] = (float)(m->v[ip] + rand() % 300);
		m->v[iv] = (float)(225 + (rand() % 100) / 10.0);
		e += m->v[ip] / 60;
		m->v[ie] = e;
		m->mask = (UINT64_C(1) << ip) | (UINT64_C(1) << ipmax) | (UINT64_C(1) << iv) | (UINT64_C(1) << ie);
		struct record *p = &r[n++];
		*p = (struct record){ .kind = READING_PULSE, .n = "1", .ts = ts, .count = 60, .unit = "m3" };
		count += rand() % 5;
		p->v[ic] = count;
		p->v[it] = count * 0.01;
		p->mask = (UINT64_C(1) << ic) | (UINT64_C(1) << it);
		struct record *t = &r[n++];
		*t = (struct record){ .kind = READING_TEMP, .n = "28-0316a2799aff", .ts = ts, .count = 6 };
		t->v[itt] = (float)(18 + (rand() % 800) / 100.0);
		t->mask = UINT64_C(1) << itt;
		if (n == sizeof r / sizeof r[0] || ts + 60 >= end) {
			if (store_write(st, r, n, err, sizeof err) < 0) {
				fprintf(stderr, "storefill: %s\n", err);
				return 1;
			}
			n = 0;
		}
	}
	if (n && store_write(st, r, n, err, sizeof err) < 0) {
		fprintf(stderr, "storefill: %s\n", err);
		return 1;
	}
	store_close(&st);
	return 0;
}
