// Admin screens for people and access: agents and teams (/admin/agents)
// and API tokens (/admin/tokens), thin forms over the REST API. A new
// password or token secret is shown once, on the page, never stored.
(function () {
  "use strict";
  var HL = window.HL;
  if (!HL) return;
  var statusEl = document.querySelector('[data-hl="admin-status"]');
  function say(text, isError) { HL.say(statusEl, text, isError); }
  function failed(res) { HL.sayFailed(statusEl, res); }
  function checked(scope, name) {
    return Array.prototype.filter.call(scope.querySelectorAll('input[name="' + name + '"]'), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
  }
  // A random password of 16 letters and digits, for "reset password" and
  // a new agent without one.
  function newPassword() {
    var abc = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return abc[x % abc.length]; }).join("");
  }
  var once = document.querySelector('[data-hl="password-once"]');
  function showPassword(who, pw) {
    if (!once) return;
    once.textContent = HL.t("js.people_password_once", { name: who, password: pw });
    once.hidden = false;
  }

  var agentForm = document.querySelector('[data-hl="agent-form"]');
  if (agentForm) {
    agentForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var pw = agentForm.password.value || newPassword();
      var body = { email: agentForm.email.value.trim(), name: agentForm.name.value.trim(), role: agentForm.role.value,
        teams: checked(agentForm, "teams"), password: pw };
      HL.api("POST", "/api/v1/agents", body).then(function (res) {
        if (!res.ok) { failed(res); return; }
        if (!agentForm.password.value) showPassword(body.name, pw);
        say(HL.t("js.people_saved"));
        setTimeout(function () { location.reload(); }, agentForm.password.value ? 300 : 8000);
      });
    });
    document.querySelectorAll('[data-hl="agent-row"]').forEach(function (row) {
      var id = row.getAttribute("data-id");
      var name = row.querySelector("strong").textContent;
      row.querySelector('[data-hl="agent-save"]').addEventListener("click", function () {
        var active = row.querySelector('input[name="active"]');
        var body = { role: row.querySelector('select[name="role"]').value, teams: checked(row, "teams"),
          permissions: row.querySelector('input[name="reveal"]').checked ? ["pii.reveal"] : [],
          time_zone: row.querySelector('select[name="time_zone"]').value };
        if (!active.disabled) body.active = active.checked;
        HL.api("PATCH", "/api/v1/agents/" + encodeURIComponent(id), body).then(function (res) {
          if (!res.ok) { failed(res); return; }
          row.classList.toggle("muted", !active.checked);
          say(HL.t("js.people_saved_name", { name: name }));
        });
      });
      row.querySelector('[data-hl="agent-reset"]').addEventListener("click", function () {
        if (!confirm(HL.t("js.people_reset_confirm", { name: name }))) return;
        var pw = newPassword();
        HL.api("PATCH", "/api/v1/agents/" + encodeURIComponent(id), { password: pw }).then(function (res) {
          if (!res.ok) { failed(res); return; }
          showPassword(name, pw);
        });
      });
    });
  }

  var teamForm = document.querySelector('[data-hl="team-form"]');
  if (teamForm) {
    teamForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      HL.api("POST", "/api/v1/teams", { name: teamForm.name.value.trim() }).then(function (res) {
        if (!res.ok) { failed(res); return; }
        location.reload();
      });
    });
  }

  var tokenForm = document.querySelector('[data-hl="token-form"]');
  if (tokenForm) {
    tokenForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      HL.api("POST", "/api/v1/tokens", { name: tokenForm.name.value.trim(), agent_email: tokenForm.agent_email.value }).then(function (res) {
        if (!res.ok || !res.data) { failed(res); return; }
        var box = document.querySelector('[data-hl="token-once"]');
        box.querySelector('[data-hl="token-secret"]').textContent = res.data.secret;
        box.hidden = false;
        tokenForm.reset();
        say(HL.t("js.people_saved"));
      });
    });
    document.querySelectorAll('[data-hl="token-revoke"]').forEach(function (btn) {
      btn.addEventListener("click", function () {
        var row = btn.closest('[data-hl="token-row"]');
        if (!confirm(HL.t("js.people_revoke_confirm", { name: row.cells[0].textContent }))) return;
        btn.disabled = true;
        HL.api("DELETE", "/api/v1/tokens/" + encodeURIComponent(row.getAttribute("data-id"))).then(function (res) {
          if (!res.ok) { btn.disabled = false; failed(res); return; }
          row.classList.add("muted");
          btn.replaceWith(document.createTextNode(HL.t("js.people_revoked")));
        });
      });
    });
  }
})();
