/* check_config: the configuration document (config.h) through its public
 * functions: validation rules as a table of documents and the one field each
 * must be refused on, defaults and slots, migration, key paths, redaction,
 * the schema export, loading files, and the locked read-modify-write.
 *
 * Documents in the tables are written with ' for " to stay readable; s_parse
 * swaps them back. */
#include <check.h>

#include "config.h"
#include "scratch.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static json_t *s_parse(const char *text)
{
	char *copy = strdup(text);
	ck_assert_ptr_nonnull(copy);
	for (char *p = copy; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_error_t jerr;
	/* JSON_ALLOW_NUL: a caller may hand config_from_json any string */
	json_t *doc = json_loads(copy, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	ck_assert_msg(doc != NULL, "test document does not parse: %s: %s", copy, jerr.text);
	free(copy);
	return doc;
}

static struct config *s_config(const char *text)
{
	json_t *doc = s_parse(text), *errors = NULL;
	struct config *cfg = config_from_json(doc, &errors);
	char *e = errors ? json_dumps(errors, JSON_COMPACT) : NULL;
	ck_assert_msg(cfg != NULL, "%s refused: %s", text, e);
	free(e);
	json_decref(errors);
	json_decref(doc);
	return cfg;
}

/* The "field" of every error, space-separated, for messages. */
static void s_fields(const json_t *errors, char *out, size_t len)
{
	out[0] = '\0';
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e) {
		size_t used = strlen(out);
		snprintf(out + used, len - used, "%s%s: %s", used ? "; " : "",
			 json_string_value(json_object_get(e, "field")), json_string_value(json_object_get(e, "error")));
	}
}

static bool s_has_field(const json_t *errors, const char *field)
{
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "field")), field))
			return true;
	return false;
}

static const char *s_error_text(const json_t *errors, size_t i)
{
	return json_string_value(json_object_get(json_array_get(errors, i), "error"));
}

/* The reason given for field, or NULL. */
static const char *s_error_for(const json_t *errors, const char *field)
{
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "field")), field))
			return json_string_value(json_object_get(e, "error"));
	return NULL;
}

/* --- validation: one document, the one field it is refused on --- */

struct row {
	const char *doc;   /* may hold one %s, replaced by fill repeated count times */
	const char *fill;
	int count;
	const char *field; /* NULL: the document is valid */
};

/* an enabled alarm needs a limit and an address */
#define ALARM(x) "{'alarms':[{'id':1,'high':10,'emails':['ops@example.com']" x "}]}"
#define UPLOAD(x) "{'upload':[{'name':'u'" x "}]}"
#define MQTT(x) "{'mqtt':[{'title':'m'" x "}]}"
#define METER(x) "{'meters':[{'id':1" x "}]}"
#define PULSE(x) "{'pulses':[{'id':1" x "}]}"

