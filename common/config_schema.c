/* config_schema: every key of the configuration document, described once.
 * Sections mirror the manual's admin pages.  To add a key: add a row here
 * (with its default, range and the manual's words for it) and a line in
 * docs/CONFIG.md; loading, validation, defaults, `eniscopectl config`, the
 * admin forms and its typed accessor cfg_<section>_<key>() (config_keys.h,
 * config_keys_gen.c) follow from the row.  Renaming or removing a key needs a
 * migration step in config.c and a CONFIG_VERSION bump. */
#include "config.h"

#define BOOL(n, d, l, ...) { .name = n, .type = CFG_BOOL, .def = d, .label = l, __VA_ARGS__ }
#define INT(n, d, lo, hi, l, ...) { .name = n, .type = CFG_INT, .def = d, .min = lo, .max = hi, .label = l, __VA_ARGS__ }
#define NUM(n, d, lo, hi, l, ...) { .name = n, .type = CFG_NUMBER, .def = d, .min = lo, .max = hi, .label = l, __VA_ARGS__ }
#define STR(n, d, len, fmt, l, ...) { .name = n, .type = CFG_STRING, .def = d, .max = len, .format = fmt, .label = l, __VA_ARGS__ }
#define ENUM(n, d, ch, l, ...) { .name = n, .type = CFG_ENUM, .def = d, .choices = ch, .label = l, __VA_ARGS__ }
#define OBJ(n, k, l) { .name = n, .type = CFG_OBJECT, .keys = k, .label = l }
#define END { .name = NULL }

static const struct cfg_key s_hub[] = {
	STR("company", "\"\"", 128, NULL, "Company name"),
	STR("site", "\"\"", 128, NULL, "Site name"),
	STR("contact", "\"\"", 128, NULL, "Contact person"),
	STR("email", "\"\"", 254, &cfg_fmt_email, "Contact e-mail", .min = 0),
	STR("phone", "\"\"", 32, NULL, "Contact phone"),
	STR("address", "\"\"", 256, NULL, "Site address"),
	STR("mac", "null", 17, &cfg_fmt_mac,
	    "Hub MAC for meter uids (null: the first network interface's)", .flags = CFG_NULLABLE),
	END,
};

static const struct cfg_key s_adc_channel_id = STR(NULL, NULL, 32, &cfg_fmt_iio_channel, "IIO channel", .min = 1);

static const struct cfg_key s_adc[] = {
	STR("source", "\"iio\"", 4096, &cfg_fmt_adc_source, "Sample source: iio, sim or replay:FILE", .min = 1),
	STR("uri", "\"local:\"", 256, NULL, "libiio context URI", .min = 1),
	STR("device", "\"iio:device0\"", 64, NULL, "IIO device name or id", .min = 1),
	INT("sample_rate_hz", "4000", 1000, 64000, "Samples per second per channel"),
	{ .name = "channels", .type = CFG_MAP, .def = "{}", .format = &cfg_fmt_adc_channel, .item = &s_adc_channel_id,
	  .label = "Channel map: V1..V3, CT1_1..CT8_3 to IIO channel ids ({}: voltage0.. in that order)" },
	{ .name = "v_gain", .type = CFG_ARRAY, .def = "[1,1,1]", .min = 3, .max = 3,
	  .item = &(const struct cfg_key)NUM(NULL, NULL, 0.5, 2.0, "gain"), .label = "Voltage channel gains V1..V3" },
	END,
};

static const struct cfg_key s_network[] = {
	STR("hostname", "\"eniscope\"", 63, &cfg_fmt_hostname, "Network hostname", .min = 1),
	STR("ntp", "\"pool.ntp.org\"", 253, &cfg_fmt_host, "NTP server"),
	BOOL("require_ntp_sync", "false", "Store data only once the kernel reports NTP sync"),
	BOOL("dhcp", "true", "DHCP (off: manual configuration)"),
	STR("ip", "\"\"", 15, &cfg_fmt_ipv4, "IP address"),
	STR("netmask", "\"\"", 15, &cfg_fmt_netmask, "Subnet mask"),
	STR("gateway", "\"\"", 15, &cfg_fmt_ipv4, "Gateway"),
	STR("dns1", "\"\"", 15, &cfg_fmt_ipv4, "Primary DNS"),
	STR("dns2", "\"\"", 15, &cfg_fmt_ipv4, "Secondary DNS"),
	STR("interface", "\"eth0\"", 15, &cfg_fmt_ifname, "Network interface the settings apply to", .min = 1),
	END,
};

