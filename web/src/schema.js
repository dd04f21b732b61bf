// The server's field rules (GET /api/v1/schemas) and the same checks on the client, with the
// server's own words, so a form says what is wrong before it is sent. The server checks
// everything again; what only it can know (a duplicate name, an address outside the unit's
// subnets) comes back as its error and is shown at the field the same way.
import { useEffect, useState } from 'preact/hooks';
import { get } from './api.js';

let loading = null;
let loaded = null;

// One member of GET /schemas (a record's rules, or "application_kinds"), loaded once; once
// loaded, a component has it from its first render.
export function useSchema(object) {
  const [s, setS] = useState(null);
  useEffect(() => {
    if (loaded) return undefined;
    loading ??= get('/schemas').then((all) => { loaded = all; return all; }, (e) => { loading = null; throw e; });
    let live = true;
    loading.then((all) => live && setS(all[object] || null), () => live && setS([]));
    return () => { live = false; };
  }, [object]);
  return loaded ? loaded[object] || null : s;
}

// The application kinds' Chinese names from the server: { access: '接入申请', ... }.
export function useKindLabels() {
  return useValueNames('application').kind || {};
}

// The Chinese names of a record's stored values, from its field rules: { state: { open:
// '待处理', ... }, ... }, in the server's order. The console has no names of its own; a value
// the server does not name (or before the rules arrive) is shown as it is, see valueName.
export function useValueNames(object) {
  return namesOf(useSchema(object));
}

export function namesOf(schema) {
  const m = {};
  (schema?.fields || []).forEach((f) => {
    if (f.values) m[f.name] = Object.fromEntries(f.values.map((v, i) => [v, f.labels?.[i] ?? v]));
  });
  return m;
}

export const valueName = (names, v) => names?.[v] ?? v;

// A vocabulary of GET /schemas that no record holds ("isolation_kinds", "acl_vendors":
// [{name, label}]) as { name: label }, in the server's order.
export function useVocab(member) {
  return Object.fromEntries((useSchema(member) || []).map((x) => [x.name, x.label]));
}

export function fieldsOf(schema) {
  const m = {};
  (schema?.fields || []).forEach((f) => { m[f.name] = f; });
  return m;
}

const MOBILE = /^1[3-9][0-9]{9}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const patterns = new Map();
function patternOf(f) {
  if (!patterns.has(f.pattern)) patterns.set(f.pattern, new RegExp(f.pattern));
  return patterns.get(f.pattern);
}

// What a format looks like, after "格式不正确".
const HINTS = {
  ip: '（如 10.20.1.5 或 2001:db8::5）',
  ips: '（IP 地址，多个以逗号或空格分隔）',
  mac: '（单播地址，如 aa:bb:cc:dd:ee:ff、aabb.ccdd.eeff）',
  hostname: '（以 . 分隔的字母、数字和 -，如 pc-01）',
  domain: '（如 www.example.gov.cn）',
  code: '（小写字母、数字、_ 和 -）',
  username: '（2 到 32 个小写字母、数字和 _ . -）',
};

// An enum's values as the server lists them in a refusal: codes with their names.
const allowed = (f) => f.values.map((v, i) => (f.labels && f.labels[i] !== v ? `${v}（${f.labels[i]}）` : v)).join('、');

// The message the server would give for value, or null.
export function check(f, value, creating = true) {
  const empty = value === undefined || value === null || value === '';
  if (empty) {
    if (!f.required) return null;
    return creating ? `缺少必填字段：${f.label}` : `${f.label}不能为空`;
  }
  switch (f.type) {
    case 'int': {
      const n = Number(value);
      if (!Number.isInteger(n)) return `${f.label}应为整数`;
      if (n < f.min || n > f.max) return `${f.label}应在 ${f.min} 到 ${f.max} 之间`;
      return null;
    }
    case 'id':
      return Number.isInteger(Number(value)) && Number(value) > 0 ? null : `${f.label}应为正整数编号`;
    case 'real':
      return Number.isFinite(Number(value)) ? null : `${f.label}应为数值`;
    case 'bool':
      return null;
    default:
      break;
  }
  const s = String(value);
  if ([...s].length > f.max_chars) return `${f.label}过长，最多 ${f.max_chars} 个字`;
  if (f.required && !s.trim()) return `${f.label}不能为空`;
  if (f.type === 'enum' && !f.values.includes(s)) return `${f.label}只能是：${allowed(f)}`;
  if (f.type === 'date' && (!DATE.test(s) || Number.isNaN(Date.parse(s)))) return `${f.label}应为有效日期（YYYY-MM-DD）`;
  if (f.type === 'mobile' && !MOBILE.test(s)) return `${f.label}应为 11 位大陆手机号码`;
  if (f.type === 'email' && !EMAIL.test(s)) return `${f.label}格式不正确`;
  if (f.min_chars && [...s].length < f.min_chars) return `${f.label}至少 ${f.min_chars} 个字符`;
  // A format's pattern from the server (an IP or MAC address, a host name...): applied only
  // where it accepts exactly what the server does, so a form never refuses what would pass.
  if (f.pattern && f.pattern_exact && !patternOf(f).test(s)) return `${f.label}格式不正确${HINTS[f.type] || ''}`;
  return null;
}

// The first problem of a form's values, as an error shaped like the API's, or null.
export function checkAll(schema, names, values, creating = true) {
  const fs = fieldsOf(schema);
  const list = [];
  for (const n of names) {
    const f = fs[n];
    if (!f || f.readonly || (!creating && f.fixed)) continue;
    const m = check(f, values[n], creating);
    if (m) list.push([n, m]);
  }
  return problems(list);
}

// Every problem of a form at once, as one error: the first as field and message (where focus
// goes, and what the API's own errors look like) and all of them in fields ({ name: message }),
// each shown at its field; null for none.
export function problems(list) {
  if (!list.length) return null;
  return { field: list[0][0], message: list[0][1], fields: Object.fromEntries(list) };
}

// The same error once the field has been corrected: that field's problem gone, the next one
// first (null when none is left).
export function withoutProblem(error, name) {
  if (!error?.fields) return error?.field === name ? null : error;
  return problems(Object.entries(error.fields).filter(([n]) => n !== name));
}

// A token's scope as people read it: "代表本人" for a person's own token, else the machine
// scopes by their names (scopes: GET /schemas token_scopes).
export const scopeLabel = (scopes, sc) => (sc === 'all' ? '代表本人'
  : String(sc).split(' ').map((w) => (scopes || []).find((x) => x.name === w)?.label || w).join('、'));
