// Ticket page, knowledge base: articles suggested for the customer's latest
// message, a search box for others, one click to insert an article's text
// or help-centre link into the reply, and "turn this reply into a draft
// article" on agents' replies. Article titles and snippets go in with
// textContent; a snippet keeps only its <mark> highlights.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="ticket"]');
  var box = document.querySelector('[data-hl="kb-suggest"]');
  if (!HL || !root || !box) return;
  var id = HL.page.ticket_id;
  var q = function (hl) { return box.querySelector('[data-hl="' + hl + '"]'); };
  var list = q("kb-hits"), basis = q("kb-basis"), search = q("kb-search-input"), locale = q("kb-locale");
  var reply = root.querySelector('[data-hl="reply-input"]');
  var seq = 0; // answers to older requests are dropped

  // snippetNode rebuilds a snippet from its text and <mark> elements only.
  function snippetNode(html) {
    var out = HL.el("p", { "class": "kb-snippet" });
    var doc = new DOMParser().parseFromString("<p>" + (html || "") + "</p>", "text/html");
    doc.body.firstChild.childNodes.forEach(function (n) {
      if (n.nodeType === 1 && n.tagName === "MARK") out.appendChild(HL.el("mark", null, n.textContent));
      else out.appendChild(document.createTextNode(n.textContent));
    });
    return out;
  }

  function show(hits, emptyKey) {
    list.textContent = "";
    if (!hits.length) {
      list.appendChild(HL.el("li", { "class": "muted", "data-hl": "kb-no-hits" }, HL.t(emptyKey)));
      return;
    }
    hits.forEach(function (h) {
      var a = h.article;
      var li = HL.el("li", { "class": "kb-hit", "data-hl": "kb-hit", "data-id": a.id });
      var head = HL.el("div", { "class": "kb-hit-head" });
      head.appendChild(HL.el("a", { href: "/kb/articles/" + encodeURIComponent(a.id), target: "_blank", rel: "noopener", "class": "kb-hit-title", "data-hl": "kb-hit-title" }, a.title));
      if (a.visibility === "internal") head.appendChild(HL.el("span", { "class": "badge" }, HL.t("kbdesk.js.internal")));
      li.appendChild(head);
      if (h.snippet) li.appendChild(snippetNode(h.snippet));
      var row = HL.el("div", { "class": "row kb-hit-actions" });
      var text = HL.el("button", { type: "button", "data-hl": "kb-insert-text", "data-id": a.id }, HL.t("kbdesk.js.insert_text"));
      text.addEventListener("click", function () { insert(a.id, "text"); });
      row.appendChild(text);
      if (a.visibility === "public") {
        var link = HL.el("button", { type: "button", "data-hl": "kb-insert-link", "data-id": a.id }, HL.t("kbdesk.js.insert_link"));
        link.addEventListener("click", function () { insert(a.id, "link"); });
        row.appendChild(link);
      }
      li.appendChild(row);
      list.appendChild(li);
    });
  }

  function failed(res) {
    list.textContent = "";
    var msg = res.status === 503 ? HL.t("kbdesk.js.unavailable") : HL.t("js.failed", { reason: HL.errorText(res) });
    list.appendChild(HL.el("li", { "class": "error", "data-hl": "kb-error" }, msg));
  }

  function suggest() {
    var n = ++seq;
    HL.api("GET", "/api/v1/tickets/" + encodeURIComponent(id) + "/kb-suggestions?locale=" + encodeURIComponent(locale.value)).then(function (res) {
      if (n !== seq || search.value.trim()) return;
      if (!res.ok) { failed(res); return; }
      basis.textContent = res.data.query ? HL.t("kbdesk.js.for_message", { text: res.data.query.slice(0, 80) }) : HL.t("kbdesk.js.no_message");
      show(res.data.hits || [], "kbdesk.js.no_suggestions");
    });
  }

  function find() {
    var text = search.value.trim();
    if (!text) { suggest(); return; }
    var n = ++seq;
    HL.api("GET", "/api/v1/kb/search?q=" + encodeURIComponent(text) + "&locale=" + encodeURIComponent(locale.value)).then(function (res) {
      if (n !== seq) return;
      if (!res.ok) { failed(res); return; }
      basis.textContent = HL.t("kbdesk.js.results_for", { text: text });
      show(res.data.hits || [], "kbdesk.js.no_results");
    });
  }

  // insert puts the article's text or link at the reply's cursor, as an
  // edit of the draft (the reply box then makes a new idempotency key).
  function insert(articleID, what) {
    basis.textContent = HL.t("js.sending");
    HL.api("GET", "/api/v1/kb/articles/" + encodeURIComponent(articleID) + "/reply-text?locale=" + encodeURIComponent(locale.value)).then(function (res) {
      if (!res.ok) { basis.textContent = HL.t("js.failed", { reason: HL.errorText(res) }); return; }
      var add = what === "link" ? res.data.link : res.data.text;
      if (!add) { basis.textContent = HL.t("kbdesk.js.no_link"); return; }
      var start = reply.selectionStart || 0, end = reply.selectionEnd || 0;
      var before = reply.value.slice(0, start);
      if (before && !/\s$/.test(before)) add = (what === "link" ? " " : "\n") + add;
      reply.value = before + add + reply.value.slice(end);
      reply.focus();
      reply.setSelectionRange(start + add.length, start + add.length);
      reply.dispatchEvent(new Event("input", { bubbles: true }));
      basis.textContent = HL.t("kbdesk.js.inserted", { title: res.data.title });
    });
  }

  search.addEventListener("input", HL.debounce(find, 250));
  box.querySelector('[data-hl="kb-search-form"]').addEventListener("submit", function (ev) { ev.preventDefault(); find(); });
  locale.addEventListener("change", find);

  // Keyboard: "a" jumps to the search; arrows walk the hits' buttons; Esc
  // in the search goes back to the suggestions.
  HL.keys.a = function (ev) { ev.preventDefault(); HL.focusFromKey(search, ev.key); search.select(); };
  box.addEventListener("keydown", function (ev) {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    var buttons = Array.prototype.slice.call(list.querySelectorAll("button"));
    if (!buttons.length) return;
    var at = buttons.indexOf(document.activeElement);
    var next = ev.key === "ArrowDown" ? at + 1 : at - 1;
    if (at < 0 && ev.key === "ArrowDown") next = 0;
    if (next < 0) { search.focus(); ev.preventDefault(); return; }
    if (next < buttons.length) { buttons[next].focus(); ev.preventDefault(); }
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && search.value) { search.value = ""; suggest(); }
  });

  // A new customer message brings new suggestions (unless the agent is
  // searching).
  HL.on("event", function (ev) {
    if (ev && ev.ticket_id === id && ev.type !== "message.updated" && !search.value.trim()) setTimeout(suggest, 300);
  });

  // ---- reply → draft article -------------------------------------------------
  function offerDraft(li) {
    if (li.nodeType !== 1 || li.getAttribute("data-direction") !== "out" || li.getAttribute("data-author") !== "agent") return;
    var meta = li.querySelector(".meta");
    if (!meta || meta.querySelector('[data-hl="kb-draft-from-reply"]')) return;
    var href = "/kb/articles/new?ticket=" + encodeURIComponent(id) + "&message=" + encodeURIComponent(li.getAttribute("data-id"));
    meta.appendChild(HL.el("a", { href: href, "class": "kb-draft-link", "data-hl": "kb-draft-from-reply", title: HL.t("kbdesk.js.draft_hint") }, HL.t("kbdesk.js.draft")));
  }
  var timeline = root.querySelector('[data-hl="timeline"]');
  timeline.querySelectorAll('[data-hl="entry"]').forEach(offerDraft);
  new MutationObserver(function (changes) {
    changes.forEach(function (c) { c.addedNodes.forEach(offerDraft); });
  }).observe(timeline, { childList: true });

  suggest();
})();
