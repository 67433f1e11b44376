// The offline work page (issue 16): take a village's work set along, record
// register entries, questionnaire responses and score-sheet answers
// without a network, and send the queue when the network returns. The
// officer always sees what is waiting, what was refused and why, and
// chooses when a record changed on the server meanwhile (409).
'use strict';

(async () => {
  const app = document.getElementById('offline-app');
  if (!app) return;
  const {el} = HCForms;
  const $ = (id) => document.getElementById(id);

  let M = {};
  try {
    const res = await fetch('/offline/messages.json', {credentials: 'same-origin'});
    if (res.ok) M = await res.json();
  } catch (e) { /* offline and not cached: keys show */ }
  const t = (key, vars) => {
    let s = M[key] || key;
    for (const [k, v] of Object.entries(vars || {})) s = s.split('{' + k + '}').join(String(v));
    return s;
  };

  let me = null; // the logged-in user, when the network answers
  let ws = null; // the work set on the phone
  let syncing = false;

  const say = (id, text, bad) => {
    const p = $(id);
    p.textContent = text || '';
    p.classList.toggle('bad', !!bad);
  };

  async function whoAmI() {
    try {
      const res = await fetch('/api/v1/me', {credentials: 'same-origin'});
      me = res.ok ? await res.json() : null;
    } catch (e) {
      me = null;
    }
  }

  // ---- network status and the queue summary

  function showNet() {
    const on = navigator.onLine;
    say('net-status', on ? t('offline.online') : t('offline.offline'), !on);
    $('net-status').dataset.online = String(on);
    $('take-offline-note').hidden = on && !!me;
    for (const id of ['pick-village', 'pick-questionnaire', 'pick-sheet', 'take-offline', 'scope-whole', 'scope-some']) $(id).disabled = !(on && me);
  }

  async function showQueue() {
    const q = await HCStore.queue();
    const waiting = q.filter((i) => i.status === 'waiting').length;
    const failed = q.length - waiting;
    $('queue-waiting').textContent = t('offline.waiting', {n: waiting});
    $('queue-failed').textContent = t('offline.failed', {n: failed});
    $('queue-failed').classList.toggle('bad', failed > 0);
    app.dataset.waiting = String(waiting);
    app.dataset.failed = String(failed);
    const list = $('queue-list');
    list.replaceChildren();
    $('queue-empty').hidden = q.length > 0;
    for (const it of q) list.append(queueRow(it));
  }

  function queueRow(it) {
    const li = el('li', {class: 'queue-item ' + it.status, 'data-seq': String(it.seq), 'data-status': it.status});
    li.append(el('strong', {text: it.label}), el('br'));
    li.append(el('span', {class: 'status', text: t('offline.status.' + it.status)}));
    if (it.message) li.append(el('p', {class: 'message', text: it.message}));
    for (const f of it.fields || []) li.append(el('p', {class: 'message field', text: (fieldLabel(it, f.field) || f.field) + '：' + f.message}));
    if (it.status === 'conflict' && it.current) li.append(conflictTable(it));
    const actions = el('div', {class: 'actions'});
    if (it.status === 'conflict') {
      const mine = el('button', {type: 'button', class: 'keep-chosen', text: t('offline.conflict.keep_chosen')});
      mine.addEventListener('click', () => keepChosen(it, li));
      const theirs = el('button', {type: 'button', class: 'keep-server secondary', text: t('offline.conflict.keep_server')});
      theirs.addEventListener('click', () => keepServer(it));
      actions.append(mine, theirs);
    } else if (it.status === 'failed') {
      if (it.kind === 'entry' && defOf(it.register)) {
        const edit = el('button', {type: 'button', class: 'edit', text: t('offline.edit')});
        edit.addEventListener('click', () => startEdit(it));
        actions.append(edit);
      }
      const retry = el('button', {type: 'button', class: 'retry secondary', text: t('offline.retry')});
      retry.addEventListener('click', async () => {
        it.status = 'waiting';
        it.message = '';
        it.fields = [];
        await HCStore.update(it);
        await showQueue();
        sync();
      });
      actions.append(retry);
    }
    const del = el('button', {type: 'button', class: 'remove secondary outline', text: t('offline.remove')});
    del.addEventListener('click', async () => {
      if (!window.confirm(t('offline.remove.confirm'))) return;
      await HCStore.remove(it.seq);
      await showQueue();
    });
    actions.append(del);
    li.append(actions);
    return li;
  }

  const defOf = (code) => (ws && ws.registers || []).find((d) => d.code === code);

  function fieldLabel(it, code) {
    const def = it.register && defOf(it.register);
    const f = def && def.fields.find((f) => f.code === code);
    return f ? f.zh : '';
  }

  // shown renders a register value for the side-by-side view.
  function shown(f, v) {
    if (v === undefined || v === null || v === '') return '—';
    if (f.type === 'enum') {
      const o = (f.options || []).find((o) => o.code === String(v));
      return o ? o.zh : String(v);
    }
    if (f.type === 'bool') return v === true || v === 'true' ? t('offline.field.yes') : t('offline.field.no');
    return String(v);
  }

  // conflictTable shows the phone's record beside the server's. Each row
  // that differs offers both copies: the one that changed since the phone
  // took the record along is chosen (the phone's when both changed), so
  // that neither side's changes are lost unless the officer says so.
  function conflictTable(it) {
    const def = defOf(it.register);
    const table = el('table', {class: 'conflict'});
    table.append(el('thead', {}, el('tr', {}, el('th', {text: t('offline.conflict.field')}), el('th', {text: t('offline.conflict.mine')}), el('th', {text: t('offline.conflict.server')}))));
    const body = el('tbody');
    for (const f of def ? def.fields : []) {
      const mine = shown(f, it.body.values[f.code]);
      const theirs = shown(f, (it.current.values || {})[f.code]);
      if (mine === theirs) {
        body.append(el('tr', {}, el('th', {text: f.zh}), el('td', {text: mine}), el('td', {text: theirs})));
        continue;
      }
      const changedHere = !it.base || shown(f, it.base[f.code]) !== mine;
      const name = 'pick-' + it.seq + '-' + f.code;
      const cell = (side, text, checked) => el('td', {}, el('label', {},
        el('input', {type: 'radio', name, value: side, checked, 'data-field': f.code, class: 'pick-' + side}), text));
      body.append(el('tr', {class: 'differs', 'data-field': f.code}, el('th', {text: f.zh}),
        cell('mine', mine, changedHere), cell('server', theirs, !changedHere)));
    }
    table.append(body);
    return el('div', {class: 'conflict-wrap'}, el('p', {class: 'muted', text: t('offline.conflict.pick_hint')}), table);
  }

  // keepChosen sends the record again over the server's version, with each
  // differing value from the copy chosen in the side-by-side table.
  async function keepChosen(it, row) {
    const values = Object.assign({}, it.current.values || {});
    for (const input of row.querySelectorAll('table.conflict input[type=radio]:checked')) {
      const code = input.dataset.field;
      if (input.value === 'server') continue;
      const v = it.body.values[code];
      if (v === undefined || v === null || v === '') delete values[code];
      else values[code] = v;
    }
    for (const [k, v] of Object.entries(values)) if (v === null) delete values[k];
    it.body.values = values;
    it.body.version = it.current.version;
    it.base = Object.assign({}, it.current.values || {});
    it.key = crypto.randomUUID();
    it.status = 'waiting';
    it.message = '';
    it.current = null;
    await HCStore.update(it);
    await showQueue();
    sync();
  }

  async function keepServer(it) {
    await rememberEntry(it.current);
    await HCStore.remove(it.seq);
    say('sync-result', t('offline.conflict.resolved_server'));
    await showQueue();
    showRegisterForm();
  }

  // rememberEntry keeps the server's copy of a one-per-household row, so
  // that the next edit starts from its version.
  async function rememberEntry(e) {
    if (!ws || !e || !e.household_id) return;
    ws.entries = (ws.entries || []).filter((x) => !(x.register === e.register && x.household_id === e.household_id));
    ws.entries.push(e);
    await HCStore.put('workset', ws);
  }

  // ---- taking a work set along

  let choicesLoaded = false;

  async function loadChoices() {
    if (!me || !navigator.onLine || choicesLoaded) return;
    let c;
    try {
      const res = await fetch('/api/v1/offline/choices', {credentials: 'same-origin'});
      if (!res.ok) return;
      c = await res.json();
    } catch (e) {
      return;
    }
    choicesLoaded = true;
    const v = $('pick-village');
    v.replaceChildren();
    for (const d of c.villages) v.append(el('option', {value: d.code, text: d.name, selected: ws && ws.village.code === d.code}));
    const q = $('pick-questionnaire');
    for (const x of c.questionnaires) q.append(el('option', {value: x.code, text: x.name}));
    const s = $('pick-sheet');
    for (const x of c.sheets) s.append(el('option', {value: String(x.id), text: x.unit_name + ' · ' + x.year}));
  }

  // pickLoaded is the village whose households the picker lists.
  let pickLoaded = '';

  // showHouseholdPicker lists the chosen village's households with a box
  // each when the officer takes some of them only.
  async function showHouseholdPicker() {
    const some = $('scope-some').checked;
    $('pick-households').hidden = !some;
    const village = $('pick-village').value;
    if (!some || !village || pickLoaded === village) return;
    const list = $('pick-list');
    list.replaceChildren();
    const all = [];
    try {
      for (let offset = 0; ; ) {
        const res = await fetch('/api/v1/households?' + new URLSearchParams({division: village, limit: '500', offset: String(offset)}), {credentials: 'same-origin'});
        if (!res.ok) return;
        const page = await res.json();
        all.push(...page.items);
        offset += page.items.length;
        if (!page.items.length || offset >= page.total) break;
      }
    } catch (e) {
      return;
    }
    pickLoaded = village;
    for (const h of all) {
      const box = el('input', {type: 'checkbox', value: String(h.id), id: 'pick-h-' + h.id});
      box.addEventListener('change', countChosen);
      list.append(el('li', {'data-text': householdName(h)}, el('label', {for: 'pick-h-' + h.id}, box, ' ' + householdName(h))));
    }
    filterHouseholds();
    countChosen();
  }

  function filterHouseholds() {
    const q = $('pick-filter').value.trim();
    for (const li of $('pick-list').children) li.hidden = q !== '' && !li.dataset.text.includes(q);
  }

  const chosenHouseholds = () => [...$('pick-list').querySelectorAll('input:checked')].map((i) => i.value);

  function countChosen() {
    $('pick-count').textContent = t('offline.take.chosen', {n: chosenHouseholds().length});
  }

  async function takeAlong() {
    const village = $('pick-village').value;
    if (!village) {
      say('take-result', t('offline.not_village'), true);
      return;
    }
    say('take-result', t('offline.take.saving'));
    const qs = new URLSearchParams({village});
    if ($('pick-questionnaire').value) qs.set('questionnaire', $('pick-questionnaire').value);
    if ($('pick-sheet').value) qs.set('sheet', $('pick-sheet').value);
    if ($('scope-some').checked) {
      const ids = chosenHouseholds();
      if (!ids.length) {
        say('take-result', t('offline.take.none_chosen'), true);
        return;
      }
      qs.set('households', ids.join(','));
    }
    try {
      const res = await fetch('/api/v1/offline/workset?' + qs, {credentials: 'same-origin'});
      const body = await res.json();
      if (!res.ok) {
        say('take-result', t('offline.take.failed', {msg: body.error ? body.error.message : res.status}), true);
        return;
      }
      ws = body;
      await HCStore.put('workset', ws);
      await HCStore.put('owner', me.username);
      say('take-result', t('offline.take.done', {village: ws.village.name, households: ws.households.length, persons: ws.persons.length}));
      showWorkSet();
    } catch (e) {
      say('take-result', t('offline.sync.offline'), true);
    }
  }

  // ---- the work set's forms

  function showWorkSet() {
    $('workset').hidden = !ws;
    if (!ws) return;
    $('workset-title').textContent = ws.village.name;
    const at = new Date(ws.taken_at).toLocaleString('zh-CN', {hour12: false});
    $('workset-info').textContent = t('offline.workset.info', {households: ws.households.length, persons: ws.persons.length, at});
    const pick = $('reg-pick');
    pick.replaceChildren();
    for (const d of ws.registers) pick.append(el('option', {value: d.code, text: d.zh}));
    showRegisterForm();
    showQuestionnaire();
    showSheet();
  }

  const householdName = (h) => h.number + (h.head_name ? ' ' + h.head_name : '') + (h.address ? ' · ' + h.address : '');

  function showRegisterForm() {
    if (!ws || (editing && !$('reg-editing').hidden && $('reg-pick').disabled)) return;
    const def = defOf($('reg-pick').value) || ws.registers[0];
    const subj = $('reg-subject');
    const keep = subj.dataset.register === def.code ? subj.value : '';
    subj.replaceChildren();
    subj.dataset.register = def.code;
    $('reg-subject-label').hidden = def.subject === 'village';
    if (def.subject === 'person') {
      const numbers = new Map(ws.households.map((h) => [h.id, h.number]));
      for (const p of ws.persons) subj.append(el('option', {value: String(p.id), text: p.name + '（' + (numbers.get(p.household_id) || '') + '）'}));
    } else if (def.subject === 'household') {
      for (const h of ws.households) subj.append(el('option', {value: String(h.id), text: householdName(h)}));
    }
    if (keep) subj.value = keep;
    $('reg-photo-label').hidden = !def.files;
    $('reg-photo').value = '';
    const existing = existingEntry(def);
    $('reg-existing').hidden = !existing;
    if (existing) $('reg-existing').textContent = t('offline.register.existing', {version: existing.version});
    HCForms.registerForm($('reg-form'), def, existing ? existing.values : null, t);
  }

  function existingEntry(def) {
    if (def.subject !== 'household' || !(def.unique || []).includes('household_id')) return null;
    const hid = Number($('reg-subject').value);
    return (ws.entries || []).find((e) => e.register === def.code && e.household_id === hid) || null;
  }

  // editing is the refused queued entry being corrected, or null.
  let editing = null;

  // startEdit opens a refused entry in the register form with its values
  // and the server's messages beside the fields; saving puts it back in
  // the queue in its place, with a new key.
  function startEdit(it) {
    editing = it;
    $('tab-register').click();
    $('reg-pick').value = it.register;
    const subj = it.body.person || it.body.household;
    showRegisterForm();
    if (subj) $('reg-subject').value = String(subj);
    const def = defOf(it.register);
    HCForms.registerForm($('reg-form'), def, it.body.values, t);
    HCForms.showErrors($('reg-form'), (it.fields || []).map((f) => ({field: f.field, key: f.message})), t);
    $('reg-existing').hidden = true;
    $('reg-editing').hidden = false;
    $('reg-photo-label').hidden = true;
    $('reg-pick').disabled = true;
    $('reg-subject').disabled = it.method === 'PUT';
    say('reg-result', it.message, true);
    $('reg-editing').scrollIntoView({block: 'start'});
  }

  function stopEdit() {
    editing = null;
    $('reg-editing').hidden = true;
    $('reg-pick').disabled = false;
    $('reg-subject').disabled = false;
    say('reg-result', '');
    showRegisterForm();
  }

  // resizePhoto draws a photo at most 1280 pixels on its long side as a
  // JPEG: phones take photos of several megabytes.
  async function resizePhoto(file) {
    const MAX = 1280;
    const bmp = await createImageBitmap(file);
    const scale = Math.min(1, MAX / Math.max(bmp.width, bmp.height));
    const c = document.createElement('canvas');
    c.width = Math.max(1, Math.round(bmp.width * scale));
    c.height = Math.max(1, Math.round(bmp.height * scale));
    c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
    const blob = await new Promise((resolve) => c.toBlob(resolve, 'image/jpeg', 0.82));
    return {blob, name: (file.name || 'photo').replace(/\.[^.]*$/, '') + '.jpg'};
  }

  async function enqueue(item) {
    item.key = crypto.randomUUID();
    item.status = 'waiting';
    item.created = Date.now();
    return HCStore.add(item);
  }

  async function saveRegister() {
    const def = defOf($('reg-pick').value);
    const form = $('reg-form');
    const raw = HCForms.readForm(form, def);
    const errs = HCForms.validate(def, raw);
    HCForms.showErrors(form, errs, t);
    if (errs.length) {
      say('reg-result', t('offline.form.fix'), true);
      return;
    }
    const values = {};
    for (const [k, v] of Object.entries(raw)) if (String(v).trim() !== '') values[k] = v;
    const body = {values};
    let subject = t('offline.subject.village');
    if (def.subject === 'person') {
      body.person = Number($('reg-subject').value);
      subject = $('reg-subject').selectedOptions[0].textContent;
    } else if (def.subject === 'household') {
      body.household = Number($('reg-subject').value);
      subject = $('reg-subject').selectedOptions[0].textContent;
    } else {
      body.village = ws.village.code;
    }
    const existing = existingEntry(def);
    const label = t('offline.kind.entry', {register: def.zh, subject});
    let seq;
    if (editing) {
      const it = editing;
      if (it.method === 'PUT') {
        body.version = it.body.version;
        delete body.household;
      }
      Object.assign(it, {label, body, key: crypto.randomUUID(), status: 'waiting', message: '', fields: []});
      await HCStore.update(it);
      stopEdit();
      form.reset();
      say('reg-result', t('offline.edited'));
      await showQueue();
      if (navigator.onLine) sync();
      return;
    } else if (existing) {
      body.version = existing.version;
      delete body.household;
      seq = await enqueue({kind: 'entry', register: def.code, label, method: 'PUT', path: '/api/v1/registers/' + def.code + '/entries/' + existing.id, body,
        base: existing.values});
    } else {
      seq = await enqueue({kind: 'entry', register: def.code, label, method: 'POST', path: '/api/v1/registers/' + def.code + '/entries', body});
    }
    const file = $('reg-photo').files[0];
    if (def.files && file) {
      const photo = await resizePhoto(file);
      await enqueue({kind: 'file', register: def.code, label: t('offline.kind.file', {register: def.zh}), method: 'POST',
        path: '/api/v1/registers/' + def.code + '/entries/{id}/files', parent: seq, file: photo});
    }
    form.reset();
    $('reg-photo').value = '';
    say('reg-result', t('offline.saved'));
    await showQueue();
    if (navigator.onLine) sync();
  }

  function showQuestionnaire() {
    const doc = ws && ws.questionnaire;
    $('q-none').hidden = !!doc;
    $('q-body').hidden = !doc;
    if (!doc) return;
    $('q-title').textContent = doc.name;
    const sel = $('q-person');
    sel.replaceChildren();
    for (const p of ws.persons) sel.append(el('option', {value: String(p.id), text: p.name}));
    $('q-date').value = HCForms.today();
    $('q-date').max = HCForms.today();
    HCForms.questionnaireForm($('q-questions'), doc);
  }

  async function saveResponse() {
    const doc = ws.questionnaire;
    const {answers, missing} = HCForms.readAnswers($('q-questions'), doc);
    const date = HCForms.parseDate($('q-date').value || '');
    if (missing > 0 || !date || date > HCForms.today()) {
      say('q-result', missing > 0 ? t('offline.questionnaire.unanswered', {n: missing}) : t('register.bad_date'), true);
      return;
    }
    const person = Number($('q-person').value);
    await enqueue({kind: 'response', label: t('offline.kind.response', {name: $('q-person').selectedOptions[0].textContent}), method: 'POST',
      path: '/api/v1/questionnaires/' + doc.code + '/responses', body: {person, survey_date: date, answers}});
    for (const i of $('q-questions').querySelectorAll('input:checked')) i.checked = false;
    say('q-result', t('offline.saved'));
    await showQueue();
    if (navigator.onLine) sync();
  }

  function showSheet() {
    const sh = ws && ws.sheet;
    $('s-none').hidden = !!sh;
    $('s-body').hidden = !sh;
    if (!sh) return;
    $('s-title').textContent = sh.standard_name + ' · ' + sh.unit_name;
    const sel = $('s-item');
    sel.replaceChildren();
    for (const it of sh.items) sel.append(el('option', {value: it.code, text: it.code + ' ' + it.text.slice(0, 24)}));
    showSheetItem();
  }

  const sheetItem = () => ws.sheet.items.find((i) => i.code === $('s-item').value);

  function showSheetItem() {
    const item = sheetItem();
    $('s-item-text').textContent = item.text + (item.evidence ? '（' + item.evidence + '）' : '');
    HCForms.sheetAnswerForm($('s-answer'), item, t);
  }

  async function saveSheetAnswer() {
    const item = sheetItem();
    const answer = HCForms.readSheetAnswer($('s-answer'), item);
    const file = $('s-photo').files[0];
    if (!answer && !file) {
      say('s-result', t('offline.sheet.answer_needed'), true);
      return;
    }
    const base = '/api/v1/sheets/' + ws.sheet.id;
    if (answer) {
      const note = $('s-note').value.trim();
      if (note) answer.note = note;
      await enqueue({kind: 'answer', label: t('offline.kind.answer', {item: item.code}), method: 'PUT', path: base + '/answers/' + encodeURIComponent(item.code), body: answer});
    }
    if (file) {
      const photo = await resizePhoto(file);
      await enqueue({kind: 'evidence', label: t('offline.kind.evidence', {item: item.code}), method: 'POST', path: base + '/evidence/' + encodeURIComponent(item.code), file: photo});
    }
    $('s-note').value = '';
    $('s-photo').value = '';
    showSheetItem();
    say('s-result', t('offline.saved'));
    await showQueue();
    if (navigator.onLine) sync();
  }

  // ---- sending the queue

  const base64 = (blob) => new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).split(',')[1] || '');
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });

  async function wire(it) {
    const w = {key: it.key, method: it.method, path: it.path};
    if (it.file) w.file = {name: it.file.name, data: await base64(it.file.blob)};
    else w.body = it.body;
    return w;
  }

  const BATCH = 50;

  // sync sends the waiting items in order, in batches; an item whose
  // record it belongs to is not yet stored waits for it. It stops when the
  // network goes; the keys make a resend safe.
  async function sync() {
    if (syncing) return;
    if (!navigator.onLine) {
      say('sync-result', t('offline.sync.offline'));
      return;
    }
    syncing = true;
    app.dataset.syncing = 'true';
    let sent = 0;
    let refused = 0;
    try {
      for (;;) {
        const ready = (await HCStore.queue()).filter((i) => i.status === 'waiting' && !i.parent).slice(0, BATCH);
        if (!ready.length) break;
        say('sync-result', t('offline.sync.running'));
        let res;
        try {
          res = await fetch('/api/v1/sync', {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({items: await Promise.all(ready.map(wire))})});
        } catch (e) {
          say('sync-result', t('offline.sync.offline'));
          return;
        }
        if (res.status === 401) {
          say('sync-result', t('offline.sync.login'), true);
          return;
        }
        const out = await res.json().catch(() => null);
        if (!res.ok || !out) {
          say('sync-result', out && out.error ? out.error.message : String(res.status), true);
          return;
        }
        let progress = 0;
        for (const [i, r] of out.items.entries()) {
          const it = ready[i];
          if (r.status >= 200 && r.status < 300) {
            progress++;
            sent++;
            await HCStore.remove(it.seq);
            if (it.kind === 'entry') await rememberEntry(r.record);
            for (const child of (await HCStore.queue()).filter((c) => c.parent === it.seq)) {
              child.parent = null;
              child.path = child.path.replace('{id}', String(r.id));
              await HCStore.update(child);
            }
          } else if (r.status >= 500) {
            it.message = r.message;
            await HCStore.update(it);
          } else {
            progress++;
            refused++;
            it.status = r.status === 409 && r.current ? 'conflict' : 'failed';
            it.current = r.current || null;
            it.message = r.message;
            it.fields = (r.error && r.error.fields || []).map((f) => ({field: f.field, message: f.message}));
            await HCStore.update(it);
          }
        }
        if (!progress) break;
      }
      const parts = [];
      if (sent) parts.push(t('offline.sync.done', {n: sent}));
      if (refused) parts.push(t('offline.sync.refused', {n: refused}));
      say('sync-result', parts.length ? parts.join('，') : t('offline.sync.none'), refused > 0);
    } finally {
      syncing = false;
      app.dataset.syncing = 'false';
      app.dataset.synced = String(Number(app.dataset.synced || '0') + sent);
      await showQueue();
      if (ws) showRegisterForm();
    }
  }

  // ---- start

  for (const tab of document.querySelectorAll('.tab')) {
    tab.addEventListener('click', () => {
      for (const other of document.querySelectorAll('.tab')) other.setAttribute('aria-selected', String(other === tab));
      for (const pane of document.querySelectorAll('.pane')) pane.hidden = pane.id !== tab.dataset.pane;
    });
  }
  $('tab-register').setAttribute('aria-selected', 'true');
  $('take-offline').addEventListener('click', takeAlong);
  $('sync-now').addEventListener('click', sync);
  $('reg-pick').addEventListener('change', showRegisterForm);
  $('reg-subject').addEventListener('change', showRegisterForm);
  $('reg-save').addEventListener('click', saveRegister);
  $('reg-edit-cancel').addEventListener('click', stopEdit);
  $('scope-whole').addEventListener('change', showHouseholdPicker);
  $('scope-some').addEventListener('change', showHouseholdPicker);
  $('pick-village').addEventListener('change', () => {
    pickLoaded = '';
    showHouseholdPicker();
  });
  $('pick-filter').addEventListener('input', filterHouseholds);
  $('q-save').addEventListener('click', saveResponse);
  $('s-item').addEventListener('change', showSheetItem);
  $('s-save').addEventListener('click', saveSheetAnswer);
  window.addEventListener('online', async () => {
    if (!me) await whoAmI();
    showNet();
    await loadChoices();
    sync();
  });
  window.addEventListener('offline', showNet);

  if (navigator.onLine) await whoAmI();
  const owner = await HCStore.get('owner');
  if (me && owner && owner !== me.username) {
    await HCStore.wipe();
    say('take-result', t('offline.other_user'));
  } else {
    ws = (await HCStore.get('workset')) || null;
  }
  showNet();
  showWorkSet();
  await showQueue();
  await loadChoices();
  app.dataset.ready = 'true';
})();
