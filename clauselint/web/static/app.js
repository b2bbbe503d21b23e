/* clauselint web: small enhancements; every page works without them. */
(function () {
  "use strict";

  var summary = document.getElementById("erreurs");
  if (summary) { summary.focus(); }

  var form = document.getElementById("formulaire-dce");
  if (!form) { return; }

  /* Live total of the criteria weights (the server checks it again on submit). */
  var total = document.getElementById("total-ponderations");
  function updateTotal() {
    if (!total) { return; }
    var sum = 0;
    form.querySelectorAll("[data-poids]").forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) { sum += value; }
    });
    total.textContent = String(sum);
    var line = document.getElementById("total-ponderations-texte");
    if (line) { line.classList.toggle("cl-total--ko", sum !== 100); }
  }
  form.addEventListener("input", function (event) {
    if (event.target.hasAttribute("data-poids")) { updateTotal(); }
  });
  updateTotal();

  /* Live classification: the server's policy engine answers, this only displays its answer. */
  var panel = document.getElementById("classement");
  var timer = null;
  var sequence = 0;
  function query() {
    var params = new URLSearchParams();
    form.querySelectorAll("[data-live]").forEach(function (input) {
      if (input.type === "radio") {
        if (input.checked) { params.set(input.name, input.value); }
      } else {
        params.set(input.name, input.value);
      }
    });
    return params.toString();
  }
  function showClauses(answer) {
    var kept = 0;
    var items = document.querySelectorAll("li[data-clause]");
    items.forEach(function (item) {
      var id = item.getAttribute("data-clause");
      var included = answer.clauses.indexOf(id) >= 0;
      if (included) { kept += 1; }
      item.classList.toggle("cl-clause--excluded", !included);
      var badge = item.querySelector("[data-badge]");
      if (badge) {
        badge.textContent = included ? "Retenue" : "Non retenue";
        badge.classList.toggle("fr-badge--success", included);
        badge.classList.toggle("cl-badge-off", !included);
      }
      var reason = item.querySelector("[data-reason]");
      if (reason) {
        var why = answer.raisons[id];
        reason.hidden = included || !why;
        reason.textContent = why ? "Non retenue : " + why + "." : "";
      }
    });
    var resume = document.getElementById("clauses-resume");
    if (resume && answer.categorie) {
      resume.textContent = kept + " clauses types retenues sur " + items.length + " pour cet achat de catégorie " +
        answer.categorie + " (les textes sont mis à jour quand vous vérifiez le formulaire).";
    }
  }
  function refresh() {
    var mine = ++sequence;
    fetch("/api/classement?" + query(), { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || mine !== sequence) { return; }
        panel.innerHTML = answer.html;
        showClauses(answer);
      })
      .catch(function () { /* the panel keeps its last answer; the form still works */ });
  }
  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, 300);
  }
  form.querySelectorAll("[data-live]").forEach(function (input) {
    input.addEventListener(input.type === "radio" || input.tagName === "SELECT" ? "change" : "input", schedule);
  });
})();
