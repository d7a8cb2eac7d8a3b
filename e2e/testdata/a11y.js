// Laurel's in-page accessibility check, run by the e2e harness on every page
// a story visits (checkPage). The harness evaluates this file as an
// expression and calls check() or wide(limit) on what it returns.
//
// check() covers the rules the pages promise (web/static/laurel.css and the
// page brief), after WCAG 2.2:
//   - every form field has an accessible name (1.3.1, 4.1.2);
//   - every image has an alt attribute, empty when decorative (1.1.1);
//   - every button and link has a name (2.4.4, 4.1.2);
//   - the document has a language (3.1.1), a title (2.4.2) and one <h1>;
//   - text contrast is at least 4.5:1, or 3:1 for large text (1.4.3).
// It returns a list of {rule, element, detail}.
//
// The contrast rule compares an element's computed colour with the first
// background colour found walking up its ancestors (white at the root).
// It cannot see background images or content painted underneath by
// positioning, so it skips text over a background image; Laurel's pages use
// none.
(function () {
  "use strict";

  var WHITE = { r: 255, g: 255, b: 255, a: 1 };

  function norm(s) {
    return (s || "").replace(/\s+/g, " ").trim();
  }

  // describe names an element well enough to find it in the template:
  // a short CSS-like path and the start of its text.
  function describe(el) {
    var parts = [];
    for (var n = el; n && n.nodeType === 1 && parts.length < 4; n = n.parentElement) {
      var part = n.tagName.toLowerCase();
      if (n.id) {
        parts.unshift(part + "#" + n.id);
        break;
      }
      var classes = Array.prototype.slice.call(n.classList, 0, 2);
      if (classes.length) part += "." + classes.join(".");
      parts.unshift(part);
      if (part === "main" || part === "header" || part === "footer" || part === "body") break;
    }
    var text = norm(el.textContent || el.getAttribute("value") || "");
    if (text.length > 40) text = text.slice(0, 39) + "…";
    return parts.join(" > ") + (text ? ' "' + text + '"' : "");
  }

  function labelledBy(el) {
    var ids = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    return norm(ids.map(function (id) {
      var ref = document.getElementById(id);
      return ref ? ref.textContent : "";
    }).join(" "));
  }

  function labelText(label) {
    var copy = label.cloneNode(true);
    copy.querySelectorAll("input, select, textarea").forEach(function (c) { c.remove(); });
    return norm(copy.textContent);
  }

  function fieldName(el) {
    return labelledBy(el) || norm(el.getAttribute("aria-label")) ||
      norm(Array.prototype.map.call(el.labels || [], labelText).join(" "));
  }

  function controlName(el) {
    if (labelledBy(el) || norm(el.getAttribute("aria-label"))) return "named";
    if (el.tagName === "INPUT") {
      // A submit or reset button without a value shows the browser's word.
      return norm(el.value) || (el.type === "submit" || el.type === "reset" ? "default" : "");
    }
    if (norm(el.textContent)) return "named";
    var imgs = el.querySelectorAll("img[alt]");
    for (var i = 0; i < imgs.length; i++) {
      if (norm(imgs[i].getAttribute("alt"))) return "named";
    }
    return "";
  }

  function checkDocument(add) {
    if (!norm(document.documentElement.getAttribute("lang"))) {
      add("lang", null, "<html> has no lang attribute");
    }
    if (!norm(document.title)) add("title", null, "the document has no <title>");
    var h1 = document.querySelectorAll("h1").length;
    if (h1 !== 1) add("h1", null, "the page has " + h1 + " <h1> elements; it needs exactly one");
  }

  // NOT_FIELDS are input types that are buttons or invisible, not fields.
  var NOT_FIELDS = ["hidden", "submit", "button", "reset", "image"];
  var CONTROLS = "a[href], button, input[type=submit], input[type=button], input[type=reset], " +
    "[role=button], [role=link]";

  function checkNames(add) {
    document.querySelectorAll("input, select, textarea").forEach(function (el) {
      var type = (el.getAttribute("type") || "").toLowerCase();
      if (el.tagName === "INPUT" && NOT_FIELDS.indexOf(type) >= 0) return;
      if (!fieldName(el)) {
        add("label", el, "form field has no label " +
          "(label for=, a wrapping label, aria-label or aria-labelledby)");
      }
    });
    document.querySelectorAll("img, input[type=image]").forEach(function (el) {
      if (!el.hasAttribute("alt")) add("alt", el, "image has no alt attribute (alt=\"\" when decorative)");
    });
    document.querySelectorAll(CONTROLS).forEach(function (el) {
      if (!controlName(el)) add("name", el, el.tagName.toLowerCase() + " has no text and no aria-label");
    });
  }

  function parseColor(s) {
    var m = /^rgba?\(([^)]*)\)$/.exec(s || "");
    if (!m) return null;
    var p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  }

  function over(top, bottom) {
    var a = top.a;
    return {
      r: top.r * a + bottom.r * (1 - a),
      g: top.g * a + bottom.g * (1 - a),
      b: top.b * a + bottom.b * (1 - a),
      a: 1,
    };
  }

  // background is the colour behind el, or null when it cannot be known.
  function background(el) {
    var layers = [];
    for (var n = el; n && n.nodeType === 1; n = n.parentElement) {
      var cs = getComputedStyle(n);
      if (cs.backgroundImage && cs.backgroundImage !== "none") return null;
      var c = parseColor(cs.backgroundColor);
      if (!c) return null;
      if (c.a > 0) layers.push(c);
      if (c.a >= 1) break;
    }
    var bg = WHITE;
    for (var i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  }

  // luminance is the relative luminance of WCAG 2.x.
  function luminance(c) {
    function channel(v) {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  }

  function ratio(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function hex(c) {
    return "#" + [c.r, c.g, c.b].map(function (v) {
      return ("0" + Math.round(v).toString(16)).slice(-2);
    }).join("");
  }

  function ownText(el) {
    for (var n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3 && norm(n.nodeValue)) return true;
    }
    return false;
  }

  function opacity(el) {
    var o = 1;
    for (var n = el; n && n.nodeType === 1; n = n.parentElement) o *= parseFloat(getComputedStyle(n).opacity);
    return o;
  }

  var SKIP = ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION", "OPTGROUP", "TITLE"];

  // seen reports whether a person can see el's text: shown, on the page and
  // enabled (WCAG 1.4.3 exempts inactive controls).
  function seen(el, cs) {
    if (SKIP.indexOf(el.tagName) >= 0 || cs.visibility !== "visible") return false;
    var r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    if (r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0) return false;
    return !el.closest(":disabled, [aria-disabled=true]");
  }

  function checkContrast(add) {
    document.body.querySelectorAll("*").forEach(function (el) {
      if (!ownText(el)) return;
      var cs = getComputedStyle(el);
      if (!seen(el, cs)) return;
      var fg = parseColor(cs.color), bg = background(el);
      if (!fg || !bg) return;
      fg.a *= opacity(el);
      if (fg.a <= 0) return;
      var size = parseFloat(cs.fontSize), weight = parseInt(cs.fontWeight, 10) || 400;
      var large = size >= 24 || (size >= 18.66 && weight >= 700);
      var need = large ? 3 : 4.5;
      var got = ratio(over(fg, bg), bg);
      if (got < need) {
        add("contrast", el, "contrast " + got.toFixed(2) + ":1 of " + hex(over(fg, bg)) + " on " + hex(bg) +
          " is below " + need + ":1 (" + size + "px, weight " + weight + ")");
      }
    });
  }

  return {
    check: function () {
      var out = [];
      var add = function (rule, el, detail) {
        out.push({ rule: rule, element: el ? describe(el) : "document", detail: detail });
      };
      checkDocument(add);
      checkNames(add);
      checkContrast(add);
      return out;
    },

    // wide measures the page's width and names the outermost elements that
    // reach past limit CSS pixels, for the no-horizontal-scrolling check.
    wide: function (limit) {
      var width = document.documentElement.scrollWidth, found = [];
      if (width > limit) {
        document.body.querySelectorAll("*").forEach(function (el) {
          if (found.length >= 5 || el.getBoundingClientRect().right <= limit + 0.5) return;
          for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            if (p.getBoundingClientRect().right > limit + 0.5) return;
          }
          found.push(describe(el) + " reaches " + Math.round(el.getBoundingClientRect().right) + "px");
        });
      }
      return { scrollWidth: width, elements: found };
    },
  };
})()