static const struct row s_rows[] = {
	/* whole documents */
	{ "{}", NULL, 0, NULL },
	{ "{'version':1}", NULL, 0, NULL },
	{ "{'version':0}", NULL, 0, NULL },
	{ "{'meters':[{'id':1,'enabled':true}]}", NULL, 0, NULL },
	{ "{'meters':[{'id':8,'enabled':true,'ct_input':8,'name':'Main'},{'id':1,'enabled':true}]}", NULL, 0, NULL },

	/* types */
	{ "{'network':{'dhcp':'yes'}}", NULL, 0, "network.dhcp" },
	{ "{'network':{'dhcp':1}}", NULL, 0, "network.dhcp" },
	{ "{'adc':{'sample_rate_hz':4000.0}}", NULL, 0, "adc.sample_rate_hz" },
	{ "{'adc':{'sample_rate_hz':'4000'}}", NULL, 0, "adc.sample_rate_hz" },
	{ "{'adc':{'sample_rate_hz':true}}", NULL, 0, "adc.sample_rate_hz" },
	{ METER(",'ct_rating_a':'100'"), NULL, 0, "meters[0].ct_rating_a" },
	{ METER(",'ct_rating_a':250"), NULL, 0, NULL },
	{ METER(",'ct_rating_a':250.5"), NULL, 0, NULL },
	{ METER(",'enabled':'true'"), NULL, 0, "meters[0].enabled" },
	{ "{'hub':{'company':5}}", NULL, 0, "hub.company" },
	{ "{'interface':{'language':1}}", NULL, 0, "interface.language" },
	{ "{'hub':[]}", NULL, 0, "hub" },
	{ "{'hub':'x'}", NULL, 0, "hub" },
	{ "{'mqtt':{}}", NULL, 0, "mqtt" },
	{ "{'mqtt':[5]}", NULL, 0, "mqtt[0]" },
	{ "{'adc':{'channels':[]}}", NULL, 0, "adc.channels" },
	{ "{'adc':{'v_gain':{}}}", NULL, 0, "adc.v_gain" },
	{ "{'alarms':[{'id':1,'enabled':false,'emails':'ops@example.com'}]}", NULL, 0, "alarms[0].emails" },

	/* integer ranges: min, max, min-1, max+1 */
	{ "{'adc':{'sample_rate_hz':1000}}", NULL, 0, NULL },
	{ "{'adc':{'sample_rate_hz':64000}}", NULL, 0, NULL },
	{ "{'adc':{'sample_rate_hz':999}}", NULL, 0, "adc.sample_rate_hz" },
	{ "{'adc':{'sample_rate_hz':64001}}", NULL, 0, "adc.sample_rate_hz" },
	{ "{'temps':{'interval_s':1}}", NULL, 0, NULL },
	{ "{'temps':{'interval_s':3600}}", NULL, 0, NULL },
	{ "{'temps':{'interval_s':0}}", NULL, 0, "temps.interval_s" },
	{ "{'temps':{'interval_s':3601}}", NULL, 0, "temps.interval_s" },
	{ "{'storage':{'retention_days':1,'max_mb':16}}", NULL, 0, NULL },
	{ "{'storage':{'retention_days':3650,'max_mb':1000000}}", NULL, 0, NULL },
	{ "{'storage':{'retention_days':0}}", NULL, 0, "storage.retention_days" },
	{ "{'storage':{'retention_days':3651}}", NULL, 0, "storage.retention_days" },
	{ "{'storage':{'max_mb':15}}", NULL, 0, "storage.max_mb" },
	{ "{'storage':{'max_mb':1000001}}", NULL, 0, "storage.max_mb" },
	{ "{'messaging':{'delay_s':0,'duration_s':1}}", NULL, 0, NULL },
	{ "{'messaging':{'delay_s':86400,'duration_s':3600}}", NULL, 0, NULL },
	{ "{'messaging':{'delay_s':-1}}", NULL, 0, "messaging.delay_s" },
	{ "{'messaging':{'delay_s':86401}}", NULL, 0, "messaging.delay_s" },
	{ "{'messaging':{'duration_s':0}}", NULL, 0, "messaging.duration_s" },
	{ "{'messaging':{'duration_s':3601}}", NULL, 0, "messaging.duration_s" },
	{ METER(",'ct_input':1"), NULL, 0, NULL },
	{ "{'meters':[{'id':8,'ct_input':8}]}", NULL, 0, NULL },
	{ METER(",'ct_input':0"), NULL, 0, "meters[0].ct_input" },
	{ METER(",'ct_input':9"), NULL, 0, "meters[0].ct_input" },
	{ PULSE(",'min_pulse_ms':1,'gpio_line':0"), NULL, 0, NULL },
	{ PULSE(",'min_pulse_ms':60000,'gpio_line':1023"), NULL, 0, NULL },
	{ PULSE(",'min_pulse_ms':0"), NULL, 0, "pulses[0].min_pulse_ms" },
	{ PULSE(",'min_pulse_ms':60001"), NULL, 0, "pulses[0].min_pulse_ms" },
	{ PULSE(",'gpio_line':-1"), NULL, 0, "pulses[0].gpio_line" },
	{ PULSE(",'gpio_line':1024"), NULL, 0, "pulses[0].gpio_line" },
	{ MQTT(",'qos':0,'interval_s':1"), NULL, 0, NULL },
	{ MQTT(",'qos':2,'interval_s':86400"), NULL, 0, NULL },
	{ MQTT(",'qos':-1"), NULL, 0, "mqtt[0].qos" },
	{ MQTT(",'qos':3"), NULL, 0, "mqtt[0].qos" },
	{ MQTT(",'interval_s':0"), NULL, 0, "mqtt[0].interval_s" },
	{ MQTT(",'interval_s':86401"), NULL, 0, "mqtt[0].interval_s" },
	{ UPLOAD(",'batch_size':1,'interval_s':1"), NULL, 0, NULL },
	{ UPLOAD(",'batch_size':100000,'interval_s':86400"), NULL, 0, NULL },
	{ UPLOAD(",'batch_size':0"), NULL, 0, "upload[0].batch_size" },
	{ UPLOAD(",'batch_size':100001"), NULL, 0, "upload[0].batch_size" },
	{ UPLOAD(",'interval_s':0"), NULL, 0, "upload[0].interval_s" },
	{ UPLOAD(",'interval_s':86401"), NULL, 0, "upload[0].interval_s" },
	{ ALARM(",'recovery_s':0,'reminder_s':604800,'phase':3,'meter':8"), NULL, 0, NULL },
	{ ALARM(",'recovery_s':-1"), NULL, 0, "alarms[0].recovery_s" },
	{ ALARM(",'reminder_s':604801"), NULL, 0, "alarms[0].reminder_s" },
	{ ALARM(",'phase':4"), NULL, 0, "alarms[0].phase" },
	{ ALARM(",'meter':0"), NULL, 0, "alarms[0].meter" },
	{ ALARM(",'meter':9"), NULL, 0, "alarms[0].meter" },
	{ "{'alarms':[{'id':1000000,'enabled':false}]}", NULL, 0, NULL },
	/* an enabled rule sends somewhere: an address, or a webhook */
	{ "{'alarms':[{'id':1,'high':10}]}", NULL, 0, "alarms[0].emails" },
	{ "{'alarms':[{'id':1,'high':10,'webhook':'http://127.0.0.1:8/hook'}]}", NULL, 0, NULL },
	{ "{'alarms':[{'id':1,'high':10,'webhook':'not a url'}]}", NULL, 0, "alarms[0].webhook" },
	{ "{'health_alarms':{'disk_full_pct':100}}", NULL, 0, "health_alarms.disk_full_pct" },
	{ "{'health_alarms':{'upload_backlog_s':0}}", NULL, 0, "health_alarms.upload_backlog_s" },
	{ "{'alarms':[{'id':0,'enabled':false}]}", NULL, 0, "alarms[0].id" },
	{ "{'alarms':[{'id':1000001,'enabled':false}]}", NULL, 0, "alarms[0].id" },

	/* number ranges */
	{ METER(",'ct_rating_a':1,'voltage_scale':0.001,'max_power_w':0"), NULL, 0, NULL },
	{ METER(",'ct_rating_a':10000,'voltage_scale':10000,'max_power_w':1e9"), NULL, 0, NULL },
	{ METER(",'ct_rating_a':0.999"), NULL, 0, "meters[0].ct_rating_a" },
	{ METER(",'ct_rating_a':10000.5"), NULL, 0, "meters[0].ct_rating_a" },
	{ METER(",'voltage_scale':0.0009"), NULL, 0, "meters[0].voltage_scale" },
	{ METER(",'voltage_scale':10001"), NULL, 0, "meters[0].voltage_scale" },
	{ METER(",'max_power_w':-1"), NULL, 0, "meters[0].max_power_w" },
	{ METER(",'max_power_w':1000000001"), NULL, 0, "meters[0].max_power_w" },
	{ METER(",'ct_cal':[{'gain':0.5,'phase_deg':-20},{'gain':2,'phase_deg':20},{}]"), NULL, 0, NULL },
	{ METER(",'ct_cal':[{'gain':0.49},{},{}]"), NULL, 0, "meters[0].ct_cal[0].gain" },
	{ METER(",'ct_cal':[{},{'gain':2.01},{}]"), NULL, 0, "meters[0].ct_cal[1].gain" },
	{ METER(",'ct_cal':[{},{},{'phase_deg':-20.5}]"), NULL, 0, "meters[0].ct_cal[2].phase_deg" },
	{ METER(",'ct_cal':[{},{},{'phase_deg':20.5}]"), NULL, 0, "meters[0].ct_cal[2].phase_deg" },
	{ METER(",'ct_cal':[{},{}]"), NULL, 0, "meters[0].ct_cal" },
	{ METER(",'ct_cal':[{},{},{},{}]"), NULL, 0, "meters[0].ct_cal" },
	{ METER(",'ct_cal':[{},{},{'bogus':1}]"), NULL, 0, "meters[0].ct_cal[2].bogus" },
	{ "{'adc':{'v_gain':[0.5,2,1]}}", NULL, 0, NULL },
	{ "{'adc':{'v_gain':[0.49,1,1]}}", NULL, 0, "adc.v_gain[0]" },
	{ "{'adc':{'v_gain':[1,1,2.01]}}", NULL, 0, "adc.v_gain[2]" },
	{ "{'adc':{'v_gain':[1,1]}}", NULL, 0, "adc.v_gain" },
	{ "{'adc':{'v_gain':[1,1,1,1]}}", NULL, 0, "adc.v_gain" },
	{ "{'interface':{'price_per_kwh':0,'co2_kg_per_kwh':0}}", NULL, 0, NULL },
	{ "{'interface':{'price_per_kwh':1000,'co2_kg_per_kwh':10}}", NULL, 0, NULL },
	{ "{'interface':{'price_per_kwh':-0.01}}", NULL, 0, "interface.price_per_kwh" },
	{ "{'interface':{'price_per_kwh':1000.01}}", NULL, 0, "interface.price_per_kwh" },
	{ "{'interface':{'co2_kg_per_kwh':10.5}}", NULL, 0, "interface.co2_kg_per_kwh" },
	{ PULSE(",'units_per_pulse':1e-9"), NULL, 0, NULL },
	{ PULSE(",'units_per_pulse':1e9"), NULL, 0, NULL },
	{ PULSE(",'units_per_pulse':0"), NULL, 0, "pulses[0].units_per_pulse" },
	{ PULSE(",'units_per_pulse':1000000001"), NULL, 0, "pulses[0].units_per_pulse" },
	{ "{'alarms':[{'id':1,'high':1e12,'low':-1e12,'emails':['a@example.com']}]}", NULL, 0, NULL },
	{ "{'alarms':[{'id':1,'high':1e13,'emails':['a@example.com']}]}", NULL, 0, "alarms[0].high" },
	{ ALARM(",'low':-1e13"), NULL, 0, "alarms[0].low" },

	/* enums */
	{ METER(",'phase_type':'LN','purpose':'grid','renewable_source':'heatpump'"), NULL, 0, NULL },
	{ METER(",'phase_type':'1P'"), NULL, 0, "meters[0].phase_type" },
	{ METER(",'phase_type':'3ln'"), NULL, 0, "meters[0].phase_type" },
	{ METER(",'phase_type':'3L'"), NULL, 0, "meters[0].phase_type" },
	{ METER(",'phase_type':''"), NULL, 0, "meters[0].phase_type" },
	{ METER(",'purpose':'solar'"), NULL, 0, "meters[0].purpose" },
	{ UPLOAD(",'type':'influxdb','influx_api':'v2'"), NULL, 0, NULL },
	{ UPLOAD(",'type':'ftp'"), NULL, 0, "upload[0].type" },
	{ UPLOAD(",'influx_api':'v3'"), NULL, 0, "upload[0].influx_api" },
	{ "{'smtp':{'security':'tls'}}", NULL, 0, NULL },
	{ "{'smtp':{'security':'ssl'}}", NULL, 0, "smtp.security" },
	{ "{'interface':{'language':'fr','display':'renewable','graph':'current'}}", NULL, 0, NULL },
	/* only the languages the pages have a catalog for */
	{ "{'interface':{'language':'de'}}", NULL, 0, "interface.language" },
	{ "{'interface':{'language':'en-GB'}}", NULL, 0, "interface.language" },
	{ "{'renewable':{'view':'svg'}}", NULL, 0, "renewable.view" },

	/* formats inside the document */
	{ "{'network':{'hostname':'hub-7','ntp':'192.168.1.1','ip':'192.168.1.227'}}", NULL, 0, NULL },
	{ "{'network':{'hostname':'hub.local'}}", NULL, 0, "network.hostname" },
	{ "{'network':{'ntp':'bad host!'}}", NULL, 0, "network.ntp" },
	{ "{'network':{'ip':'192.168.1.300'}}", NULL, 0, "network.ip" },
	{ "{'network':{'ip':'192.168.001.1'}}", NULL, 0, "network.ip" },
	{ "{'network':{'netmask':'255.255.0.255'}}", NULL, 0, "network.netmask" },
	{ "{'network':{'gateway':'1.2.3'}}", NULL, 0, "network.gateway" },
	{ "{'network':{'dns2':'1.2.3.4.5'}}", NULL, 0, "network.dns2" },
	{ "{'hub':{'email':'','mac':null}}", NULL, 0, NULL },
	{ "{'hub':{'email':'admin@example.com','mac':'00:11:22:33:44:55'}}", NULL, 0, NULL },
	{ "{'hub':{'email':'admin'}}", NULL, 0, "hub.email" },
	{ "{'hub':{'mac':'00:11:22:33:44'}}", NULL, 0, "hub.mac" },
	{ METER(",'temp_sensor':'28-0316a2799aff','colour':'#FFAA00'"), NULL, 0, NULL },
	{ METER(",'temp_sensor':'28-xyz'"), NULL, 0, "meters[0].temp_sensor" },
	{ METER(",'colour':'#zzzzzz'"), NULL, 0, "meters[0].colour" },
	{ "{'temps':{'w1_root':'relative/dir'}}", NULL, 0, "temps.w1_root" },
	{ "{'interface':{'timezone':'Europe/London'}}", NULL, 0, NULL },
	{ "{'interface':{'timezone':'../etc/passwd'}}", NULL, 0, "interface.timezone" },
	/* the time-of-use tariff: periods of a day may touch, never overlap;
	 * the same hours on other days are another period */
#define TOU(x) "{'interface':{'tou':[" x "]}}"
	{ TOU("{'days':['mon','tue','wed','thu','fri'],'start':'07:00','end':'23:00','price_per_kwh':0.3},"
	      "{'days':['mon','tue','wed','thu','fri'],'start':'23:00','end':'24:00','price_per_kwh':0.1},"
	      "{'days':['sat','sun'],'start':'07:00','end':'23:00','price_per_kwh':0.2}"), NULL, 0, NULL },
	{ TOU("{'days':['mon'],'start':'07:00','end':'23:00'},{'days':['sun','mon'],'start':'22:59','end':'24:00'}"), NULL, 0,
	  "interface.tou[1].start" },
	{ TOU("{'start':'00:00','end':'24:00'},{'days':['fri'],'start':'12:00','end':'13:00'}"), NULL, 0, "interface.tou[1].start" },
	{ TOU("{'start':'23:00','end':'07:00'}"), NULL, 0, "interface.tou[0].end" },
	{ TOU("{'start':'07:00','end':'07:00'}"), NULL, 0, "interface.tou[0].end" },
	{ TOU("{'start':'24:00'}"), NULL, 0, "interface.tou[0].end" },
	{ TOU("{'start':'7:00'}"), NULL, 0, "interface.tou[0].start" },
	{ TOU("{'end':'24:01'}"), NULL, 0, "interface.tou[0].end" },
	{ TOU("{'end':'12:60'}"), NULL, 0, "interface.tou[0].end" },
	{ TOU("{'start':'ab:cd'}"), NULL, 0, "interface.tou[0].start" },
	{ TOU("{'days':[]}"), NULL, 0, "interface.tou[0].days" },
	{ TOU("{'days':['monday']}"), NULL, 0, "interface.tou[0].days[0]" },
	{ TOU("{'days':['mon','tue','mon']}"), NULL, 0, "interface.tou[0].days[2]" },
	{ TOU("{'price_per_kwh':-1}"), NULL, 0, "interface.tou[0].price_per_kwh" },
	{ "{'interface':{'pulse_unit':'m3'},'messaging':{'default_messages':false}}", NULL, 0, NULL },
	/* the display password: only ever its hash, and needed for the login */
	{ "{'security':{'display_login':true,'display_password_hash':'$y$j9T$AbC./1$xYz09'}}", NULL, 0, NULL },
	{ "{'security':{'display_login':true}}", NULL, 0, "security.display_password_hash" },
	{ "{'security':{'display_password_hash':'letmein'}}", NULL, 0, "security.display_password_hash" },
	{ "{'security':{'display_password_hash':'$6$salt$hash'}}", NULL, 0, "security.display_password_hash" },
	{ "{'security':{'display_password_hash':'$y$j9T$a b'}}", NULL, 0, "security.display_password_hash" },
	{ "{'adc':{'source':'replay:/data/rec.csv'}}", NULL, 0, NULL },
	{ "{'adc':{'source':'replay:'}}", NULL, 0, "adc.source" },
	{ "{'adc':{'source':'usb'}}", NULL, 0, "adc.source" },
	{ MQTT(",'topic':'site/power','discovery_prefix':'ha'"), NULL, 0, NULL },
	{ MQTT(",'topic':'site/#'"), NULL, 0, "mqtt[0].topic" },
	{ MQTT(",'discovery_prefix':'$SYS'"), NULL, 0, "mqtt[0].discovery_prefix" },
	{ MQTT(",'host':'broker..example.com'"), NULL, 0, "mqtt[0].host" },
	{ "{'adc':{'channels':{'V1':'voltage0','CT8_3':'voltage26'}}}", NULL, 0, NULL },
	{ "{'adc':{'channels':{'CT9_1':'voltage0'}}}", NULL, 0, "adc.channels.CT9_1" },
	{ "{'adc':{'channels':{'CT1_4':'voltage0'}}}", NULL, 0, "adc.channels.CT1_4" },
	{ "{'adc':{'channels':{'V1':'volt age'}}}", NULL, 0, "adc.channels.V1" },
	{ "{'adc':{'channels':{'V1':5}}}", NULL, 0, "adc.channels.V1" },
	{ UPLOAD(",'url':'https://example.com/api'"), NULL, 0, NULL },
	{ UPLOAD(",'url':'ftp://example.com/'"), NULL, 0, "upload[0].url" },
	{ "{'alarms':[{'id':1,'high':1,'emails':['a@example.com','bad']}]}", NULL, 0, "alarms[0].emails[1]" },
	{ "{'smtp':{'from':'x'}}", NULL, 0, "smtp.from" },

	/* ports */
	{ MQTT(",'port':0"), NULL, 0, "mqtt[0].port" },
	{ MQTT(",'port':1"), NULL, 0, NULL },
	{ MQTT(",'port':65535"), NULL, 0, NULL },
	{ MQTT(",'port':65536"), NULL, 0, "mqtt[0].port" },
	{ "{'smtp':{'port':0}}", NULL, 0, "smtp.port" },
	{ "{'smtp':{'port':1}}", NULL, 0, NULL },
	{ "{'smtp':{'port':65535}}", NULL, 0, NULL },
	{ "{'smtp':{'port':65536}}", NULL, 0, "smtp.port" },

	/* unique values and slot ids */
	{ "{'meters':[{'id':1},{'id':1}]}", NULL, 0, "meters" },
	{ "{'pulses':[{'id':2},{'id':3},{'id':2}]}", NULL, 0, "pulses" },
	{ "{'upload':[{'name':'a'},{'name':'a'}]}", NULL, 0, "upload[1].name" },
	{ "{'upload':[{'name':'a'},{'name':'b'}]}", NULL, 0, NULL },
	{ "{'alarms':[{'id':5,'enabled':false},{'id':5,'enabled':false}]}", NULL, 0, "alarms[1].id" },
	{ "{'alarms':[{'id':5,'enabled':false},{'id':6,'enabled':false},{'id':5,'enabled':false}]}", NULL, 0,
	  "alarms[2].id" },
	{ "{'mqtt':[{},{}]}", NULL, 0, "mqtt[1].title" }, /* both default to the same title */
	{ "{'mqtt':[{'title':'a'},{'title':'b'}]}", NULL, 0, NULL },
	{ "{'meters':[{'id':0}]}", NULL, 0, "meters" },
	{ "{'meters':[{'id':9}]}", NULL, 0, "meters" },
	{ "{'meters':[{'name':'no id'}]}", NULL, 0, "meters" },
	{ "{'meters':[{'id':'1'}]}", NULL, 0, "meters" },
	{ "{'meters':[{'id':1.0}]}", NULL, 0, "meters" },
	{ "{'meters':[5]}", NULL, 0, "meters" },
	{ "{'meters':[{'id':1},{'id':2},{'id':3},{'id':4},{'id':5},{'id':6},{'id':7},{'id':8},{'id':1}]}", NULL, 0,
	  "meters" },
	{ "{'upload':[{}]}", NULL, 0, "upload[0].name" },
	{ "{'alarms':[{'enabled':false}]}", NULL, 0, "alarms[0].id" },
	/* a slot's fields are named by slot, wherever the file lists it */
	{ "{'meters':[{'id':3,'ct_rating_a':0}]}", NULL, 0, "meters[2].ct_rating_a" },
	{ "{'meters':[{'id':8},{'id':2,'name':5}]}", NULL, 0, "meters[1].name" },

	/* unknown keys */
	{ "{'bogus':1}", NULL, 0, "bogus" },
	{ "{'hub':{'nmae':'x'}}", NULL, 0, "hub.nmae" },
	{ METER(",'bogus':1"), NULL, 0, "meters[0].bogus" },
	{ "{'meters':[{'id':3,'bogus':1}]}", NULL, 0, "meters[2].bogus" },
	{ MQTT(",'bogus':true"), NULL, 0, "mqtt[0].bogus" },
	{ "{'version':1,'meters':[{'id':1,'ct_rating':200}]}", NULL, 0, "meters[0].ct_rating" },

	/* null */
	{ "{'adc':{'source':null}}", NULL, 0, "adc.source" },
	{ "{'hub':null}", NULL, 0, "hub" },
	{ "{'meters':null}", NULL, 0, "meters" },
	{ METER(",'enabled':null"), NULL, 0, "meters[0].enabled" },
	{ METER(",'temp_sensor':null"), NULL, 0, NULL },
	{ "{'alarms':[{'id':1,'high':null,'low':5,'emails':['a@example.com']}]}", NULL, 0, NULL },
	{ "{'version':null}", NULL, 0, "version" },

	/* control characters */
	{ "{'hub':{'site':'a\\nb'}}", NULL, 0, "hub.site" },
	{ "{'hub':{'site':'a\\tb'}}", NULL, 0, "hub.site" },
	{ "{'hub':{'site':'a\\u0007b'}}", NULL, 0, "hub.site" },
	{ "{'hub':{'site':'a\\u007fb'}}", NULL, 0, "hub.site" },
	{ "{'hub':{'site':'a\\u0000b'}}", NULL, 0, "hub.site" },
	{ "{'hub':{'site':'Caf\\u00e9 \\u00a3 \\u20ac'}}", NULL, 0, NULL },

	/* string length, counted in characters */
	{ "{'hub':{'company':'%s'}}", "x", 128, NULL },
	{ "{'hub':{'company':'%s'}}", "x", 129, "hub.company" },
	{ "{'hub':{'company':'%s'}}", "\xc3\xa9", 128, NULL },
	{ "{'hub':{'company':'%s'}}", "\xc3\xa9", 129, "hub.company" },
	{ "{'network':{'hostname':'%s'}}", "h", 63, NULL },
	{ "{'network':{'hostname':'%s'}}", "h", 64, "network.hostname" },
	{ "{'meters':[{'id':1,'name':'%s'}]}", "n", 64, NULL },
	{ "{'meters':[{'id':1,'name':'%s'}]}", "n", 65, "meters[0].name" },
	{ "{'mqtt':[{'client_id':'%s'}]}", "c", 23, NULL },
	{ "{'mqtt':[{'client_id':'%s'}]}", "c", 24, "mqtt[0].client_id" },
	{ "{'interface':{'currency':'%s'}}", "\xe2\x82\xac", 8, NULL },
	{ "{'interface':{'currency':'%s'}}", "\xe2\x82\xac", 9, "interface.currency" },
	/* an error whose path or reason is cut inside a UTF-8 character is
	 * still reported (it used to be lost, and the document accepted) */
	{ UPLOAD(",'url':'http://%s/'"), "\xc3\xa9", 127, "upload[0].url" },
	{ "{'network':{'hostname':''}}", NULL, 0, "network.hostname" },
	{ "{'adc':{'source':''}}", NULL, 0, "adc.source" },
	{ MQTT(",'topic':''"), NULL, 0, "mqtt[0].topic" },
	{ "{'upload':[{'name':''}]}", NULL, 0, "upload[0].name" },

	/* rules across keys */
	{ "{'network':{'dhcp':false,'ip':'192.168.1.227','netmask':'255.255.255.0','gateway':'192.168.1.1'}}",
	  NULL, 0, NULL },
	{ "{'network':{'dhcp':false,'netmask':'255.255.255.0','gateway':'192.168.1.1'}}", NULL, 0, "network.ip" },
	{ "{'network':{'dhcp':false,'ip':'192.168.1.227','gateway':'192.168.1.1'}}", NULL, 0, "network.netmask" },
	{ "{'network':{'dhcp':false,'ip':'192.168.1.227','netmask':'255.255.255.0'}}", NULL, 0, "network.gateway" },
	{ "{'meters':[{'id':1,'enabled':true,'ct_input':2},{'id':2,'enabled':true}]}", NULL, 0, "meters[1].ct_input" },
	{ "{'meters':[{'id':1,'enabled':true,'ct_input':2},{'id':2}]}", NULL, 0, NULL },
	{ "{'mqtt':[{'enabled':true}]}", NULL, 0, "mqtt[0].host" },
	{ "{'mqtt':[{'enabled':true,'host':'broker.example.com'}]}", NULL, 0, NULL },
	{ MQTT(",'meters':[1,2,1]"), NULL, 0, "mqtt[0].meters[2]" },
	{ MQTT(",'meters':[9]"), NULL, 0, "mqtt[0].meters[0]" },
	{ UPLOAD(",'enabled':true"), NULL, 0, "upload[0].url" },
	{ UPLOAD(",'enabled':true,'url':'http://db:8086/','type':'influxdb'"), NULL, 0, "upload[0].influx_db" },
	{ UPLOAD(",'enabled':true,'url':'http://db:8086/','type':'influxdb','influx_db':'hub'"), NULL, 0, NULL },
	{ UPLOAD(",'enabled':false,'type':'influxdb'"), NULL, 0, NULL },
	{ UPLOAD(",'enabled':true,'url':'http://db:8086/','type':'influxdb','influx_api':'v2','influx_bucket':'b'"),
	  NULL, 0, "upload[0].influx_org" },
	{ "{'alarms':[{'id':1,'enabled':false,'high':5,'low':5}]}", NULL, 0, "alarms[0].high" },
	{ "{'alarms':[{'id':1,'enabled':false,'high':4,'low':5}]}", NULL, 0, "alarms[0].high" },
	{ "{'alarms':[{'id':1,'high':5}]}", NULL, 0, "alarms[0].emails" },
	{ "{'alarms':[{'id':1,'emails':['a@example.com']}]}", NULL, 0, "alarms[0].high" },
	{ "{'alarms':[{'id':1,'low':0.9,'quantity':'PF','emails':['a@example.com']}]}", NULL, 0, NULL },

	/* version */
	{ "{'version':99}", NULL, 0, "version" },
	{ "{'version':2}", NULL, 0, "version" },
	{ "{'version':-1}", NULL, 0, "version" },
	{ "{'version':'1'}", NULL, 0, "version" },
	{ "{'version':1.0}", NULL, 0, "version" },
};