static const struct cfg_key s_ct_cal[] = {
	NUM("gain", "1", 0.5, 2.0, "Gain correction"),
	NUM("phase_deg", "0", -20, 20, "Phase correction (degrees, + when the CT's current leads)"),
	END,
};

static const struct cfg_key s_meter[] = {
	INT("id", NULL, 1, CONFIG_SLOTS, "Meter number"),
	BOOL("enabled", "false", "Enable"),
	STR("name", "\"Meter {id}\"", 64, NULL, "Name"),
	INT("ct_input", "{id}", 1, 8, "CT input connector"),
	NUM("ct_rating_a", "100", 1, 10000, "Max current on the CT body (A)"),
	NUM("voltage_scale", "1", 0.001, 10000, "Voltage scale (1; MV/HV transformers)"),
	ENUM("phase_type", "\"3LN\"", "3LN|2LN|LN", "Phase type"),
	ENUM("purpose", "\"consumable\"", "grid|consumable|renewable", "Device purpose"),
	STR("temp_sensor", "null", 15, &cfg_fmt_w1_id, "Temperature sensor", .flags = CFG_NULLABLE),
	{ .name = "ct_cal", .type = CFG_ARRAY, .def = "[{},{},{}]", .min = 3, .max = 3,
	  .item = &(const struct cfg_key)OBJ(NULL, s_ct_cal, "calibration"), .label = "CT calibration per phase" },
	ENUM("renewable_source", "\"solar\"", "solar|hydro|wind|heatpump", "Renewable energy source"),
	STR("colour", "\"#2e7d32\"", 7, &cfg_fmt_colour, "Display colour"),
	NUM("max_power_w", "0", 0, 1e9, "Max production potential (W)"),
	END,
};

static const struct cfg_key s_pulse[] = {
	INT("id", NULL, 1, CONFIG_SLOTS, "Pulse input"),
	BOOL("enabled", "false", "Enable"),
	STR("name", "\"Pulse {id}\"", 64, NULL, "Name"),
	NUM("units_per_pulse", "1", 1e-9, 1e9, "Units per pulse"),
	STR("unit", "\"pulses\"", 16, NULL, "Unit (e.g. L, m3, Wh)"),
	INT("min_pulse_ms", "100", 1, 60000, "Minimum pulse duration (ms)"),
	INT("min_open_ms", "20", 0, 60000, "Minimum open time (ms): a shorter opening is contact chatter, not a new pulse"),
	INT("gpio_line", "{id}", 0, 1023, "GPIO line offset"),
	NUM("start_reading", "0", 0, 1e12,
	    "Meter reading when counting began (units), so the total matches the meter's dial"),
	NUM("sim_pulses_per_hour", "720", 0, 360000, "Simulated pulses per hour (source sim)"),
	END,
};

static const struct cfg_key s_pulse_input[] = {
	STR("source", "\"gpio\"", 4096, &cfg_fmt_pulse_source, "Edge source: gpio, sim or file:PATH", .min = 1),
	STR("gpio_chip", "\"gpiochip0\"", 64, NULL, "GPIO chip", .min = 1),
	BOOL("active_low", "true", "Contacts close to ground (line reads low when closed; pull-up on)"),
	END,
};

static const struct cfg_key s_command_arg = STR(NULL, NULL, 4096, NULL, "argument", .min = 1);

/* paneld (docs/PANEL.md): the front LED (one RGB LED as three sysfs LEDs)
 * and the USER button */
