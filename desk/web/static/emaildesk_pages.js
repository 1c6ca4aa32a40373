// The new-email form (email_new.html) and the mailbox admin page's
// connection test (admin_mailboxes.html). Texts go in with textContent.
(function () {
  "use strict";
  var HL = window.HL;
  if (!HL) return;
  var q = function (hl) { return document.querySelector('[data-hl="' + hl + '"]'); };
  function say(el, text, isError) {
    el.textContent = text || "";
    el.classList.toggle("error", !!isError);
  }

  var form = q("email-form");
  if (form) {
    var key = null; // one Idempotency-Key per draft, kept across retries
    form.addEventListener("input", function () { key = null; });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var status = q("email-status"), send = q("email-send");
      if (!key) key = HL.uuid();
      var name = q("email-name");
      var body = {
        contact_id: q("email-contact").value, address: q("email-address").value.trim(), name: name ? name.value.trim() : "",
        mailbox: q("email-mailbox").value, subject: q("email-subject").value, cc: q("email-cc").value, text: q("email-text").value
      };
      send.disabled = true;
      say(status, HL.t("js.sending"));
      HL.api("POST", "/api/v1/emails", body, { "Idempotency-Key": key }).then(function (res) {
        send.disabled = false;
        if (res.ok && res.data && res.data.ticket) {
          location.assign("/tickets/" + encodeURIComponent(res.data.ticket.id));
          return;
        }
        if (res.status >= 400 && res.status < 500) key = null;
        say(status, HL.t("js.send_failed", { reason: HL.errorText(res) }), true);
      });
    });
  }

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest('[data-hl="mailbox-test"]');
    if (!b) return;
    var out = b.parentNode.querySelector('[data-hl="mailbox-test-result"]');
    b.disabled = true;
    say(out, HL.t("emaildesk.testing"));
    HL.api("POST", "/api/v1/mailboxes/" + encodeURIComponent(b.getAttribute("data-name")) + "/test").then(function (res) {
      b.disabled = false;
      if (!res.ok || !res.data) { say(out, HL.t("js.failed", { reason: HL.errorText(res) }), true); return; }
      var r = res.data;
      out.textContent = "";
      [["IMAP", r.imap_ok, r.imap], ["SMTP", r.smtp_ok, r.smtp]].forEach(function (x) {
        out.appendChild(HL.el("span", { "class": x[1] ? "ok" : "error", "data-hl": "mailbox-test-" + x[0].toLowerCase() },
          x[0] + ": " + (x[1] ? HL.t("emaildesk.test_ok") : HL.t("emaildesk.test_failed")) + (x[2] ? " — " + x[2] : "")));
        out.appendChild(HL.el("br"));
      });
    });
  });
})();

// The mailbox admin page's form: add or change an admin-added mailbox.
// Passwords are write-only: the edit button fills everything else, and
// an empty password keeps the stored one.
(function () {
  "use strict";
  var HL = window.HL;
  var form = HL && document.querySelector('[data-hl="mailbox-form"]');
  if (!form) return;
  var status = document.querySelector('[data-hl="admin-status"]');
  var numbers = { imap_port: true, smtp_port: true };
  var flags = { insecure: true, disabled: true };
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest('[data-hl="mailbox-edit"]');
    if (!b) return;
    var s = JSON.parse(b.getAttribute("data-settings"));
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      if (flags[el.name]) el.checked = !!s[el.name];
      else if (el.type !== "password") el.value = s[el.name] === undefined || s[el.name] === 0 ? "" : s[el.name];
      else el.value = "";
    });
    form.scrollIntoView();
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      if (flags[el.name]) body[el.name] = el.checked;
      else if (numbers[el.name]) body[el.name] = el.value ? parseInt(el.value, 10) : 0;
      else body[el.name] = el.value.trim();
    });
    status.textContent = HL.t("js.sending");
    status.classList.remove("error");
    HL.api("POST", "/api/v1/mailboxes", body).then(function (res) {
      if (!res.ok) {
        status.textContent = HL.t("js.failed", { reason: HL.errorText(res) });
        status.classList.add("error");
        return;
      }
      location.reload();
    });
  });
})();
