/*
 * The archive's search: header box, search page (search.html) and highlighting of the
 * query on the page a result opens. No library, no build step, no network beyond the
 * site's own files.
 *
 * Why script tags: the index (docs/searchindex/, written by generator/publish/search.py) is a
 * set of files that each call SearchArchive.put(kind, key, data). <script src> loads
 * them over http and from file://, where fetch() and ES modules are refused, so one
 * build serves the web and the offline copy alike.
 *
 * Index format (see generator/publish/search.py):
 *   meta.js   {docs, shards, avgdl, facets: {year: [...], ...}, facetOrder, records, tf}
 *             records: per document, varints: length, (doc − its repost group's first
 *             doc), then for each facet in facetOrder a count and that many value indexes.
 *   s/<k>.js  {term: postings}; the shard of a term is fnv1a(term) & (shards − 1).
 *             postings: varints of (doc − previous doc − 1) × 8 + tf code.
 *   d/<n>.js  {id, title, date, place, speakers, packed} of document n; packed is its text
 *             packed with the table of dt.js (see unpack below). A document published in
 *             parts also has parts: the offsets in its text where parts 2… start.
 *   dt.js     {symbols, oneByte, table}: the fixed character table of packed text.
 *   t2s.js    "繁简繁简…": traditional → simplified character pairs.
 * A varint is base 32, most significant first; its last digit comes from FINAL, the
 * others from CONT, so numbers need no separators.
 *
 * Ranking: documents must contain every character term of the query (bigrams, or the
 * character of a one-character part); they are scored by BM25 over those terms plus the
 * query's whole words (3+ characters) where the index has them. Title matches come
 * first; among the results loaded for display, an exact phrase (the query without its
 * spaces) in the title, then in the text, moves ahead. Reposts count as one result.
 */