static const struct cfg_key s_panel[] = {
	STR("leds_dir", "\"/sys/class/leds\"", 255, &cfg_fmt_path, "LED class directory (sysfs)", .min = 1),
	STR("led_red", "\"eniscope:red:status\"", 64, &cfg_fmt_led_name, "Red LED's name", .min = 1),
	STR("led_green", "\"eniscope:green:status\"", 64, &cfg_fmt_led_name, "Green LED's name", .min = 1),
	STR("led_blue", "\"eniscope:blue:status\"", 64, &cfg_fmt_led_name, "Blue LED's name", .min = 1),
	STR("button", "\"gpio\"", 4096, &cfg_fmt_button_source, "USER button: gpio, none or file:PATH", .min = 1),
	STR("gpio_chip", "\"gpiochip0\"", 64, NULL, "USER button's GPIO chip", .min = 1),
	INT("gpio_line", "0", 0, 1023, "USER button's GPIO line offset"),
	BOOL("active_low", "true", "USER button closes to ground (line reads low when pressed; pull-up on)"),
	{ .name = "reboot_command", .type = CFG_ARRAY, .def = "[\"/sbin/reboot\"]", .min = 1, .max = 16,
	  .item = &s_command_arg, .flags = CFG_LOCAL, .label = "Reboot command (program and arguments, no shell)" },
	{ .name = "reset_command", .type = CFG_ARRAY, .def = "[\"eniscopectl\",\"reset\",\"all\"]", .min = 1, .max = 16,
	  .item = &s_command_arg, .flags = CFG_LOCAL, .label = "Factory reset command (program and arguments, no shell)" },
	NUM("time_scale", "1", 0.01, 1, "USER button timing scale (tests only; 1: the manual's times)"),
	END,
};

/* Software updates (docs/SYSTEM.md): the apt source eniscope-render writes
 * and the commands updated runs, each with update.package appended. */
static const struct cfg_key s_update[] = {
	STR("apt_url", "\"\"", 256, &cfg_fmt_url, "Software update source (apt repository URL; empty: none)"),
	STR("apt_suite", "\"bookworm\"", 64, &cfg_fmt_apt_word, "Repository suite", .min = 1),
	STR("apt_components", "\"main\"", 128, &cfg_fmt_apt_words, "Repository components", .min = 1),
	/* the trust anchor and what is installed are the package's, not a web
	 * session's, to choose */
	STR("apt_keyring", "\"/usr/share/keyrings/eniscope-archive-keyring.gpg\"", 255, &cfg_fmt_path,
	    "Repository signing key (OpenPGP keyring file)", .min = 1, .flags = CFG_LOCAL),
	STR("package", "\"eniscope-hub\"", 64, &cfg_fmt_deb_package, "The hub's Debian package", .min = 1,
	    .flags = CFG_LOCAL),
	INT("check_hours", "24", 1, 720, "Check for a newer version every (hours)"),
	{ .name = "check_command", .type = CFG_ARRAY, .def = "[\"/usr/libexec/eniscope/apt-check\"]", .min = 1,
	  .max = 16, .item = &s_command_arg, .flags = CFG_LOCAL,
	  .label = "Version check command (prints apt-cache policy of the package; no shell)" },
	{ .name = "install_command", .type = CFG_ARRAY,
	  .def = "[\"apt-get\",\"install\",\"-y\",\"-q\",\"-o\",\"Dpkg::Options::=--force-confold\"]", .min = 1,
	  .max = 16, .item = &s_command_arg, .flags = CFG_LOCAL,
	  .label = "Update command (the package is appended; no shell)" },
	END,
};

static const struct cfg_key s_temps[] = {
	STR("w1_root", "\"/sys/bus/w1/devices\"", 255, &cfg_fmt_path, "1-wire sysfs directory", .min = 1),
	INT("interval_s", "5", 1, 3600, "Read interval (s)"),
	END,
};

static const struct cfg_key s_weekday = ENUM(NULL, NULL, "mon|tue|wed|thu|fri|sat|sun", "day");

/* One rate of the time-of-use tariff; config.c checks start < end and that
 * no two periods of a day overlap (docs/CONFIG.md, "Time-of-use tariff"). */
static const struct cfg_key s_tou_period[] = {
	{ .name = "days", .type = CFG_ARRAY, .def = "[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]",
	  .min = 1, .max = 7, .item = &s_weekday, .label = "Days of the week" },
	STR("start", "\"00:00\"", 5, &cfg_fmt_time_of_day, "From (HH:MM, local time)", .min = 5),
	STR("end", "\"24:00\"", 5, &cfg_fmt_time_of_day, "Until (HH:MM, local time, not included; 24:00: midnight)", .min = 5),
	NUM("price_per_kwh", "0", 0, 1000, "Price per kWh"),
	END,
};

