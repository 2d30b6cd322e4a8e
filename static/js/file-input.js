// Every file input speaks Vietnamese whatever the browser's language: a labelled
// "Chọn tệp…" button and the chosen names ("Chưa chọn tệp" before), instead of the
// browser's own "Choose Files / No file chosen". The input itself stays in the page (and
// keyboard-focusable), so forms, validation and tests keep working unchanged.
(function () {
  "use strict";
  // The page's language (the English switch): Vietnamese unless the page says "en".
  var EN = /^en/.test(document.documentElement.lang || "");
  var WORDS = EN
    ? { none: "No file chosen", choose: "Choose file…", many: "Choose files… (several allowed)" }
    : { none: "Chưa chọn tệp", choose: "Chọn tệp…", many: "Chọn tệp… (có thể chọn nhiều)" };
  function names(input) {
    var files = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    return files.length ? files.join(", ") : WORDS.none;
  }
  function enhance(input) {
    if (input.dataset.pnFile) return;
    input.dataset.pnFile = "1";
    if (!input.id) input.id = "pn-file-" + Math.random().toString(36).slice(2);
    var box = document.createElement("span");
    box.className = "pn-file";
    input.parentNode.insertBefore(box, input);
    box.appendChild(input);
    var button = document.createElement("label");
    button.className = "pn-file__button";
    button.htmlFor = input.id;
    button.textContent = input.multiple ? WORDS.many : WORDS.choose;
    button.setAttribute("aria-hidden", "true");
    var shown = document.createElement("span");
    shown.className = "pn-file__names";
    shown.setAttribute("aria-live", "polite");
    shown.textContent = names(input);
    box.appendChild(button);
    box.appendChild(shown);
    input.addEventListener("change", function () { shown.textContent = names(input); });
  }
  function run() {
    document.querySelectorAll("input[type=file]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", run);
  document.addEventListener("turbo:load", run);
  document.addEventListener("turbo:frame-load", run);
  if (document.readyState !== "loading") run();
})();
