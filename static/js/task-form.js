// Task forms show only the fields of the chosen decision. A field marked
// data-actions="accept forward" belongs to those actions; its paragraph (.field) is hidden
// for the others. The submit button's label follows the chosen decision (data-label-<action>;
// the server renders the label of the initially chosen one). Without this script every field
// stays visible and the form still works.
// A form other than a task form names its choosing field in data-chooser (the statement
// creation form: data-chooser="kind", a select; its kind's own fields carry data-actions).
// A static file (the Content-Security-Policy forbids inline handlers), delegated on the
// document so pages swapped in by Turbo work too.
(function () {
  "use strict";
  if (window.phatngonTaskForm) {
    return;
  }
  window.phatngonTaskForm = true;

  function chooser(form) {
    return form.getAttribute("data-chooser") || "action";
  }

  function chosen(form) {
    var name = chooser(form);
    var input =
      form.querySelector("input[name=" + name + "]:checked") ||
      form.querySelector("select[name=" + name + "]");
    return input ? input.value : "";
  }

  function apply(form) {
    var action = chosen(form);
    form.querySelectorAll("[data-actions]").forEach(function (input) {
      var field = input.closest(".field");
      if (!field) {
        return;
      }
      var actions = input.getAttribute("data-actions").split(" ");
      field.hidden = actions.indexOf(action) === -1;
    });
    // The submit button names the chosen action ("Ký số và ban hành", "Trả lại", …).
    form.querySelectorAll("button.task-submit").forEach(function (button) {
      var label = action ? button.getAttribute("data-label-" + action) : null;
      if (label) {
        button.textContent = label;
      }
    });
  }

  function applyAll() {
    document.querySelectorAll("form.case-task-form, form[data-chooser]").forEach(apply);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    var form = target && target.form;
    if (form && target.name === chooser(form)) {
      apply(form);
    }
  });
  document.addEventListener("turbo:load", applyAll);
  document.addEventListener("turbo:render", applyAll);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", applyAll);
  } else {
    applyAll();
  }
})();