static const struct cfg_key s_interface[] = {
	ENUM("display", "\"realtime\"", "realtime|renewable", "Display"),
	STR("title", "\"\"", 64, NULL, "Display title (renewable)"),
	ENUM("graph", "\"power\"", "power|apparent|current", "Graph parameter"),
	ENUM("language", "\"en\"", "en|fr", "Language"),
	STR("timezone", "\"UTC\"", 64, &cfg_fmt_timezone, "Time zone", .min = 1),
	STR("supplier", "\"\"", 64, NULL, "Energy supplier"),
	STR("currency", "\"£\"", 8, NULL, "Currency symbol"),
	NUM("price_per_kwh", "0", 0, 1000, "Tariff: price per kWh (at times no time-of-use period covers)"),
	{ .name = "tou", .type = CFG_ARRAY, .def = "[]", .max = 32,
	  .item = &(const struct cfg_key)OBJ(NULL, s_tou_period, "period"),
	  .label = "Time-of-use tariff: rates by time of day and weekday" },
	NUM("co2_kg_per_kwh", "0", 0, 10, "CO2 per kWh (kg)"),
	STR("pulse_unit", "\"\"", 16, NULL, "Pulse units on the display (blank: each pulse input's own unit)"),
	END,
};

static const struct cfg_key s_messaging[] = {
	BOOL("enabled", "false", "Custom message"),
	INT("delay_s", "60", 0, 86400, "Wait before showing (s)"),
	INT("duration_s", "10", 1, 3600, "Show for (s)"),
	STR("title", "\"\"", 64, NULL, "Title"),
	STR("body", "\"\"", 1024, NULL, "Body"),
	BOOL("default_messages", "true", "Default messages (Renewable Display)"),
	END,
};

static const struct cfg_key s_renewable[] = {
	STR("title", "\"\"", 64, NULL, "Renewable title"),
	ENUM("view", "\"html\"", "html|flash", "Renewable display view"),
	END,
};

static const struct cfg_key s_security[] = {
	BOOL("display_login", "false", "Password for the real-time display"),
	STR("display_password_hash", "\"\"", 256, &cfg_fmt_crypt_hash,
	    "Display password (its yescrypt hash: PUT /api/display-password sets it)", .flags = CFG_SECRET),
	END,
};

static const struct cfg_key s_storage[] = {
	INT("retention_days", "90", 1, 3650, "Keep minute data for (days)"),
	INT("max_mb", "6000", 16, 1000000, "Never use more than (MB)"),
	END,
};

static const struct cfg_key s_meter_number = INT(NULL, NULL, 1, CONFIG_SLOTS, "meter");

static const struct cfg_key s_mqtt[] = {
	STR("title", "\"MQTT\"", 64, NULL, "Title", .flags = CFG_UNIQUE),
	BOOL("enabled", "false", "Enable"),
	{ .name = "meters", .type = CFG_ARRAY, .def = "[]", .max = CONFIG_SLOTS, .item = &s_meter_number,
	  .label = "Meters to send ([]: every enabled meter)" },
	INT("interval_s", "10", 1, 86400, "Interval (s)"),
	STR("host", "\"\"", 253, &cfg_fmt_host, "Broker host"),
	INT("port", "1883", 1, 65535, "Port"),
	STR("username", "\"\"", 128, NULL, "Username"),
	STR("password", "\"\"", 128, NULL, "Password", .flags = CFG_SECRET),
	STR("topic", "\"eniscope\"", 256, &cfg_fmt_mqtt_topic, "Topic (case sensitive)", .min = 1),
	STR("client_id", "\"\"", 23, NULL, "Client id (blank: hub-made)"),
	BOOL("tls", "false", "TLS"),
	STR("ca_file", "\"\"", 255, NULL, "CA file"),
	BOOL("tls_insecure", "false", "Skip certificate checks (unsafe)"),
	STR("cert_file", "\"\"", 255, NULL, "Client certificate file (TLS, PEM; blank: none)"),
	STR("key_file", "\"\"", 255, NULL, "Client key file (TLS, PEM; blank: in the certificate file)"),
	INT("qos", "0", 0, 2, "QoS"),
	BOOL("retain", "false", "Retain"),
	INT("keepalive_s", "30", 5, 3600, "Keepalive (s)"),
	INT("queue_len", "100", 0, 10000, "Messages kept while disconnected (oldest dropped)"),
	BOOL("ha_discovery", "false", "Home Assistant discovery"),
	STR("discovery_prefix", "\"homeassistant\"", 64, &cfg_fmt_mqtt_topic, "Discovery prefix", .min = 1),
	END,
};

