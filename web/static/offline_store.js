// The phone's store of offline work (issue 16), in IndexedDB:
//   meta  — the work set taken along (key "workset") and its owner
//           (key "owner", the username), so that another account's data
//           is never shown;
//   queue — the records captured, in order (seq), each with its
//           idempotency key, until the server has them.
// Logging out clears it all (the server answers with Clear-Site-Data).
'use strict';

(() => {
  const NAME = 'healthcell-offline';
  const VERSION = 1;
  let opening = null;

  const done = (req) => new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const req = indexedDB.open(NAME, VERSION);
        req.onupgradeneeded = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
          if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', {keyPath: 'seq', autoIncrement: true});
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return opening;
  }

  async function store(name, mode) {
    const db = await open();
    return db.transaction(name, mode).objectStore(name);
  }

  // count keeps the number of records not yet on the server where the
  // logout button can read it without opening IndexedDB.
  async function count() {
    const all = await done((await store('queue', 'readonly')).getAll());
    localStorage.setItem('healthcell.queued', String(all.length));
    return all;
  }

  window.HCStore = {
    get: async (key) => done((await store('meta', 'readonly')).get(key)),
    put: async (key, value) => done((await store('meta', 'readwrite')).put(value, key)),
    queue: count,
    add: async (item) => {
      const seq = await done((await store('queue', 'readwrite')).add(item));
      await count();
      return seq;
    },
    update: async (item) => done((await store('queue', 'readwrite')).put(item)),
    remove: async (seq) => {
      await done((await store('queue', 'readwrite')).delete(seq));
      await count();
    },
    // wipe deletes everything stored, for another account's data.
    wipe: async () => {
      if (opening) {
        (await opening).close();
        opening = null;
      }
      localStorage.removeItem('healthcell.queued');
      await done(indexedDB.deleteDatabase(NAME));
    },
  };
})();
