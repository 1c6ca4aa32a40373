// Routing admin: create, edit, move and delete rules, save team settings,
// import segments; thin forms over the REST API. The page reloads after a change
// so the server renders the new state.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="routing-admin"]');
  if (!HL || !root) return;
  var statusEl = root.querySelector('[data-hl="admin-status"]');
  function say(text, isError) {
    statusEl.textContent = text || "";
    statusEl.classList.toggle("error", !!isError);
  }
  function done(res) {
    if (!res.ok) { say(HL.t("js.failed", { reason: HL.errorText(res) }), true); return; }
    location.reload();
  }

  var ruleRows = Array.prototype.slice.call(root.querySelectorAll('[data-hl="routing-rule"]'));
  var ids = ruleRows.map(function (r) { return r.getAttribute("data-rule-id"); });
  ruleRows.forEach(function (row, i) {
    var id = ids[i];
    function move(delta) {
      var j = i + delta;
      if (j < 0 || j >= ids.length) return;
      var order = ids.slice();
      order[i] = order[j];
      order[j] = id;
      HL.api("PUT", "/api/v1/routing/rules/order", { ids: order }).then(done);
    }
    row.querySelector('[data-hl="rule-up"]').addEventListener("click", function () { move(-1); });
    row.querySelector('[data-hl="rule-down"]').addEventListener("click", function () { move(1); });
    row.querySelector('[data-hl="rule-delete"]').addEventListener("click", function () {
      HL.api("DELETE", "/api/v1/routing/rules/" + encodeURIComponent(id)).then(done);
    });
  });

  // The rule form creates (POST) or, with a rule id, replaces (PUT) a rule.
  // Values are checked by the API; its message is shown in the form.
  var ruleForm = root.querySelector('[data-hl="rule-form"]');
  function field(hl) { return ruleForm.querySelector('[data-hl="' + hl + '"]'); }
  function boxes(hl) { return Array.prototype.slice.call(ruleForm.querySelectorAll('[data-hl="' + hl + '"]')); }
  var ruleError = field("rule-error");
  var ruleTitle = field("rule-form-title");
  var newTitle = ruleTitle.textContent;
  var hoursOn = field("rule-hours-on");
  var hoursFields = ["rule-hours-outside", "rule-timezone", "rule-schedule"].map(field).concat(boxes("rule-day"));
  function syncHours() {
    hoursFields.forEach(function (f) { f.disabled = !hoursOn.checked; });
  }
  function readList(hl) {
    return field(hl).value.split(/[,，、]/).map(function (v) { return v.trim(); }).filter(Boolean);
  }
  function writeList(hl, vals) { field(hl).value = (vals || []).join(", "); }
  function ruleFailed(text) {
    ruleError.textContent = text || "";
    ruleError.classList.toggle("hidden", !text);
  }
  function fillRule(rule) {
    var c = rule.conditions || {};
    var h = c.hours;
    field("rule-id").value = rule.id;
    field("rule-name").value = rule.name || "";
    field("rule-enabled").checked = !!rule.enabled;
    boxes("rule-channel").forEach(function (b) { b.checked = (c.channels || []).indexOf(b.value) >= 0; });
    writeList("rule-languages", c.languages);
    writeList("rule-categories", c.categories);
    writeList("rule-keywords", c.keywords);
    writeList("rule-segments", c.segments);
    hoursOn.checked = !!h;
    field("rule-hours-outside").value = h && h.outside ? "outside" : "inside";
    field("rule-timezone").value = h ? h.timezone || "" : "Asia/Shanghai";
    field("rule-schedule").value = h ? h.hours || "" : "";
    boxes("rule-day").forEach(function (b) { b.checked = !!h && (h.days || []).indexOf(parseInt(b.value, 10)) >= 0; });
    field("rule-team").value = rule.team_id || "";
    field("rule-set-category").value = rule.set_category || "";
    field("rule-set-priority").value = rule.set_priority || "";
    syncHours();
    ruleFailed("");
    ruleTitle.textContent = HL.t("js.rule_editing", { name: rule.name || rule.id });
    field("rule-name").focus();
  }
  function readRule() {
    var cond = {
      channels: boxes("rule-channel").filter(function (b) { return b.checked; }).map(function (b) { return b.value; }),
      languages: readList("rule-languages"),
      categories: readList("rule-categories"),
      keywords: readList("rule-keywords"),
      segments: readList("rule-segments")
    };
    if (hoursOn.checked) {
      cond.hours = {
        timezone: field("rule-timezone").value.trim(),
        days: boxes("rule-day").filter(function (b) { return b.checked; }).map(function (b) { return parseInt(b.value, 10); }),
        hours: field("rule-schedule").value.trim(),
        outside: field("rule-hours-outside").value === "outside"
      };
    }
    return {
      name: field("rule-name").value.trim(),
      enabled: field("rule-enabled").checked,
      conditions: cond,
      team_id: field("rule-team").value,
      set_category: field("rule-set-category").value.trim(),
      set_priority: field("rule-set-priority").value
    };
  }
  hoursOn.addEventListener("change", syncHours);
  ruleForm.addEventListener("reset", function () {
    // After the browser has put the defaults back.
    setTimeout(function () {
      field("rule-id").value = "";
      ruleTitle.textContent = newTitle;
      ruleFailed("");
      syncHours();
    }, 0);
  });
  ruleForm.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && field("rule-id").value) { ev.preventDefault(); ruleForm.reset(); field("rule-name").focus(); }
  });
  ruleForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var id = field("rule-id").value;
    var save = field("rule-save");
    ruleFailed("");
    save.disabled = true;
    HL.api(id ? "PUT" : "POST", "/api/v1/routing/rules" + (id ? "/" + encodeURIComponent(id) : ""), readRule()).then(function (res) {
      save.disabled = false;
      if (res.ok) { location.reload(); return; }
      var msg = res.data && res.data.error && res.data.error.message;
      ruleFailed(HL.t("js.failed", { reason: msg || HL.errorText(res) }));
      ruleError.focus();
    });
  });
  syncHours();
  ruleFailed("");
  ruleRows.forEach(function (row, i) {
    row.querySelector('[data-hl="rule-edit"]').addEventListener("click", function () {
      HL.api("GET", "/api/v1/routing/rules").then(function (res) {
        if (!res.ok) { say(HL.t("js.failed", { reason: HL.errorText(res) }), true); return; }
        var rule = ((res.data && res.data.rules) || []).filter(function (r) { return r.id === ids[i]; })[0];
        if (!rule) { location.reload(); return; }
        say("");
        fillRule(rule);
      });
    });
  });

  root.querySelectorAll('[data-hl="routing-team"]').forEach(function (row) {
    row.querySelector('[data-hl="team-save"]').addEventListener("click", function () {
      var minutes = parseInt(row.querySelector('[data-hl="team-reassign"]').value, 10) || 0;
      HL.api("PUT", "/api/v1/routing/teams/" + encodeURIComponent(row.getAttribute("data-team-id")), {
        mode: row.querySelector('[data-hl="team-mode"]').value,
        reassign_after_seconds: minutes * 60,
        "default": row.querySelector('[data-hl="team-default"]').checked
      }).then(done);
    });
  });

  var form = root.querySelector('[data-hl="segments-form"]');
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var csv = form.querySelector('[data-hl="segments-csv"]').value;
    // A CSV body, which HL.api (JSON or FormData) does not send.
    fetch("/api/v1/routing/segments", {
      method: "POST", credentials: "same-origin", body: csv,
      headers: { "Content-Type": "text/csv", "Accept": "application/json", "X-CSRF-Token": HL.csrf }
    }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (data) {
        if (!r.ok) { say(HL.t("js.failed", { reason: (data && data.error && data.error.message) || ("HTTP " + r.status) }), true); return; }
        say(HL.t("js.segments_imported", { added: data.added, received: data.received }));
      });
    }, function (err) { say(HL.t("js.failed", { reason: String(err) }), true); });
  });
})();
