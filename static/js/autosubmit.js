// Submit a form as soon as one of its <select data-autosubmit> changes (language switcher,
// list filters). A static file instead of inline onchange="…": the Content-Security-Policy
// forbids inline handlers. Delegated on the document so pages swapped in by Turbo work too.
(function () {
  "use strict";
  if (window.phatngonAutosubmit) {
    return;
  }
  window.phatngonAutosubmit = true;
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
})();
