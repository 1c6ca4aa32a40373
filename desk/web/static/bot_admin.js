// The bot's admin pages: saves settings and flows, restores a version and
// runs the try console, all through the REST API. Customer-like text and
// the bot's replies are put into the page with textContent only.
(function () {
  "use strict";
  var HL = window.HL;
  if (!HL) return;
  function q(root, hl) { return root.querySelector('[data-hl="' + hl + '"]'); }
  function all(root, hl) { return Array.prototype.slice.call(root.querySelectorAll('[data-hl="' + hl + '"]')); }
  function sayIn(root) {
    var status = q(root, "admin-status");
    return function (text, isError) {
      status.textContent = text || "";
      status.classList.toggle("error", !!isError);
    };
  }

  // Settings: one place at a time.
  var settings = document.querySelector('[data-hl="bot-settings"]');
  if (settings) {
    var sform = q(settings, "bot-settings-form");
    var ssay = sayIn(settings);
    if (sform) sform.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var greeting = {}, hours = {};
      all(sform, "bot-greeting").forEach(function (t) { if (t.value.trim()) greeting[t.getAttribute("data-lang")] = t.value; });
      all(sform, "bot-hours").forEach(function (i) { if (i.value.trim()) hours[i.getAttribute("data-day")] = i.value; });
      var body = {
        channel: sform.getAttribute("data-channel"), site_key: sform.getAttribute("data-site-key"),
        enabled: q(sform, "bot-enabled").checked, mode: q(sform, "bot-mode").value, name: q(sform, "bot-name").value,
        greeting: greeting, skip_open_greeting: !q(sform, "bot-open-greeting").checked, calendar_id: q(sform, "bot-calendar").value, hours: hours, timezone: q(sform, "bot-timezone").value,
      };
      HL.api("PUT", "/api/v1/bot/settings", body).then(function (res) {
        if (!res.ok) { ssay(HL.errorText(res), true); return; }
        ssay(HL.t("botdesk.js.saved"));
      });
    });
  }

  // Flows: save a new version over the one opened, restore an old one.
  var flows = document.querySelector('[data-hl="bot-flows"]');
  if (flows) {
    var fsay = sayIn(flows);
    var problems = q(flows, "bot-flows-problems");
    var base = HL.page.base_version || 0;
    // A refused document's message lists its problems one per line.
    var showProblems = function (res) {
      problems.textContent = "";
      var lines = HL.errorText(res).split("\n");
      fsay(lines[0], true);
      lines.slice(1).forEach(function (p) { if (p) problems.appendChild(HL.el("li", { "data-hl": "bot-flows-problem" }, p)); });
    };
    q(flows, "bot-flows-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      fsay(HL.t("botdesk.js.saving"));
      HL.api("PUT", "/api/v1/bot/flows", {
        source: q(flows, "bot-flows-source").value, base_version: base, note: q(flows, "bot-flows-note").value,
      }).then(function (res) {
        if (!res.ok) { showProblems(res); return; }
        location.assign("/admin/bot/flows");
      });
    });
    all(flows, "bot-flows-restore").forEach(function (b) {
      b.addEventListener("click", function () {
        var v = parseInt(b.getAttribute("data-version"), 10);
        if (!window.confirm(HL.t("botdesk.js.restore_confirm", { n: v }))) return;
        HL.api("POST", "/api/v1/bot/flows/restore", { version: v, base_version: base }).then(function (res) {
          if (!res.ok) { showProblems(res); return; }
          location.assign("/admin/bot/flows");
        });
      });
    });
  }

  // Try console: one conversation key per test, kept until "new".
  var tryRoot = document.querySelector('[data-hl="bot-try"]');
  if (tryRoot) {
    var tsay = sayIn(tryRoot);
    var key = q(tryRoot, "bot-try-key");
    var log = q(tryRoot, "bot-try-log");
    var text = q(tryRoot, "bot-try-text");
    var fresh = function () { key.value = "t-" + HL.uuid().slice(0, 12); log.textContent = ""; };
    fresh();
    q(tryRoot, "bot-try-new").addEventListener("click", function () { fresh(); text.focus(); });
    var line = function (who, words) {
      var li = HL.el("li", { "class": "bot-turn bot-turn-" + who, "data-hl": "bot-try-" + who });
      li.appendChild(HL.el("span", { "class": "badge" }, HL.t("botdesk.js." + who)));
      li.appendChild(HL.el("span", { "class": "bot-words" }, words));
      log.appendChild(li);
      return li;
    };
    var decision = function (d) {
      var parts = [HL.tv("botdesk.kind.", d.kind)];
      var det = d.detail || {};
      if (det.reason) parts.push(HL.tv("botdesk.reason.", det.reason));
      if (det.result) parts.push(HL.tv("botdesk.result.", det.result));
      if (det.article_id) parts.push(det.article_id);
      if (det.candidates) parts.push(det.candidates.join(", "));
      if (det.fact) parts.push(det.fact);
      if (det.count) parts.push("×" + det.count);
      if (det.flow) parts.push(det.flow);
      if (det.fields) Object.keys(det.fields).forEach(function (k) { parts.push(k + "=" + det.fields[k]); });
      return HL.el("li", { "data-hl": "bot-try-decision", "data-kind": d.kind }, parts.join(" · "));
    };
    q(tryRoot, "bot-try-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var words = text.value.trim();
      if (!words) return;
      line("you", words);
      text.value = "";
      tsay(HL.t("botdesk.js.thinking"));
      HL.api("POST", "/api/v1/bot/try", { key: key.value, text: words, lang: q(tryRoot, "bot-try-lang").value }).then(function (res) {
        if (!res.ok) { tsay(HL.errorText(res), true); return; }
        tsay("");
        var reply = res.data.reply || {};
        var li = line("bot", reply.silent || !reply.text ? HL.t("botdesk.js.silent") : reply.text);
        if (reply.handed_off) li.appendChild(HL.el("span", { "class": "tag", "data-hl": "bot-try-handed-off" }, HL.t("botdesk.js.handed_off")));
        var ds = HL.el("ul", { "class": "bot-decisions", "aria-label": HL.t("botdesk.js.decisions") });
        (res.data.decisions || []).forEach(function (d) { ds.appendChild(decision(d)); });
        li.appendChild(ds);
        li.scrollIntoView({ block: "nearest" });
      });
    });
  }
})();
