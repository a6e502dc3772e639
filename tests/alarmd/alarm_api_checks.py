#!/usr/bin/env python3
"""The Alarms page's calls end to end (docs/API.md): SMTP settings and a
rule saved through PUT /api/config/<section>, the rule taking effect (its
e-mail arrives, GET /api/alarms shows it raised, GET /api/alarms/log has
its event from storaged's alarm log), the test
e-mail through POST /api/alarms/test-email, a refused address, and the
rule deleted.

    alarm_api_checks.py HTTP_PORT SMTP_PORT MAIL_LOG
"""
import json
import sys

from webclient import admin, check, wait_for

http_port, smtp_port, mail_log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


def mails():
    with open(mail_log) as f:
        return [json.loads(x) for x in f]


c = admin(http_port)
r = c.put("/api/config/smtp", {"host": "127.0.0.1", "port": smtp_port, "security": "none",
                               "from": "hub@example.com", "password": "s3cret"})
check(r.status == 200 and r.json["secrets"]["smtp.password"] is True and r.json["value"]["password"] is None,
      "SMTP settings saved, the password never sent back", r)
rule = {"id": 5, "meter": 1, "phase": 0, "quantity": "V", "high": 1, "title": "Voltage high (API)",
        "emails": ["ops@example.com"], "recovery_s": 1, "reminder_s": 0}
r = c.put("/api/config/alarms", [rule])
check(r.status == 200 and r.json["value"][0]["title"] == "Voltage high (API)", "a rule added", r)


def raised():
    r = c.get("/api/alarms")
    if r.status != 200:
        return None
    rules = [x for x in r.json["rules"] if x["id"] == "5"]
    return r.json if rules and rules[0]["state"] == "raised" else None


st = wait_for("the rule raised in GET /api/alarms", raised, timeout=20)


def logged():
    r = c.get("/api/alarms/log?max=10")
    return r.json if r.status == 200 and any(e["id"] == "5" for e in r.json["log"]) else None


log = wait_for("its event in GET /api/alarms/log", logged, timeout=20)
ev = [e for e in log["log"] if e["id"] == "5"]
check(ev and ev[0]["event"] == "raised" and ev[0]["limit"] == 1.0 and ev[0]["value"] > 100 and ev[0]["seq"] >= 1
      and log["more"] is False, "the alarm log (storaged's) has its raised event with value and limit", log)
r = c.get("/api/alarms/log?max=0")
check(r.status == 400 and r.json.get("field") == "max", "a bad max refused naming it", r)
r = c.get("/api/alarms/log?before=" + str(ev[0]["seq"]))
check(r.status == 200 and all(e["seq"] < ev[0]["seq"] for e in r.json["log"]), "before pages back", r)
wait_for("its e-mail", lambda: any(m["subject"] == "Voltage high (API)" for m in mails()), timeout=20)
check(True, "the rule's e-mail arrived")

r = c.post("/api/alarms/test-email", {"to": "me@example.com"})
check(r.status == 202 and r.json["state"] == "sending", "test e-mail accepted", r)
wait_for("the test e-mail sent",
         lambda: (c.get("/api/alarms").json.get("test_email") or {}).get("state") == "sent", timeout=20)
m = [m for m in mails() if m["to"] == ["me@example.com"]]
check(len(m) == 1 and m[0]["subject"] == "Test: Eniscope alarm e-mail", "the test e-mail arrived", m)
r = c.post("/api/alarms/test-email", {"to": "not an address"})
check(r.status == 400 and r.json.get("field") == "to", "a bad address refused naming the field", r)
r = c.post("/api/alarms/test-email", {"to": "me@example.com"}, csrf=False)
check(r.status == 403, "no test e-mail without the CSRF token", r)

r = c.put("/api/config/alarms", [])
check(r.status == 200 and r.json["value"] == [], "the rule deleted", r)
wait_for("the rule gone from GET /api/alarms",
         lambda: not any(x["id"] == "5" for x in c.get("/api/alarms").json["rules"]), timeout=20)
check(True, "alarmd dropped the deleted rule")
# it was raised: its end is said, not left silent
wait_for("the rule-removed e-mail", lambda: any(m["subject"] == "Rule removed: Voltage high (API)" for m in mails()),
         timeout=20)
wait_for("the removed event in the log",
         lambda: any(e["id"] == "5" and e["event"] == "removed" for e in c.get("/api/alarms/log").json["log"]),
         timeout=20)
check(True, "deleting the raised rule sent \"Rule removed\" and logged it")
