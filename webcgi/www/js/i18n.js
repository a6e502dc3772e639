// Every string the hub's pages show (the admin here; the displays of issue
// 17 import the same module), in one catalog per language.  Pages never
// hold text of their own: they call t(key).  Field labels come from
// the config schema (GET /api/schema) unless the catalog has a
// "field.<path>" entry, so a second language (issue 16) overrides them here
// without touching C.  {name} in a string is replaced by vars.name.

const catalogs = {
	en: {
		'app.title': 'Eniscope hub',
		'app.logout': 'Log out',
		'app.saved': 'Saved.',
		'app.save': 'Save',
		'app.edit': 'Edit',
		'app.yes': 'yes',
		'app.no': 'no',
		'app.fix_fields': 'Some fields need attention: see the messages beside them.',
		'app.unreachable': 'The hub does not answer ({why}). Retrying…',
		'app.session_ended': 'Your session has ended: please log in again.',
		'app.error': 'Error: {why}',

		'menu.setup': 'Eniscope setup',
		'menu.registration': 'Registration',
		'menu.network': 'Network Setup',
		'menu.devices': 'Setup Your Devices',
		'menu.readings': 'Device Readings',
		'menu.customisation': 'Customisation options',
		'menu.alarms': 'Alarms',
		'menu.maintenance': 'Maintenance',
		'menu.status': 'System Status',
		'menu.password': 'Admin Password',

		'login.title': 'Admin login',
		'login.username': 'Username',
		'login.password': 'Password',
		'login.submit': 'Login',
		'login.failed': 'Wrong username or password.',
		'login.password_changed': 'Password changed: log in with the new password.',
		'login.slowed': 'Too many attempts: try again in {s} s.',

		'password.title': 'Change the admin password',
		'password.forced': 'The factory password only lets you set your own. Choose a new admin password to continue.',
		'password.current': 'Current password',
		'password.new': 'New password',
		'password.confirm': 'New password again',
		'password.mismatch': 'The two new passwords differ.',
		'password.same': 'The new password must differ from the current one.',
		'password.changed': 'Password changed.',
		'password.submit': 'Set password',

		'register.title': 'Registration of the hub',
		'register.intro': 'Complete the registration of the hub by entering your company details, then Save.',

		'network.title': 'Network Setup',
		'network.intro': 'How your Eniscope appears on your Local Area Network.',
		'network.mode': 'Address',
		'network.dhcp': 'DHCP (Dynamic Host Configuration Protocol): obtain the address from a DHCP server',
		'network.manual': 'Enable Manual Configuration (static address)',
		'network.fallback': 'If DHCP is selected and no DHCP server answers, the hub falls back to the fixed address {ip}.',
		'network.reboot': 'New network settings take effect after a reboot; then log in at the new address.',
		'network.hostname_hint': 'Letters, digits and "-" only (no spaces).',
		'network.manual_title': 'Manual Configuration',

		'devices.title': 'Setup Your Devices',
		'devices.list': 'Meters',
		'devices.col.meter': 'Meter',
		'devices.col.name': 'Name',
		'devices.col.enabled': 'Enabled',
		'devices.col.ct_input': 'CT input',
		'devices.col.purpose': 'Purpose',
		'devices.col.phase_type': 'Phase type',
		'devices.form_title': 'Device Configuration: meter {id}',
		'devices.reboot': 'After setting up the meters, check the readings on Device Readings.',
		'devices.ct_used': 'CT input {n} is already used by meter {id} ({name}).',
		'devices.ct_option': 'CT {n}',
		'devices.ct_option_used': 'CT {n} (meter {id})',
		'devices.probe_none': 'No temperature sensor',
		'devices.probe_option': '{id} ({T} °C)',
		'devices.probe_missing': '{id} (not found now)',
		'devices.calibration': 'CT calibration',
		'devices.device_type': 'Device type',
		'devices.device_type_ct': 'CTs wired to the hub (the only kind it meters)',
		'devices.metering_point': 'Metering point',
		'devices.metering_point_n': 'Meter {id}',
		'devices.phase_n': 'Phase {n}',
		'devices.renewable': 'Renewable',
		'devices.purpose.grid': 'Grid (power from the supplier)',
		'devices.purpose.consumable': 'Consumable (an area of the site)',
		'devices.purpose.renewable': 'Renewable (on-site generation)',
		'devices.saved': 'Meter {id} saved.',

		'readings.title': 'Device Readings',
		'readings.col.device': 'Device',
		'readings.col.channel': 'Channel',
		'readings.col.volts': 'Volts',
		'readings.col.current': 'Current',
		'readings.col.kw': 'kW',
		'readings.col.kvar': 'kvar',
		'readings.col.kva': 'kVA',
		'readings.col.pf': 'PF',
		'readings.col.freq': 'Freq',
		'readings.col.pulse': 'Pulse',
		'readings.col.wiring': 'Wiring',
		'readings.system': 'System',
		'readings.phase': 'Phase {n}',
		'readings.source_down': 'No fresh readings from {why}.',
		'readings.none': 'No meter is enabled: enable one on Setup Your Devices.',
		'readings.updated': 'Updated {time}',
		'readings.wiring.ok': 'OK',
		'readings.wiring.idle': 'no load',
		'readings.wiring.judging': 'checking…',

		'status.title': 'System Status',
		'status.daemons': 'Services',
		'status.col.daemon': 'Service',
		'status.col.state': 'State',
		'status.col.uptime': 'Up for',
		'status.col.fault': 'Fault',
		'status.running': 'running',
		'status.not_running': 'not running',
		'status.config_error': 'configuration refused: {why}',
		'status.disk': 'Storage',
		'status.disk_free': '{path}: {free} free of {total} ({pct} % used)',
		'status.clock': 'Clock',
		'status.clock_sync': 'synchronised',
		'status.clock_unsync': 'not synchronised',
		'status.upload': 'Upload targets',
		'status.upload_none': 'No upload target configured.',
		'status.col.target': 'Target',
		'status.col.backlog': 'Backlog (records)',
		'status.col.last_success': 'Last success',
		'status.col.last_error': 'Last error',
		'status.mqtt': 'MQTT links',
		'status.mqtt_none': 'No MQTT instance configured.',
		'status.col.instance': 'Instance',
		'status.col.broker': 'Broker',
		'status.never': 'never',

		'alarms.title': 'Alarms',
		'alarms.intro': 'E-mail alerts when a reading is out of specification (e.g. power factor low), and alerts about the hub itself. An alarm is sent once, reminded every reminder time while it lasts, and recovers once the value has been back to normal for the recovery time.',
		'alarms.list': 'Current alarms',
		'alarms.none': 'No alarm set up yet.',
		'alarms.add': 'Add alarm',
		'alarms.add_title': 'Add alarm',
		'alarms.edit_title': 'Edit alarm {id}',
		'alarms.saved': 'Alarm {id} saved.',
		'alarms.delete': 'Delete alarm {title}',
		'alarms.confirm_delete': 'Delete "{title}"?',
		'alarms.col.id': 'Id',
		'alarms.col.title': 'Title',
		'alarms.col.meter': 'Meter',
		'alarms.col.phase': 'Phase',
		'alarms.col.quantity': 'Parameter',
		'alarms.col.low': 'Low limit',
		'alarms.col.high': 'High limit',
		'alarms.col.state': 'State',
		'alarms.col.value': 'Value now',
		'alarms.meter_n': 'Meter {n}',
		'alarms.phase_all': 'All',
		'alarms.phase_n': 'Phase {n}',
		'alarms.quantity.P': 'Power (W)',
		'alarms.quantity.V': 'Voltage (V)',
		'alarms.quantity.I': 'Current (A)',
		'alarms.quantity.PF': 'Power factor',
		'alarms.blank_none': 'leave blank if not needed',
		'alarms.emails_hint': 'one or more addresses, separated by commas',
		'alarms.state.normal': 'normal',
		'alarms.state.raised': 'ALARM',
		'alarms.state.disabled': 'disabled',
		'alarms.state.unknown': '—',
		'alarms.smtp': 'E-mail server',
		'alarms.test_to': 'Send a test e-mail to',
		'alarms.test_send': 'Send a test e-mail',
		'alarms.test_sending': 'Sending…',
		'alarms.test_sent': 'The test e-mail to {to} was accepted by the server.',
		'alarms.test_failed': 'The test e-mail failed: {why}',
		'alarms.health': 'Health alarms',
		'alarms.health_emails': 'Send health alarms to',
		'alarms.log': 'Alarm log',
		'alarms.log_empty': 'Nothing has happened yet.',
		'alarms.log.time': 'Time',
		'alarms.log.id': 'Alarm',
		'alarms.log.name': 'Title',
		'alarms.log.event': 'Event',
		'alarms.log.value': 'Value',
		'alarms.log.limit': 'Limit',
		'alarms.event.raised': 'raised',
		'alarms.event.reminded': 'reminded',
		'alarms.event.recovered': 'recovered',
		'alarms.event.removed': 'rule removed',
		'alarms.log_down': 'The alarm log cannot be read ({why}).',
		'alarms.fault': 'Alarms: {why}',
		'alarms.alarmd_down': 'The alarm service does not answer ({why}): states are not shown.',

		'form.secret_set': 'set',
		'form.secret_unset': 'not set',
		'form.secret_keep': 'leave blank to keep',
		'form.range': '{min} to {max}',
	},
};

let lang = 'en';

/* Chooses the catalog (a language code catalogs has); others keep English. */
export function setLanguage(code) {
	if (catalogs[code]) lang = code;
	document.documentElement.lang = lang;
}

/* The string for key in the current language, with {name} placeholders
 * filled from vars; the English one when the language lacks it; the key
 * itself when nobody has it (visible, so a missing entry is noticed). */
export function t(key, vars) {
	const s = catalogs[lang][key] ?? catalogs.en[key] ?? key;
	if (!vars) return s;
	return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/* A field's label: the catalog's "field.<path>" (path without slot
 * indexes, e.g. "meters.name") or the schema's own label. */
export function fieldLabel(path, schemaLabel) {
	const key = 'field.' + path;
	return catalogs[lang][key] ?? catalogs.en[key] ?? schemaLabel;
}
