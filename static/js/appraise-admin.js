// Behaviour Flask-Admin's templates wire up with inline onclick handlers,
// bound here instead so the Content-Security-Policy can forbid inline script.
document.addEventListener("click", function (event) {
  var confirmer = event.target.closest("[data-confirm]");
  if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
    event.preventDefault();
    return;
  }
  var action = event.target.closest("[data-model-action]");
  if (action) {
    event.preventDefault();
    window.modelActions.execute(action.getAttribute("data-model-action"));
    return;
  }
  var adder = event.target.closest("[data-add-inline]");
  if (adder) {
    event.preventDefault();
    window.faForm.addInlineField(adder, adder.getAttribute("data-add-inline"));
  }
});
