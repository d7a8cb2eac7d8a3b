// Finders and form helpers for the e2e harness. The finders find an element
// the way a person names it on the screen; each gives an element or null.
// The harness evaluates this file as an expression and calls one of the
// functions it returns.
//
// A name matches exactly first (ignoring case and runs of white space), then
// as the start of the element's name ("Sign out" finds "Sign out Avery").
// Elements inside <main> win over the header and footer, so "Sign in" finds
// the form's button on the sign-in page, not the link in the navigation.
(function () {
  "use strict";

  function norm(s) {
    return (s || "").replace(/\s+/g, " ").trim().toLowerCase();
  }

  function shown(el) {
    return el.getClientRects().length > 0;
  }

  // textWithout is the text of a label without the text of the control it
  // wraps (a <select> inside a label would add its options).
  function textWithout(label) {
    var copy = label.cloneNode(true);
    copy.querySelectorAll("input, select, textarea").forEach(function (c) { c.remove(); });
    return copy.textContent;
  }

  function labelledBy(el) {
    var ids = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    return ids.map(function (id) {
      var ref = document.getElementById(id);
      return ref ? ref.textContent : "";
    }).join(" ");
  }

  // fieldName is what a screen reader announces for a form field.
  function fieldName(el) {
    var byRef = labelledBy(el);
    if (norm(byRef)) return byRef;
    if (norm(el.getAttribute("aria-label"))) return el.getAttribute("aria-label");
    return Array.prototype.map.call(el.labels || [], textWithout).join(" ");
  }

  // controlName is the text a person reads on a button or a link.
  function controlName(el) {
    var byRef = labelledBy(el);
    if (norm(byRef)) return byRef;
    if (norm(el.getAttribute("aria-label"))) return el.getAttribute("aria-label");
    if (el.tagName === "INPUT") return el.value;
    var text = el.textContent;
    if (norm(text)) return text;
    var img = el.querySelector("img[alt]");
    return img ? img.getAttribute("alt") : "";
  }

  function find(selector, nameOf, want) {
    want = norm(want);
    var scopes = [document.querySelector("main"), document].filter(Boolean);
    var tests = [
      function (name) { return name === want; },
      function (name) { return name.indexOf(want) === 0; },
    ];
    for (var i = 0; i < tests.length; i++) {
      for (var j = 0; j < scopes.length; j++) {
        var all = scopes[j].querySelectorAll(selector);
        for (var k = 0; k < all.length; k++) {
          if (shown(all[k]) && tests[i](norm(nameOf(all[k])))) return all[k];
        }
      }
    }
    return null;
  }

  // SET_DIRECTLY are the input types whose typing depends on the browser's
  // locale or has no keys at all.
  var SET_DIRECTLY = ["date", "time", "datetime-local", "month", "week", "color", "range"];

  return {
    // field finds an input, select or textarea by its label.
    field: function (want) {
      return find("input:not([type=hidden]), select, textarea", fieldName, want);
    },
    // control finds a button or a link by its text.
    control: function (want) {
      return find("button, a[href], input[type=submit], input[type=button], input[type=reset], " +
        "summary, [role=button], [role=link]", controlName, want);
    },
    // prepare tells the harness how to fill el: "type" (after emptying it),
    // "set" (with choose), or the type of an input fill cannot handle.
    prepare: function (el) {
      if (el.tagName === "SELECT" || SET_DIRECTLY.indexOf(el.type) >= 0) return "set";
      if (["checkbox", "radio", "file"].indexOf(el.type) >= 0) return el.type;
      el.value = "";
      return "type";
    },
    // choose sets el's value (a select's option by value or text) and fires
    // the events a person's choice fires. It returns "" or what went wrong.
    choose: function (el, v) {
      if (el.tagName === "SELECT") {
        var opt = Array.prototype.find.call(el.options, function (o) {
          return o.value === v || o.text.trim() === v;
        });
        if (!opt) return "it has no option " + JSON.stringify(v);
        v = opt.value;
      }
      el.value = v;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
      return "";
    },
  };
})()
