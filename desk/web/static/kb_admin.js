// Knowledge-base pages of the desk: the article editor (save, live preview
// rendered by the server's sanitizer, submit), the review queue, categories
// and synonyms. Writes go through the REST API; the pages re-read
// themselves after a change.
(function () {
  "use strict";
  var HL = window.HL;
  if (!HL) return;
  var P = HL.page;
  var q = function (hl, root) { return (root || document).querySelector('[data-hl="' + hl + '"]'); };
  var statusEl = q("kb-status");

  function say(text, isError) {
    if (!statusEl) return;
    statusEl.textContent = text || "";
    statusEl.classList.toggle("error", !!isError);
  }
  function fail(res) { say(HL.t("js.failed", { reason: HL.errorText(res) }), true); }

  // ---- editor --------------------------------------------------------------------
  var form = q("kb-form");
  if (form) {
    var f = form.elements;
    var body = q("kb-field-body"), preview = q("kb-preview");
    var tags = function () {
      return f.tags.value.split(/[,，、]/).map(function (t) { return t.trim(); }).filter(Boolean);
    };
    var article = function () {
      return {
        id: f.id ? f.id.value.trim() : "", translation_of: f.translation_of ? f.translation_of.value : "",
        locale: f.locale.value, title: f.title.value, summary: f.summary.value, category: f.category.value,
        tags: tags(), visibility: f.visibility.value, body: body.value,
      };
    };
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    window.addEventListener("beforeunload", function (ev) { if (dirty) { ev.preventDefault(); ev.returnValue = ""; } });

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (!f.title.value.trim()) { say(HL.t("kbdesk.js.need_title"), true); f.title.focus(); return; }
      say(HL.t("js.sending"));
      var req = P.is_new ? HL.api("POST", "/api/v1/kb/articles", article())
        : HL.api("PUT", "/api/v1/kb/articles/" + encodeURIComponent(P.article_id), article());
      req.then(function (res) {
        if (!res.ok) { fail(res); return; }
        dirty = false;
        location.assign("/kb/articles/" + encodeURIComponent(res.data.id) + "?saved=1");
      });
    });
    form.addEventListener("keydown", function (ev) {
      if (ev.key === "s" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
    });

    // The preview is what readers will get: the server renders the
    // Markdown through the same sanitizer as on publishing.
    var seq = 0;
    body.addEventListener("input", HL.debounce(function () {
      var n = ++seq;
      HL.api("POST", "/api/v1/kb/preview", { body: body.value }).then(function (res) {
        if (n !== seq) return;
        if (!res.ok) { fail(res); return; }
        var doc = new DOMParser().parseFromString("<div>" + res.data.html + "</div>", "text/html");
        preview.textContent = "";
        Array.prototype.slice.call(doc.body.firstChild.childNodes).forEach(function (node) {
          preview.appendChild(document.adoptNode(node));
        });
      });
    }, 300));

    var submit = q("kb-submit");
    if (submit) submit.addEventListener("click", function () {
      if (dirty) { say(HL.t("kbdesk.js.save_first"), true); return; }
      HL.api("POST", "/api/v1/kb/articles/" + encodeURIComponent(P.article_id) + "/submit").then(function (res) {
        if (!res.ok) { fail(res); return; }
        location.reload();
      });
    });
    var unpublish = q("kb-unpublish");
    if (unpublish) unpublish.addEventListener("click", function () {
      if (!window.confirm(HL.t("kbdesk.js.unpublish_confirm"))) return;
      HL.api("POST", "/api/v1/kb/articles/" + encodeURIComponent(P.article_id) + "/unpublish").then(function (res) {
        if (!res.ok) { fail(res); return; }
        location.reload();
      });
    });
    if (/[?&]saved=1/.test(location.search)) say(HL.t("js.saved"));
  }

  // ---- review (editor and queue) -------------------------------------------------
  document.querySelectorAll('[data-hl="kb-approve"], [data-hl="kb-reject"]').forEach(function (btn) {
    btn.addEventListener("click", function () {
      var approve = btn.getAttribute("data-hl") === "kb-approve";
      var scope = btn.closest(".kb-review-box");
      var comment = q("kb-review-comment", scope).value.trim();
      if (!approve && !comment) { say(HL.t("kbdesk.js.need_reason"), true); q("kb-review-comment", scope).focus(); return; }
      HL.api("POST", "/api/v1/kb/articles/" + encodeURIComponent(btn.getAttribute("data-id")) + "/review", { approve: approve, comment: comment }).then(function (res) {
        if (!res.ok) { fail(res); return; }
        var item = btn.closest('[data-hl="kb-review-item"]');
        if (item) { item.remove(); say(HL.t(approve ? "kbdesk.js.approved" : "kbdesk.js.rejected")); } else { location.reload(); }
      });
    });
  });

  // ---- categories ------------------------------------------------------------------
  var catForm = q("kb-category-form");
  if (catForm) {
    catForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var names = {};
      catForm.querySelectorAll('[data-hl="kb-category-name"]').forEach(function (i) { if (i.value.trim()) names[i.getAttribute("data-locale")] = i.value.trim(); });
      var cid = catForm.elements.id.value.trim();
      if (!cid) { say(HL.t("kbdesk.js.need_id"), true); return; }
      HL.api("PUT", "/api/v1/kb/categories/" + encodeURIComponent(cid), { names: names, position: parseInt(catForm.elements.position.value, 10) || 0 }).then(function (res) {
        if (!res.ok) { fail(res); return; }
        location.reload();
      });
    });
    document.querySelectorAll('[data-hl="kb-category-edit"]').forEach(function (btn) {
      btn.addEventListener("click", function () {
        var row = btn.closest("tr");
        catForm.elements.id.value = btn.getAttribute("data-id");
        catForm.querySelectorAll('[data-hl="kb-category-name"]').forEach(function (i) {
          var cell = row.querySelector('td[data-locale="' + i.getAttribute("data-locale") + '"]');
          i.value = cell ? cell.textContent : "";
        });
        catForm.elements.position.value = row.children[row.children.length - 3].textContent;
        catForm.elements.id.focus();
      });
    });
    document.querySelectorAll('[data-hl="kb-category-delete"]').forEach(function (btn) {
      btn.addEventListener("click", function () {
        if (!confirm(HL.t("kbdesk.js.confirm_delete"))) return;
        HL.api("DELETE", "/api/v1/kb/categories/" + encodeURIComponent(btn.getAttribute("data-id"))).then(function (res) {
          if (!res.ok) { fail(res); return; }
          location.reload();
        });
      });
    });
  }

  // ---- canned replies that stand for an article ----------------------------------
  var cannedArticle = q("canned-article");
  if (cannedArticle) {
    var options = q("canned-article-list");
    cannedArticle.addEventListener("input", HL.debounce(function () {
      var text = cannedArticle.value.trim();
      if (!text) return;
      HL.api("GET", "/api/v1/kb/search?limit=10&q=" + encodeURIComponent(text)).then(function (res) {
        if (!res.ok) return;
        options.textContent = "";
        (res.data.hits || []).forEach(function (h) {
          options.appendChild(HL.el("option", { value: h.article.id }, h.article.title));
        });
      });
    }, 250));
    // Picking an article fills an empty fallback text with its text.
    cannedArticle.addEventListener("change", function () {
      var form = cannedArticle.form, id = cannedArticle.value.trim();
      if (!id || form.elements.text.value.trim()) return;
      HL.api("GET", "/api/v1/kb/articles/" + encodeURIComponent(id) + "/reply-text").then(function (res) {
        if (!res.ok) return;
        if (!form.elements.text.value.trim()) form.elements.text.value = res.data.text;
        if (!form.elements.title.value.trim()) form.elements.title.value = res.data.title;
      });
    });
  }

  // ---- synonyms ----------------------------------------------------------------------
  var synForm = q("kb-synonyms-form");
  if (synForm) synForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    say(HL.t("js.sending"));
    HL.api("PUT", "/api/v1/kb/synonyms", { text: synForm.elements.text.value }).then(function (res) {
      if (!res.ok) { fail(res); return; }
      say(HL.t("kbdesk.js.synonyms_saved", { n: (res.data.groups || []).length }));
    });
  });
})();
