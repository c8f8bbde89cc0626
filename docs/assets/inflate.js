/* The search's snippet store, deflated (generator/publish/snippet_store.py): a d/<n>.js
 * file whose text was shorter compressed calls SearchArchiveText.inflate(record), and
 * SearchArchive.put receives a promise of the record with its packed text back, which
 * search.js's loader resolves with like any record (the promise's `size` is the record's
 * as loaded, for the per-query budget). The text is raw DEFLATE in base64;
 * the browser's own DecompressionStream undoes it, with no request, so it works from
 * file:// as over http. A record without `z` is returned as it is. */
(function () {
  "use strict";
  function inflate(record) {
    if (record.z === undefined) return record;
    var bin = atob(record.z), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    var promise = new Response(stream).text().then(function (packed) {
      var out = {};
      for (var k in record) if (k !== "z") out[k] = record[k];
      out.packed = packed;
      return out;
    });
    // what the file weighed, for search.js's per-query budget (its sizeOf of a promise
    // would be nothing: deflated records went uncounted, and a quoted phrase whose
    // postings left room in the budget checked every candidate, 34 MB at 100,000)
    promise.size = 2;
    for (var f in record) if (typeof record[f] === "string") promise.size += f.length + 4 + record[f].length;
    return promise;
  }
  window.SearchArchiveText = { inflate: inflate };
})();
