// Behaviour shared by every page. The content security policy forbids
// inline scripts and handlers, so templates mark elements with data-*
// attributes and this file gives them their behaviour:
//   data-autosubmit        a select (or checkbox) that submits its form when changed
//   data-select-all="name" a checkbox that ticks every box named name in its form
//   data-print             a button that prints the page
//   data-unsaved           a form whose typed input must not be lost: leaving
//                          the page while it holds unsaved input asks first
(function () {
  "use strict";

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches("select[data-autosubmit], input[type=checkbox][data-autosubmit]") && t.form) {
      t.form.requestSubmit ? t.form.requestSubmit() : t.form.submit();
    }
    if (t.matches("input[type=checkbox][data-select-all]")) {
      var name = t.getAttribute("data-select-all");
      var boxes = (t.form || document).querySelectorAll('input[type=checkbox][name="' + name + '"]');
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = t.checked;
      syncSelectAll(t.form, name);
    } else if (t.matches("input[type=checkbox][name]")) {
      syncSelectAll(t.form, t.name);
    }
  });

  // syncSelectAll makes every select-all box for name in form (a list may
  // have two: one in the table's header, one above the cards on a phone)
  // show the boxes' state: ticked when all are, half when some are.
  function syncSelectAll(form, name) {
    var scope = form || document;
    var alls = scope.querySelectorAll('input[type=checkbox][data-select-all="' + name + '"]');
    if (!alls.length) return;
    var boxes = scope.querySelectorAll('input[type=checkbox][name="' + name + '"]');
    var n = 0;
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) n++;
    for (var j = 0; j < alls.length; j++) {
      alls[j].checked = boxes.length > 0 && n === boxes.length;
      alls[j].indeterminate = n > 0 && n < boxes.length;
    }
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-print]");
    if (b) {
      e.preventDefault();
      window.print();
    }
  });

  // Unsaved input: a form is dirty from its first edit until it is submitted.
  function markDirty(e) {
    var f = e.target.form;
    if (f && f.hasAttribute("data-unsaved")) f.setAttribute("data-dirty", "");
  }
  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);
  document.addEventListener("submit", function (e) {
    if (e.target.removeAttribute) e.target.removeAttribute("data-dirty");
  }, true);
  window.addEventListener("beforeunload", function (e) {
    if (document.querySelector("form[data-dirty]")) {
      e.preventDefault();
      e.returnValue = "";
      return "";
    }
  });

  // A save refused by the server (for example a sheet frozen meanwhile)
  // is not swapped in by htmx; show the server's reason at the form.
  document.addEventListener("htmx:responseError", function (e) {
    var f = e.detail.elt && e.detail.elt.closest ? e.detail.elt.closest("form") : null;
    if (!f) return;
    var msg = f.querySelector(".js-error");
    if (!msg) {
      msg = document.createElement("p");
      msg.className = "form-error js-error";
      msg.setAttribute("role", "alert");
      f.appendChild(msg);
    }
    var text = "";
    try {
      var doc = new DOMParser().parseFromString(e.detail.xhr.responseText, "text/html");
      var el = doc.querySelector("main .form-error, main h2, main p");
      text = el ? el.textContent.trim() : "";
    } catch (err) { /* keep the status line */ }
    msg.textContent = text || e.detail.xhr.status + " " + e.detail.xhr.statusText;
  });
})();

// The new-application form: the unit chosen (or a household number typed)
// decides which standards apply. Elements with data-standards="id" name the
// standards select; their data-kind (or their chosen option's) is the unit
// kind. Standards that do not serve it are hidden, and when the one chosen
// no longer applies, the standard of exactly that kind is chosen.
(function () {
  "use strict";
  function kindOf(el) {
    if (el.tagName === "SELECT") {
      var o = el.options[el.selectedIndex];
      return o ? o.getAttribute("data-kind") : null;
    }
    return el.value.trim() ? el.getAttribute("data-kind") : null;
  }
  function update(std) {
    var kind = null;
    var ctl = document.querySelectorAll('[data-standards="' + std.id + '"]');
    for (var i = 0; i < ctl.length; i++) {
      var k = kindOf(ctl[i]);
      if (k) kind = k; // a household number typed overrides the unit
    }
    if (!kind) return;
    var exact = null, keep = false;
    for (var j = 0; j < std.options.length; j++) {
      var o = std.options[j];
      var serves = (o.getAttribute("data-kinds") || "").split(" ").indexOf(kind) >= 0;
      o.hidden = !serves;
      if (serves && o.getAttribute("data-kind") === kind && !exact) exact = o;
      if (serves && o.selected) keep = true;
    }
    if (!keep && exact) exact.selected = true;
  }
  function onEdit(e) {
    var name = e.target.getAttribute && e.target.getAttribute("data-standards");
    var std = name && document.getElementById(name);
    if (std) update(std);
  }
  document.addEventListener("change", onEdit);
  document.addEventListener("input", onEdit);
  var all = document.querySelectorAll("[data-standards]");
  for (var i = 0; i < all.length; i++) {
    var std = document.getElementById(all[i].getAttribute("data-standards"));
    if (std) update(std);
  }
})();