#define NROWS ((int)(sizeof s_rows / sizeof s_rows[0]))

static char *s_row_text(const struct row *r)
{
	if (!r->fill)
		return strdup(r->doc);
	size_t unit = strlen(r->fill);
	char *fill = malloc(unit * (size_t)r->count + 1);
	for (int i = 0; i < r->count; i++)
		memcpy(fill + unit * (size_t)i, r->fill, unit);
	fill[unit * (size_t)r->count] = '\0';
	char *text = NULL;
	ck_assert_int_gt(asprintf(&text, r->doc, fill), 0);
	free(fill);
	return text;
}

START_TEST(document_is_accepted_or_refused_on_exactly_the_bad_field)
{
	const struct row *r = &s_rows[_i];
	char *text = s_row_text(r);
	json_t *doc = s_parse(text), *errors = NULL;
	struct config *cfg = config_from_json(doc, &errors);
	char fields[2048] = "";
	if (errors)
		s_fields(errors, fields, sizeof fields);
	if (!r->field) {
		ck_assert_msg(cfg != NULL, "row %d %s refused: %s", _i, text, fields);
		ck_assert(json_is_object(cfg->root));
	} else {
		ck_assert_msg(cfg == NULL, "row %d %s accepted, expected an error on %s", _i, text, r->field);
		ck_assert_msg(json_array_size(errors) == 1 && s_has_field(errors, r->field),
			      "row %d %s: expected one error on %s, got: %s", _i, text, r->field, fields);
		const char *why = json_string_value(json_object_get(json_array_get(errors, 0), "error"));
		ck_assert_msg(why && *why, "row %d: error on %s without a reason", _i, r->field);
	}
	config_destroy(&cfg);
	ck_assert_ptr_null(cfg);
	json_decref(errors);
	json_decref(doc);
	free(text);
}
END_TEST

/* A refusal names the field (once: in "field", not again in the text),
 * what was found and what is allowed; a secret's value is never shown. */
struct said {
	const char *doc, *field, *error;
};

