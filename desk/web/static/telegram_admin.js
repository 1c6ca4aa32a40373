// The Telegram bots page (admin_telegram.html): add or change a bot,
// disable, remove, send a test message, and keep the status cells live by
// re-reading the page every 15 seconds. The token and webhook secret are
// write-only: the form never shows them, and an empty field keeps them.
(function () {
  "use strict";
  var HL = window.HL;
  var form = HL && document.querySelector('[data-hl="tg-form"]');
  if (!form) return;
  var status = document.querySelector('[data-hl="admin-status"]');
  var say = HL.say;
  function save(body, out) {
    say(out, HL.t("js.sending"));
    return HL.api("POST", "/api/v1/telegram-bots", body).then(function (res) {
      if (!res.ok) { HL.sayFailed(out, res); return; }
      location.reload();
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = form.elements;
    save({ name: f.name.value.trim(), token: f.token.value.trim(), mode: f.mode.value,
      webhook_secret: f.webhook_secret.value.trim(), disabled: f.disabled.checked }, status);
  });

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest('[data-hl="tg-edit"], [data-hl="tg-toggle"], [data-hl="tg-remove"]');
    if (!b) return;
    var name = b.getAttribute("data-name");
    var out = b.closest("td").querySelector('[data-hl="tg-result"]');
    var kind = b.getAttribute("data-hl");
    if (kind === "tg-edit") {
      var f = form.elements;
      f.name.value = name; f.mode.value = b.getAttribute("data-mode");
      f.disabled.checked = b.getAttribute("data-disabled") === "true";
      f.token.value = ""; f.webhook_secret.value = "";
      form.scrollIntoView();
      f.token.focus();
      return;
    }
    if (kind === "tg-toggle") {
      save({ name: name, mode: b.getAttribute("data-mode"), disabled: b.getAttribute("data-disabled") !== "true" }, out);
      return;
    }
    if (!window.confirm(HL.t("js.confirm_delete", { name: name }))) return;
    HL.api("DELETE", "/api/v1/telegram-bots/" + encodeURIComponent(name)).then(function (res) {
      if (!res.ok) { HL.sayFailed(out, res); return; }
      location.reload();
    });
  });

  document.addEventListener("submit", function (ev) {
    var t = ev.target.closest('[data-hl="tg-test-form"]');
    if (!t) return;
    ev.preventDefault();
    var out = t.closest("td").querySelector('[data-hl="tg-result"]');
    var send = t.querySelector('[data-hl="tg-test"]');
    send.disabled = true;
    say(out, HL.t("js.sending"));
    HL.api("POST", "/api/v1/telegram-bots/" + encodeURIComponent(t.getAttribute("data-name")) + "/test",
      { chat_id: t.elements.chat_id.value.trim(), text: t.elements.text.value }).then(function (res) {
      send.disabled = false;
      if (!res.ok) { say(out, HL.t("js.send_failed", { reason: HL.errorText(res) }), true); return; }
      say(out, HL.t("admintg.js.test_sent"));
    });
  });

  // Live status: the server renders the cells (translated, with relative
  // times); only they are swapped, so a half-typed test message stays.
  window.setInterval(function () {
    if (document.hidden) return;
    fetch(location.href, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, "text/html");
      document.querySelectorAll('[data-hl="tg-bot"]').forEach(function (row) {
        var fresh = doc.querySelector('[data-hl="tg-bot"][data-name="' + CSS.escape(row.getAttribute("data-name")) + '"] [data-hl="tg-status"]');
        var cell = row.querySelector('[data-hl="tg-status"]');
        if (fresh && cell) cell.replaceWith(document.importNode(fresh, true));
      });
    }).catch(function () { /* offline for a moment: the next round tries again */ });
  }, 15000);
})();
