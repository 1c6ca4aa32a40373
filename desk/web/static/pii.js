// Ticket page: personal data is masked for everyone. Agents holding
// pii.reveal get a "reveal" button on each message and identity; it needs
// the purpose typed in the panel, which the server audits. Revealed text
// goes in with textContent like every customer text.
(function () {
  "use strict";
  var HL = window.HL;
  var panel = document.querySelector('[data-hl="pii-panel"]');
  if (!HL || !panel) return;
  var ticketID = panel.getAttribute("data-ticket-id");
  var contactID = panel.getAttribute("data-contact-id");
  var canReveal = panel.getAttribute("data-can-reveal") === "true";
  var root = document.querySelector('[data-hl="ticket"]') || document.body;
  var q = function (hl) { return panel.querySelector('[data-hl="' + hl + '"]'); };

  function say(text) { var s = q("pii-status"); if (s) s.textContent = text; }

  function purpose() {
    var input = q("pii-purpose");
    var v = input ? input.value.trim() : "";
    if (!v && input) { say(HL.t("pii.js.need_purpose")); input.focus(); }
    return v;
  }

  function decorate() {
    if (!canReveal) return;
    root.querySelectorAll('[data-hl="entry"]:not([data-direction="system"])').forEach(function (li) {
      if (li.querySelector('[data-hl="pii-reveal"]')) return;
      var meta = li.querySelector(".meta");
      if (meta) meta.appendChild(HL.el("button", { type: "button", "class": "link", "data-hl": "pii-reveal", "data-message-id": li.getAttribute("data-id") }, HL.t("pii.js.reveal")));
    });
    root.querySelectorAll('[data-hl="identity"][data-identity-id]').forEach(function (li) {
      var kind = li.getAttribute("data-kind");
      if ((kind !== "phone" && kind !== "email") || li.querySelector('[data-hl="pii-reveal"]')) return;
      li.appendChild(HL.el("button", { type: "button", "class": "link", "data-hl": "pii-reveal", "data-identity-id": li.getAttribute("data-identity-id") }, HL.t("pii.js.reveal")));
    });
  }

  root.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest('[data-hl="pii-reveal"]');
    if (!b) return;
    var why = purpose();
    if (!why) return;
    var mid = b.getAttribute("data-message-id");
    var path = mid ? "/api/v1/tickets/" + encodeURIComponent(ticketID) + "/messages/" + encodeURIComponent(mid) + "/reveal"
      : "/api/v1/contacts/" + encodeURIComponent(contactID) + "/identities/" + encodeURIComponent(b.getAttribute("data-identity-id")) + "/reveal";
    b.disabled = true;
    HL.api("POST", path, { purpose: why }).then(function (res) {
      b.disabled = false;
      if (!res.ok) { say(HL.errorText(res)); return; }
      var li = b.closest("li");
      var target = mid ? li.querySelector(".body") : li.querySelector(".value");
      if (target) target.textContent = mid ? res.data.text : res.data.value;
      li.setAttribute("data-revealed", "true");
      b.remove();
      say(HL.t("pii.js.revealed"));
    });
  });

  var unmasked = q("export-unmasked");
  if (unmasked) unmasked.addEventListener("click", function () {
    var why = purpose();
    if (!why) return;
    location.assign("/api/v1/tickets/" + encodeURIComponent(ticketID) + "/export?format=csv&purpose=" + encodeURIComponent(why));
  });

  decorate();
  new MutationObserver(decorate).observe(root, { childList: true, subtree: true });
})();