static const struct said s_said[] = {
	{ "{'version':-1}", "version", "must be a whole number from 0 to 1 (is -1)" },
	{ "{'version':'1'}", "version", "must be a whole number from 0 to 1 (is \"1\")" },
	{ "{'version':1.0}", "version", "must be a whole number from 0 to 1 (is 1.0)" },
	{ "{'version':null}", "version", "must be a whole number from 0 to 1 (is null)" },
	{ "{'version':2}", "version",
	  "must be at most 1, the newest this software understands (is 2); a newer document is refused, not guessed at" },
	{ "{'meters':[{'id':9}]}", "meters", "entry [0] of the list: id must be a whole number from 1 to 8 (is 9)" },
	/* not meters[2], which is meter 3: the list's place in the file */
	{ "{'meters':[{'id':1},{'id':2},{'id':9}]}", "meters",
	  "entry [2] of the list: id must be a whole number from 1 to 8 (is 9)" },
	{ "{'meters':[{'id':4},{'id':1},{'id':4}]}", "meters", "entry [2] of the list: id 4 is already used by entry [0]" },
	{ "{'meters':[{'id':0}]}", "meters", "entry [0] of the list: id must be a whole number from 1 to 8 (is 0)" },
	{ "{'meters':[{'id':'1'}]}", "meters", "entry [0] of the list: id must be a whole number from 1 to 8 (is \"1\")" },
	{ "{'pulses':[{'id':1.5}]}", "pulses", "entry [0] of the list: id must be a whole number from 1 to 8 (is 1.5)" },
	{ "{'meters':[{'enabled':true}]}", "meters",
	  "entry [0] of the list: id is required: which slot this is, a whole number from 1 to 8" },
	{ "{'meters':[5]}", "meters", "entry [0] of the list: must be an object {\"id\": ...} (is 5)" },
	{ "{'meters':{}}", "meters", "must be a list [...] (is an object)" },
	{ "{'hub':[]}", "hub", "must be an object {...} (is a list)" },
	{ "{'meters':[{'id':1,'enabled':'yes'}]}", "meters[0].enabled", "must be true or false (is \"yes\")" },
	{ "{'meters':[{'id':1,'ct_rating_a':'100'}]}", "meters[0].ct_rating_a",
	  "must be a number from 1 to 10000 (is \"100\")" },
	{ "{'meters':[{'id':1,'ct_rating_a':0}]}", "meters[0].ct_rating_a", "must be from 1 to 10000 (is 0)" },
	{ "{'meters':[{'id':1,'ct_input':true}]}", "meters[0].ct_input", "must be a whole number from 1 to 8 (is true)" },
	{ "{'hub':{'site':12}}", "hub.site", "must be text in quotes (is 12)" },
	{ "{'hub':{'site':'a\u00a0b\\nc'}}", "hub.site",
	  "must not contain control characters (such as a line break) (is \"a<U+00A0>b<U+000A>c\")" },
	{ "{'network':{'ip':'300.1.1.1'}}", "network.ip",
	  "not an IPv4 address (four numbers 0-255 separated by dots, e.g. 192.168.1.227) (is \"300.1.1.1\")" },
	{ "{'adc':{'source':'foo'}}", "adc.source", "must be iio, sim or replay:FILE (is \"foo\")" },
	{ "{'hub':{'sitee':'x'}}", "hub.sitee",
	  "unknown key; hub holds company, site, contact, email, phone, address or mac" },
	{ "{'hub':{'site':'%s'}}", "hub.site", "is too long (129 characters, at most 128)" },
	/* across keys */
	{ "{'upload':[{'name':'a'},{'name':'a'}]}", "upload[1].name", "must differ from upload[0].name (both are \"a\")" },
	{ "{'mqtt':[{'title':'m','meters':[3,1,3]}]}", "mqtt[0].meters[2]",
	  "meter 3 is already listed at mqtt[0].meters[0]; list each once" },
	{ "{'alarms':[{'id':1,'enabled':false,'high':5,'low':10}]}", "alarms[0].high", "must be above the low limit, 10 (is 5)" },
	/* secrets: the kind of value, never the value */
	{ "{'mqtt':[{'title':'m','password':1234}]}", "mqtt[0].password", "must be text in quotes (is a number)" },
	{ "{'mqtt':[{'title':'m','password':'a\\nb'}]}", "mqtt[0].password",
	  "must not contain control characters (such as a line break) (is text)" },
};

START_TEST(a_refusal_names_the_field_once_what_was_found_and_what_is_allowed)
{
	const struct said *r = &s_said[_i];
	struct row as_row = { .doc = r->doc, .fill = strstr(r->doc, "%s") ? "x" : NULL, .count = 129 };
	char *text = s_row_text(&as_row);
	json_t *doc = s_parse(text), *errors = NULL;
	ck_assert_ptr_null(config_from_json(doc, &errors));
	char fields[2048];
	s_fields(errors, fields, sizeof fields);
	ck_assert_msg(json_array_size(errors) == 1, "%s: %s", r->doc, fields);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "field")), r->field);
	ck_assert_str_eq(s_error_text(errors, 0), r->error);
	json_decref(errors);
	json_decref(doc);
	free(text);
}
END_TEST

START_TEST(every_bad_field_is_reported_not_just_the_first)
{
	json_t *doc = s_parse("{'adc':{'sample_rate_hz':1},'meters':[{'id':1,'ct_rating_a':0}],"
			      "'mqtt':[{'port':0}]}");
	json_t *errors = NULL;
	ck_assert_ptr_null(config_from_json(doc, &errors));
	char fields[2048];
	s_fields(errors, fields, sizeof fields);
	ck_assert_msg(json_array_size(errors) == 3, "got: %s", fields);
	ck_assert_msg(s_has_field(errors, "adc.sample_rate_hz"), "got: %s", fields);
	ck_assert_msg(s_has_field(errors, "meters[0].ct_rating_a"), "got: %s", fields);
	ck_assert_msg(s_has_field(errors, "mqtt[0].port"), "got: %s", fields);
	json_decref(errors);
	json_decref(doc);
}
END_TEST

/* The field path is cut to a fixed buffer; cut inside a character it must
 * still be recorded, as valid UTF-8, and the document refused. */
START_TEST(an_unknown_key_longer_than_a_field_path_is_still_reported)
{
	const char *units[] = { "k", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80" };
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		char key[2048] = "";
		for (int i = 0; i < 300; i++)
			strcat(key, units[u]);
		json_t *doc = json_pack("{s:{s:i}}", "hub", key, 1), *errors = NULL;
		ck_assert_ptr_nonnull(doc);
		struct config *cfg = config_from_json(doc, &errors);
		ck_assert_msg(cfg == NULL, "an unknown key of 300 x \"%s\" was accepted", units[u]);
		ck_assert_uint_eq(json_array_size(errors), 1);
		const char *field = json_string_value(json_object_get(json_array_get(errors, 0), "field"));
		ck_assert_ptr_nonnull(field);
		ck_assert_msg(!strncmp(field, "hub.", 4) && !strncmp(field + 4, key, strlen(field) - 4),
			      "field \"%s\" is not a prefix of the path", field);
		ck_assert_uint_gt(strlen(field), 200);
		json_decref(errors);
		json_decref(doc);
	}
}
END_TEST

START_TEST(a_document_that_is_not_an_object_is_refused)
{
	json_t *bad[] = { json_array(), json_string("{}"), json_null() };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *errors = NULL;
		ck_assert_ptr_null(config_from_json(bad[i], &errors));
		ck_assert_uint_eq(json_array_size(errors), 1);
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "field")), "");
		ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_array_get(errors, 0), "error")),
					     "object"));
		json_decref(errors);
		/* errors is optional */
		ck_assert_ptr_null(config_from_json(bad[i], NULL));
		json_decref(bad[i]);
	}
}
END_TEST

START_TEST(validation_does_not_modify_the_given_document)
{
	json_t *doc = s_parse("{'meters':[{'id':4,'ct_rating':200}],'mqtt':[{'interval':30}]}");
	json_t *before = json_deep_copy(doc);
	struct config *cfg = config_from_json(doc, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert(json_equal(doc, before));
	config_destroy(&cfg);
	json_decref(before);
	json_decref(doc);
}
END_TEST

/* --- defaults and slots --- */

START_TEST(an_empty_document_gives_every_default)
{
	struct config *cfg = s_config("{}");
	ck_assert_int_eq(config_int(cfg, "version"), CONFIG_VERSION);
	ck_assert_str_eq(config_string(cfg, "adc.source"), "iio");
	ck_assert_int_eq(config_int(cfg, "adc.sample_rate_hz"), 4000);
	ck_assert_uint_eq(json_array_size(config_get(cfg, "adc.v_gain")), 3);
	ck_assert_double_eq(config_number(cfg, "adc.v_gain[2]"), 1.0);
	ck_assert_uint_eq(json_object_size(config_get(cfg, "adc.channels")), 0);
	ck_assert_str_eq(config_string(cfg, "network.hostname"), "eniscope");
	ck_assert_str_eq(config_string(cfg, "network.ntp"), "pool.ntp.org");
	ck_assert(config_bool(cfg, "network.dhcp"));
	ck_assert(!config_bool(cfg, "network.require_ntp_sync"));
	ck_assert_ptr_null(config_string(cfg, "hub.mac"));
	ck_assert(json_is_null(config_get(cfg, "hub.mac")));
	ck_assert(!config_bool(cfg, "meters[0].enabled"));
	ck_assert_double_eq(config_number(cfg, "meters[0].ct_rating_a"), 100);
	ck_assert_str_eq(config_string(cfg, "meters[0].phase_type"), "3LN");
	ck_assert_uint_eq(json_array_size(config_get(cfg, "meters[5].ct_cal")), 3);
	ck_assert_double_eq(config_number(cfg, "meters[5].ct_cal[1].gain"), 1.0);
	ck_assert_str_eq(config_string(cfg, "interface.currency"), "\xc2\xa3");
	ck_assert_str_eq(config_string(cfg, "interface.timezone"), "UTC");
	ck_assert_int_eq(config_int(cfg, "storage.retention_days"), 90);
	ck_assert_int_eq(config_int(cfg, "smtp.port"), 587);
	ck_assert_uint_eq(json_array_size(config_get(cfg, "mqtt")), 0);
	ck_assert_uint_eq(json_array_size(config_get(cfg, "upload")), 0);
	ck_assert_uint_eq(json_array_size(config_get(cfg, "alarms")), 0);
	/* complete: every schema section is there */
	for (const struct cfg_key *k = config_schema; k->name; k++)
		ck_assert_msg(json_object_get(cfg->root, k->name) != NULL, "section %s missing", k->name);
	config_destroy(&cfg);
}
END_TEST

START_TEST(defaults_fill_the_keys_an_element_leaves_out)
{
	struct config *cfg = s_config("{'mqtt':[{'host':'broker'}],'upload':[{'name':'cloud'}],"
				      "'alarms':[{'id':7,'high':3,'emails':['a@example.com']}]}");
	ck_assert_int_eq(config_int(cfg, "mqtt[0].port"), 1883);
	ck_assert_int_eq(config_int(cfg, "mqtt[0].interval_s"), 10);
	ck_assert_str_eq(config_string(cfg, "mqtt[0].topic"), "eniscope");
	ck_assert(config_bool(cfg, "upload[0].tls_verify"));
	ck_assert_str_eq(config_string(cfg, "upload[0].type"), "http-json");
	ck_assert(config_bool(cfg, "alarms[0].enabled"));
	ck_assert(json_is_null(config_get(cfg, "alarms[0].low")));
	ck_assert_int_eq(config_int(cfg, "alarms[0].recovery_s"), 600);
	config_destroy(&cfg);
}
END_TEST

START_TEST(slots_are_always_all_eight_sorted_by_id_with_per_slot_defaults)
{
	struct config *cfg = s_config("{'meters':[{'id':5,'name':'Five','enabled':true},{'id':2}],"
				      "'pulses':[{'id':8,'unit':'L'}]}");
	const char *sections[] = { "meters", "pulses" };
	for (size_t s = 0; s < 2; s++) {
		json_t *arr = config_get(cfg, sections[s]);
		ck_assert_uint_eq(json_array_size(arr), CONFIG_SLOTS);
		for (size_t i = 0; i < CONFIG_SLOTS; i++)
			ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(arr, i), "id")), (int)i + 1);
	}
	ck_assert_str_eq(config_string(cfg, "meters[4].name"), "Five");
	ck_assert(config_bool(cfg, "meters[4].enabled"));
	ck_assert_str_eq(config_string(cfg, "meters[1].name"), "Meter 2");
	ck_assert_str_eq(config_string(cfg, "meters[2].name"), "Meter 3");
	ck_assert_int_eq(config_int(cfg, "meters[2].ct_input"), 3);
	ck_assert_int_eq(config_int(cfg, "meters[7].ct_input"), 8);
	ck_assert_str_eq(config_string(cfg, "pulses[7].unit"), "L");
	ck_assert_str_eq(config_string(cfg, "pulses[5].name"), "Pulse 6");
	ck_assert_int_eq(config_int(cfg, "pulses[5].gpio_line"), 6);
	config_destroy(&cfg);
}
END_TEST

