/*
 * Term trends (trends.html?q=TERM, several terms separated by commas): per year and per
 * province, the documents in the archive, the documents containing the term, its
 * occurrences and occurrences per 10,000 Han characters. Counts are exact counts of the
 * term as a string in each document's simplified text, never estimates from tokens.
 *
 * Design (no second index; everything comes from docs/searchindex/, written by
 * generator/publish/search.py, loaded with <script> tags so it works over http and from
 * file://):
 *   1. meta.js gives every document's year, places, genre and length in Han characters:
 *      the denominators, for the whole archive, without loading any text.
 *   2. the term's character terms (bigrams, or the character of a one-character term) are
 *      looked up in their shards only; the documents holding all of them are the
 *      candidates (a superset of the documents containing the term).
 *   3. each candidate's packed text (d/<n>.js, ~1.9 bytes per character) is loaded and the
 *      term counted in it, converted to simplified script character by character.
 * Step 3 costs the candidates' text. When that exceeds BUDGET bytes the page first shows
 * the candidates as an upper bound ("至多"), plainly marked, and counts exactly when the
 * reader asks (the button says how much it will load): it never shows a guess as a count.
 * Terms that would cost more than the budget are counted at build time instead
 * (generator/link/trends_counts.py, generator/publish/trends_out.py): every index term
 * (character, character pair, word) over the budget, and the keyword terms. Their exact
 * counts per year × genre and province × genre are in tc/<k>.js, the bucket of the term's
 * FNV-1a hash (tc/info.js gives the number of buckets, the cells the counts refer to
 * and the budget the build used), so
 * such a term costs one small file and no text. So are the phrases across words that
 * documents repeat (generator/link/trends_phrases.py) when they are over the budget.
 * Any other string (another phrase across words, a term with spaces) is counted here as
 * above.
 *
 * The index files call SearchArchive.put (docs/assets/search.js, loaded before this
 * deferred script); this script loads them through search.js's loader (SearchArchive.load).
 */
