// SLA admin: calendars and policies written through the REST API. Lists
// are server-rendered; a save reloads the page so they show what was
// stored. Errors are the API's own words (a schedule's come with their
// line numbers, one per list item).
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="sla-admin"]');
  if (!HL || !root) return;
  var q = function (hl) { return root.querySelector('[data-hl="' + hl + '"]'); };
  var status = q("admin-status");
  var cals = {}, pols = {};
  function say(text, isError) { status.textContent = text || ""; status.classList.toggle("error", !!isError); }
  HL.api("GET", "/api/v1/sla/calendars").then(function (r) {
    if (r.ok && r.data) r.data.calendars.forEach(function (c) { cals[c.id] = c; });
  });
  HL.api("GET", "/api/v1/sla/policies").then(function (r) {
    if (r.ok && r.data) r.data.policies.forEach(function (p) { pols[p.id] = p; });
  });

  // ---- calendars ---------------------------------------------------------
  var calForm = q("calendar-form"), calErrors = q("calendar-errors");
  function showErrors(list, res) {
    while (list.firstChild) list.removeChild(list.firstChild);
    // One message may name several problems ("…; …"): one line each.
    HL.errorText(res).split("; ").forEach(function (m) { list.appendChild(HL.el("li", { "data-hl": "form-error" }, m)); });
  }
  // markLine selects the schedule line an error names ("schedule: line 3:
  // …"), so the admin lands on it.
  function markLine(res) {
    var m = /schedule: line (\d+)/.exec(HL.errorText(res));
    if (!m) return;
    var ta = q("calendar-schedule"), lines = ta.value.split("\n"), n = parseInt(m[1], 10) - 1;
    if (n < 0 || n >= lines.length) return;
    var start = lines.slice(0, n).join("\n").length + (n > 0 ? 1 : 0);
    ta.focus();
    ta.setSelectionRange(start, start + lines[n].length);
  }
  root.addEventListener("click", function (ev) {
    var b = ev.target.closest('[data-hl="calendar-edit"]');
    if (!b) return;
    var c = cals[b.getAttribute("data-id")];
    if (!c) return;
    q("calendar-id").value = c.id;
    q("calendar-name").value = c.name;
    q("calendar-timezone").value = c.timezone;
    q("calendar-base").value = c.base || "";
    q("calendar-always-open").checked = !!c.always_open;
    q("calendar-schedule").value = c.schedule || "";
    root.querySelectorAll('[data-hl="calendar-hours"]').forEach(function (inp) { inp.value = (c.hours || {})[inp.getAttribute("data-day")] || ""; });
    q("calendar-form-title").textContent = c.name;
    q("calendar-name").focus();
  });
  calForm.addEventListener("reset", function () { q("calendar-id").value = ""; while (calErrors.firstChild) calErrors.removeChild(calErrors.firstChild); });
  calForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var hours = {};
    root.querySelectorAll('[data-hl="calendar-hours"]').forEach(function (inp) {
      if (inp.value.trim()) hours[inp.getAttribute("data-day")] = inp.value.trim();
    });
    var body = { name: q("calendar-name").value.trim(), timezone: q("calendar-timezone").value.trim(), base: q("calendar-base").value,
      always_open: q("calendar-always-open").checked, hours: hours, schedule: q("calendar-schedule").value };
    var cid = q("calendar-id").value;
    say(HL.t("js.sending"));
    HL.api(cid ? "PUT" : "POST", "/api/v1/sla/calendars" + (cid ? "/" + encodeURIComponent(cid) : ""), body).then(function (res) {
      if (!res.ok) { say(HL.t("js.failed", { reason: "" }), true); showErrors(calErrors, res); markLine(res); return; }
      location.reload();
    });
  });

  // ---- policies ------------------------------------------------------------
  var polForm = q("policy-form"), steps = q("ladder-steps");
  var teams = HL.page.teams || {};
  function select(hl, options, value) {
    var s = HL.el("select", { "data-hl": hl });
    options.forEach(function (o) { var op = HL.el("option", { value: o[0] }, o[1]); if (o[0] === value) op.selected = true; s.appendChild(op); });
    return s;
  }
  function labelled(text, input) { var l = HL.el("label", null, text + " "); l.appendChild(input); return l; }
  function addStep(st) {
    st = st || { target: "first_response", percent: 80 };
    var li = HL.el("li", { "class": "ladder-step", "data-hl": "ladder-step" });
    li.appendChild(labelled(HL.t("js.step_target"), select("step-target", ["first_response", "next_response", "resolution"].map(function (t) { return [t, HL.tv("sla.target.", t)]; }), st.target)));
    li.appendChild(labelled(HL.t("js.step_percent"), HL.el("input", { type: "number", min: "1", max: "100", "data-hl": "step-percent", value: st.percent || "" })));
    li.appendChild(labelled(HL.t("js.step_after"), HL.el("input", { type: "text", maxlength: "20", placeholder: "30m", "data-hl": "step-after", value: st.after_breach && st.after_breach !== "0s" ? st.after_breach : "" })));
    ["owner", "assignee", "supervisors"].forEach(function (w) {
      var cb = HL.el("input", { type: "checkbox", "data-hl": "step-notify", "data-who": w });
      cb.checked = (st.notify || []).indexOf(w) >= 0;
      li.appendChild(labelled(HL.t("js.notify_" + w), cb));
    });
    var raise = HL.el("input", { type: "checkbox", "data-hl": "step-raise" });
    raise.checked = !!st.raise_priority;
    li.appendChild(labelled(HL.t("js.step_raise"), raise));
    li.appendChild(labelled(HL.t("js.step_team"), select("step-team", [["", "—"]].concat(Object.keys(teams).map(function (id) { return [id, teams[id]]; })), st.team || "")));
    li.appendChild(labelled(HL.t("js.step_tag"), HL.el("input", { type: "text", maxlength: "32", "data-hl": "step-tag", value: st.tag || "" })));
    var rm = HL.el("button", { type: "button", "data-hl": "step-remove" }, HL.t("js.step_remove"));
    rm.addEventListener("click", function () { li.remove(); });
    li.appendChild(rm);
    steps.appendChild(li);
  }
  q("ladder-add").addEventListener("click", function () { addStep(); });
  function field(hl) { return q(hl); }
  root.addEventListener("click", function (ev) {
    var e = ev.target.closest('[data-hl="policy-edit"]'), d = ev.target.closest('[data-hl="policy-delete"]');
    if (e) {
      var p = pols[e.getAttribute("data-id")];
      if (!p) return;
      field("policy-id").value = p.id;
      field("policy-name").value = p.name;
      field("policy-position").value = p.position;
      field("policy-team").value = p.team_id || "";
      field("policy-priority").value = p.priority || "";
      field("policy-category").value = p.category || "";
      field("policy-channel").value = p.channel || "";
      field("policy-calendar").value = p.calendar_id;
      field("policy-first-response").value = p.first_response === "0s" ? "" : p.first_response;
      field("policy-next-response").value = p.next_response === "0s" ? "" : p.next_response;
      field("policy-resolution").value = p.resolution === "0s" ? "" : p.resolution;
      while (steps.firstChild) steps.removeChild(steps.firstChild);
      (p.ladder || []).forEach(addStep);
      field("policy-name").focus();
    }
    if (d) {
      var pd = pols[d.getAttribute("data-id")];
      if (!pd || !window.confirm(HL.t("js.confirm_delete", { name: pd.name }))) return;
      HL.api("DELETE", "/api/v1/sla/policies/" + encodeURIComponent(pd.id)).then(function (res) {
        if (!res.ok) { say(HL.t("js.failed", { reason: HL.errorText(res) }), true); return; }
        location.reload();
      });
    }
  });
  polForm.addEventListener("reset", function () { field("policy-id").value = ""; while (steps.firstChild) steps.removeChild(steps.firstChild); });
  polForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var ladder = Array.prototype.map.call(steps.querySelectorAll('[data-hl="ladder-step"]'), function (li) {
      var get = function (hl) { return li.querySelector('[data-hl="' + hl + '"]'); };
      var st = { target: get("step-target").value, notify: [] };
      if (get("step-after").value.trim()) st.after_breach = get("step-after").value.trim();
      else if (get("step-percent").value) st.percent = parseInt(get("step-percent").value, 10);
      li.querySelectorAll('[data-hl="step-notify"]').forEach(function (cb) { if (cb.checked) st.notify.push(cb.getAttribute("data-who")); });
      if (get("step-raise").checked) st.raise_priority = true;
      if (get("step-team").value) st.team = get("step-team").value;
      if (get("step-tag").value.trim()) st.tag = get("step-tag").value.trim();
      return st;
    });
    var dur = function (hl) { return field(hl).value.trim() || "0s"; };
    var body = { name: field("policy-name").value.trim(), position: parseInt(field("policy-position").value, 10) || 0,
      team_id: field("policy-team").value, priority: field("policy-priority").value, category: field("policy-category").value.trim(),
      channel: field("policy-channel").value, calendar_id: field("policy-calendar").value,
      first_response: dur("policy-first-response"), next_response: dur("policy-next-response"), resolution: dur("policy-resolution"), ladder: ladder };
    var pid = field("policy-id").value;
    say(HL.t("js.sending"));
    HL.api(pid ? "PUT" : "POST", "/api/v1/sla/policies" + (pid ? "/" + encodeURIComponent(pid) : ""), body).then(function (res) {
      if (!res.ok) { say(HL.t("js.failed", { reason: HL.errorText(res) }), true); return; }
      location.reload();
    });
  });
})();
