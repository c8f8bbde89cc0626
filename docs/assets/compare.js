/*
 * The comparison view (archive/compare.html?a=ID&b=ID): two speeches side by side, the
 * passages one reuses from the other aligned, the characters that differ marked, and
 * the terms each uses more than the other.
 *
 * Data: archive/compare/<id>.js, one small file per document that takes part in a reuse
 * (generator/publish/reuse_pages.py), each calling SAReuse.put({id, title, date, script,
 * chars, paras: {n: text}, pairs: [{o, mine, theirs, chars, identity, earlier}], terms:
 * [[term, count], ...]}). Loaded with <script> tags, which work over http and from
 * file:// (fetch and ES modules do not); only the two documents compared are loaded.
 * Every string from the data is put into the page as text, never as HTML.
 */
(function () {
  "use strict";

  var ID = /^[A-Za-z0-9-]{1,200}$/;
  var MAX_DIFF = 6000; // characters of both sides above which a passage is shown unmarked
  var TERMS_SHOWN = 12;
  var PRIOR = 100; // strength of the prior in the log-odds of the terms (Monroe et al. 2008)

  var root = document.getElementById("sa-compare");
  if (!root) return;
  var store = {};
  window.SAReuse = {
    put: function (rec) {
      if (rec && typeof rec.id === "string") store[rec.id] = rec;
    }
  };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function link(href, text, cls) {
    var a = el("a", text, cls);
    a.href = href;
    return a;
  }

  function fail(message) {
    root.textContent = "";
    root.appendChild(el("p", message, "sa-compare-error"));
  }

  var params = new URLSearchParams(window.location.search);
  var ida = params.get("a"), idb = params.get("b");
  if (!ida || !idb || !ID.test(ida) || !ID.test(idb) || ida === idb) {
    fail("请从讲话页面上“对照”链接进入：需要两篇不同讲话的编号（compare.html?a=…&b=…）。");
    return;
  }
  var dataBase = root.getAttribute("data-data") || "compare/";
  var speeches = root.getAttribute("data-speeches") || "speeches/";

  // Myers' O((N+M)D) difference: which characters of x and of y belong to the longest
  // common subsequence. Returns [sameX, sameY] (arrays of booleans).
  function diff(x, y) {
    var n = x.length, m = y.length, max = n + m, off = max + 1;
    var v = new Int32Array(2 * max + 3), trace = [], d, k, i, j;
    var sameX = new Array(n), sameY = new Array(m);
    for (i = 0; i < n; i++) sameX[i] = false;
    for (j = 0; j < m; j++) sameY[j] = false;
    var found = -1;
    for (d = 0; d <= max && found < 0; d++) {
      trace.push(v.slice());
      for (k = -d; k <= d; k += 2) {
        if (k === -d || (k !== d && v[off + k - 1] < v[off + k + 1])) i = v[off + k + 1];
        else i = v[off + k - 1] + 1;
        j = i - k;
        while (i < n && j < m && x[i] === y[j]) { i++; j++; }
        v[off + k] = i;
        if (i >= n && j >= m) { found = d; break; }
      }
    }
    var cx = n, cy = m;
    for (d = found; d > 0; d--) {
      var vv = trace[d];
      k = cx - cy;
      var pk = (k === -d || (k !== d && vv[off + k - 1] < vv[off + k + 1])) ? k + 1 : k - 1;
      var px = vv[off + pk], py = px - pk;
      while (cx > px && cy > py) { cx--; cy--; sameX[cx] = true; sameY[cy] = true; }
      cx = px; cy = py;
    }
    while (cx > 0 && cy > 0) { cx--; cy--; sameX[cx] = true; sameY[cy] = true; }
    return [sameX, sameY];
  }

  // The text as runs of same / different characters; different ones in <del> (left) or
  // <ins> (right), so the difference is read by colour and by screen readers alike.
  function marked(text, same, tag) {
    var box = el("div", null, "sa-compare-text");
    var start = 0;
    for (var i = 1; i <= text.length; i++) {
      if (i === text.length || same[i] !== same[start]) {
        var part = text.slice(start, i);
        box.appendChild(same[start] ? document.createTextNode(part) : el(tag, part, "sa-diff"));
        start = i;
      }
    }
    return box;
  }

  function paragraphs(rec, ns) {
    return ns.map(function (n) { return rec.paras[String(n)] || ""; }).join("\n");
  }

  function heading(rec, name) {
    var box = el("div", null, "sa-compare-doc");
    box.appendChild(el("span", name, "sa-compare-side"));
    box.appendChild(link(speeches + rec.id + ".html", rec.title, "sa-compare-title"));
    box.appendChild(el("span", (rec.date || "日期不明") + (rec.script === "zh-Hant" ? " · 繁体原文，按简体对照" : ""),
      "sa-compare-date"));
    return box;
  }

  function distinctive(A, B) {
    var ca = {}, cb = {}, na = 0, nb = 0, words = {};
    A.terms.forEach(function (t) { ca[t[0]] = t[1]; na += t[1]; words[t[0]] = 1; });
    B.terms.forEach(function (t) { cb[t[0]] = t[1]; nb += t[1]; words[t[0]] = 1; });
    var out = [];
    Object.keys(words).forEach(function (w) {
      var ya = ca[w] || 0, yb = cb[w] || 0;
      var aw = PRIOR * (ya + yb) / (na + nb);
      var delta = Math.log((ya + aw) / (na + PRIOR - ya - aw)) - Math.log((yb + aw) / (nb + PRIOR - yb - aw));
      var z = delta / Math.sqrt(1 / (ya + aw) + 1 / (yb + aw));
      out.push({ w: w, ya: ya, yb: yb, z: z });
    });
    function side(sign) {
      return out.filter(function (t) { return sign * t.z > 1.96; })
        .sort(function (p, q) { return sign * q.z - sign * p.z || (p.w < q.w ? -1 : 1); })
        .slice(0, TERMS_SHOWN);
    }
    return [side(1), side(-1)];
  }

  function termList(title, list, mine, theirs) {
    var box = el("div", null, "sa-compare-terms-side");
    box.appendChild(el("h3", title));
    if (!list.length) { box.appendChild(el("p", "无明显多用的词。")); return box; }
    var ul = el("ul");
    list.forEach(function (t) {
      ul.appendChild(el("li", t.w + "（" + t[mine] + " 次 / " + t[theirs] + " 次）"));
    });
    box.appendChild(ul);
    return box;
  }

  function render() {
    var A = store[ida], B = store[idb];
    root.textContent = "";
    if (!A || !B) {
      var missing = !A ? ida : idb;
      var p = el("p", "没有这篇讲话的复用数据：它与其他讲话之间没有检测到段落复用，或编号有误。", "sa-compare-error");
      p.appendChild(document.createTextNode(" "));
      p.appendChild(link(speeches + missing + ".html", "打开 " + missing));
      root.appendChild(p);
      return;
    }
    var head = el("div", null, "sa-compare-grid sa-compare-head");
    head.appendChild(heading(A, "甲"));
    head.appendChild(heading(B, "乙"));
    root.appendChild(head);
    var pairs = A.pairs.filter(function (p) { return p.o === idb; })
      .sort(function (p, q) { return p.mine[0] - q.mine[0] || p.theirs[0] - q.theirs[0]; });
    var summary = el("p", null, "sa-compare-summary");
    if (!pairs.length) {
      summary.textContent = "这两篇之间没有检测到段落复用。";
    } else {
      var chars = pairs.reduce(function (s, p) { return s + p.chars; }, 0);
      var order = pairs[0].earlier === true ? "甲篇日期较早。" : pairs[0].earlier === false ? "乙篇日期较早。"
        : "两篇先后不明（日期未知或相同）。";
      summary.textContent = "共 " + pairs.length + " 处复用段落，对齐 " + chars + " 字。" + order +
        "甲篇有而乙篇没有的字加删除线，乙篇有而甲篇没有的字加下划线。";
    }
    root.appendChild(summary);
    pairs.forEach(function (p, i) {
      var row = el("section", null, "sa-compare-row");
      row.id = "r-" + (i + 1);
      row.appendChild(el("p", "第 " + (i + 1) + " 处：对齐 " + p.chars + " 字，相同 " +
        Math.round(p.identity * 100) + "%", "sa-compare-info"));
      var left = paragraphs(A, p.mine), right = paragraphs(B, p.theirs);
      var same = left.length + right.length <= MAX_DIFF ? diff(left, right) : null;
      var grid = el("div", null, "sa-compare-grid");
      [[A, p.mine, left, "甲", 0, "del"], [B, p.theirs, right, "乙", 1, "ins"]].forEach(function (s) {
        var cell = el("div", null, "sa-compare-cell");
        cell.appendChild(link(speeches + s[0].id + ".html#p-" + s[1][0], s[3] + " 第 " + s[1].join("、") + " 段",
          "sa-compare-where"));
        cell.appendChild(same ? marked(s[2], same[s[4]], s[5]) : el("div", s[2], "sa-compare-text"));
        grid.appendChild(cell);
      });
      row.appendChild(grid);
      root.appendChild(row);
    });
    var sides = distinctive(A, B);
    var terms = el("section", null, "sa-compare-terms");
    terms.appendChild(el("h2", "各自多用的词"));
    terms.appendChild(el("p", "按两篇的词频比较（对数优势比，以两篇合计为先验，z > 1.96）。"));
    var tg = el("div", null, "sa-compare-grid");
    tg.appendChild(termList("甲篇多用", sides[0], "ya", "yb"));
    tg.appendChild(termList("乙篇多用", sides[1], "yb", "ya"));
    terms.appendChild(tg);
    root.appendChild(terms);
    root.setAttribute("data-ready", "1");
  }

  var pending = 2;
  [ida, idb].forEach(function (id) {
    var s = document.createElement("script");
    s.src = dataBase + id + ".js";
    s.onload = s.onerror = function () { if (--pending === 0) render(); };
    document.head.appendChild(s);
  });
})();
