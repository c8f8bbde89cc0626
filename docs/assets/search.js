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
 *   meta.js   {docs, shards, avgdl, facets: {year: [...], ...}, facetOrder, counts, chunk,
 *             facetShards, tf, qchunk, perOctave, nameShards, sizes}: nothing per document.
 *             counts[facet][i]: documents with value i. A facet with many values (format 6:
 *             a large archive's speakers and places) has facets[f] = counts[f] = [] here,
 *             sizes[f] values, and its names in nameShards[f] files m/n-<f>-<j>.js.
 *   m/n-<f>-<j>.js {value index: [name, count]} of the values whose fnv1a(facetKey(f, name))
 *             & (nameShards[f] − 1) = j: a URL filter loads its own value's shard, the
 *             filter field all of them once opened (needNames).
 *   m/q<k>.js {len, groups} of documents k × qchunk …: len, one character per document
 *             (FINAL + CONT), its length class 1 + ⌊perOctave · log2(length)⌋; groups as in
 *             l. Ranks a query whose candidates' exact lengths would cost more (needLengths).
 *   m/l<k>.js {len, groups} of documents k × chunk …: len, varints of each one's length;
 *             groups, varint pairs (doc − k × chunk, doc − its repost group's first doc)
 *             for the documents in a group. What ranking candidates needs.
 *   m/t<k>.js varints per document: year index + 1 (0 = unknown), month × 32 + day.
 *             Loaded only to sort by date.
 *   m/lf<k>.js, m/tf<k>.js  the same for documents k × fine … (meta.js fine; 0: none),
 *             loaded instead of a chunk where few of its documents are needed.
 *   m/<facet>-<j>.js {value index: varints of doc − previous doc − 1} for the values
 *             i with i % facetShards[facet] = j: a filter loads its own values' lists.
 *   m/f<k>.js varints per document, for each facet in facetOrder a count and that many
 *             value indexes: only SearchArchive.meta() (the trends page) loads them.
 *   s/<k>.js  {term: postings}; the shard of a term is fnv1a(shardKey(term)) & (shards − 1).
 *             A term in most documents (format 6): "!" bitmap or "~" documents without it
 *             (decodePostings); format 7: "~" + the span it was written for (documents
 *             at or beyond it do not hold the term) + the documents without it.
 *             postings: varints of (doc − previous doc − 1) × 8 + tf code.
 *   d/<n>.js  {id, title, date, place, speakers, packed} of document n; packed is its text
 *             packed with the table of dt.js (see unpack below). A document published in
 *             parts also has parts: the offsets in its text where parts 2… start.
 *   dt.js     {symbols, oneByte, table}: the fixed character table of packed text.
 *   t2s.js    "繁简繁简…": traditional → simplified character pairs.
 * A varint is base 32, most significant first; its last digit comes from FINAL, the
 * others from CONT, so numbers need no separators.
 *
 * Matching: a document matches when each character term of the query (bigrams, or the
 * character of a one-character part) is in its title ('#' terms) or its text. Ranking:
 * documents holding the whole query (every quoted phrase and every unquoted word, in the
 * title or the text) first, then unchecked ones, then those with only the words (marked
 * 部分匹配); within each, title matches then BM25 (plus the query's whole words of 3+
 * characters), or newest first with sort=date. Whether a document holds the whole query
 * needs its text: settle() loads d/ files in the order shown, first until the first page
 * is settled, then the rest when the query's data with their text is small enough
 * (AUTO_CHECK_BYTES; a quoted phrase up to QUOTED_CHECK_BYTES), else when the reader asks. Quoted phrases are exact: only documents
 * holding them are results. Without a query, the filters alone list documents by date.
 * Reposts are one result; counts are of documents.
 * URL parameters: q, sort (relevance|date), year (2024, 2015-2019, 2015-), place, speaker,
 * type, genre; anything else is said on the page and kept in the URL.
 */
(function () {
  "use strict";

  var FINAL = "0123456789abcdefghijklmnopqrstuv";
  var CONT = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
  var PART = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;
  var K1 = 1.2, B = 0.75, WORD_WEIGHT = 1.5;
  // a site may set window.SearchArchiveConfig before this script: {pageSize,
  // autoCheckBytes, quotedCheckBytes} (see "search" below); the tests do, to see the page ask
  var CONFIG = window.SearchArchiveConfig || {};
  var PAGE = CONFIG.pageSize || 10; // results per page on the search page
  var HEADER_RESULTS = 6; // results in the header drop-down

  var scriptSrc = (document.currentScript && document.currentScript.src) || "";
  var BASE = new URL("../searchindex/", scriptSrc || location.href).href;
  var SITE = new URL("../", scriptSrc || location.href).href;

  /* ------------------------------------------------------------ loading */

  var store = {};
  var pending = {};
  var fetched = 0; // characters of index data loaded so far (sizeOf), for the per-query budget

  /** About how many bytes a loaded file's data took (its strings' lengths): the index is
   * ASCII but for titles and names, and a script's size is not readable from file://. */
  function sizeOf(x) {
    if (typeof x === "string") return x.length;
    if (x === null || typeof x !== "object") return 8;
    // a deflated d/ record arrives as a promise (inflate.js), which says what it weighed
    if (typeof x.then === "function") return typeof x.size === "number" ? x.size : 0;
    var n = 2;
    for (var k in x) if (Object.prototype.hasOwnProperty.call(x, k)) n += k.length + 4 + sizeOf(x[k]);
    return n;
  }

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
        if (id in store) fetched += sizeOf(store[id]);
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

  // meta.js holds no per-document data; the m/ files hold it in chunks of documents
  // (lengths and groups; dates; facet values) and per facet value (the documents having
  // it), so a query loads the metadata of its candidates and its filters' lists only.
  var headCache = null;

  /** meta.js decoded once: {raw, docs}; docs[n] is filled as the chunks holding n load.
   * A facet whose names are in m/n-<facet>-<j>.js (format 6, raw.nameShards) gets sparse
   * lists raw.facets[facet] and raw.counts[facet] of raw.sizes[facet] entries, filled as
   * its shards load (needNames): everything that walks them skips the names not loaded. */
  function head() {
    if (headCache) return Promise.resolve(headCache);
    return load("meta", 0).then(function (m) {
      if (!headCache) {
        Object.keys(m.nameShards || {}).forEach(function (f) {
          m.facets[f] = new Array(m.sizes[f]);
          m.counts[f] = new Array(m.sizes[f]);
        });
        headCache = { raw: m, docs: new Array(m.docs), chunks: {} };
      }
      return headCache;
    });
  }

  /** Is the facet's list of names split out of meta.js? */
  function splitFacet(m, facet) { return !!(m.raw.nameShards || {})[facet]; }

  /** Load name shards of a split facet: those holding the given values (by their
   * facetKey, as generator/publish/search_names.py shards them), or every shard (values
   * null). A value found in no loaded shard (a name the archive has not, or a key the
   * two sides computed apart) loads every shard, so a filter never misses a name. */
  function needNames(m, facet, values) {
    var k = splitFacet(m, facet) ? m.raw.nameShards[facet] : 0;
    if (!k) return Promise.resolve();
    var shards = {}, j;
    if (values === null) for (j = 0; j < k; j++) shards[j] = 1;
    else values.forEach(function (v) { shards[fnv1a(facetKey(facet, v)) & (k - 1)] = 1; });
    function take(list) {
      return Promise.all(list.map(function (s) { return load("m", "n-" + facet + "-" + s); })).then(function (data) {
        data.forEach(function (d) {
          Object.keys(d).forEach(function (i) { m.raw.facets[facet][+i] = d[i][0]; m.raw.counts[facet][+i] = d[i][1]; });
        });
      });
    }
    return take(Object.keys(shards)).then(function () {
      if (values === null) return null;
      var missing = values.some(function (v) {
        var want = facetKey(facet, v);
        return !m.raw.facets[facet].some(function (x) { return facetKey(facet, x) === want; });
      });
      if (!missing) return null;
      var all = [];
      for (j = 0; j < k; j++) all.push(j);
      return take(all);
    });
  }

  /** needNames for every split facet named in `params` (URLSearchParams or {facet: value}). */
  function namesFor(m, params) {
    var jobs = [];
    Object.keys(m.raw.nameShards || {}).forEach(function (f) {
      var v = typeof params.get === "function" ? params.get(f) : params[f];
      if (v) jobs.push(needNames(m, f, [v]));
    });
    return Promise.all(jobs);
  }

  function docOf(m, n) {
    return m.docs[n] || (m.docs[n] = { len: 0, qlen: 0, group: n, md: 0, year: -1 });
  }

  /** Load the chunks of `part` ("l": length and group, "t": date, "f": facets) holding
   * the documents `nums` (an array of numbers) and decode them into m.docs. "l" and "t"
   * also come in fine chunks (meta.js fine: documents per fine chunk, "lf<k>", "tf<k>"):
   * where the documents needed in a chunk fall in at most half of its fine chunks, those
   * are loaded instead of the chunk (a filter passing a few hundred of 100,000 documents
   * needs a few per chunk). */
  function needDocs(m, nums, part) { return loadChunks(m, planChunks(m, nums, part), part); }

  /** The chunks of `part` holding `nums` not loaded yet: {key: [first document, documents]}. */
  function planChunks(m, nums, part) {
    var size = part === "q" ? m.raw.qchunk : m.raw.chunk, want = {}, i, k;
    var fine = part === "f" || part === "q" ? 0 : (m.raw.fine || 0);
    var per = {}; // chunk → {fine chunk: 1} of the documents needed there
    for (i = 0; i < nums.length; i++) {
      k = Math.floor(nums[i] / size);
      if (m.chunks[part + k] || (fine && m.chunks[part + "f" + Math.floor(nums[i] / fine)])) continue;
      (per[k] = per[k] || {})[fine ? Math.floor(nums[i] / fine) : 0] = 1;
    }
    Object.keys(per).forEach(function (c) {
      var fines = Object.keys(per[c]);
      if (fine && fines.length * fine * 2 <= size) fines.forEach(function (f) { want[part + "f" + f] = [+f * fine, fine]; });
      else want[part + c] = [+c * size, size];
    });
    return want;
  }

  function loadChunks(m, want, part) {
    return Promise.all(Object.keys(want).map(function (key) {
      return load("m", key).then(function (data) {
        if (m.chunks[key]) return;
        m.chunks[key] = true;
        var start = want[key][0], end = Math.min(m.raw.docs, start + want[key][1]), n, v;
        if (part === "l") {
          v = decode(data.len);
          for (n = start; n < end; n++) docOf(m, n).len = v[n - start];
          v = decode(data.groups);
          for (var g = 0; g + 1 < v.length; g += 2) docOf(m, start + v[g]).group = start + v[g] - v[g + 1];
        } else if (part === "q") {
          for (n = start; n < end; n++) docOf(m, n).qlen = classLength(m, LEN_DIGITS.indexOf(data.len.charAt(n - start)));
          v = decode(data.groups);
          for (var q = 0; q + 1 < v.length; q += 2) docOf(m, start + v[q]).group = start + v[q] - v[q + 1];
        } else if (part === "t") {
          v = decode(typeof data === "string" ? data : data.dates);
          if (data.groups) {
            var gv = decode(data.groups);
            for (var gi = 0; gi + 1 < gv.length; gi += 2) docOf(m, start + gv[gi]).group = start + gv[gi] - gv[gi + 1];
          }
          for (n = start; n < end; n++) {
            docOf(m, n).year = v[2 * (n - start)] - 1;
            docOf(m, n).md = v[2 * (n - start) + 1];
          }
        } else {
          v = decode(data);
          var pos = 0;
          for (n = start; n < end; n++) {
            var d = docOf(m, n);
            d.facets = {};
            for (var f = 0; f < m.raw.facetOrder.length; f++) {
              var cnt = v[pos++], vals = [];
              for (var j = 0; j < cnt; j++) vals.push(v[pos++]);
              d.facets[m.raw.facetOrder[f]] = vals;
            }
          }
        }
      });
    }));
  }

  // m/q<k>.js (format 6): a length class per document, one of these characters
  // (generator/publish/search_lengths.py): 1 + ⌊perOctave · log2(length)⌋, 0 for none
  var LEN_DIGITS = FINAL + CONT;
  // exact lengths cost about this many bytes a document (a varint of a few thousand)
  var LEN_BYTES = 3.2;
  // below this many bytes of exact lengths a query never ranks with classes (a small archive never does)
  var EXACT_LENGTHS_BYTES = typeof CONFIG.exactLengthsBytes === "number" ? CONFIG.exactLengthsBytes : 30000;

  /** A class's length: its geometric middle, within 2^(±1/(2 · perOctave)) of the real one. */
  function classLength(m, c) { return c <= 0 ? 0 : Math.pow(2, (c - 0.5) / m.raw.perOctave); }

  /** Load what BM25 needs for the candidates `nums` and say which: "l", their exact
   * lengths (the l chunks, fine ones where few are needed), or "q", their length classes,
   * where the exact lengths would load more than EXACT_LENGTHS_BYTES and more than the
   * classes' chunks (a common term's candidates are in every chunk: 300 KB at 100,000
   * documents, against 100 KB of classes in a tenth as many files). Every candidate of a
   * query is ranked the same way. */
  function needLengths(m, nums) {
    if (!m.raw.qchunk) return needDocs(m, nums, "l").then(function () { return "l"; });
    var exact = planChunks(m, nums, "l"), classes = planChunks(m, nums, "q"), eb = 0, qb = 0, key;
    function docs(w) { return Math.min(w[1], m.raw.docs - w[0]); }
    for (key in exact) eb += docs(exact[key]) * LEN_BYTES;
    for (key in classes) qb += docs(classes[key]);
    var part = eb > EXACT_LENGTHS_BYTES && eb > qb ? "q" : "l";
    return loadChunks(m, part === "q" ? classes : exact, part).then(function () { return part; });
  }

  /** Documents having any of the facet's value indexes: {doc: 1}. */
  function facetDocs(m, facet, values) {
    var k = (m.raw.facetShards || {})[facet] || 1, shards = {};
    values.forEach(function (i) { shards[i % k] = 1; });
    return Promise.all(Object.keys(shards).map(function (j) { return load("m", facet + "-" + j); }))
      .then(function () {
        var out = {};
        values.forEach(function (i) {
          var enc = store["m/" + facet + "-" + (i % k)][i], doc = -1;
          if (!enc) return;
          var gaps = decode(enc);
          for (var g = 0; g < gaps.length; g++) { doc += gaps[g] + 1; out[doc] = 1; }
        });
        return out;
      });
  }

  /** The documents passing every filter, as {doc: 1}, or null when there is no filter. */
  function allowed(m, filters) {
    var names = Object.keys(filters || {}).filter(function (f) { return filters[f]; });
    if (!names.length) return Promise.resolve(null);
    return Promise.all(names.map(function (f) { return facetDocs(m, f, filters[f].values); })).then(function (sets) {
      var out = sets[0];
      for (var i = 1; i < sets.length; i++) {
        var next = {};
        for (var d in out) if (sets[i][d]) next[d] = 1;
        out = next;
      }
      return out;
    });
  }

  /** Every document's metadata, facets included (for pages that tabulate the whole
   * archive, like trends.html); a search loads only its candidates' chunks. */
  function meta() {
    return Promise.all([head(), loadT2s()]).then(function (res) {
      var m = res[0], all = [];
      for (var n = 0; n < m.raw.docs; n++) all.push(n); // every document: whole chunks
      var names = Object.keys(m.raw.nameShards || {}).map(function (f) { return needNames(m, f, null); });
      return Promise.all([needDocs(m, all, "l"), needDocs(m, all, "t"), needDocs(m, all, "f")].concat(names)).then(function () {
        return m;
      });
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

  /** Text as phrases are looked for in it: simplified, lower case, without any white
   * space, so a phrase is found across line breaks and spaced-out type. */
  function flat(text) { return normalize(text).replace(/\s+/g, ""); }

  // a quoted phrase: ASCII quotes, Chinese quotes “…”, corner brackets 「…」 or 『…』
  var QUOTED = /"([^"]*)"?|“([^”]*)”?|「([^」]*)」?|『([^』]*)』?/g;

  /** Query → parts (runs of Han characters or of Latin letters and digits), the terms
   * every result must contain, optional whole-word terms, and the needles: each quoted
   * phrase (exact; punctuation kept) and each unquoted word (the query's runs between
   * spaces). A document has the whole query when every needle occurs in its title or
   * its text; with quotes, only such documents are results. */
  function parseQuery(q) {
    var quoted = [], rest = String(q || "").replace(QUOTED, function (all, a, b, c, d) {
      var p = flat(a || b || c || d || "");
      if (p) quoted.push(p);
      return " ";
    });
    var words = rest.split(/\s+/).map(function (w) { return (normalize(w).match(PART) || []).join(""); })
      .filter(function (w) { return w.length > 0; });
    var parts = [], must = [], long = [], seen = {};
    quoted.concat(words).forEach(function (n) { parts = parts.concat(n.match(PART) || []); });
    parts.forEach(function (p) {
      var terms = [];
      if (HAN.test(p)) {
        if (p.length === 1) terms.push(p);
        for (var i = 0; i + 1 < p.length; i++) terms.push(p.substr(i, 2));
        if (p.length >= 3) long.push(p);
      } else if (p.length >= 2) {
        terms.push(p);
      }
      terms.forEach(function (t) { if (!seen[t]) { seen[t] = 1; must.push(t); } });
    });
    var needles = quoted.concat(words);
    return { text: q, parts: parts, must: must, words: long, quoted: quoted, unquoted: words,
             needles: needles, exact: quoted.length > 0, phrase: needles[0] || "",
             // needles of one or two characters are index terms themselves: no text needed
             short: needles.every(function (n) { return (n.match(PART) || [n]).join("") === n && n.length <= 2; }) };
  }

  /** What picks a term's shard (generator/publish/search.py shard_key): the term without
   * the title mark '#', and of a Han word its first two characters, so a query's title
   * terms and whole words are in the shards of its bigrams. Format 6: a word is its own
   * key (a common bigram's shard held every word beginning with it). */
  function shardKey(term, format) {
    var t = term.charAt(0) === "#" ? term.slice(1) : term;
    return format < 6 && HAN.test(t.charAt(0)) ? t.slice(0, 2) : t;
  }

  function shardOf(term, m) {
    return fnv1a(m.raw.format >= 5 ? shardKey(term, m.raw.format) : term) & (m.raw.shards - 1);
  }

  var BIT_DIGITS = FINAL + CONT; // a dense term's bitmap: six documents a character

  /** A term's postings string → [[doc, tf], ...]. Format 6 writes a term in most documents
   * (generator/publish/search_dense.py) as "!" + a bitmap or "~" + the gaps of the documents
   * without it, then "!" + their tf codes, two a character (8 × first + second). Format 7's
   * "~" begins with the span it was written for: documents added later, at or beyond it,
   * do not hold the term (a rebuild keeps a shard whose terms did not change). */
  function decodePostings(enc, m) {
    var list = [], tf = m.raw.tf, doc, i, nums;
    var kind = enc.charAt(0), cut = enc.indexOf("!", 1);
    var docsPart = cut < 0 ? enc.slice(1) : enc.slice(1, cut), codes = cut < 0 ? "" : enc.slice(cut + 1);
    function code(k) {
      var v = BIT_DIGITS.indexOf(codes.charAt(k >> 1));
      return v < 0 ? 0 : (k & 1 ? v & 7 : v >> 3);
    }
    if (kind === "!") {
      for (i = 0; i < docsPart.length; i++) {
        var bits = BIT_DIGITS.indexOf(docsPart.charAt(i));
        for (var b = 0; b < 6; b++) if (bits & (1 << b)) list.push([6 * i + b, tf[code(list.length)]]);
      }
    } else if (kind === "~") {
      nums = decode(docsPart);
      var span = m.raw.format >= 7 ? nums.shift() : m.raw.docs;
      var j = 0, skip = nums.length ? nums[0] : span;
      for (doc = 0; doc < span; doc++) {
        if (doc === skip) { j++; skip = j < nums.length ? skip + nums[j] + 1 : span; continue; }
        list.push([doc, tf[code(list.length)]]);
      }
    } else {
      nums = decode(enc);
      doc = -1;
      for (i = 0; i < nums.length; i++) {
        doc += Math.floor(nums[i] / 8) + 1;
        list.push([doc, tf[nums[i] % 8]]);
      }
    }
    return list;
  }

  /** Postings of the given terms: {term: [[doc, tf], ...]} (absent terms map to []). */
  function postings(terms, m) {
    var shards = {};
    terms.forEach(function (t) { shards[shardOf(t, m)] = 1; });
    return Promise.all(Object.keys(shards).map(function (k) { return load("s", k); })).then(function () {
      var out = {};
      terms.forEach(function (t) {
        var enc = store["s/" + shardOf(t, m)][t];
        out[t] = enc ? decodePostings(enc, m) : [];
      });
      return out;
    });
  }

  /* ------------------------------------------------------------ filters */

  var FACET_LABELS = { year: "年份", place: "地点", speaker: "讲话人", type: "会议类型", genre: "体裁" };
  var KNOWN_PARAMS = { q: 1, sort: 1 };

  /** A value as a filter compares it: speakers are one name across scripts and spacing
   * (generator/publish/labels.py speaker_key), other values as they are. */
  function facetKey(facet, v) {
    return facet === "speaker" ? normalize(v).replace(/[\s\u3000]+/g, "").replace(/[•‧・．･∙⋅]/g, "·") : String(v);
  }

  /** One URL filter → the facet's value indexes it selects ([] when the archive has no
   * such value), or null when the value is not understood. year takes 2015 or 2015-2019. */
  function filterValues(m, facet, value) {
    var values = m.raw.facets[facet] || [], out = [];
    if (facet === "year") {
      var r = /^\s*(\d{4})\s*(?:[-–—~至到]\s*(\d{4})?)?\s*$/.exec(value);
      if (!r) return null;
      var lo = +r[1], hi = r[2] ? +r[2] : (/[-–—~至到]/.test(value) ? 9999 : lo);
      if (lo > hi) { var t = lo; lo = hi; hi = t; }
      values.forEach(function (v, i) { if (+v >= lo && +v <= hi) out.push(i); });
      return out;
    }
    var want = facetKey(facet, value);
    values.forEach(function (v, i) { if (facetKey(facet, v) === want) out.push(i); });
    return out;
  }

  /** URL parameters → {filters: {facet: [value indexes]}, notes: [what the page could not
   * use, said on the page], sort}. */
  function readParams(m, params) {
    var filters = {}, notes = [];
    params.forEach(function (value, key) {
      if (key in KNOWN_PARAMS || value === "") return;
      if (!(key in FACET_LABELS)) {
        notes.push("网址中的筛选条件“" + key + "=" + value + "”本页不认识，没有使用（可用的筛选：" +
                   Object.keys(FACET_LABELS).join("、") + "）。");
        return;
      }
      var vals = filterValues(m, key, value);
      if (vals === null) {
        notes.push("网址中的" + FACET_LABELS[key] + "“" + value + "”无法识别（年份写作 2024 或 2015-2019）；没有讲话符合。");
        vals = [];
      } else if (!vals.length) {
        notes.push("档案中没有" + FACET_LABELS[key] + "为“" + value + "”的讲话。");
      }
      filters[key] = { text: value, values: vals };
    });
    var sort = params.get("sort") || "";
    if (sort && sort !== "date" && sort !== "relevance") {
      notes.push("网址中的排序“sort=" + sort + "”本页不认识（可用：relevance 相关度、date 日期），按相关度排列。");
      sort = "";
    }
    return { filters: filters, notes: notes, sort: sort };
  }

  /** Sort key of a document's date: year × 1000 + month × 32 + day; 0 when undated
   * (its "t" chunk must be loaded). */
  function dateKey(m, n) {
    var d = m.docs[n];
    return d.year >= 0 ? +m.raw.facets.year[d.year] * 1000 + d.md : 0;
  }

  /* ------------------------------------------------------------ search */

  // Telling whole-phrase matches from word-only ones needs the documents' text. The first
  // page's documents are loaded anyway (snippets). The rest are checked without asking
  // only when the index data the query has loaded (postings, metadata, first page) plus all
  // of their text (estimated from their length) is at most AUTO_CHECK_BYTES; a quoted
  // phrase, where the reader asked for an exact count, is checked a batch at a time until
  // the query has loaded QUOTED_CHECK_BYTES (a batch is cut to what fits). With the page's
  // own files (~340 KB) and meta.js (166 KB at 30,000 documents) that keeps a query near the
  // ≤ 1 MB of BENCHMARKS.md. Beyond that the page
  // says how many are unchecked and checks them when asked.
  var AUTO_CHECK_BYTES = typeof CONFIG.autoCheckBytes === "number" ? CONFIG.autoCheckBytes : 400000;
  var QUOTED_CHECK_BYTES = typeof CONFIG.quotedCheckBytes === "number" ? CONFIG.quotedCheckBytes : 400000;

  /** Index data this query has loaded so far (sizeOf of every file since it started). */
  function queryBytes(result) { return fetched - result.startFetched; }

  function estimate(result, h) {
    var d = result.m.docs[h.doc];
    return 2 * (result.lengths === "q" ? d.qlen : d.len) + 200;
  }

  function uncheckedBytes(result) {
    return result.hits.reduce(function (s, h) { return s + (h.whole === undefined ? estimate(result, h) : 0); }, 0);
  }

  /**
   * Run a query. filters: {facet: {text, values}}; sort: "relevance" | "date" ("" =
   * relevance with a query, date without). Resolves with a result whose hits are every
   * matching document (reposts not yet merged); call settle() to check phrases.
   * A document matches when each of the query's character terms is in its title or its
   * text; title matches rank first. Without a query, every document passing the filters.
   */
  function search(q, filters, sort) {
    var startFetched = fetched;
    return Promise.all([head(), loadT2s()]).then(function (res) {
      var m = res[0], query = parseQuery(q), hits = [];
      var result = { query: query, m: m, hits: hits, sort: sort || (query.must.length ? "relevance" : "date"),
                     partial: false, loadedBytes: 0, startFetched: startFetched,
                     // filters alone browse; no query and no filter asks for one
                     browse: !String(q || "").trim() && Object.keys(filters || {}).length > 0 };
      // Sorted by date, with no phrase to check (filters alone, or a query of one or two
      // characters), the hits need dates and repost groups only: the "t" chunks hold both
      // (format 5), so the lengths are not loaded (at 100,000 documents, 300 KB for a
      // filter every chunk passes).
      var datesOnly = result.sort === "date" && (m.raw.format >= 5) && (result.browse || query.short);
      /** The metadata the hits' order needs (groups always, dates to sort by date), then order. */
      function finish() {
        var nums = hits.map(function (h) { return h.doc; });
        var parts = datesOnly ? [] : [needDocs(m, nums, result.lengths || "l")];
        if (result.sort === "date") parts.push(needDocs(m, nums, "t"));
        return Promise.all(parts).then(function () { order(result); return result; });
      }
      if (!query.must.length) {
        if (!result.browse) { order(result); return result; }
        return allowed(m, filters).then(function (allow) {
          Object.keys(allow || {}).map(Number).sort(function (a, b) { return a - b; }).forEach(function (n) {
            hits.push({ doc: n, score: 0, title: false, whole: true });
          });
          return finish();
        });
      }
      var titleTerms = query.must.map(function (t) { return "#" + t; });
      return Promise.all([postings(query.must.concat(query.words, titleTerms), m), allowed(m, filters)]).then(function (res2) {
        var post = res2[0], allow = res2[1];
        var N = m.raw.docs, avgdl = m.raw.avgdl || 1, scores = {}, count = {}, titleCount = {};
        query.must.forEach(function (t) {
          var here = {};
          post[t].forEach(function (p) { here[p[0]] = 1; });
          post["#" + t].forEach(function (p) { here[p[0]] = 1; titleCount[p[0]] = (titleCount[p[0]] || 0) + 1; });
          Object.keys(here).forEach(function (d) { count[d] = (count[d] || 0) + 1; });
        });
        var need = query.must.length;
        var strict = Object.keys(count).filter(function (d) { return count[d] === need; });
        // No document has every term (and no phrase was quoted): show those with most of them.
        result.partial = !strict.length && !query.exact;
        var cands = (result.partial ? Object.keys(count) : strict).map(Number).filter(function (n) {
          return !allow || allow[n];
        });
        var isCand = {};
        cands.forEach(function (n) { isCand[n] = 1; });
        // BM25 needs the candidates' lengths: their chunks only (none when sorted by date
        // with nothing to check: the scores would not be used)
        return (datesOnly ? Promise.resolve("l") : needLengths(m, cands)).then(function (part) {
          result.lengths = part;
          var byClass = part === "q";
          function add(term, weight) {
            var list = post[term];
            if (!list.length) return;
            var idf = Math.log(1 + (N - list.length + 0.5) / (list.length + 0.5));
            for (var i = 0; i < list.length; i++) {
              var d = list[i][0];
              if (!isCand[d]) continue;
              if (datesOnly) continue;
              var tf = list[i][1], dl = byClass ? m.docs[d].qlen : m.docs[d].len;
              var s = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl));
              scores[d] = (scores[d] || 0) + weight * s;
            }
          }
          query.must.forEach(function (t) { add(t, 1); });
          query.words.forEach(function (w) { add(w, WORD_WEIGHT); });
          cands.forEach(function (n) {
            hits.push({ doc: n, score: scores[n] || 0, matched: count[n], title: titleCount[n] === need,
                        whole: result.partial ? false : (query.short ? true : undefined) });
          });
          return finish();
        });
      });
    });
  }

  /** Order hits: whole matches, then unchecked, then word-only ones; within each, title
   * matches then score (relevance), or newest first (date). */
  function order(result) {
    var m = result.m, byDate = result.sort === "date";
    function tier(h) { return h.whole === true ? 2 : h.whole === undefined ? 1 : 0; }
    result.hits.sort(function (a, b) {
      return (tier(b) - tier(a)) || (b.matched || 0) - (a.matched || 0) ||
        (byDate ? dateKey(m, b.doc) - dateKey(m, a.doc) : (b.title - a.title) || (b.score - a.score)) ||
        (a.doc - b.doc);
    });
    if (result.query.exact) result.shown = result.hits.filter(function (h) { return h.whole !== false; });
    else result.shown = result.hits.slice();
    // reposts are one result: the first of a group stands for the others
    var groups = {}, out = [];
    result.shown.forEach(function (h) {
      var g = m.docs[h.doc].group;
      if (g in groups) { groups[g].reposts++; return; }
      h.reposts = 0;
      groups[g] = h;
      out.push(h);
    });
    result.list = out;
    result.counts = {
      whole: result.hits.filter(function (h) { return h.whole === true; }).length,
      words: result.hits.filter(function (h) { return h.whole === false; }).length,
      unchecked: result.hits.filter(function (h) { return h.whole === undefined; }).length,
    };
  }

  /** Does the loaded document hold every needle (in its title or its text)? */
  function holds(h, query) {
    var title = flat(h.data.title), text = h.norm;
    return query.needles.every(function (n) { return title.indexOf(n) >= 0 || text.indexOf(n) >= 0; });
  }

  function loadDocs(result, hits) {
    if (!hits.length) return Promise.resolve(); // nothing to show: not even the text table
    return Promise.all([loadTextTable()].concat(hits.map(function (h) { return load("d", h.doc); })))
      .then(function (loaded) {
        hits.forEach(function (h, i) {
          if (!h.data) {
            h.data = withText(loaded[i + 1], loaded[0]);
            result.loadedBytes += estimate(result, h);
          }
          if (h.norm === undefined) h.norm = flat(h.data.text);
          if (h.whole === undefined) h.whole = holds(h, result.query);
        });
      });
  }

  /**
   * Check unchecked hits against their text, in the order shown, a batch at a time, until
   * the first `want` results are settled (or, with all = true, every hit, within
   * the budgets above unless force). Calls progress(result) after each batch.
   */
  function settle(result, want, all, force, progress) {
    var steps = 0; // batches loaded by this call
    // a quoted phrase, unless the reader asked: after the first batch, only within its budget
    // (the first page is no exception: where the phrase's holders rank low, filling it used to
    // check candidates until it had a page of holders, whatever they weighed)
    function capped() { return !force && result.query.exact && (all || steps > 0); }
    function done() {
      if (!result.counts.unchecked) return true;
      if (all && !force) {
        if (!result.query.exact) return result.autoChecked === false;
        return queryBytes(result) >= QUOTED_CHECK_BYTES;
      }
      if (all) return false;
      if (capped() && queryBytes(result) >= QUOTED_CHECK_BYTES) return true;
      var firstUnchecked = -1;
      for (var i = 0; i < result.list.length && firstUnchecked < 0; i++) {
        if (result.list[i].whole === undefined) firstUnchecked = i;
      }
      // when a document is found whole, it moves up: settled once the first `want` are checked
      return firstUnchecked < 0 || firstUnchecked >= want;
    }
    if (all && !force && !result.query.exact && result.autoChecked === undefined) {
      result.autoChecked = queryBytes(result) + uncheckedBytes(result) <= AUTO_CHECK_BYTES; // all or nothing
    }
    function step() {
      if (done()) return Promise.resolve(result);
      // the unchecked ones of the first page at once (one round trip when they all hold the
      // phrase), then batches of 16 in the order shown
      var batch = all ? [] : result.list.slice(0, want).filter(function (h) { return h.whole === undefined; });
      if (!batch.length) batch = result.hits.filter(function (h) { return h.whole === undefined; }).slice(0, 16);
      if (capped()) {
        // a quoted phrase: only the batch that fits in what is left of the budget
        var left = QUOTED_CHECK_BYTES - queryBytes(result), fit = [];
        for (var b = 0; b < batch.length && left >= estimate(result, batch[b]); b++) {
          left -= estimate(result, batch[b]);
          fit.push(batch[b]);
        }
        if (!fit.length) return Promise.resolve(result);
        batch = fit;
      }
      steps++;
      return loadDocs(result, batch).then(function () {
        order(result);
        if (progress) progress(result);
        return step();
      });
    }
    return step();
  }

  /** Documents of list[from, to) loaded for display; of a quoted phrase only those checked
   * to hold it (the unchecked ones are counted, and checked when the reader asks). */
  function loadHits(result, from, to) {
    var win = result.list.slice(from, to);
    if (result.query.exact) win = win.filter(function (h) { return h.whole === true; });
    return loadDocs(result, win).then(function () { return win; });
  }

  /** What the status line says: how many documents, whole and word-only, reposts merged. */
  function describe(result) {
    var c = result.counts, q = result.query, groups = result.list.length, merged = result.shown.length - groups;
    var tail = merged ? "（其中 " + merged + " 篇是转载，合并为 " + groups + " 条结果）" : "";
    if (!String(q.text || "").trim() && !result.browse) return "输入关键词，或选择筛选条件浏览。";
    if (result.browse) return result.hits.length ? "共 " + result.hits.length + " 篇讲话符合筛选，按日期从新到旧" + tail : "没有符合筛选的讲话。";
    if (!result.hits.length) return "没有找到。";
    if (result.partial) return "没有同时含全部字词的讲话；部分匹配 " + result.hits.length + " 篇" + tail;
    var phrase = q.needles.map(function (n) { return "“" + n + "”"; }).join(" ");
    var unchecked = c.unchecked ? "；另有 " + c.unchecked + " 篇含其中每个字但尚未核对原文" : "";
    if (q.exact) {
      return "找到 " + c.whole + " 篇讲话含 " + phrase + unchecked + tail;
    }
    return "找到 " + c.whole + " 篇讲话含完整的 " + phrase +
      (c.words ? "，另有 " + c.words + " 篇只含其中的字词（标为“部分匹配”，排在后面）" : "") + unchecked + tail;
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
    var needles = query.needles.concat(query.parts).filter(function (p) { return p.length > 0; });
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
   * characters: normalizing it for every use cost seconds). Same length as the text. */
  function normOf(d) {
    if (d.norm === undefined || d.normMap !== t2sMap) { d.norm = normalize(d.text); d.normMap = t2sMap; }
    return d.norm;
  }

  /** Where the query (a needle, else a part of it, else one of its terms) first occurs. */
  function matchAt(d, query) {
    var norm = normOf(d), at = -1, i;
    for (i = 0; at < 0 && i < query.needles.length; i++) at = norm.indexOf(query.needles[i]);
    for (i = 0; at < 0 && i < query.parts.length; i++) at = norm.indexOf(query.parts[i]);
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
    var q = query.text && query.text.trim() ? "?q=" + encodeURIComponent(query.text) : "";
    var page = h.data.id, parts = h.data.parts || [];
    if (parts.length && q) {
      var at = matchAt(h.data, query), k = 1;
      for (var i = 0; i < parts.length; i++) if (at >= parts[i]) k = i + 2;
      if (k > 1) page += ".part" + k;
    }
    return SITE + "archive/speeches/" + encodeURIComponent(page) + ".html" + q;
  }

  function renderHit(h, query) {
    var li = el("li", "md-search-result__item sa-result");
    var a = el("a", "md-search-result__link");
    a.href = resultUrl(h, query);
    var art = el("article", "md-search-result__article md-typeset");
    // not a heading: the page has one <h1>, and a list of results is not its outline
    var title = el("div", "sa-result__title");
    appendMarked(title, h.data.title, query);
    art.appendChild(title);
    var info = [h.data.date || "日期不明", h.data.place || "地点不明", h.data.speakers || "讲话人不明"];
    if (h.reposts) info.push("另有 " + h.reposts + " 篇转载");
    var metaLine = el("p", "sa-result__meta", info.join(" · "));
    if (h.whole === false && !query.short) {
      metaLine.appendChild(document.createTextNode(" "));
      metaLine.appendChild(el("span", "sa-partial", "部分匹配：只含检索词的字词，不含完整的 " +
        query.needles.map(function (n) { return "“" + n + "”"; }).join(" ")));
      li.className += " sa-result--partial";
    }
    art.appendChild(metaLine);
    if (h.data.text) {
      var p = el("p", "sa-result__snippet");
      appendMarked(p, snippet(h.data, query), query);
      art.appendChild(p);
    }
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
    function show(r, q) {
      return loadHits(r, 0, HEADER_RESULTS).then(function (win) {
        list.innerHTML = "";
        list.setAttribute("data-query", q); // which query the list shows (for tests and styles)
        metaEl.textContent = describe(r);
        win.forEach(function (h) { list.appendChild(renderHit(h, r.query)); });
        if (r.list.length > win.length || r.counts.unchecked) {
          var li = el("li", "md-search-result__item sa-more");
          var a = el("a", "md-search-result__link", "全部 " + r.list.length + " 条结果及筛选 →");
          a.href = SITE + "search.html?q=" + encodeURIComponent(q);
          li.appendChild(a);
          list.appendChild(li);
        }
      });
    }
    function run() {
      var q = input.value, mine = ++seq;
      if (!q.trim()) { metaEl.textContent = "输入关键词开始搜索"; list.innerHTML = ""; return; }
      metaEl.textContent = "正在搜索…";
      search(q, {}, "").then(function (r) {
        if (mine !== seq) return null;
        return settle(r, HEADER_RESULTS, false, false).then(function () {
          if (mine !== seq) return null;
          return show(r, q).then(function () {
            // then every hit, for an exact count; the list is redrawn if its order changed
            var before = r.list.slice(0, HEADER_RESULTS).map(function (h) { return h.doc; }).join();
            return settle(r, 0, true, false).then(function () {
              if (mine !== seq) return null;
              var after = r.list.slice(0, HEADER_RESULTS).map(function (h) { return h.doc; }).join();
              if (after !== before) return show(r, q);
              metaEl.textContent = describe(r);
              return null;
            });
          });
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

  function setupPage() {
    var root = document.getElementById("sa-search-page");
    if (!root) return;
    var params = new URLSearchParams(location.search);
    var form = el("form", "sa-form");
    form.setAttribute("role", "search");
    var q = el("input", "md-input sa-query");
    q.type = "search";
    q.name = "q";
    q.setAttribute("aria-label", "检索词");
    q.placeholder = "输入关键词，例如 高质量发展；加引号只找完整短语";
    q.value = params.get("q") || "";
    form.appendChild(q);
    var button = el("button", "md-button md-button--primary", "搜索");
    button.type = "submit";
    form.appendChild(button);
    var filterBox = el("div", "sa-filters");
    form.appendChild(filterBox);
    var notesEl = el("ul", "sa-notes");
    notesEl.hidden = true;
    var status = el("p", "sa-status", "");
    status.setAttribute("role", "status");
    var list = el("ol", "sa-results");
    var verify = el("button", "md-button sa-verify-button", "");
    verify.type = "button";
    verify.hidden = true;
    var more = el("button", "md-button sa-more-button", "更多结果");
    more.type = "button";
    more.hidden = true;
    root.appendChild(form);
    root.appendChild(notesEl);
    root.appendChild(status);
    root.appendChild(verify);
    root.appendChild(list);
    root.appendChild(more);
    var selects = {}, sortSelect = null, current = null, shown = 0, seq = 0, m = null, state = null;
    var unknownKeys = []; // [key, value] pairs of the URL the page does not use, kept in the URL

    function filters() {
      var f = {};
      Object.keys(selects).forEach(function (k) {
        var v = selects[k].value;
        if (v !== "") f[k] = { text: v, values: filterValues(m, k, v) || [] };
      });
      return f;
    }
    function syncUrl() {
      var p = new URLSearchParams();
      if (q.value) p.set("q", q.value);
      Object.keys(selects).forEach(function (k) { if (selects[k].value !== "") p.set(k, selects[k].value); });
      if (sortSelect && sortSelect.value) p.set("sort", sortSelect.value);
      unknownKeys.forEach(function (kv) { p.append(kv[0], kv[1]); });
      var url = location.pathname + (p.toString() ? "?" + p.toString() : "");
      try { history.replaceState(null, "", url); } catch (e) { /* file:// may refuse; the page still works */ }
    }
    function showNotes() {
      var p = new URLSearchParams();
      unknownKeys.forEach(function (kv) { p.append(kv[0], kv[1]); });
      Object.keys(selects).forEach(function (k) { if (selects[k].value !== "") p.set(k, selects[k].value); });
      if (sortSelect && sortSelect.value) p.set("sort", sortSelect.value);
      var notes = readParams(m, p).notes;
      notesEl.innerHTML = "";
      notes.forEach(function (n) { notesEl.appendChild(el("li", "sa-note", n)); });
      notesEl.hidden = !notes.length;
    }
    function render(mine) {
      return loadHits(current, 0, shown).then(function (win) {
        if (mine !== seq) return;
        list.innerHTML = "";
        win.forEach(function (h) { list.appendChild(renderHit(h, current.query)); });
        more.hidden = shown >= current.list.length;
        status.textContent = describe(current);
        var c = current.counts;
        verify.hidden = !c.unchecked;
        verify.textContent = "核对其余 " + c.unchecked + " 篇的原文（约 " +
          Math.max(0.1, Math.round(uncheckedBytes(current) / 1e5) / 10) + " MB）";
      });
    }
    function showMore() {
      var mine = seq;
      shown = Math.min(current.list.length, shown + PAGE);
      return settle(current, shown, false, false).then(function () { return render(mine); });
    }
    function run() {
      var mine = ++seq, wanted = {};
      // a split facet's names (speakers, places of a large archive) load for the values asked
      Object.keys(selects).forEach(function (k) { wanted[k] = selects[k].value; });
      return namesFor(m, wanted).then(function () { return mine === seq ? runNow(mine) : null; })
        .catch(function (e) { status.textContent = "搜索出错：" + e.message; });
    }
    function runNow(mine) {
      syncUrl();
      showNotes();
      list.innerHTML = "";
      more.hidden = true;
      verify.hidden = true;
      status.textContent = "正在搜索…";
      return search(q.value, filters(), sortSelect ? sortSelect.value : "").then(function (r) {
        if (mine !== seq) return null;
        current = r;
        shown = Math.min(r.list.length, PAGE);
        return settle(r, shown, false, false).then(function () {
          if (mine !== seq) return null;
          shown = Math.min(r.list.length, PAGE);
          return render(mine);
        }).then(function () {
          if (mine !== seq || !r.counts.unchecked) return null;
          status.textContent = describe(r) + "（正在核对原文…）";
          return settle(r, 0, true, false, function () {
            if (mine === seq) status.textContent = describe(r) + "（正在核对原文…）";
          }).then(function () { if (mine === seq) return render(mine); return null; });
        });
      }).catch(function (e) { status.textContent = "搜索出错：" + e.message; });
    }
    // a page opened with a query or a filter will show documents: their text table is
    // requested with meta.js instead of after the ranking (one round trip less before the
    // first results; unused only when nothing is found)
    if (Array.from(params.keys()).some(function (k) { return params.get(k) && (k === "q" || k in FACET_LABELS); })) {
      loadTextTable().catch(function () { /* loadDocs asks again and reports */ });
    }
    Promise.all([head(), loadT2s()]).then(function (loaded) {
      m = loaded[0]; // (t2s first: a traditional speaker= in the URL is compared simplified)
      return namesFor(m, params);
    }).then(function () {
      state = readParams(m, params);
      params.forEach(function (value, key) {
        if (!(key in KNOWN_PARAMS) && !(key in FACET_LABELS)) unknownKeys.push([key, value]);
      });
      m.raw.facetOrder.forEach(function (f) {
        var values = m.raw.facets[f];
        var wanted = params.get(f);
        if (!values.length && !wanted) return;
        var counts = m.raw.counts[f];
        var label = el("label", "sa-filter");
        label.appendChild(el("span", null, FACET_LABELS[f] || f));
        if (splitFacet(m, f)) {
          // thousands of names (a large archive's speakers or places): a field that offers
          // them as the reader types, loaded when it is first used, not a list every search loads
          var input = el("input", "md-input sa-facet-input");
          input.type = "search";
          input.name = f;
          input.placeholder = "全部（输入名称）";
          input.value = wanted || "";
          var options = el("datalist");
          options.id = "sa-names-" + f;
          input.setAttribute("list", options.id);
          var filled = false;
          input.addEventListener("focus", function () {
            if (filled) return;
            filled = true;
            needNames(m, f, null).then(function () {
              var all = [];
              m.raw.facets[f].forEach(function (v, i) { all.push(i); });
              all.forEach(function (i) {
                var o = el("option");
                o.value = m.raw.facets[f][i];
                o.label = m.raw.facets[f][i] + "（" + m.raw.counts[f][i] + "）";
                options.appendChild(o);
              });
            }).catch(function () { filled = false; });
          });
          input.addEventListener("change", run);
          selects[f] = input;
          label.appendChild(input);
          label.appendChild(options);
          filterBox.appendChild(label);
          return;
        }
        var s = el("select");
        s.name = f;
        s.appendChild(el("option", null, "全部")).value = "";
        var matched = false;
        values.forEach(function (v, i) {
          var o = el("option", null, v + "（" + counts[i] + "）");
          o.value = v;
          if (wanted !== null && wanted !== "" && facetKey(f, wanted) === facetKey(f, v)) { o.selected = true; matched = true; }
          s.appendChild(o);
        });
        if (wanted && !matched) {
          // a range (2015-2019) or a value the archive does not have: shown, not dropped
          var n = state.filters[f] ? state.filters[f].values.length : 0;
          var extra = el("option", null, wanted + (f === "year" && n ? "（" + n + " 个年份）" : "（档案中没有）"));
          extra.value = wanted;
          extra.selected = true;
          s.insertBefore(extra, s.options[1]);
        }
        s.addEventListener("change", run);
        selects[f] = s;
        label.appendChild(s);
        filterBox.appendChild(label);
      });
      var sortLabel = el("label", "sa-filter");
      sortLabel.appendChild(el("span", null, "排序"));
      sortSelect = el("select");
      sortSelect.name = "sort";
      [["", "相关度（无检索词时按日期）"], ["date", "日期，从新到旧"]].forEach(function (o) {
        var opt = el("option", null, o[1]);
        opt.value = o[0];
        if (state.sort === o[0]) opt.selected = true;
        sortSelect.appendChild(opt);
      });
      sortSelect.addEventListener("change", run);
      sortLabel.appendChild(sortSelect);
      filterBox.appendChild(sortLabel);
      return run();
    }).catch(function (e) { status.textContent = "搜索索引无法加载：" + e.message; });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    more.addEventListener("click", showMore);
    verify.addEventListener("click", function () {
      var mine = seq;
      verify.hidden = true;
      status.textContent = describe(current) + "（正在核对原文…）";
      settle(current, 0, true, true, function () {
        if (mine === seq) status.textContent = describe(current) + "（正在核对原文…）";
      }).then(function () { if (mine === seq) render(mine); });
    });
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

  window.SearchArchive = { put: put, search: search, settle: settle, loadHits: loadHits, parseQuery: parseQuery,
                           meta: meta, needNames: needNames, decodePostings: decodePostings, fnv1a: fnv1a, decode: decode, unpack: unpack, load: load,
                           // index data counted so far (what the per-query budgets compare): tests, benchmarks
                           counted: function () { return fetched; } };

  function start() { setupHeader(); setupPage(); highlightArrival(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