static const struct cfg_key s_upload[] = {
	STR("name", NULL, 64, NULL, "Name", .min = 1, .flags = CFG_UNIQUE),
	BOOL("enabled", "false", "Enable"),
	ENUM("type", "\"http-json\"", "http-json|influxdb", "Type"),
	STR("url", "\"\"", 1024, &cfg_fmt_url, "URL"),
	STR("token", "\"\"", 512, NULL, "Bearer token (InfluxDB 2: API token)", .flags = CFG_SECRET),
	STR("username", "\"\"", 128, NULL, "Username"),
	STR("password", "\"\"", 128, NULL, "Password", .flags = CFG_SECRET),
	BOOL("tls_verify", "true", "Verify the server's certificate"),
	STR("ca_file", "\"\"", 255, NULL, "CA file"),
	INT("batch_size", "500", 1, 100000, "Records per request"),
	INT("interval_s", "60", 1, 86400, "Interval (s)"),
	ENUM("influx_api", "\"v1\"", "v1|v2", "InfluxDB API"),
	STR("influx_db", "\"\"", 64, NULL, "InfluxDB 1 database"),
	STR("influx_org", "\"\"", 64, NULL, "InfluxDB 2 organisation"),
	STR("influx_bucket", "\"\"", 64, NULL, "InfluxDB 2 bucket"),
	BOOL("checkin", "false", "Daily diagnostics check-in"),
	BOOL("gzip", "true", "Compress requests (gzip)"),
	INT("connect_timeout_s", "15", 1, 300, "Connect timeout (s)"),
	INT("timeout_s", "120", 1, 3600, "Longest time for one request (s)"),
	INT("low_speed_bps", "64", 0, 1000000, "Abort a request slower than this (bytes/s; 0: never)"),
	INT("low_speed_time_s", "30", 1, 3600, "... for this long (s)"),
	INT("retry_max_s", "300", 1, 86400, "Longest wait between retries (s)"),
	END,
};

static const struct cfg_key s_email_address = STR(NULL, NULL, 254, &cfg_fmt_email, "e-mail");

static const struct cfg_key s_alarm[] = {
	INT("id", NULL, 1, 1000000, "Alarm id", .flags = CFG_UNIQUE),
	BOOL("enabled", "true", "Enable"),
	INT("meter", "1", 1, CONFIG_SLOTS, "Meter"),
	INT("phase", "0", 0, 3, "Phase (0: all)"),
	ENUM("quantity", "\"P\"", "P|V|I|PF", "Power, voltage, current or power factor"),
	NUM("high", "null", -1e12, 1e12, "High limit", .flags = CFG_NULLABLE),
	NUM("low", "null", -1e12, 1e12, "Low limit", .flags = CFG_NULLABLE),
	STR("title", "\"\"", 128, NULL, "E-mail title"),
	{ .name = "emails", .type = CFG_ARRAY, .def = "[]", .max = 16, .item = &s_email_address,
	  .label = "Send to" },
	INT("recovery_s", "600", 0, 86400 * 7, "Recovery time (s)"),
	INT("reminder_s", "3600", 0, 86400 * 7, "Reminder time (s)"),
	STR("webhook", "\"\"", 1024, &cfg_fmt_url, "Webhook URL: each event also POSTed as JSON, e.g. to a text-message gateway (blank: none)"),
	END,
};

/* The hub watching itself with the same engine as alarms[] (alarmd). */
static const struct cfg_key s_health_alarms[] = {
	{ .name = "emails", .type = CFG_ARRAY, .def = "[]", .max = 16, .item = &s_email_address,
	  .label = "Send to" },
	STR("webhook", "\"\"", 1024, &cfg_fmt_url, "Webhook URL (blank: none)"),
	INT("recovery_s", "600", 0, 86400 * 7, "Recovery time (s)"),
	INT("reminder_s", "86400", 0, 86400 * 7, "Reminder time (s)"),
	BOOL("upload_backlog", "true", "Upload backlog: records not delivered for too long"),
	INT("upload_backlog_s", "3600", 1, 86400 * 7, "... oldest undelivered for more than (s)"),
	BOOL("meter_silent", "true", "An enabled meter or a configured probe gone silent"),
	BOOL("wiring", "true", "A wiring fault found by meterd (e.g. a reversed CT)"),
	BOOL("disk_full", "true", "SD card store nearly full or failing"),
	INT("disk_full_pct", "90", 50, 99, "... more than this share of the store's limit (%)"),
	BOOL("clock", "false", "Clock not synchronised (needs an NTP client when Network Setup stores data only once the clock is synchronised)"),
	BOOL("restart_loop", "true", "A daemon restarting over and over"),
	INT("restart_max", "3", 1, 100, "... more starts than this ..."),
	INT("restart_window_s", "600", 10, 86400, "... within (s)"),
	END,
};