/* --- migration --- */

START_TEST(a_version_0_document_loads_with_its_values_under_the_new_keys)
{
	struct config *cfg = s_config("{'meters':[{'id':1,'ct_rating':200}],"
				      "'mqtt':[{'interval':30,'host':'b'}]}");
	ck_assert_int_eq(config_int(cfg, "version"), 1);
	ck_assert_double_eq(config_number(cfg, "meters[0].ct_rating_a"), 200);
	ck_assert_ptr_null(config_get(cfg, "meters[0].ct_rating"));
	ck_assert_int_eq(config_int(cfg, "mqtt[0].interval_s"), 30);
	ck_assert_ptr_null(config_get(cfg, "mqtt[0].interval"));
	config_destroy(&cfg);
}
END_TEST

START_TEST(migration_keeps_a_value_already_under_the_new_name)
{
	json_t *doc = s_parse("{'meters':[{'id':1,'ct_rating':200,'ct_rating_a':300}]}");
	char err[256] = "";
	ck_assert_msg(config_migrate(doc, err, sizeof err) == 0, "%s", err);
	json_t *m = json_array_get(json_object_get(doc, "meters"), 0);
	ck_assert_double_eq(json_number_value(json_object_get(m, "ct_rating_a")), 300);
	ck_assert_ptr_null(json_object_get(m, "ct_rating"));
	json_decref(doc);
}
END_TEST

START_TEST(config_migrate_rewrites_a_document_in_place)
{
	json_t *doc = s_parse("{'meters':[{'id':3,'ct_rating':50}],'mqtt':[{'interval':30},{'interval':5}]}");
	char err[256] = "";
	ck_assert_msg(config_migrate(doc, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "version")), CONFIG_VERSION);
	json_t *expect = s_parse("{'version':1,'meters':[{'id':3,'ct_rating_a':50}],"
				 "'mqtt':[{'interval_s':30},{'interval_s':5}]}");
	char *got = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	ck_assert_msg(json_equal(doc, expect), "migrated to %s", got);
	free(got);
	/* migrating again changes nothing */
	ck_assert_int_eq(config_migrate(doc, err, sizeof err), 0);
	ck_assert(json_equal(doc, expect));
	json_decref(expect);
	json_decref(doc);
}
END_TEST

START_TEST(config_migrate_refuses_a_newer_or_malformed_version)
{
	const char *docs[] = { "{'version':99}", "{'version':'1'}", "{'version':-3}", "{'version':1.5}" };
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		json_t *doc = s_parse(docs[i]), *before = json_deep_copy(doc);
		char err[256] = "";
		ck_assert_int_eq(config_migrate(doc, err, sizeof err), -1);
		/* the caller puts it under the field "version": not named again */
		ck_assert_msg(!strncmp(err, "must be", 7), "%s: reason \"%s\"", docs[i], err);
		ck_assert_msg(json_equal(doc, before), "%s was changed", docs[i]);
		json_decref(before);
		json_decref(doc);
	}
	json_t *doc = s_parse("{'version':99}"), *errors = NULL;
	ck_assert_ptr_null(config_from_json(doc, &errors));
	ck_assert_uint_eq(json_array_size(errors), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "field")), "version");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_array_get(errors, 0), "error")), "99"));
	json_decref(errors);
	json_decref(doc);
}
END_TEST

/* --- paths --- */

START_TEST(path_set_sets_a_key_creating_its_section)
{
	json_t *doc = json_object(), *v = json_string("sim");
	char err[256] = "";
	ck_assert_msg(config_path_set(doc, "adc.source", v, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "adc"), "source")), "sim");
	json_decref(v);
	v = json_string("voltage5");
	ck_assert_msg(config_path_set(doc, "adc.channels.V1", v, err, sizeof err) == 0, "%s", err);
	json_decref(v);
	struct config *cfg = config_from_json(doc, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(config_string(cfg, "adc.source"), "sim");
	ck_assert_str_eq(config_string(cfg, "adc.channels.V1"), "voltage5");
	config_destroy(&cfg);
	json_decref(doc);
}
END_TEST

START_TEST(path_set_on_a_slot_creates_the_element_with_that_id_once)
{
	json_t *doc = json_object(), *v = json_string("Pump");
	char err[256] = "";
	ck_assert_msg(config_path_set(doc, "meters[2].name", v, err, sizeof err) == 0, "%s", err);
	json_decref(v);
	json_t *meters = json_object_get(doc, "meters");
	ck_assert_uint_eq(json_array_size(meters), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(meters, 0), "id")), 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(meters, 0), "name")), "Pump");

	ck_assert_msg(config_path_set(doc, "meters[2].enabled", json_true(), err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(json_array_size(meters), 1);
	ck_assert_msg(config_path_set(doc, "meters[0].enabled", json_true(), err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(json_array_size(meters), 2);

	struct config *cfg = config_from_json(doc, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(config_string(cfg, "meters[2].name"), "Pump");
	ck_assert(config_bool(cfg, "meters[2].enabled"));
	ck_assert(config_bool(cfg, "meters[0].enabled"));
	ck_assert(!config_bool(cfg, "meters[1].enabled"));
	config_destroy(&cfg);
	json_decref(doc);
}
END_TEST

START_TEST(path_set_on_a_list_appends_at_the_end_and_not_past_it)
{
	json_t *doc = json_object();
	char err[256] = "";
	json_t *host = json_string("broker.example.com"), *title = json_string("second");
	ck_assert_msg(config_path_set(doc, "mqtt[0].host", host, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "mqtt")), 1);
	ck_assert_msg(config_path_set(doc, "mqtt[0].enabled", json_true(), err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "mqtt")), 1);
	ck_assert_msg(config_path_set(doc, "mqtt[1].title", title, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "mqtt")), 2);
	ck_assert_int_eq(config_path_set(doc, "mqtt[3].host", host, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "mqtt[3].host") != NULL, "reason \"%s\" does not name the path", err);
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "mqtt")), 2);

	struct config *cfg = config_from_json(doc, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(config_string(cfg, "mqtt[0].host"), "broker.example.com");
	ck_assert(config_bool(cfg, "mqtt[0].enabled"));
	ck_assert_str_eq(config_string(cfg, "mqtt[1].title"), "second");
	config_destroy(&cfg);
	json_decref(host);
	json_decref(title);
	json_decref(doc);
}
END_TEST

static const char *const s_bad_paths[] = {
	"meters[9].name", "meters[8].name", "nope.x", "nope", "adc..source", "meters[a]", "meters[a].name",
	"meters[-1].name", "meters[2]", "adc.nope", "adc.source[0]", "adc.source.x", "meters.name", "hub[0]",
	"meters[1", "",
};

START_TEST(path_set_refuses_a_malformed_or_unknown_path_with_a_reason)
{
	const char *path = s_bad_paths[_i];
	json_t *doc = json_object(), *v = json_string("x");
	char err[256] = "";
	ck_assert_msg(config_path_set(doc, path, v, err, sizeof err) == -1, "\"%s\" accepted", path);
	ck_assert_msg(strlen(err) > 0, "\"%s\" refused without a reason", path);
	if (*path)
		ck_assert_msg(strstr(err, path) != NULL, "reason \"%s\" does not name \"%s\"", err, path);
	json_decref(v);
	json_decref(doc);
}
END_TEST

START_TEST(schema_lookup_finds_the_row_a_path_names)
{
	const struct cfg_key *k = config_schema_lookup("meters[0].name");
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->name, "name");
	ck_assert_int_eq(k->type, CFG_STRING);
	k = config_schema_lookup("meters[7].ct_cal[2].gain");
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(k->type, CFG_NUMBER);
	ck_assert_double_eq(k->min, 0.5);
	k = config_schema_lookup("adc.channels.V1");
	ck_assert_ptr_nonnull(k);
	ck_assert_ptr_eq(k->format, &cfg_fmt_iio_channel);
	k = config_schema_lookup("mqtt[7].password");
	ck_assert_ptr_nonnull(k);
	ck_assert(k->flags & CFG_SECRET);
	ck_assert_int_eq(config_schema_lookup("adc")->type, CFG_OBJECT);
	for (size_t i = 0; i < sizeof s_bad_paths / sizeof s_bad_paths[0]; i++) {
		if (!strcmp(s_bad_paths[i], "meters[2]")) /* a slot: a row, just not settable */
			continue;
		ck_assert_msg(config_schema_lookup(s_bad_paths[i]) == NULL, "\"%s\" names a row", s_bad_paths[i]);
	}
	ck_assert_ptr_null(config_schema_lookup("mqtt[8].host"));
}
END_TEST

START_TEST(config_get_and_the_typed_shortcuts_read_a_loaded_config)
{
	struct config *cfg = s_config("{'adc':{'source':'sim'},'meters':[{'id':3,'ct_rating_a':62.5,'enabled':true}],"
				      "'hub':{'mac':'00:11:22:33:44:55'}}");
	ck_assert_str_eq(json_string_value(config_get(cfg, "adc.source")), "sim");
	ck_assert_str_eq(config_string(cfg, "adc.source"), "sim");
	ck_assert_str_eq(config_string(cfg, "hub.mac"), "00:11:22:33:44:55");
	ck_assert_double_eq(config_number(cfg, "meters[2].ct_rating_a"), 62.5);
	ck_assert(config_bool(cfg, "meters[2].enabled"));
	ck_assert_int_eq(config_int(cfg, "meters[7].id"), 8);
	ck_assert_double_eq(config_number(cfg, "meters[0].ct_rating_a"), 100); /* an integer reads as a number */
	ck_assert_ptr_null(config_get(cfg, "nope"));
	ck_assert_ptr_null(config_get(cfg, "meters[8]"));
	ck_assert_ptr_null(config_get(cfg, "meters[8].id"));
	ck_assert_ptr_null(config_get(cfg, "adc.source.x"));
	ck_assert_ptr_null(config_get(cfg, "adc..source"));
	ck_assert_ptr_null(config_get(cfg, "meters[a]"));
	ck_assert_ptr_null(config_get(cfg, "meters.id"));
	config_destroy(&cfg);
}
END_TEST

START_TEST(a_typed_shortcut_on_a_path_outside_the_schema_aborts)
{
	struct config *cfg = s_config("{}");
	config_int(cfg, "adc.no_such_key");
	config_destroy(&cfg); /* not reached */
}
END_TEST

/* --- redaction and the schema export --- */

