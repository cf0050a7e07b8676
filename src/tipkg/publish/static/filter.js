// tipkg recommendations: filters that combine (theme, strength, organisation or database named,
// provision cited, section, report, mechanism; on a review's or a State's page recommending State
// and response) over the index embedded in the page, a count, and a CSV or
// JSON download of exactly what is shown. Nothing is fetched: the page works from disk.
// Without JavaScript the page lists every recommendation.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var data = document.getElementById("rec-index");
  var count = document.getElementById("rec-count");
  if (!form || !data || !count) { return; }
  var index = JSON.parse(data.textContent);
  var items = document.querySelectorAll("article.rec[data-i]");
  var groups = document.querySelectorAll("section.group");
  var selects = form.querySelectorAll("select");

  function matches(rec) {
    for (var i = 0; i < selects.length; i += 1) {
      var wanted = selects[i].value;
      if (!wanted) { continue; }
      var value = rec[selects[i].name];
      var hit = Array.isArray(value) ? value.indexOf(wanted) !== -1 : value === wanted;
      if (!hit) { return false; }
    }
    return true;
  }

  function shown() { return index.filter(matches); }

  function run() {
    var n = 0;
    for (var i = 0; i < items.length; i += 1) {
      var ok = matches(index[Number(items[i].dataset.i)]);
      items[i].hidden = !ok;
      if (ok) { n += 1; }
    }
    for (var g = 0; g < groups.length; g += 1) {
      groups[g].hidden = groups[g].querySelector("article.rec:not([hidden])") === null;
    }
    count.textContent = count.dataset.text.replace("{shown}", String(n))
      .replace("{total}", String(index.length));
    var params = new URLSearchParams();
    for (var s = 0; s < selects.length; s += 1) {
      if (selects[s].value) { params.set(selects[s].name, selects[s].value); }
    }
    var query = params.toString();
    try {
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    } catch (ignored) { /* a browser that refuses it for file: pages */ }
  }

  function cell(value) {
    var text = String(value);
    return /[",\r\n]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }

  // The CSV's columns are a competency question's, said by the page (name=key;…): the
  // recommendations page gives recommendations.rq's, a review's or a State's page the columns
  // of trafficking-recommendations-to-state.rq.
  var columns = (form.dataset.columns || "number=printed;section=letter;modality=strength;text=text")
    .split(";").map(function (pair) { return pair.split("="); });

  function csv(recs) {
    var lines = [columns.map(function (c) { return c[0]; }).join(",")];
    recs.forEach(function (rec) {
      lines.push(columns.map(function (c) {
        var value = rec[c[1]];
        return cell(value === undefined || value === null ? "" : value);
      }).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function save(name, type, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  var initial = new URLSearchParams(window.location.search);
  for (var s = 0; s < selects.length; s += 1) {
    var given = initial.get(selects[s].name);
    if (given) { selects[s].value = given; }
    selects[s].addEventListener("change", run);
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  form.addEventListener("reset", function () { window.setTimeout(run, 0); });
  document.getElementById("download-csv").addEventListener("click", function () {
    save("recommendations.csv", "text/csv", csv(shown()));
  });
  document.getElementById("download-json").addEventListener("click", function () {
    var recs = shown().map(function (rec) {
      return {
        number: rec.number, printed: rec.printed, iri: rec.iri, report: rec.report,
        mechanism: rec.mechanism, section: rec.section,
        letter: rec.letter, modality: rec.strength, themes: rec.theme, names: rec.name,
        provisions: rec.provision, recommended_by: rec.by || [], response: rec.response || "",
        text: rec.text, lang: rec.lang
      };
    });
    save("recommendations.json", "application/json", JSON.stringify(recs, null, 1) + "\n");
  });
  form.hidden = false;
  run();
})();