(function () {
  "use strict";

  var SA = window.SearchArchive;
  var root = document.getElementById("sa-trends-page");
  if (!root || !SA) return;

  // bytes of document text counted without asking (a test may lower it before the page loads)
  var BUDGET = typeof window.SA_TRENDS_BUDGET === "number" ? window.SA_TRENDS_BUDGET : 1500000;
  var BUDGET_SET = typeof window.SA_TRENDS_BUDGET === "number";
  var BYTES_PER_CHAR = 2.0;  // packed text, a little above the measured 1.9 bytes per character
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;
  var COLORS = ["#c62828", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f"];
  var scriptSrc = (document.currentScript && document.currentScript.src) || location.href;
  var BASE = new URL("../searchindex/", scriptSrc).href;
  var SITE = new URL("../", scriptSrc).href;

  /* ------------------------------------------------------------ loading */

  // index files load through search.js's own script-tag loader and store (one copy of each)
  var load = SA.load;

  var t2s = null, table = null;
  function tables() {
    return Promise.all([load("t2s", 0), load("dt", 0)]).then(function (r) {
      if (!t2s) {
        t2s = {};
        for (var i = 0; i + 1 < r[0].length; i += 2) t2s[r[0].charAt(i)] = r[0].charAt(i + 1);
        var index = {};
        for (var j = 0; j < r[1].symbols.length; j++) index[r[1].symbols.charAt(j)] = j;
        table = { index: index, n: r[1].symbols.length, one: r[1].oneByte, chars: Array.from(r[1].table) };
      }
    });
  }
  function simplify(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) { var c = text.charAt(i); out += t2s[c] || c; }
    return out;
  }
  function unpack(packed) { return SA.unpack(packed, table); } // search.js's decoder, one copy

  /** tc/info.js (the precomputed counts' bucket count and the build's budget), or null
   * when the site has none. */
  var info = null;
  function loadInfo() {
    if (info) return Promise.resolve(info);
    return load("tc", "info").then(function (i) {
      info = i;
      if (!BUDGET_SET && typeof i.budget === "number") BUDGET = i.budget;
      return i;
    }, function () { info = { buckets: 0 }; return info; });
  }

  /** The precomputed cells of `needle` ([{facet, value, genre, containing, occurrences}]),
   * or null when the build did not count it. */
  function precomputed(needle) {
    return loadInfo().then(function (i) {
      if (!i.buckets) return null;
      return load("tc", SA.fnv1a(needle) & (i.buckets - 1)).then(function (b) {
        var enc = b.t[needle];
        if (enc === undefined) return null;
        var nums = SA.decode(enc), cells = [], at = -1;
        for (var k = 0; k + 2 < nums.length; k += 3) {
          at += nums[k] + 1;
          var c = i.cells[at];
          cells.push({ facet: c[0], value: c[1], genre: c[2], containing: nums[k + 1],
                       occurrences: nums[k + 1] + nums[k + 2] });
        }
        return cells;
      });
    });
  }

  /** Documents holding every character term of `term` (search.js's parseQuery). */
  function candidates(term, m) {
    var must = SA.parseQuery(term).must;
    if (!must.length) return Promise.resolve([]);
    var shards = {};
    must.forEach(function (t) { shards[SA.fnv1a(t) & (m.raw.shards - 1)] = 1; });
    var keys = Object.keys(shards);
    return Promise.all(keys.map(function (k) { return load("s", k); })).then(function (loaded) {
      var shardData = {};
      keys.forEach(function (k, i) { shardData[k] = loaded[i]; });
      var sets = must.map(function (t) {
        var enc = shardData[SA.fnv1a(t) & (m.raw.shards - 1)][t], docs = {};
        // (search.js decodes a term in most documents too, written dense since format 6)
        if (enc) SA.decodePostings(enc, m).forEach(function (p) { docs[p[0]] = 1; });
        return docs;
      });
      return Object.keys(sets[0]).map(Number).filter(function (d) {
        return sets.every(function (s) { return s[d]; });
      }).sort(function (a, b) { return a - b; });
    });
  }

  /** Occurrences of `needle` in document n (non-overlapping, like Python's str.count). */
  var counted = {};
  function countIn(n, needle) {
    var key = n + "\u0000" + needle;
    if (key in counted) return Promise.resolve(counted[key]);
    return load("d", n).then(function (d) {
      if (d.simple === undefined) d.simple = simplify(unpack(d.packed || "")).toLowerCase();
      counted[key] = d.simple.split(needle).length - 1;
      return counted[key];
    });
  }

  /* ------------------------------------------------------------ counting */

  function facetName(m, facet, doc) {
    var v = doc.facets[facet];
    return v && v.length ? m.raw.facets[facet][v[0]] : null;
  }

  function rowOf(map, k) {
    return map[k] || (map[k] = { key: k, docs: 0, containing: 0, occurrences: 0, chars: 0 });
  }

  /** The denominators of every year and province (documents, Han characters), in `genre`. */
  function denominators(m, inGenre) {
    var byYear = {}, byPlace = {};
    m.docs.forEach(function (d, n) {
      if (!inGenre(n)) return;
      var y = rowOf(byYear, facetName(m, "year", d) || ""), p = rowOf(byPlace, facetName(m, "place", d) || "");
      y.docs++; p.docs++; y.chars += d.len; p.chars += d.len;
    });
    return { byYear: byYear, byPlace: byPlace };
  }

  function result(term, exact, bytes, n, byYear, byPlace) {
    return { term: term, exact: exact, bytes: bytes, candidates: n,
             years: Object.keys(byYear).sort().map(function (k) { return byYear[k]; }),
             places: Object.keys(byPlace).sort(function (a, b) { return byPlace[b].containing - byPlace[a].containing || (a < b ? -1 : 1); })
               .map(function (k) { return byPlace[k]; }) };
  }

  /** One term: per year and per province, {docs, containing, occurrences, chars}. */
  function trend(term, m, genre, exact) {
    var needle = simplify(term.toLowerCase());
    var inGenre = function (n) { return genre === null || m.docs[n].facets.genre.indexOf(genre) >= 0; };
    return precomputed(needle).then(function (cells) {
      if (!cells) return countHere(term, needle, m, genre, inGenre, exact);
      var name = genre === null ? null : m.raw.facets.genre[genre], den = denominators(m, inGenre), n = 0;
      cells.forEach(function (c) {
        if (name !== null && c.genre !== name) return;
        var r = rowOf(c.facet === "y" ? den.byYear : den.byPlace, c.value);
        r.containing += c.containing; r.occurrences += c.occurrences;
        if (c.facet === "y") n += c.containing;
      });
      var out = result(term, true, 0, n, den.byYear, den.byPlace);
      out.precomputed = true;
      return out;
    });
  }

  /** One term counted here, in the text of its candidate documents. */
  function countHere(term, needle, m, genre, inGenre, exact) {
    return candidates(needle, m).then(function (cands) {
      cands = cands.filter(inGenre);
      var bytes = cands.reduce(function (s, n) { return s + m.docs[n].len * BYTES_PER_CHAR; }, 0);
      var verify = exact || bytes <= BUDGET;
      var work = verify ? Promise.all(cands.map(function (n) { return countIn(n, needle); }))
        : Promise.resolve(null);
      return work.then(function (counts) {
        var den = denominators(m, inGenre);
        cands.forEach(function (n, i) {
          var c = counts ? counts[i] : null, d = m.docs[n];
          if (counts && !c) return;
          [rowOf(den.byYear, facetName(m, "year", d) || ""), rowOf(den.byPlace, facetName(m, "place", d) || "")]
            .forEach(function (r) { r.containing++; r.occurrences += c || 0; });
        });
        return result(term, verify, bytes, cands.length, den.byYear, den.byPlace);
      });
    });
  }

  /* ------------------------------------------------------------ drawing */

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function rate(r) { return r.chars ? r.occurrences / r.chars * 10000 : 0; }
  function fmt(x) { return (Math.round(x * 100) / 100).toFixed(2); }

  /** A line per term over the years (rate per 10,000 characters). */
  function lineChart(results) {
    var years = {};
    results.forEach(function (r) { r.years.forEach(function (y) { if (y.key) years[y.key] = 1; }); });
    var ys = Object.keys(years).sort();
    var W = 640, H = 260, L = 48, R = 12, T = 16, B = 36;
    var max = 0;
    results.forEach(function (r) { r.years.forEach(function (y) { if (y.key) max = Math.max(max, rate(y)); }); });
    max = max || 1;
    var chart = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", class: "sa-trends-chart",
                             "aria-label": "每万字出现次数，按年份" });
    var x = function (i) { return L + (ys.length > 1 ? i * (W - L - R) / (ys.length - 1) : (W - L - R) / 2); };
    var y = function (v) { return T + (H - T - B) * (1 - v / max); };
    chart.appendChild(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" }));
    chart.appendChild(svg("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" }));
    chart.appendChild(svg("text", { x: L - 4, y: T + 4, "text-anchor": "end" }, fmt(max)));
    chart.appendChild(svg("text", { x: L - 4, y: H - B, "text-anchor": "end" }, "0"));
    var step = Math.max(1, Math.ceil(ys.length / 12));
    ys.forEach(function (yr, i) {
      if (i % step === 0) chart.appendChild(svg("text", { x: x(i), y: H - B + 16, "text-anchor": "middle" }, yr));
    });
    results.forEach(function (r, k) {
      var color = COLORS[k % COLORS.length], pts = [];
      var by = {};
      r.years.forEach(function (row) { by[row.key] = row; });
      ys.forEach(function (yr, i) { pts.push(x(i) + "," + y(by[yr] ? rate(by[yr]) : 0)); });
      if (r.exact) chart.appendChild(svg("polyline", { points: pts.join(" "), fill: "none", stroke: color, "stroke-width": 2 }));
      chart.appendChild(svg("text", { x: L + 8, y: T + 14 + 14 * k, fill: color }, r.term + (r.exact ? "" : "（待核对）")));
    });
    return chart;
  }

  /** Bars per province for one term (rate per 10,000 characters). */
  function barChart(r, color) {
    var rows = r.places.filter(function (p) { return p.containing; }).slice(0, 31);
    var W = 640, row = 18, L = 150, H = Math.max(1, rows.length) * row + 8;
    var max = Math.max.apply(null, rows.map(rate).concat([1e-9]));
    var chart = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", class: "sa-trends-chart",
                             "aria-label": r.term + "：每万字出现次数，按地点" });
    rows.forEach(function (p, i) {
      var w = (W - L - 60) * rate(p) / max;
      chart.appendChild(svg("text", { x: L - 6, y: 4 + i * row + 12, "text-anchor": "end" }, p.key || "地点不明"));
      chart.appendChild(svg("rect", { x: L, y: 4 + i * row + 2, width: Math.max(w, 0.5), height: row - 6, fill: color }));
      chart.appendChild(svg("text", { x: L + w + 4, y: 4 + i * row + 12 }, fmt(rate(p))));
    });
    return chart;
  }

  function searchLink(term, key, facet, genre) {
    var p = new URLSearchParams();
    p.set("q", term);
    if (key) p.set(facet, key);
    if (genre) p.set("genre", genre);
    return SITE + "search.html?" + p.toString();
  }

  function dataTable(r, rows, facet, label, genre) {
    var t = el("table", "sa-trends-table");
    t.setAttribute("data-term", r.term);
    t.setAttribute("data-facet", facet);
    var head = el("tr");
    [label, "文档数", "含该词的文档", "出现次数", "每万字出现次数"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    rows.forEach(function (row) {
      var tr = body.appendChild(el("tr"));
      tr.appendChild(el("td", null, row.key || (facet === "year" ? "年份不明" : "地点不明")));
      tr.appendChild(el("td", null, String(row.docs)));
      var td = tr.appendChild(el("td"));
      var text = r.exact ? String(row.containing) : "至多 " + row.containing;
      if (row.containing && row.key) {
        var a = td.appendChild(el("a", null, text));
        a.href = searchLink(r.term, row.key, facet, genre);
      } else td.textContent = text;
      tr.appendChild(el("td", null, r.exact ? String(row.occurrences) : "待核对"));
      tr.appendChild(el("td", null, r.exact ? fmt(rate(row)) : "待核对"));
    });
    return t;
  }

  function csv(results) {
    var lines = ["term,facet,value,documents,containing,occurrences,han_chars,per_10000"];
    results.forEach(function (r) {
      if (!r.exact) return;
      [["year", r.years], ["province", r.places]].forEach(function (f) {
        f[1].forEach(function (row) {
          lines.push([r.term, f[0], row.key, row.docs, row.containing, row.occurrences, row.chars, fmt(rate(row))]
            .map(function (v) { v = String(v); return /[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; })
            .join(","));
        });
      });
    });
    return "\ufeff" + lines.join("\r\n") + "\r\n";
  }

  /* ------------------------------------------------------------ the page */

  var params = new URLSearchParams(location.search);
  var form = root.appendChild(el("form", "sa-form"));
  var q = form.appendChild(el("input", "md-input sa-query"));
  q.type = "search";
  q.name = "q";
  q.placeholder = "输入词语，多个词用逗号分开，例如 高质量发展，新质生产力";
  q.value = params.get("q") || "";
  var go = form.appendChild(el("button", "md-button md-button--primary", "查看趋势"));
  go.type = "submit";
  var genreLabel = form.appendChild(el("label", "sa-filter"));
  genreLabel.appendChild(el("span", null, "体裁"));
  var genreSelect = genreLabel.appendChild(el("select"));
  genreSelect.name = "genre";
  var status = root.appendChild(el("p", "sa-status", ""));
  var out = root.appendChild(el("div", "sa-trends-out"));
  var seq = 0;

  function terms() {
    return q.value.split(/[,，、;；]/).map(function (t) { return t.trim(); })
      .filter(function (t, i, a) { return t && a.indexOf(t) === i; }).slice(0, COLORS.length);
  }

  function syncUrl() {
    var p = new URLSearchParams();
    if (q.value.trim()) p.set("q", q.value.trim());
    if (genreSelect.value) p.set("genre", genreSelect.options[genreSelect.selectedIndex].value);
    try { history.replaceState(null, "", location.pathname + (p.toString() ? "?" + p : "")); } catch (e) { /* file:// */ }
  }

  function run(exact) {
    var mine = ++seq, list = terms();
    syncUrl();
    out.innerHTML = "";
    status.removeAttribute("data-state");
    if (!list.length) { status.textContent = "输入词语查看它按年份和地点的变化。"; return Promise.resolve(); }
    status.textContent = "正在统计…";
    var genre = genreSelect.value || null;
    return Promise.all([SA.meta(), tables(), loadInfo()]).then(function (r) {
      var m = r[0], g = genre === null ? null : m.raw.facets.genre.indexOf(genre);
      return Promise.all(list.map(function (t) { return trend(t, m, g, exact); }));
    }).then(function (results) {
      if (mine !== seq) return;
      var pending = results.filter(function (r) { return !r.exact; });
      status.textContent = pending.length
        ? "候选文档的文本较多（约 " + (pending.reduce(function (s, r) { return s + r.bytes; }, 0) / 1e6).toFixed(1) +
          " MB），“含该词的文档”暂为上限；点击“逐篇核对”得到准确计数。生成网站时已逐篇统计的只有常见的单字、双字、词表中的词、关键词，和常在同一篇中反复出现的跨词词组；其他跨越几个词的词组、带空格的写法要在这里核对。"
        : "统计完成：计数是词语作为字符串在每篇简体正文中出现的准确次数" +
          (results.some(function (r) { return r.precomputed; }) ? "（常见词的计数在生成网站时已逐篇统计）。" : "。");
      if (pending.length) {
        var b = out.appendChild(el("button", "md-button sa-trends-exact", "逐篇核对"));
        b.type = "button";
        b.addEventListener("click", function () { run(true); });
      }
      out.appendChild(el("h2", null, "按年份"));
      if (results.some(function (r) { return r.exact; })) out.appendChild(lineChart(results));
      results.forEach(function (r) {
        out.appendChild(el("h3", null, r.term));
        out.appendChild(dataTable(r, r.years, "year", "年份", genre));
      });
      out.appendChild(el("h2", null, "按地点（省级）"));
      results.forEach(function (r, k) {
        out.appendChild(el("h3", null, r.term));
        if (r.exact) out.appendChild(barChart(r, COLORS[k % COLORS.length]));
        out.appendChild(dataTable(r, r.places, "place", "地点", genre));
      });
      if (!pending.length) {
        var a = out.appendChild(el("a", "md-button sa-trends-csv", "下载本表（CSV）"));
        a.href = "data:text/csv;charset=utf-8," + encodeURIComponent(csv(results));
        a.download = "trends.csv";
      }
      status.setAttribute("data-state", pending.length ? "bounded" : "exact");
    }).catch(function (e) { status.textContent = "统计出错：" + e.message; status.setAttribute("data-state", "error"); });
  }

  SA.meta().then(function (m) {
    genreSelect.appendChild(el("option", null, "全部")).value = "";
    m.raw.facets.genre.forEach(function (g) {
      var o = genreSelect.appendChild(el("option", null, g));
      o.value = g;
      if (params.get("genre") === g) o.selected = true;
    });
    genreSelect.addEventListener("change", function () { run(false); });
    return run(false);
  }).catch(function (e) { status.textContent = "索引无法加载：" + e.message; });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(false); });
})();