static const struct cfg_key s_smtp[] = {
	STR("host", "\"\"", 253, &cfg_fmt_host, "SMTP server"),
	INT("port", "587", 1, 65535, "Port"),
	ENUM("security", "\"starttls\"", "none|starttls|tls", "Connection security"),
	STR("username", "\"\"", 128, NULL, "Username"),
	STR("password", "\"\"", 128, NULL, "Password", .flags = CFG_SECRET),
	STR("from", "\"\"", 254, &cfg_fmt_email, "From address"),
	STR("ca_file", "\"\"", 255, NULL, "CA file (TLS; blank: the system's)"),
	END,
};

const struct cfg_key config_schema[] = {
	INT("version", "1", 0, CONFIG_VERSION, "Document version"),
	OBJ("hub", s_hub, "Hub registration"),
	OBJ("adc", s_adc, "Metering ADC"),
	OBJ("network", s_network, "Network setup"),
	{ .name = "meters", .type = CFG_ARRAY, .max = CONFIG_SLOTS, .flags = CFG_SLOTS,
	  .item = &(const struct cfg_key)OBJ(NULL, s_meter, "meter"), .label = "Setup your devices" },
	{ .name = "pulses", .type = CFG_ARRAY, .max = CONFIG_SLOTS, .flags = CFG_SLOTS,
	  .item = &(const struct cfg_key)OBJ(NULL, s_pulse, "pulse input"), .label = "Pulse inputs" },
	OBJ("pulse_input", s_pulse_input, "Pulse input hardware"),
	OBJ("temps", s_temps, "Temperature probes"),
	OBJ("panel", s_panel, "Front LED and USER button"),
	OBJ("update", s_update, "Software updates"),
	OBJ("interface", s_interface, "Interface options"),
	OBJ("messaging", s_messaging, "Messaging"),
	OBJ("renewable", s_renewable, "Renewable display"),
	OBJ("security", s_security, "Security"),
	OBJ("storage", s_storage, "SD card store"),
	{ .name = "mqtt", .type = CFG_ARRAY, .def = "[]", .max = 8,
	  .item = &(const struct cfg_key)OBJ(NULL, s_mqtt, "MQTT instance"), .label = "MQTT settings" },
	{ .name = "upload", .type = CFG_ARRAY, .def = "[]", .max = 8,
	  .item = &(const struct cfg_key)OBJ(NULL, s_upload, "upload target"), .label = "Upload targets" },
	{ .name = "alarms", .type = CFG_ARRAY, .def = "[]", .max = 64,
	  .item = &(const struct cfg_key)OBJ(NULL, s_alarm, "alarm"), .label = "Alarms" },
	OBJ("smtp", s_smtp, "E-mail server for alarms"),
	OBJ("health_alarms", s_health_alarms, "Health alarms"),
	END,
};

const struct cfg_page config_pages[] = {
	{ "registration", "Registration", "hub" },
	{ "network", "Network Setup", "network" },
	{ "devices", "Setup Your Devices", "meters" },
	{ "readings", "Device Readings", "" },
	{ "pulses", "Pulse Inputs", "pulses,pulse_input" },
	{ "probes", "Temperature Probes", "temps" },
	{ "alarms", "Alarms", "alarms,smtp,health_alarms" },
	{ "messaging", "Messaging", "messaging" },
	{ "interface", "Interface Options", "interface,renewable" },
	{ "security", "Security", "security" },
	{ "mqtt", "MQTT Settings", "mqtt" },
	{ "upload", "Upload Targets", "upload" },
	{ "storage", "SD Card Store", "storage" },
	{ "hardware", "Metering Hardware", "adc,panel" },
	{ "status", "System Status", "update" },
	{ NULL, NULL, NULL },
};