START_TEST(redacted_copy_hides_every_secret_that_is_set)
{
	struct config *cfg = s_config("{'mqtt':[{'username':'user','password':'s3cret-mqtt'}],"
				      "'upload':[{'name':'cloud','token':'s3cret-token'}],"
				      "'smtp':{'password':'s3cret-smtp'},'security':{'display_password_hash':'$y$s3cret'}}");
	json_t *r = config_redacted(cfg);
	ck_assert_ptr_nonnull(r);
	json_t *mqtt = json_array_get(json_object_get(r, "mqtt"), 0);
	json_t *up = json_array_get(json_object_get(r, "upload"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(mqtt, "password")), "***");
	ck_assert_str_eq(json_string_value(json_object_get(mqtt, "username")), "user");
	ck_assert_str_eq(json_string_value(json_object_get(up, "token")), "***");
	ck_assert_str_eq(json_string_value(json_object_get(up, "password")), ""); /* unset stays visibly unset */
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "smtp"), "password")), "***");
	char *text = json_dumps(r, JSON_COMPACT);
	ck_assert_msg(strstr(text, "s3cret") == NULL, "a secret leaked: %s", text);
	free(text);
	/* the config itself keeps them */
	ck_assert_str_eq(config_string(cfg, "mqtt[0].password"), "s3cret-mqtt");
	ck_assert_str_eq(config_string(cfg, "upload[0].token"), "s3cret-token");
	json_decref(r);
	config_destroy(&cfg);
}
END_TEST

static json_t *s_schema_key(json_t *obj, const char *name)
{
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(obj, "keys"), i, k)
		if (!strcmp(json_string_value(json_object_get(k, "name")), name))
			return k;
	return NULL;
}

/* every section but version on exactly one page, and no page names a
 * section that does not exist: a form the pages build from it is never
 * missing nor doubled */
START_TEST(schema_pages_cover_every_section_once)
{
	json_t *s = config_schema_json();
	json_t *pages = json_object_get(s, "pages");
	ck_assert_uint_gt(json_array_size(pages), 0);
	for (const struct cfg_key *k = config_schema; k->name; k++) {
		int on = 0;
		size_t i, j;
		json_t *page, *sec;
		json_array_foreach(pages, i, page) {
			ck_assert_ptr_nonnull(json_string_value(json_object_get(page, "title")));
			json_array_foreach(json_object_get(page, "sections"), j, sec) on += !strcmp(json_string_value(sec), k->name);
		}
		ck_assert_msg(on == (strcmp(k->name, "version") ? 1 : 0), "%s is on %d pages", k->name, on);
	}
	size_t i, j;
	json_t *page, *sec;
	json_array_foreach(pages, i, page) json_array_foreach(json_object_get(page, "sections"), j, sec)
		ck_assert_msg(s_schema_key(s, json_string_value(sec)), "page %zu names no section %s", i,
			      json_string_value(sec));
	json_decref(s);
}
END_TEST

START_TEST(schema_export_has_the_version_and_every_key)
{
	json_t *s = config_schema_json();
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "version")), CONFIG_VERSION);
	size_t n = 0;
	for (const struct cfg_key *k = config_schema; k->name; k++, n++) {
		json_t *row = json_array_get(json_object_get(s, "keys"), n);
		ck_assert_str_eq(json_string_value(json_object_get(row, "name")), k->name);
		ck_assert_ptr_nonnull(json_string_value(json_object_get(row, "type")));
		ck_assert_ptr_nonnull(json_string_value(json_object_get(row, "label")));
	}
	ck_assert_uint_eq(json_array_size(json_object_get(s, "keys")), n);

	json_t *meters = s_schema_key(s, "meters");
	ck_assert(json_is_true(json_object_get(meters, "slots")));
	json_t *rating = s_schema_key(json_object_get(meters, "item"), "ct_rating_a");
	ck_assert_ptr_nonnull(rating);
	ck_assert_str_eq(json_string_value(json_object_get(rating, "type")), "number");
	ck_assert_double_eq(json_number_value(json_object_get(rating, "min")), 1);
	ck_assert_double_eq(json_number_value(json_object_get(rating, "max")), 10000);
	ck_assert_str_eq(json_string_value(json_object_get(rating, "default")), "100");
	json_t *pw = s_schema_key(json_object_get(s_schema_key(s, "mqtt"), "item"), "password");
	ck_assert(json_is_true(json_object_get(pw, "secret")));
	json_t *ip = s_schema_key(s_schema_key(s, "network"), "ip");
	ck_assert_str_eq(json_string_value(json_object_get(ip, "format")), "ipv4");
	json_decref(s);
}
END_TEST

/* --- files --- */

static char *s_dir;

static void s_setup(void)
{
	s_dir = scratch_dir_new("check_config");
}

static void s_teardown(void)
{
	scratch_dir_remove(s_dir);
	s_dir = NULL;
}


START_TEST(loading_a_missing_file_gives_the_defaults)
{
	char *path = scratch_path(s_dir, "config.json");
	json_t *errors = NULL;
	struct config *cfg = config_load(path, &errors);
	ck_assert_ptr_nonnull(cfg);
	struct config *defaults = s_config("{}");
	ck_assert(json_equal(cfg->root, defaults->root));
	config_destroy(&defaults);
	config_destroy(&cfg);
	json_t *raw = config_read_raw(path, &errors);
	ck_assert(json_is_object(raw));
	ck_assert_uint_eq(json_object_size(raw), 0);
	json_decref(raw);
	ck_assert_int_eq(access(path, F_OK), -1); /* loading never creates it */
	free(path);
}
END_TEST

START_TEST(loading_a_file_with_a_syntax_error_names_line_and_column)
{
	char *path = scratch_path(s_dir, "config.json");
	scratch_write(path, "{\n  \"hub\": {\n    \"site\": \"x\" \"y\"\n  }\n}\n");
	json_t *errors = NULL;
	ck_assert_ptr_null(config_load(path, &errors));
	ck_assert_uint_eq(json_array_size(errors), 1);
	const char *why = s_error_text(errors, 0);
	ck_assert_msg(strstr(why, "line 3") && strstr(why, "column"), "\"%s\" does not name line 3 and a column", why);
	ck_assert_msg(strstr(why, path) != NULL, "\"%s\" does not name the file", why);
	json_decref(errors);
	free(path);
}
END_TEST

START_TEST(loading_a_file_with_a_duplicate_key_is_refused)
{
	char *path = scratch_path(s_dir, "config.json");
	scratch_write(path, "{\"hub\":{\"site\":\"a\",\"site\":\"b\"}}");
	json_t *errors = NULL;
	ck_assert_ptr_null(config_load(path, &errors));
	ck_assert_uint_eq(json_array_size(errors), 1);
	ck_assert_msg(strstr(s_error_text(errors, 0), "duplicate") != NULL, "%s", s_error_text(errors, 0));
	json_decref(errors);
	free(path);
}
END_TEST

START_TEST(loading_a_file_that_is_not_an_object_or_not_a_file_is_refused)
{
	char *path = scratch_path(s_dir, "config.json");
	scratch_write(path, "[1,2]");
	json_t *errors = NULL;
	ck_assert_ptr_null(config_load(path, &errors));
	ck_assert_msg(strstr(s_error_text(errors, 0), "object") != NULL, "%s", s_error_text(errors, 0));
	json_decref(errors);
	errors = NULL;
	/* a directory where the file should be */
	ck_assert_ptr_null(config_load(s_dir, &errors));
	ck_assert_uint_eq(json_array_size(errors), 1);
	ck_assert_msg(strstr(s_error_text(errors, 0), s_dir) != NULL, "%s", s_error_text(errors, 0));
	json_decref(errors);
	free(path);
}
END_TEST

/* What is at the config path, and what loading it says.  "%s" in said is
 * the path.  Each of these once said nothing useful ("'[' or '{' expected
 * near end of file", an invisible character) or blocked in open(). */
enum at_path { AT_TEXT, AT_DIR, AT_FIFO, AT_DEV_ZERO, AT_DANGLING, AT_NOTHING, AT_TOO_BIG };

struct file_row {
	enum at_path at;
	const char *text; /* AT_TEXT; bytes, up to the first "\0\0" */
	size_t len;
	const char *said; /* NULL: loads */
};

#define TEXT(t) AT_TEXT, t, sizeof t - 1

static const struct file_row s_files[] = {
	{ TEXT("{}"), NULL },
	/* RFC 8259 section 8.1: a parser may ignore a UTF-8 byte order mark */
	{ TEXT("\xef\xbb\xbf{\"hub\":{\"site\":\"x\"}}"), NULL },
	{ TEXT("\xff\xfe{\0}\0"), "%s: is UTF-16 text; save it as UTF-8 (RFC 8259 section 8.1)" },
	{ TEXT(""), "%s: is empty; a configuration is a JSON object ({} gives every default)" },
	{ TEXT(" \n\t\r\n"), "%s: is empty; a configuration is a JSON object ({} gives every default)" },
	{ TEXT("{\n \"hub\": {\0}}"), "%s: line 2, column 10: a NUL byte; a configuration is UTF-8 text" },
	{ TEXT("{\"hub\":\xc2\xa0{}}"), "%s: line 1, column 8: invalid token near '<U+00A0>'" },
	{ TEXT("{\"hub\":{}}\xe2\x80\x8b"), "%s: line 1, column 11: end of file expected near '<U+200B>'" },
	{ TEXT("{\"hub\":\xff}"), "%s: line 1, column 7: unable to decode byte 0xff" },
	{ TEXT("[1,2]"), "%s: the document must be a JSON object {...} (is a list)" },
	{ TEXT("\"x\""), "%s: line 1, column 3: '[' or '{' expected near '\"x\"'" },
	{ AT_DIR, NULL, 0, "%s: is a directory, not a regular file" },
	{ AT_FIFO, NULL, 0, "%s: is a FIFO, not a regular file" },
	{ AT_DEV_ZERO, NULL, 0, "%s: is a character device, not a regular file" },
	{ AT_DANGLING, NULL, 0, "%s: is a symbolic link to /nonexistent/config.json, which does not exist" },
	{ AT_TOO_BIG, NULL, 0, "%s: is larger than the 1048576 bytes allowed" },
	{ AT_NOTHING, NULL, 0, NULL }, /* a new hub: every default */
};

static void s_put(const char *path, const struct file_row *r)
{
	FILE *f;
	switch (r->at) {
	case AT_TEXT:
		f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(r->text, 1, r->len, f), r->len);
		ck_assert_int_eq(fclose(f), 0);
		break;
	case AT_TOO_BIG:
		/* valid JSON, padded past the limit */
		f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		for (size_t i = 0; i < CONFIG_FILE_MAX; i++)
			ck_assert_int_ne(fputc(' ', f), EOF);
		fputs("{}", f);
		ck_assert_int_eq(fclose(f), 0);
		break;
	case AT_DIR:
		ck_assert_int_eq(mkdir(path, 0755), 0);
		break;
	case AT_FIFO:
		ck_assert_int_eq(mkfifo(path, 0644), 0);
		break;
	case AT_DEV_ZERO:
		ck_assert_int_eq(symlink("/dev/zero", path), 0);
		break;
	case AT_DANGLING:
		ck_assert_int_eq(symlink("/nonexistent/config.json", path), 0);
		break;
	case AT_NOTHING:
		break;
	}
}

