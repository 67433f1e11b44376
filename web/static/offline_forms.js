// Forms of offline work (issue 16), generated from what the server serves:
// register forms and their checks from the register definitions (the very
// rules the server applies: types, required, min and max, options, dates
// not in the future, after, at_most, sum_of), questionnaire items, and
// score-sheet items. No rule is written here for a particular field.
'use strict';

(() => {
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const k of kids) if (k) e.append(k);
    return e;
  };

  // today is the campaign day in Asia/Shanghai, as the server counts it.
  const today = () => new Intl.DateTimeFormat('en-CA', {timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit'}).format(new Date());

  // parseDate reads the date forms the server reads (register.ParseDate);
  // it returns YYYY-MM-DD or null.
  function parseDate(s) {
    s = s.trim();
    if (/^\d{8}$/.test(s)) s = s.slice(0, 4) + '-' + s.slice(4, 6) + '-' + s.slice(6);
    s = s.replace(/年|月/g, '-').replace(/日/g, '').replace(/[/.]/g, '-');
    const p = s.split('-');
    if (p.length !== 3 || p.some((x) => !/^\d+$/.test(x))) return null;
    const [y, m, d] = p.map(Number);
    const dt = new Date(Date.UTC(y, m - 1, d));
    if (y < 1 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
    return String(y).padStart(4, '0') + '-' + String(m).padStart(2, '0') + '-' + String(d).padStart(2, '0');
  }

  const BOOL_TRUE = ['1', 'true', 'yes', 'on', '是', '有', '√', 'y'];
  const BOOL_FALSE = ['0', 'false', 'no', 'off', '否', '无', '×', 'n'];

  // checkText mirrors the server's text check: no control characters but
  // line breaks and tabs, no invisible format characters.
  function checkText(s) {
    for (const ch of s) {
      if (ch === '\n' || ch === '\r' || ch === '\t') continue;
      if (/\p{Cc}/u.test(ch)) return 'text.control';
      if (/\p{Cf}/u.test(ch)) return 'text.invisible';
    }
    return '';
  }

  const inRange = (f, x) => (f.min === undefined || x >= f.min) && (f.max === undefined || x <= f.max);

  // validate checks raw values (field code → text) against a register
  // definition and returns [{field, key}] with the server's message keys;
  // [] when the server would accept them.
  function validate(def, raw) {
    const errs = [];
    const v = {};
    const day = today();
    const thisYear = Number(day.slice(0, 4));
    const bad = (f, key) => errs.push({field: f.code, key: 'register.' + key});
    for (const f of def.fields) {
      const s = String(raw[f.code] ?? '').trim();
      if (s === '') {
        if (f.required && f.type !== 'bool') bad(f, 'required');
        continue;
      }
      switch (f.type) {
        case 'text': {
          if ([...s].length > (f.max ?? 200)) { bad(f, 'too_long'); break; }
          const k = checkText(s);
          if (k) { errs.push({field: f.code, key: k}); break; }
          v[f.code] = s;
          break;
        }
        case 'enum': {
          const o = (f.options || []).find((o) => o.code === s || o.zh === s || (o.en || '').toLowerCase() === s.toLowerCase());
          if (!o) { bad(f, 'bad_option'); break; }
          v[f.code] = o.code;
          break;
        }
        case 'date': {
          const d = parseDate(s);
          if (!d) { bad(f, 'bad_date'); break; }
          if (!f.future && d > day) { bad(f, 'future_date'); break; }
          v[f.code] = d;
          break;
        }
        case 'year': {
          const n = /^\d+$/.test(s) ? Number(s) : NaN;
          if (!(n >= 1949 && n <= thisYear + 1)) { bad(f, 'bad_year'); break; }
          v[f.code] = n;
          break;
        }
        case 'int': {
          const n = /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
          if (Number.isNaN(n) || !inRange(f, n)) { bad(f, 'bad_number'); break; }
          v[f.code] = n;
          break;
        }
        case 'money':
        case 'decimal': {
          const t = s.replace(/,/g, '');
          const x = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
          if (!Number.isFinite(x) || !inRange(f, x) || (f.type === 'money' && (x < 0 || x > 1e10))) { bad(f, 'bad_number'); break; }
          v[f.code] = Math.round(x * 100) / 100;
          break;
        }
        case 'bool': {
          const l = s.toLowerCase();
          if (!BOOL_TRUE.includes(l) && !BOOL_FALSE.includes(l)) bad(f, 'bad_bool');
          break;
        }
      }
    }
    if (errs.length) return errs;
    for (const f of def.fields) {
      if (f.after && v[f.code] !== undefined && v[f.after] !== undefined && v[f.code] < v[f.after]) bad(f, 'before');
      if (f.at_most && v[f.code] !== undefined) {
        if (v[f.at_most] === undefined) errs.push({field: f.at_most, key: 'register.required'});
        else if (v[f.code] > v[f.at_most]) bad(f, 'more_than_whole');
      }
      if (f.sum_of && v[f.code] !== undefined) {
        let sum = 0;
        for (const s of f.sum_of) {
          const x = v[s.replace(/^-/, '')] || 0;
          sum += s.startsWith('-') ? -x : x;
        }
        if (Math.abs(sum - v[f.code]) > 0.005) bad(f, 'sum_mismatch');
      }
    }
    return errs;
  }

  // registerForm fills form with one input per field of def, set to
  // values (field code → value) when given.
  function registerForm(form, def, values, t) {
    form.replaceChildren();
    for (const f of def.fields) {
      const id = 'f-' + f.code;
      const val = values && values[f.code] !== undefined && values[f.code] !== null ? String(values[f.code]) : '';
      let input;
      switch (f.type) {
        case 'enum':
          input = el('select', {id, name: f.code}, el('option', {value: '', text: t('offline.choose')}));
          for (const o of f.options || []) input.append(el('option', {value: o.code, text: o.zh, selected: o.code === val}));
          break;
        case 'bool':
          input = el('select', {id, name: f.code}, el('option', {value: '', text: t('offline.choose')}),
            el('option', {value: 'true', text: t('offline.field.yes'), selected: val === 'true'}),
            el('option', {value: 'false', text: t('offline.field.no'), selected: val === 'false'}));
          break;
        case 'date':
          input = el('input', {id, name: f.code, type: 'date', value: val, max: f.future ? null : today()});
          break;
        case 'year':
        case 'int':
          input = el('input', {id, name: f.code, type: 'number', step: '1', inputmode: 'numeric', value: val});
          break;
        case 'money':
        case 'decimal':
          input = el('input', {id, name: f.code, inputmode: 'decimal', value: val});
          break;
        default:
          input = el('input', {id, name: f.code, value: val, maxlength: String(f.max ?? 200)});
      }
      const label = el('label', {for: id}, f.zh + (f.required ? ' *' : ''));
      form.append(label, input, el('small', {class: 'field-error', id: 'e-' + f.code}));
    }
  }

  // readForm returns the form's raw values by field code.
  function readForm(form, def) {
    const raw = {};
    for (const f of def.fields) {
      const input = form.elements.namedItem(f.code);
      raw[f.code] = input ? input.value : '';
    }
    return raw;
  }

  // showErrors marks the fields at fault with their messages.
  function showErrors(form, errs, t) {
    for (const small of form.querySelectorAll('.field-error')) small.textContent = '';
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    for (const e of errs) {
      const small = form.querySelector('#e-' + CSS.escape(e.field));
      if (small) small.textContent = t(e.key);
      const input = form.elements.namedItem(e.field);
      if (input && input.setAttribute) input.setAttribute('aria-invalid', 'true');
    }
  }

  // questionnaireForm shows every question of a questionnaire document.
  function questionnaireForm(box, doc) {
    box.replaceChildren();
    for (const q of doc.questions) {
      const multiple = q.type === 'multiple';
      const fs = el('fieldset', {class: 'question', 'data-code': q.code}, el('legend', {text: q.code + '. ' + q.text}));
      for (const o of q.options || []) {
        const id = 'q-' + q.code + '-' + o.label;
        fs.append(el('label', {for: id}, el('input', {type: multiple ? 'checkbox' : 'radio', id, name: 'q-' + q.code, value: o.label}), ' ' + o.label + '. ' + o.text));
      }
      box.append(fs);
    }
  }

  // readAnswers returns the answers (item code → labels) and the number
  // of required questions left unanswered.
  function readAnswers(box, doc) {
    const answers = {};
    let missing = 0;
    for (const q of doc.questions) {
      const picked = [...box.querySelectorAll('input[name="q-' + CSS.escape(q.code) + '"]:checked')].map((i) => i.value);
      if (picked.length) answers[q.code] = picked;
      else if (!q.optional) missing++;
    }
    return {answers, missing};
  }

  // sheetAnswerForm shows the inputs of a score-sheet item's method.
  function sheetAnswerForm(box, item, t) {
    box.replaceChildren();
    switch (item.method) {
      case 'yes':
      case 'no':
        box.append(el('label', {for: 's-yes'}, el('input', {type: 'radio', name: 's-yes', id: 's-yes', value: 'true'}), ' ' + t('offline.sheet.yes')),
          el('label', {for: 's-no'}, el('input', {type: 'radio', name: 's-yes', id: 's-no', value: 'false'}), ' ' + t('offline.sheet.no')));
        break;
      case 'graded': {
        const sel = el('select', {id: 's-grade'}, el('option', {value: '', text: t('offline.choose')}));
        for (const g of item.grades || []) sel.append(el('option', {value: g.label, text: g.label + '（' + g.points + '）'}));
        box.append(el('label', {for: 's-grade'}, t('offline.sheet.grade')), sel);
        break;
      }
      case 'egt':
      case 'elt':
        box.append(el('label', {for: 's-value'}, t('offline.sheet.value')), el('input', {id: 's-value', inputmode: 'decimal'}));
        break;
      case 'count':
        box.append(el('label', {for: 's-count'}, t('offline.sheet.count')), el('input', {id: 's-count', type: 'number', step: '1', min: '0'}));
        break;
      default:
        box.append(el('p', {class: 'muted', text: t('offline.sheet.attach')}));
    }
  }

  // readSheetAnswer returns the answer body of the item, or null when
  // nothing was answered.
  function readSheetAnswer(box, item) {
    const yes = box.querySelector('input[name="s-yes"]:checked');
    if (yes) return {yes: yes.value === 'true'};
    const grade = box.querySelector('#s-grade');
    if (grade && grade.value) return {grade: grade.value};
    const value = box.querySelector('#s-value');
    if (value && value.value.trim() !== '' && Number.isFinite(Number(value.value))) return {value: Number(value.value)};
    const count = box.querySelector('#s-count');
    if (count && count.value.trim() !== '' && Number.isInteger(Number(count.value))) return {count: Number(count.value)};
    return null;
  }

  window.HCForms = {el, today, parseDate, validate, registerForm, readForm, showErrors, questionnaireForm, readAnswers, sheetAnswerForm, readSheetAnswer};
})();
