// tipkg search: filters the listed recommendations with the JSON index embedded in the page.
// Without JavaScript the page lists every recommendation; nothing is fetched from anywhere.
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var count = document.getElementById("count");
  var data = document.getElementById("search-index");
  var list = document.getElementById("results");
  if (!form || !input || !data || !list) { return; }
  var index = JSON.parse(data.textContent);
  var items = list.querySelectorAll("li[data-n]");

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\u2019/g, "'").toLowerCase();
  }

  function run() {
    var words = fold(input.value).split(/\s+/).filter(function (w) { return w.length > 0; });
    var shown = 0;
    for (var i = 0; i < index.length; i += 1) {
      var key = index[i].key;
      var hit = words.every(function (w) { return key.indexOf(w) !== -1; });
      items[i].hidden = !hit;
      if (hit) { shown += 1; }
    }
    var template = words.length === 0 ? count.dataset.all : count.dataset.some;
    count.textContent = template.replace("{total}", String(index.length))
      .replace("{shown}", String(shown));
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", run);
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; }
  run();
})();