START_TEST(loading_only_reads_a_regular_file_and_says_what_else_is_there)
{
	const struct file_row *r = &s_files[_i];
	char *path = scratch_path(s_dir, "config.json");
	s_put(path, r);
	json_t *errors = NULL;
	struct config *cfg = config_load(path, &errors);
	if (!r->said) {
		char fields[2048] = "";
		if (errors)
			s_fields(errors, fields, sizeof fields);
		ck_assert_msg(cfg != NULL, "row %d refused: %s", _i, fields);
		ck_assert(cfg->from_file == (r->at != AT_NOTHING));
	} else {
		ck_assert_msg(cfg == NULL, "row %d loaded", _i);
		ck_assert_uint_eq(json_array_size(errors), 1);
		char expect[1024];
		snprintf(expect, sizeof expect, r->said, path);
		ck_assert_str_eq(s_error_text(errors, 0), expect);
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "field")), "");
	}
	/* the raw read, as config_update does, agrees */
	json_t *raw = config_read_raw(path, NULL);
	ck_assert((raw != NULL) == (r->said == NULL));
	json_decref(raw);
	json_decref(errors);
	config_destroy(&cfg);
	free(path);
}
END_TEST

/* `eniscopectl config check FILE` on a path with nothing at it: an error
 * naming the path, not "ok" on the defaults. */
START_TEST(loading_a_file_that_must_exist_refuses_a_missing_one)
{
	char *path = scratch_path(s_dir, "config.json");
	json_t *errors = NULL;
	ck_assert_ptr_null(config_load_existing(path, &errors));
	char expect[1024];
	snprintf(expect, sizeof expect, "%s: no such file", path);
	ck_assert_uint_eq(json_array_size(errors), 1);
	ck_assert_str_eq(s_error_text(errors, 0), expect);
	json_decref(errors);
	errors = NULL;
	scratch_write(path, "{\"hub\":{\"site\":\"x\"}}");
	struct config *cfg = config_load_existing(path, &errors);
	ck_assert_ptr_nonnull(cfg);
	ck_assert(cfg->from_file);
	ck_assert_str_eq(config_string(cfg, "hub.site"), "x");
	config_destroy(&cfg);
	free(path);
}
END_TEST

/* A reload: the running config (none, the defaults of a new hub, or one
 * read from the file) and what is at the path now. */
enum running { RUN_NONE, RUN_DEFAULTS, RUN_FROM_FILE };

struct reload_row {
	enum running running;
	enum at_path at;
	const char *said; /* NULL: a new config ("site" "x" from AT_TEXT, defaults from AT_NOTHING) */
};

static const struct reload_row s_reloads[] = {
	{ RUN_NONE, AT_NOTHING, NULL },
	{ RUN_DEFAULTS, AT_NOTHING, NULL },
	{ RUN_FROM_FILE, AT_NOTHING,
	  "%s: no such file any more, and the running configuration came from it (to go back to the defaults, save {} in it)" },
	{ RUN_FROM_FILE, AT_DANGLING, "%s: is a symbolic link to /nonexistent/config.json, which does not exist" },
	{ RUN_DEFAULTS, AT_DANGLING, "%s: is a symbolic link to /nonexistent/config.json, which does not exist" },
	{ RUN_FROM_FILE, AT_FIFO, "%s: is a FIFO, not a regular file" },
	{ RUN_NONE, AT_TEXT, NULL },
	{ RUN_DEFAULTS, AT_TEXT, NULL },
	{ RUN_FROM_FILE, AT_TEXT, NULL },
};

START_TEST(a_reload_refuses_a_vanished_file_only_when_the_running_config_came_from_one)
{
	const struct reload_row *r = &s_reloads[_i];
	char *path = scratch_path(s_dir, "config.json");
	struct config *running = NULL;
	if (r->running == RUN_DEFAULTS)
		running = config_load(path, NULL);
	if (r->running == RUN_FROM_FILE) {
		scratch_write(path, "{\"meters\":[{\"id\":1,\"enabled\":true}]}");
		running = config_load(path, NULL);
		ck_assert_int_eq(unlink(path), 0);
	}
	ck_assert((running != NULL) == (r->running != RUN_NONE));
	const struct file_row put = { .at = r->at, .text = "{\"hub\":{\"site\":\"x\"}}", .len = 20 };
	s_put(path, &put);
	json_t *errors = NULL;
	struct config *cfg = config_reload(path, running, &errors);
	if (!r->said) {
		ck_assert_msg(cfg != NULL, "row %d refused: %s", _i, s_error_text(errors, 0));
		ck_assert_str_eq(config_string(cfg, "hub.site"), r->at == AT_TEXT ? "x" : "");
		ck_assert(!config_bool(cfg, "meters[0].enabled"));
	} else {
		ck_assert_msg(cfg == NULL, "row %d: a new config instead of an error", _i);
		char expect[1024];
		snprintf(expect, sizeof expect, r->said, path);
		ck_assert_str_eq(s_error_text(errors, 0), expect);
	}
	json_decref(errors);
	config_destroy(&cfg);
	config_destroy(&running);
	free(path);
}
END_TEST

START_TEST(loading_a_valid_file_with_a_bad_value_names_the_field)
{
	char *path = scratch_path(s_dir, "config.json");
	scratch_write(path, "{\"version\":1,\"storage\":{\"retention_days\":0}}");
	json_t *errors = NULL;
	ck_assert_ptr_null(config_load(path, &errors));
	ck_assert(s_has_field(errors, "storage.retention_days"));
	json_decref(errors);
	free(path);
}
END_TEST

START_TEST(read_raw_migrates_an_old_file_without_adding_defaults)
{
	char *path = scratch_path(s_dir, "config.json");
	scratch_write(path, "{\"meters\":[{\"id\":2,\"ct_rating\":60}]}");
	json_t *errors = NULL;
	json_t *raw = config_read_raw(path, &errors);
	ck_assert_ptr_nonnull(raw);
	json_t *expect = s_parse("{'version':1,'meters':[{'id':2,'ct_rating_a':60}]}");
	ck_assert(json_equal(raw, expect));
	json_decref(expect);
	json_decref(raw);
	free(path);
}
END_TEST

struct set_edit {
	const char *path;
	json_t *value;
};

static int s_edit_set(json_t *doc, void *ud, char *err, size_t errlen)
{
	struct set_edit *e = ud;
	return config_path_set(doc, e->path, e->value, err, errlen);
}

static int s_edit_refuse(json_t *doc, void *ud, char *err, size_t errlen)
{
	(void)doc;
	(void)ud;
	snprintf(err, errlen, "refused by the editor");
	return -1;
}