(function () {
  "use strict";

  var FINAL = "0123456789abcdefghijklmnopqrstuv";
  var CONT = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
  var PART = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;
  var K1 = 1.2, B = 0.75, WORD_WEIGHT = 1.5;
  var PAGE = 10;          // results per page on the search page
  var HEADER_RESULTS = 6; // results in the header drop-down

  var scriptSrc = (document.currentScript && document.currentScript.src) || "";
  var BASE = new URL("../searchindex/", scriptSrc || location.href).href;
  var SITE = new URL("../", scriptSrc || location.href).href;

  /* ------------------------------------------------------------ loading */

  var store = {};
  var pending = {};

  /** Called by every index file. */
  function put(kind, key, data) { store[kind + "/" + key] = data; }

  /** Load one index file with a <script> tag; resolves with its data. */
  function load(kind, key) {
    var id = kind + "/" + key;
    if (id in store) return Promise.resolve(store[id]);
    if (pending[id]) return pending[id];
    var path = kind === "meta" || kind === "t2s" || kind === "dt" ? kind + ".js" : kind + "/" + key + ".js";
    pending[id] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = BASE + path;
      s.async = true;
      s.onload = function () {
        if (id in store) resolve(store[id]);
        else reject(new Error("search index file " + path + " did not register"));
      };
      s.onerror = function () { delete pending[id]; reject(new Error("cannot load " + path)); };
      document.head.appendChild(s);
    });
    return pending[id];
  }

  function decode(s) {
    var out = [], cur = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i), f = FINAL.indexOf(c);
      if (f >= 0) { out.push(cur * 32 + f); cur = 0; }
      else cur = cur * 32 + CONT.indexOf(c);
    }
    return out;
  }

  function fnv1a(term) {
    var h = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) {
      var cp = term.codePointAt(i);
      if (cp > 0xffff) i++;
      h ^= cp;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /* ------------------------------------------------------------ packed text */

  var textTable = null;

  /** dt.js: the symbols and character table of packed document text (generator/publish/search.py
   * pack_text): a symbol below 1 + oneByte is one character, a higher one leads a
   * two-symbol code, symbol 0 escapes the next character, and any non-ASCII character
   * stands for itself. */
  function loadTextTable() {
    if (textTable) return Promise.resolve(textTable);
    return load("dt", 0).then(function (t) {
      var index = {};
      for (var i = 0; i < t.symbols.length; i++) index[t.symbols.charAt(i)] = i;
      textTable = { index: index, n: t.symbols.length, one: t.oneByte, chars: Array.from(t.table) };
      return textTable;
    });
  }

  function unpack(packed, t) {
    var out = [];
    for (var i = 0; i < packed.length; i++) {
      var ch = packed.charAt(i), k = ch < "\x80" ? t.index[ch] : undefined;
      if (k === undefined) out.push(ch);
      else if (k === 0) out.push(packed.charAt(++i));
      else if (k <= t.one) out.push(t.chars[k - 1]);
      else out.push(t.chars[t.one + (k - 1 - t.one) * t.n + t.index[packed.charAt(++i)]]);
    }
    return out.join("");
  }

  /** A document record with its text unpacked (once). */
  function withText(d, t) {
    if (d.text === undefined) d.text = unpack(d.packed || "", t);
    return d;
  }

  /* ------------------------------------------------------------ meta */

  var metaCache = null;

  /** meta.js decoded once: per-document length, group and facet value indexes. */
  function meta() {
    if (metaCache) return Promise.resolve(metaCache);
    return load("meta", 0).then(function (m) {
      if (metaCache) return metaCache;
      var nums = decode(m.records), pos = 0, docs = [];
      for (var n = 0; n < m.docs; n++) {
        var d = { len: nums[pos++], group: n - nums[pos++], facets: {} };
        for (var f = 0; f < m.facetOrder.length; f++) {
          var cnt = nums[pos++], vals = [];
          for (var j = 0; j < cnt; j++) vals.push(nums[pos++]);
          d.facets[m.facetOrder[f]] = vals;
        }
        docs.push(d);
      }
      metaCache = { raw: m, docs: docs };
      return metaCache;
    });
  }

  /* ------------------------------------------------------------ query */

  var t2sMap = null;

  function loadT2s() {
    if (t2sMap) return Promise.resolve(t2sMap);
    return load("t2s", 0).then(function (pairs) {
      var m = {};
      for (var i = 0; i + 1 < pairs.length; i += 2) m[pairs.charAt(i)] = pairs.charAt(i + 1);
      t2sMap = m;
      return m;
    });
  }

  /** Traditional → simplified, character by character (length-preserving, so positions
   * in the converted text are positions in the original). */
  function simplify(text) {
    if (!t2sMap) return text;
    var out = "";
    for (var i = 0; i < text.length; i++) { var c = text.charAt(i); out += t2sMap[c] || c; }
    return out;
  }

  function normalize(text) { return simplify(String(text || "").toLowerCase()); }

  /** Query → parts (runs of Han characters or of Latin letters and digits), the terms
   * every result must contain, optional whole-word terms, and the phrase. */
  function parseQuery(q) {
    var norm = normalize(q), parts = norm.match(PART) || [];
    var must = [], words = [], seen = {};
    parts.forEach(function (p) {
      var terms = [];
      if (HAN.test(p)) {
        if (p.length === 1) terms.push(p);
        for (var i = 0; i + 1 < p.length; i++) terms.push(p.substr(i, 2));
        if (p.length >= 3) words.push(p);
      } else if (p.length >= 2) {
        terms.push(p);
      }
      terms.forEach(function (t) { if (!seen[t]) { seen[t] = 1; must.push(t); } });
    });
    return { text: q, parts: parts, must: must, words: words, phrase: parts.join("") };
  }

  function shardOf(term, m) { return fnv1a(term) & (m.raw.shards - 1); }

  /** Postings of the given terms: {term: [[doc, tf], ...]} (absent terms map to []). */
  function postings(terms, m) {
    var shards = {};
    terms.forEach(function (t) { shards[shardOf(t, m)] = 1; });
    return Promise.all(Object.keys(shards).map(function (k) { return load("s", k); })).then(function () {
      var out = {}, tf = m.raw.tf;
      terms.forEach(function (t) {
        var enc = store["s/" + shardOf(t, m)][t], list = [];
        if (enc) {
          var nums = decode(enc), doc = -1;
          for (var i = 0; i < nums.length; i++) {
            doc += Math.floor(nums[i] / 8) + 1;
            list.push([doc, tf[nums[i] % 8]]);
          }
        }
        out[t] = list;
      });
      return out;
    });
  }

  function passes(doc, filters) {
    for (var f in filters) {
      if (filters[f] === null || filters[f] === undefined) continue;
      if (doc.facets[f].indexOf(filters[f]) < 0) return false;
    }
    return true;
  }

  /**
   * Run a query. filters: {facet: value index}. Resolves with
   * {query, total, hits: [{doc, score, title, reposts}]}, repost groups collapsed.
   */
  function search(q, filters) {
    var query = parseQuery(q);
    if (!query.must.length) return Promise.resolve({ query: query, total: 0, hits: [] });
    return Promise.all([meta(), loadT2s()]).then(function (res) {
      var m = res[0];
      query = parseQuery(q); // again, now that the t2s table is loaded
      if (!query.must.length) return { query: query, total: 0, hits: [] };
      var titleTerms = query.must.map(function (t) { return "#" + t; });
      var all = query.must.concat(query.words, titleTerms);
      return postings(all, m).then(function (post) {
        var N = m.raw.docs, avgdl = m.raw.avgdl || 1, scores = {}, count = {}, titleCount = {};
        function add(term, weight) {
          var list = post[term];
          if (!list.length) return;
          var idf = Math.log(1 + (N - list.length + 0.5) / (list.length + 0.5));
          for (var i = 0; i < list.length; i++) {
            var d = list[i][0], tf = list[i][1], dl = m.docs[d].len;
            var s = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl));
            scores[d] = (scores[d] || 0) + weight * s;
          }
        }
        query.must.forEach(function (t) {
          add(t, 1);
          post[t].forEach(function (p) { count[p[0]] = (count[p[0]] || 0) + 1; });
          post["#" + t].forEach(function (p) { titleCount[p[0]] = (titleCount[p[0]] || 0) + 1; });
        });
        query.words.forEach(function (w) { add(w, WORD_WEIGHT); });
        var need = query.must.length, hits = [];
        var strict = Object.keys(count).filter(function (d) { return count[d] === need; });
        // No document has every term: show those with most of them rather than nothing.
        var partial = !strict.length;
        var cand = partial ? Object.keys(count) : strict;
        cand.forEach(function (d) {
          var n = +d;
          if (!passes(m.docs[n], filters || {})) return;
          hits.push({ doc: n, score: scores[n] || 0, matched: count[n],
                      title: titleCount[n] === need, group: m.docs[n].group });
        });
        hits.sort(function (a, b) {
          return (b.matched - a.matched) || (b.title - a.title) || (b.score - a.score) || (a.doc - b.doc);
        });
        var groups = {}, out = [];
        hits.forEach(function (h) {
          if (h.group in groups) { groups[h.group].reposts++; return; }
          h.reposts = 0;
          groups[h.group] = h;
          out.push(h);
        });
        return { query: query, total: out.length, hits: out, partial: partial };
      });
    });
  }

  /** Load the documents of hits[from, to) and reorder that window: an exact phrase in the
   * title, then the title matching, then the phrase in the text, then the score. */
  function loadHits(result, from, to) {
    var win = result.hits.slice(from, to);
    return Promise.all([loadTextTable()].concat(win.map(function (h) { return load("d", h.doc); })))
      .then(function (loaded) {
      var docs = loaded.slice(1).map(function (d) { return withText(d, loaded[0]); });
      var phrase = result.query.phrase;
      win.forEach(function (h, i) {
        h.data = docs[i];
        h.normText = normOf(docs[i]).replace(/\s+/g, "");
        h.titlePhrase = phrase.length > 0 && normalize(docs[i].title).replace(/\s+/g, "").indexOf(phrase) >= 0;
        h.phrase = phrase.length > 0 && h.normText.indexOf(phrase) >= 0;
      });
      win.sort(function (a, b) {
        return (b.titlePhrase - a.titlePhrase) || (b.title - a.title) || (b.phrase - a.phrase) ||
          (b.score - a.score) || (a.doc - b.doc);
      });
      for (var i = 0; i < win.length; i++) result.hits[from + i] = win[i];
      return win;
    });
  }

  /* ------------------------------------------------------------ rendering */

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** Append `text` to `parent`, wrapping every occurrence of a query part in <mark>. */
  function appendMarked(parent, text, query) {
    var norm = normalize(text), ranges = [];
    var needles = [query.phrase].concat(query.parts).filter(function (p) { return p.length > 0; });
    needles.forEach(function (p) {
      var at = 0, i;
      while ((i = norm.indexOf(p, at)) >= 0) { ranges.push([i, i + p.length]); at = i + p.length; }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[0] < pos) return;
      parent.appendChild(document.createTextNode(text.slice(pos, r[0])));
      parent.appendChild(el("mark", null, text.slice(r[0], r[1])));
      pos = r[1];
    });
    parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  /** A short extract around the first place the query (else a part of it) occurs. */
  /** A document's normalized text, computed once (a very long document is millions of
   * characters: normalizing it for every use cost seconds). */
  function normOf(d) {
    if (d.norm === undefined || d.normMap !== t2sMap) { d.norm = normalize(d.text); d.normMap = t2sMap; }
    return d.norm;
  }

  function matchAt(d, query) {
    var norm = normOf(d), at = norm.indexOf(query.phrase);
    for (var i = 0; at < 0 && i < query.parts.length; i++) at = norm.indexOf(query.parts[i]);
    for (i = 0; at < 0 && i < query.must.length; i++) at = norm.indexOf(query.must[i]);
    return at < 0 ? 0 : at;
  }

  function snippet(d, query) {
    var text = d.text, at = matchAt(d, query);
    var start = Math.max(0, at - 40), end = Math.min(text.length, at + 100);
    return (start > 0 ? "…" : "") + text.slice(start, end).replace(/\s+/g, " ") + (end < text.length ? "…" : "");
  }

  /** The document's page, or for a very long one (published in parts, d.parts = where
   * parts 2… start in its text) the part holding the first match. */
  function resultUrl(h, query) {
    var page = h.data.id, parts = h.data.parts || [];
    if (parts.length) {
      var at = matchAt(h.data, query), k = 1;
      for (var i = 0; i < parts.length; i++) if (at >= parts[i]) k = i + 2;
      if (k > 1) page += ".part" + k;
    }
    return SITE + "archive/speeches/" + encodeURIComponent(page) + ".html?q=" + encodeURIComponent(query.text);
  }

  function renderHit(h, query) {
    var li = el("li", "md-search-result__item sa-result");
    var a = el("a", "md-search-result__link");
    a.href = resultUrl(h, query);
    var art = el("article", "md-search-result__article md-typeset");
    var title = el("h1", "sa-result__title");
    appendMarked(title, h.data.title, query);
    art.appendChild(title);
    var info = [h.data.date || "日期不明", h.data.place || "地点不明", h.data.speakers || "讲话人不明"];
    if (h.reposts) info.push("另有 " + h.reposts + " 篇转载");
    art.appendChild(el("p", "sa-result__meta", info.join(" · ")));
    var p = el("p", "sa-result__snippet");
    appendMarked(p, snippet(h.data, query), query);
    art.appendChild(p);
    a.appendChild(art);
    li.appendChild(a);
    return li;
  }

  /* ------------------------------------------------------------ header box */

  function setupHeader() {
    var box = document.querySelector("[data-sa-search]");
    if (!box) return;
    var input = box.querySelector(".md-search__input");
    var metaEl = box.querySelector(".md-search-result__meta");
    var list = box.querySelector(".md-search-result__list");
    var toggle = document.getElementById("__search");
    var form = box.querySelector("form");
    var seq = 0, timer = null;

    function open() { if (toggle && !toggle.checked) { toggle.checked = true; } }
    function run() {
      var q = input.value, mine = ++seq;
      if (!q.trim()) { metaEl.textContent = "输入关键词开始搜索"; list.innerHTML = ""; return; }
      metaEl.textContent = "正在搜索…";
      search(q, {}).then(function (r) {
        if (mine !== seq) return null;
        return loadHits(r, 0, HEADER_RESULTS).then(function (win) {
          if (mine !== seq) return;
          list.innerHTML = "";
          list.setAttribute("data-query", q); // which query the list shows (for tests and styles)
          metaEl.textContent = r.total ? (r.partial ? "没有同时含全部字词的讲话；部分匹配 " : "找到 ") + r.total + " 篇" :
            "没有找到";
          win.forEach(function (h) { list.appendChild(renderHit(h, r.query)); });
          if (r.total > win.length) {
            var li = el("li", "md-search-result__item sa-more");
            var a = el("a", "md-search-result__link", "全部 " + r.total + " 篇结果及筛选 →");
            a.href = SITE + "search.html?q=" + encodeURIComponent(q);
            li.appendChild(a);
            list.appendChild(li);
          }
        });
      }).catch(function (e) { if (mine === seq) metaEl.textContent = "搜索出错：" + e.message; });
    }
    input.addEventListener("focus", open);
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && toggle) { toggle.checked = false; input.blur(); }
    });
    form.addEventListener("reset", function () { setTimeout(run, 0); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      location.href = SITE + "search.html?q=" + encodeURIComponent(input.value);
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.key === "/" && !(t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable))) {
        e.preventDefault();
        open();
        input.focus();
      }
    });
    if (toggle) toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
  }

  /* ------------------------------------------------------------ search page */

  var FACET_LABELS = { year: "年份", place: "地点", speaker: "讲话人", type: "会议类型", genre: "体裁" };

  function setupPage() {
    var root = document.getElementById("sa-search-page");
    if (!root) return;
    var params = new URLSearchParams(location.search);
    var form = el("form", "sa-form");
    var q = el("input", "md-input sa-query");
    q.type = "search";
    q.name = "q";
    q.placeholder = "输入关键词，例如 高质量发展";
    q.value = params.get("q") || "";
    form.appendChild(q);
    var button = el("button", "md-button md-button--primary", "搜索");
    button.type = "submit";
    form.appendChild(button);
    var filterBox = el("div", "sa-filters");
    form.appendChild(filterBox);
    var status = el("p", "sa-status", "");
    var list = el("ol", "sa-results");
    var more = el("button", "md-button sa-more-button", "更多结果");
    more.type = "button";
    more.hidden = true;
    root.appendChild(form);
    root.appendChild(status);
    root.appendChild(list);
    root.appendChild(more);
    var selects = {}, current = null, shown = 0, seq = 0;

    function filters() {
      var f = {};
      Object.keys(selects).forEach(function (k) {
        var v = selects[k].value;
        f[k] = v === "" ? null : +v;
      });
      return f;
    }
    function syncUrl() {
      var p = new URLSearchParams();
      if (q.value) p.set("q", q.value);
      Object.keys(selects).forEach(function (k) {
        var s = selects[k];
        if (s.value !== "") p.set(k, s.options[s.selectedIndex].textContent.replace(/（\d+）$/, ""));
      });
      var url = location.pathname + (p.toString() ? "?" + p.toString() : "");
      try { history.replaceState(null, "", url); } catch (e) { /* file:// may refuse; the page still works */ }
    }
    function showMore() {
      var mine = seq, from = shown, to = Math.min(current.hits.length, shown + PAGE);
      return loadHits(current, from, to).then(function (win) {
        if (mine !== seq) return;
        win.forEach(function (h) { list.appendChild(renderHit(h, current.query)); });
        shown = to;
        more.hidden = shown >= current.hits.length;
      });
    }
    function run() {
      var mine = ++seq;
      syncUrl();
      list.innerHTML = "";
      more.hidden = true;
      if (!q.value.trim()) { status.textContent = "输入关键词开始搜索。"; return Promise.resolve(); }
      status.textContent = "正在搜索…";
      return search(q.value, filters()).then(function (r) {
        if (mine !== seq) return;
        current = r;
        shown = 0;
        status.textContent = r.total ? (r.partial ? "没有同时含全部字词的讲话；部分匹配 " : "找到 ") + r.total + " 篇讲话（转载合并计算）" :
          "没有找到。";
        return showMore();
      }).catch(function (e) { status.textContent = "搜索出错：" + e.message; });
    }
    meta().then(function (m) {
      m.raw.facetOrder.forEach(function (f) {
        var values = m.raw.facets[f];
        if (!values.length) return;
        var counts = values.map(function () { return 0; });
        m.docs.forEach(function (d) { d.facets[f].forEach(function (i) { counts[i]++; }); });
        var label = el("label", "sa-filter");
        label.appendChild(el("span", null, FACET_LABELS[f] || f));
        var s = el("select");
        s.name = f;
        s.appendChild(el("option", null, "全部")).value = "";
        var wanted = params.get(f);
        values.forEach(function (v, i) {
          var o = el("option", null, v + "（" + counts[i] + "）");
          o.value = String(i);
          if (wanted === v) o.selected = true;
          s.appendChild(o);
        });
        s.addEventListener("change", run);
        selects[f] = s;
        label.appendChild(s);
        filterBox.appendChild(label);
      });
      return run();
    }).catch(function (e) { status.textContent = "搜索索引无法加载：" + e.message; });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    more.addEventListener("click", showMore);
  }

  /* ------------------------------------------------------------ highlight on arrival */

  /** On a page opened from a result (?q=…), mark the query in the article and scroll to
   * the first mark. */
  function highlightArrival() {
    var q = new URLSearchParams(location.search).get("q");
    var article = document.querySelector("article.md-content__inner");
    if (!q || !article || document.getElementById("sa-search-page")) return;
    loadT2s().then(function () {
      var query = parseQuery(q);
      if (!query.parts.length) return;
      var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, null), nodes = [], n;
      while ((n = walker.nextNode())) {
        if (n.parentNode && !/^(SCRIPT|STYLE|MARK)$/.test(n.parentNode.nodeName)) nodes.push(n);
      }
      var first = null;
      nodes.forEach(function (node) {
        var text = node.nodeValue, norm = normalize(text);
        var hit = [query.phrase].concat(query.parts).some(function (p) { return p && norm.indexOf(p) >= 0; });
        if (!hit) return;
        var span = document.createElement("span");
        appendMarked(span, text, query);
        var frag = document.createDocumentFragment();
        while (span.firstChild) frag.appendChild(span.firstChild);
        var marks = frag.querySelectorAll("mark");
        for (var i = 0; i < marks.length; i++) marks[i].className = "sa-hit";
        if (!first && marks.length) first = marks[0];
        node.parentNode.replaceChild(frag, node);
      });
      if (first) first.scrollIntoView({ block: "center" });
    }).catch(function () { /* highlighting is a nicety; the page is already readable */ });
  }

  window.SearchArchive = { put: put, search: search, loadHits: loadHits, parseQuery: parseQuery,
                           meta: meta, fnv1a: fnv1a, decode: decode };

  function start() { setupHeader(); setupPage(); highlightArrival(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
