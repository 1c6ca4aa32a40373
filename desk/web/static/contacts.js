// Contact panel of the ticket page: notes about the customer (add, edit
// and delete one's own), and merging another customer into this one by
// hand, side by side first, with undo. The server renders the panel; after
// each change it is re-read (fragment=people), never built from strings.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="ticket"]');
  if (!HL || !root || !HL.page.contact_id) return;
  var ticketID = HL.page.ticket_id, contactID = HL.page.contact_id;
  var q = function (hl) { return root.querySelector('[data-hl="' + hl + '"]'); };

  function status(text) {
    var s = q("contact-status");
    if (s) s.textContent = text;
  }
  // refresh re-reads the panel; after a merge or undo the identities too.
  function refresh(withIdentities) {
    var base = "/tickets/" + encodeURIComponent(ticketID) + "?fragment=";
    var done = HL.fragment(base + "people", ["contact-people"], root);
    if (withIdentities) HL.fragment(base + "head", ["contact"], root);
    return done;
  }
  function fail(res) { status(HL.errorText(res)); }

  // ---- notes -------------------------------------------------------------------
  function addNote(ev) {
    ev.preventDefault();
    var input = q("note-input");
    HL.api("POST", "/api/v1/contacts/" + encodeURIComponent(contactID) + "/notes", { text: input.value }).then(function (res) {
      if (!res.ok) return fail(res);
      refresh().then(function () { status(HL.t("contacts.js.note_saved")); });
    });
  }

  function editNote(li) {
    var textEl = li.querySelector('[data-hl="note-text"]');
    if (!textEl || li.querySelector("textarea")) return;
    var box = HL.el("textarea", { rows: 3, maxlength: 4000, "data-hl": "note-edit-input", "aria-label": HL.t("contacts.js.note_edit") });
    box.value = textEl.textContent;
    var save = HL.el("button", { type: "button", "class": "primary", "data-hl": "note-save" }, HL.t("contacts.js.save"));
    var cancel = HL.el("button", { type: "button", "data-hl": "note-cancel" }, HL.t("contacts.js.cancel"));
    textEl.hidden = true;
    var form = HL.el("div", { "class": "stack" });
    form.appendChild(box); form.appendChild(save); form.appendChild(cancel);
    textEl.after(form);
    box.focus();
    cancel.addEventListener("click", function () { form.remove(); textEl.hidden = false; });
    save.addEventListener("click", function () {
      HL.api("PATCH", "/api/v1/contact-notes/" + encodeURIComponent(li.dataset.noteId), { text: box.value }).then(function (res) {
        if (!res.ok) return fail(res);
        refresh().then(function () { status(HL.t("contacts.js.note_saved")); });
      });
    });
  }

  function deleteNote(li) {
    if (!window.confirm(HL.t("contacts.js.note_delete_confirm"))) return;
    HL.api("DELETE", "/api/v1/contact-notes/" + encodeURIComponent(li.dataset.noteId)).then(function (res) {
      if (!res.ok) return fail(res);
      refresh().then(function () { status(HL.t("contacts.js.note_deleted")); });
    });
  }

  // ---- merge -------------------------------------------------------------------
  function label(c) {
    if (c.name) return c.name;
    var first = (c.identities || [])[0];
    return first ? HL.tv("identity.", first.kind) + " " + first.value : HL.t("contacts.js.no_name");
  }

  function find() {
    var text = q("merge-q").value.trim();
    var list = q("merge-results"), compare = q("merge-compare");
    list.textContent = "";
    compare.hidden = true;
    HL.api("GET", "/api/v1/contacts?q=" + encodeURIComponent(text)).then(function (res) {
      if (!res.ok) return fail(res);
      var found = (res.data.contacts || []).filter(function (c) { return c.id !== contactID; });
      status(found.length ? "" : HL.t("contacts.js.none_found"));
      found.forEach(function (c) {
        var li = HL.el("li", { "data-hl": "merge-result", "data-contact-id": c.id });
        li.appendChild(HL.el("span", { "class": "name" }, label(c)));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(HL.el("button", { type: "button", "data-hl": "merge-compare-go" }, HL.t("contacts.js.compare")));
        list.appendChild(li);
      });
    });
  }

  function column(title, c, tickets) {
    var col = HL.el("div", { "class": "merge-side", "data-hl": "merge-side" });
    col.appendChild(HL.el("h4", null, title));
    col.appendChild(HL.el("p", { "class": "contact-name" }, label(c)));
    var ul = HL.el("ul", { "class": "identities" });
    (c.identities || []).forEach(function (id) {
      var li = HL.el("li", { "data-verified": id.verified_at ? "true" : "false" });
      li.appendChild(HL.el("span", { "class": "kind" }, HL.tv("identity.", id.kind)));
      li.appendChild(document.createTextNode(" " + id.value + " "));
      li.appendChild(id.verified_at ? HL.el("span", { "class": "verified" }, "✓ " + HL.t("contacts.js.verified"))
        : HL.el("span", { "class": "unverified" }, HL.t("contacts.js.unverified")));
      ul.appendChild(li);
    });
    col.appendChild(ul);
    col.appendChild(HL.el("p", { "class": "muted" }, HL.t("contacts.js.tickets_n", { n: tickets })));
    return col;
  }

  function compare(otherID) {
    var box = q("merge-compare");
    HL.api("GET", "/api/v1/contacts/" + encodeURIComponent(contactID) + "/merge-preview?from=" + encodeURIComponent(otherID)).then(function (res) {
      if (!res.ok) return fail(res);
      var p = res.data;
      box.textContent = "";
      var sides = HL.el("div", { "class": "merge-sides" });
      sides.appendChild(column(HL.t("contacts.js.this"), p.into, p.into_tickets));
      sides.appendChild(column(HL.t("contacts.js.other"), p.from, p.from_tickets));
      box.appendChild(sides);
      if (p.refusal) {
        box.appendChild(HL.el("p", { "class": "error", role: "alert", "data-hl": "merge-refusal" }, HL.t("contacts.js.refused", { reason: p.refusal.message })));
      } else {
        box.appendChild(HL.el("p", { "class": "muted" }, HL.t("contacts.js.merge_explain")));
        box.appendChild(HL.el("button", { type: "button", "class": "primary", "data-hl": "merge-confirm", "data-contact-id": otherID }, HL.t("contacts.js.confirm")));
      }
      box.hidden = false;
    });
  }

  function merge(otherID) {
    HL.api("POST", "/api/v1/contacts/" + encodeURIComponent(contactID) + "/merges", { from_id: otherID }).then(function (res) {
      if (!res.ok) return fail(res);
      refresh(true).then(function () { status(HL.t("contacts.js.merged")); });
    });
  }

  function undo(p) {
    HL.api("POST", "/api/v1/contact-merges/" + encodeURIComponent(p.dataset.mergeId) + "/undo").then(function (res) {
      if (!res.ok) return fail(res);
      refresh(true).then(function () { status(HL.t("contacts.js.undone")); });
    });
  }

  // One listener each on the page: the panel is replaced on every refresh.
  root.addEventListener("submit", function (ev) {
    if (ev.target.matches('[data-hl="note-form"]')) addNote(ev);
  });
  root.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-hl]");
    if (!b || !b.closest('[data-hl="contact-people"]')) return;
    switch (b.dataset.hl) {
      case "note-edit": editNote(b.closest('[data-hl="contact-note"]')); break;
      case "note-delete": deleteNote(b.closest('[data-hl="contact-note"]')); break;
      case "merge-find": find(); break;
      case "merge-compare-go": compare(b.closest('[data-hl="merge-result"]').dataset.contactId); break;
      case "merge-confirm": merge(b.dataset.contactId); break;
      case "merge-undo": undo(b.closest('[data-hl="contact-merge"]')); break;
    }
  });
  root.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.matches('[data-hl="merge-q"]')) { ev.preventDefault(); find(); }
  });
})();