START_TEST(update_applies_an_edit_and_saves_it)
{
	char *path = scratch_path(s_dir, "config.json");
	struct set_edit e = { "meters[2].name", json_string("Pump") };
	json_t *errors = NULL;
	ck_assert_int_eq(config_update(path, s_edit_set, &e, &errors), 0);
	ck_assert_ptr_null(errors);
	json_decref(e.value);

	/* the file holds the raw document, not every default */
	json_error_t jerr;
	json_t *saved = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	ck_assert_msg(saved != NULL, "%s", jerr.text);
	json_t *expect = s_parse("{'version':1,'meters':[{'id':3,'name':'Pump'}]}");
	ck_assert(json_equal(saved, expect));
	json_decref(expect);
	json_decref(saved);

	struct config *cfg = config_load(path, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(config_string(cfg, "meters[2].name"), "Pump");
	config_destroy(&cfg);

	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	/* the file and its lock; no temporary */
	char names[1024];
	ck_assert_msg(scratch_count(s_dir, names, sizeof names) == 2, "directory holds: %s", names);
	free(path);
}
END_TEST

START_TEST(update_writes_an_old_file_back_in_the_new_version)
{
	char *path = scratch_path(s_dir, "config.json");
	scratch_write(path, "{\"meters\":[{\"id\":1,\"ct_rating\":200}]}");
	struct set_edit e = { "adc.source", json_string("sim") };
	ck_assert_int_eq(config_update(path, s_edit_set, &e, NULL), 0);
	json_decref(e.value);
	json_t *saved = json_load_file(path, 0, NULL);
	json_t *expect = s_parse("{'version':1,'adc':{'source':'sim'},'meters':[{'id':1,'ct_rating_a':200}]}");
	ck_assert(json_equal(saved, expect));
	json_decref(expect);
	json_decref(saved);
	free(path);
}
END_TEST

/* config_replace (a restored backup, a reset's factory document): the
 * whole file replaced, migrated and validated, never read first. */
START_TEST(replace_writes_a_migrated_document_over_even_a_broken_file)
{
	char *path = scratch_path(s_dir, "config.json");
	scratch_write(path, "{ this is not JSON");
	json_t *doc = s_parse("{'meters':[{'id':1,'ct_rating':80}],'mqtt':[{'title':'Old','interval':30}]}");
	json_t *errors = NULL;
	ck_assert_int_eq(config_replace(path, doc, &errors), 0);
	ck_assert_ptr_null(errors);
	/* the given document is left as it was */
	ck_assert_ptr_null(json_object_get(doc, "version"));
	json_decref(doc);
	json_t *saved = json_load_file(path, 0, NULL);
	json_t *expect = s_parse("{'version':1,'meters':[{'id':1,'ct_rating_a':80}],"
				 "'mqtt':[{'title':'Old','interval_s':30}]}");
	ck_assert(json_equal(saved, expect));
	json_decref(expect);
	json_decref(saved);
	free(path);
}
END_TEST

START_TEST(replace_refuses_a_bad_or_newer_document_whole_and_leaves_the_file)
{
	char *path = scratch_path(s_dir, "config.json");
	const char *orig = "{\"version\":1,\"adc\":{\"source\":\"sim\"}}";
	scratch_write(path, orig);
	static const struct {
		const char *doc;
		const char *fields[2];
	} cases[] = {
		{ "{'meters':[{'id':1,'ct_rating_a':-5}],'network':{'hostname':'bad host'}}",
		  { "meters[0].ct_rating_a", "network.hostname" } },
		{ "{'version':99}", { "version", NULL } },
		{ "{'version':'one'}", { "version", NULL } },
		{ "{'no_such_section':{}}", { "no_such_section", NULL } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		json_t *doc = s_parse(cases[i].doc);
		json_t *errors = NULL;
		ck_assert_int_eq(config_replace(path, doc, &errors), -1);
		for (size_t f = 0; f < 2 && cases[i].fields[f]; f++)
			ck_assert_msg(s_has_field(errors, cases[i].fields[f]), "%s: %s not named", cases[i].doc,
				      cases[i].fields[f]);
		json_decref(errors);
		json_decref(doc);
		size_t len;
		char *now = scratch_read(path, &len);
		ck_assert_uint_eq(len, strlen(orig));
		ck_assert_mem_eq(now, orig, len);
		free(now);
	}
	free(path);
}
END_TEST

START_TEST(an_update_that_makes_the_document_invalid_leaves_the_file_untouched)
{
	char *path = scratch_path(s_dir, "config.json");
	const char *orig = "{\n  \"version\": 1,\n  \"adc\": {\"source\": \"sim\"}\n}\n";
	scratch_write(path, orig);
	struct set_edit e = { "meters[1].ct_rating_a", json_integer(0) };
	json_t *errors = NULL;
	ck_assert_int_eq(config_update(path, s_edit_set, &e, &errors), -1);
	json_decref(e.value);
	ck_assert_msg(s_has_field(errors, "meters[1].ct_rating_a"), "errors do not name the field");
	json_decref(errors);
	size_t len;
	char *now = scratch_read(path, &len);
	ck_assert_uint_eq(len, strlen(orig));
	ck_assert_mem_eq(now, orig, len);
	free(now);

	/* an edit that fails itself: the same, with its reason */
	errors = NULL;
	ck_assert_int_eq(config_update(path, s_edit_refuse, NULL, &errors), -1);
	ck_assert_uint_eq(json_array_size(errors), 1);
	ck_assert_str_eq(s_error_text(errors, 0), "refused by the editor");
	json_decref(errors);
	now = scratch_read(path, &len);
	ck_assert_mem_eq(now, orig, strlen(orig));
	free(now);

	/* a bad path from the editor */
	errors = NULL;
	e = (struct set_edit){ "adc..source", json_string("x") };
	ck_assert_int_eq(config_update(path, s_edit_set, &e, &errors), -1);
	json_decref(e.value);
	ck_assert_ptr_nonnull(strstr(s_error_text(errors, 0), "adc..source"));
	json_decref(errors);
	now = scratch_read(path, &len);
	ck_assert_mem_eq(now, orig, strlen(orig));
	free(now);
	free(path);
}
END_TEST

/* A time zone is saved only when the zone database has it (the history's
 * hours are its hours), by an update and a restore alike; a file holding
 * one it lacks (tzdata changed under it) still loads. */
START_TEST(a_time_zone_the_zone_database_lacks_is_not_saved_but_still_loads)
{
	char *path = scratch_path(s_dir, "config.json");
	const char *orig = "{\"version\":1,\"interface\":{\"timezone\":\"Europe/Paris\"}}";
	static const char *const bad[] = { "Mars/Olympus", "Europe", "Europe/", "leapseconds" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		scratch_write(path, orig);
		struct set_edit e = { "interface.timezone", json_string(bad[i]) };
		json_t *errors = NULL;
		ck_assert_int_eq(config_update(path, s_edit_set, &e, &errors), -1);
		ck_assert_msg(s_has_field(errors, "interface.timezone"), "%s: the field is not named", bad[i]);
		ck_assert_ptr_nonnull(strstr(s_error_text(errors, 0), "zone database"));
		json_decref(errors);
		json_t *doc = s_parse("{'interface':{'timezone':'Mars/Olympus'}}");
		json_object_set_new(json_object_get(doc, "interface"), "timezone", json_string(bad[i]));
		errors = NULL;
		ck_assert_int_eq(config_replace(path, doc, &errors), -1);
		ck_assert_msg(s_has_field(errors, "interface.timezone"), "%s: restore: the field is not named", bad[i]);
		json_decref(errors);
		json_decref(doc);
		json_decref(e.value);
		size_t len;
		char *now = scratch_read(path, &len);
		ck_assert_uint_eq(len, strlen(orig));
		ck_assert_mem_eq(now, orig, len);
		free(now);
	}
	struct set_edit e = { "interface.timezone", json_string("America/Argentina/Buenos_Aires") };
	ck_assert_int_eq(config_update(path, s_edit_set, &e, NULL), 0);
	json_decref(e.value);

	scratch_write(path, "{\"version\":1,\"interface\":{\"timezone\":\"Mars/Olympus\"}}");
	struct config *cfg = config_load(path, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(config_string(cfg, "interface.timezone"), "Mars/Olympus");
	config_destroy(&cfg);
	free(path);
}
END_TEST

START_TEST(an_update_of_an_unparsable_file_fails_and_leaves_it)
{
	char *path = scratch_path(s_dir, "config.json");
	scratch_write(path, "{ not json");
	struct set_edit e = { "adc.source", json_string("sim") };
	json_t *errors = NULL;
	ck_assert_int_eq(config_update(path, s_edit_set, &e, &errors), -1);
	json_decref(e.value);
	ck_assert_ptr_nonnull(strstr(s_error_text(errors, 0), "line 1"));
	json_decref(errors);
	char *now = scratch_read(path, NULL);
	ck_assert_str_eq(now, "{ not json");
	free(now);
	free(path);
}
END_TEST

/* Adds one to an integer key of the raw document ("section.key"). */
static int s_edit_increment(json_t *doc, void *ud, char *err, size_t errlen)
{
	const char *path = ud;
	char section[64];
	const char *dot = strchr(path, '.');
	snprintf(section, sizeof section, "%.*s", (int)(dot - path), path);
	json_t *v = json_object_get(json_object_get(doc, section), dot + 1);
	if (!json_is_integer(v)) {
		snprintf(err, errlen, "%s is not in the file", path);
		return -1;
	}
	json_t *next = json_integer(json_integer_value(v) + 1);
	int rc = config_path_set(doc, path, next, err, errlen);
	json_decref(next);
	return rc;
}

#define INCREMENTS 50

START_TEST(concurrent_updates_from_two_processes_lose_nothing)
{
	char *path = scratch_path(s_dir, "config.json");
	scratch_write(path, "{\"version\":1,\"storage\":{\"retention_days\":1},\"messaging\":{\"delay_s\":0}}");
	const char *keys[2] = { "storage.retention_days", "messaging.delay_s" };
	pid_t pids[2];
	for (int c = 0; c < 2; c++) {
		pids[c] = fork();
		ck_assert_int_ge(pids[c], 0);
		if (pids[c] == 0) {
			for (int i = 0; i < INCREMENTS; i++) {
				json_t *errors = NULL;
				if (config_update(path, s_edit_increment, (void *)keys[c], &errors) < 0) {
					config_errors_print(errors, "child", stderr);
					json_decref(errors);
					scratch_child_exit(1, path);
				}
			}
			scratch_child_exit(0, path);
		}
	}
	for (int c = 0; c < 2; c++) {
		int status;
		ck_assert_int_eq(waitpid(pids[c], &status, 0), pids[c]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d failed (status %#x)", c, status);
	}
	struct config *cfg = config_load(path, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(config_int(cfg, "storage.retention_days"), 1 + INCREMENTS);
	ck_assert_int_eq(config_int(cfg, "messaging.delay_s"), INCREMENTS);
	config_destroy(&cfg);
	free(path);
}
END_TEST

START_TEST(errors_print_as_prefix_field_reason_lines)
{
	json_t *doc = s_parse("{'adc':{'sample_rate_hz':1},'hub':{'bogus':1}}"), *errors = NULL;
	ck_assert_ptr_null(config_from_json(doc, &errors));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	config_errors_print(errors, "eniscopectl", f);
	json_t *whole = json_pack("[{s:s,s:s}]", "field", "", "error", "cannot read x");
	config_errors_print(whole, "eniscopectl", f);
	fclose(f);
	char expect[1024];
	ck_assert_uint_eq(json_array_size(errors), 2);
	snprintf(expect, sizeof expect, "eniscopectl: hub.bogus: %s\n", s_error_for(errors, "hub.bogus"));
	ck_assert_msg(strstr(buf, expect) != NULL, "\"%s\" lacks \"%s\"", buf, expect);
	snprintf(expect, sizeof expect, "eniscopectl: adc.sample_rate_hz: %s\n",
		 s_error_for(errors, "adc.sample_rate_hz"));
	ck_assert_msg(strstr(buf, expect) != NULL, "\"%s\" lacks \"%s\"", buf, expect);
	ck_assert_msg(strstr(buf, "\neniscopectl: cannot read x\n") != NULL, "\"%s\"", buf);
	int lines = 0;
	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 3);
	free(buf);
	json_decref(whole);
	json_decref(errors);
	json_decref(doc);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("validate");
	tcase_add_loop_test(tc, document_is_accepted_or_refused_on_exactly_the_bad_field, 0, NROWS);
	tcase_add_loop_test(tc, a_refusal_names_the_field_once_what_was_found_and_what_is_allowed, 0,
			    (int)(sizeof s_said / sizeof s_said[0]));
	tcase_add_test(tc, every_bad_field_is_reported_not_just_the_first);
	tcase_add_test(tc, an_unknown_key_longer_than_a_field_path_is_still_reported);
	tcase_add_test(tc, a_document_that_is_not_an_object_is_refused);
	tcase_add_test(tc, validation_does_not_modify_the_given_document);
	tcase_add_test(tc, an_empty_document_gives_every_default);
	tcase_add_test(tc, defaults_fill_the_keys_an_element_leaves_out);
	tcase_add_test(tc, slots_are_always_all_eight_sorted_by_id_with_per_slot_defaults);
	suite_add_tcase(s, tc);

	tc = tcase_create("migrate");
	tcase_add_test(tc, a_version_0_document_loads_with_its_values_under_the_new_keys);
	tcase_add_test(tc, migration_keeps_a_value_already_under_the_new_name);
	tcase_add_test(tc, config_migrate_rewrites_a_document_in_place);
	tcase_add_test(tc, config_migrate_refuses_a_newer_or_malformed_version);
	suite_add_tcase(s, tc);

	tc = tcase_create("paths");
	tcase_add_test(tc, path_set_sets_a_key_creating_its_section);
	tcase_add_test(tc, path_set_on_a_slot_creates_the_element_with_that_id_once);
	tcase_add_test(tc, path_set_on_a_list_appends_at_the_end_and_not_past_it);
	tcase_add_loop_test(tc, path_set_refuses_a_malformed_or_unknown_path_with_a_reason, 0,
			    (int)(sizeof s_bad_paths / sizeof s_bad_paths[0]));
	tcase_add_test(tc, schema_lookup_finds_the_row_a_path_names);
	tcase_add_test(tc, config_get_and_the_typed_shortcuts_read_a_loaded_config);
	tcase_add_test_raise_signal(tc, a_typed_shortcut_on_a_path_outside_the_schema_aborts, SIGABRT);
	suite_add_tcase(s, tc);

	tc = tcase_create("export");
	tcase_add_test(tc, redacted_copy_hides_every_secret_that_is_set);
	tcase_add_test(tc, schema_export_has_the_version_and_every_key);
	tcase_add_test(tc, schema_pages_cover_every_section_once);
	tcase_add_test(tc, errors_print_as_prefix_field_reason_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, loading_a_missing_file_gives_the_defaults);
	tcase_add_test(tc, loading_a_file_with_a_syntax_error_names_line_and_column);
	tcase_add_test(tc, loading_a_file_with_a_duplicate_key_is_refused);
	tcase_add_test(tc, loading_a_file_that_is_not_an_object_or_not_a_file_is_refused);
	tcase_add_test(tc, loading_a_valid_file_with_a_bad_value_names_the_field);
	tcase_add_loop_test(tc, loading_only_reads_a_regular_file_and_says_what_else_is_there, 0,
			    (int)(sizeof s_files / sizeof s_files[0]));
	tcase_add_test(tc, loading_a_file_that_must_exist_refuses_a_missing_one);
	tcase_add_loop_test(tc, a_reload_refuses_a_vanished_file_only_when_the_running_config_came_from_one, 0,
			    (int)(sizeof s_reloads / sizeof s_reloads[0]));
	tcase_add_test(tc, read_raw_migrates_an_old_file_without_adding_defaults);
	tcase_add_test(tc, update_applies_an_edit_and_saves_it);
	tcase_add_test(tc, update_writes_an_old_file_back_in_the_new_version);
	tcase_add_test(tc, an_update_that_makes_the_document_invalid_leaves_the_file_untouched);
	tcase_add_test(tc, a_time_zone_the_zone_database_lacks_is_not_saved_but_still_loads);
	tcase_add_test(tc, replace_writes_a_migrated_document_over_even_a_broken_file);
	tcase_add_test(tc, replace_refuses_a_bad_or_newer_document_whole_and_leaves_the_file);
	tcase_add_test(tc, an_update_of_an_unparsable_file_fails_and_leaves_it);
	tcase_add_test(tc, concurrent_updates_from_two_processes_lose_nothing);
	suite_add_tcase(s, tc);
	return s;
}
