// A form for a record, drawn from the server's field rules: a labelled control per field
// (select for allowed values, date, number, textarea for multi-line text), checked before it
// is sent, the API's errors shown at their field.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { check, checkAll, fieldsOf, useSchema, withoutProblem } from './schema.js';
import { api, del } from './api.js';
import { ErrorBox, Field, ProblemCount } from './ui.jsx';

const same = (a, b) => (a ?? '') === (b ?? '');

// A stored value as people read it: the option's label, or the server's name of an enum value.
function shownValue(v, options, f) {
  const o = options?.find((x) => x.value === v);
  if (o) return o.label;
  const i = f.values ? f.values.indexOf(v) : -1;
  return i >= 0 && f.labels ? f.labels[i] : String(v);
}

export function Control({ f, value, onValue, props }) {
  const set = (e) => {
    const v = e.currentTarget.value;
    onValue(f.type === 'int' || f.type === 'id' ? (v === '' ? '' : Number(v)) : v);
  };
  if (f.values) {
    return (
      <select {...props} value={value ?? ''} onChange={set}>
        <option value="">请选择</option>
        {f.values.map((v, i) => <option value={v}>{f.labels?.[i] ?? v}</option>)}
      </select>
    );
  }
  if (f.type === 'bool') return <input {...props} type="checkbox" checked={!!value} onChange={(e) => onValue(e.currentTarget.checked)} />;
  if (f.multiline) return <textarea {...props} rows={3} maxLength={f.max_chars} value={value ?? ''} onInput={set} />;
  if (f.type === 'time') {
    // the browser's local time in the control, the API's instant (RFC 3339, UTC) in the value
    const local = value ? new Date(new Date(value).getTime() - new Date(value).getTimezoneOffset() * 60000).toISOString().slice(0, 16) : '';
    return <input {...props} type="datetime-local" value={local}
      onInput={(e) => onValue(e.currentTarget.value ? new Date(e.currentTarget.value).toISOString().replace(/\.\d+Z$/, 'Z') : '')} />;
  }
  const type = { date: 'date', int: 'number', id: 'number', mobile: 'tel', email: 'email' }[f.type] || 'text';
  return <input {...props} type={type} inputMode={type === 'number' ? 'numeric' : undefined} value={value ?? ''} onInput={set}
    min={f.type === 'int' ? f.min : undefined} max={f.type === 'int' ? f.max : undefined} />;
}

// names: the fields to show, in order; labels/options override the schema's per field
// (options: [{value, label}] for a select of records, e.g. zones); onSubmit(values) may
// throw the API's error.
// elsewhere(field): the field's error is shown by the caller (rows outside the form's fields).
// extra: fields the record does not show but the request takes ({password: {label, type,
// required, hint}}), checked by the server alone.
export function RecordForm({ object, names, initial = {}, creating = true, labels = {}, options = {}, hints = {}, required, elsewhere = () => false, extra = {}, onSubmit, submitLabel = '保存', title, onCancel, focus = false }) {
  const schema = useSchema(object);
  const [values, setValues] = useState(initial);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef(null);
  // the first field takes focus as the form appears, in the same commit (a deferred effect
  // could move focus away from a field someone has already started typing in)
  useLayoutEffect(() => {
    if (focus && schema) formRef.current?.querySelector('input, select, textarea')?.focus();
  }, [focus, !schema]);
  if (!schema) return <p class="muted" role="status">正在加载……</p>;
  const fs = fieldsOf(schema);
  if (required) {
    for (const n of names) if (fs[n]) fs[n] = { ...fs[n], required: required.includes(n) };
  }
  const submit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const local = checkAll({ fields: Object.values(fs) }, names, values, creating);
    if (local) {
      setError(local);
      form.querySelector(`[name="${local.field}"]`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const body = {};
    for (const n of [...names, ...Object.keys(extra)]) {
      const v = values[n];
      if (creating || extra[n]) {
        if (v !== undefined && v !== '') body[n] = v;
      } else if (fs[n] && !fs[n].fixed && !fs[n].readonly && !same(v, initial[n])) {
        // a cleared field: null where the field may be empty of a value, else empty text
        body[n] = v === '' || v === undefined ? (fs[n].nullable ? null : '') : v;
      }
    }
    try {
      await onSubmit(body);
    } catch (err) {
      setError(err);
      if (err.field) document.querySelector(`[name="${CSS.escape(err.field)}"]`)?.focus();
    } finally {
      setBusy(false);
    }
  };
  const shown = [...names.filter((n) => fs[n] && !fs[n].readonly && (creating || !fs[n].fixed)), ...Object.keys(extra)];
  const fixed = creating ? [] : names.filter((n) => fs[n]?.fixed && initial[n] !== undefined && initial[n] !== null);
  return (
    <form class="form" onSubmit={submit} noValidate ref={formRef}>
      {title ? <h2>{title}</h2> : null}
      <ProblemCount error={error} />
      {fixed.length ? (
        <dl class="facts">{fixed.map((n) => (
          <><dt>{labels[n] || fs[n].label}</dt><dd>{shownValue(initial[n], options[n], fs[n])}</dd></>
        ))}</dl>
      ) : null}
      {Object.entries(extra).map(([n, x]) => (
        <Field label={x.label} name={n} error={error} required={x.required} hint={x.hint}>
          {(p) => <input {...p} type={x.type || 'text'} autocomplete={x.autocomplete} value={values[n] ?? ''} onInput={(e) => setValues({ ...values, [n]: e.currentTarget.value })} />}
        </Field>
      ))}
      {shown.filter((n) => !extra[n]).map((n) => {
        const f = { ...fs[n], label: labels[n] || fs[n].label };
        if (options[n]) f.values = null;
        return (
          <Field label={f.label} name={n} error={error} required={f.required && creating} hint={hints[n]}>
            {(p) => (options[n] ? (
              <select {...p} value={values[n] ?? ''} onChange={(e) => {
                const o = options[n].find((x) => String(x.value) === e.currentTarget.value);
                setValues({ ...values, [n]: o ? o.value : '' });
              }}>
                <option value="">请选择</option>
                {options[n].map((o) => <option value={o.value}>{o.label}</option>)}
              </select>
            ) : (
              <Control f={f} value={values[n]} props={p} onValue={(v) => {
                setValues({ ...values, [n]: v });
                if (!check(f, v, creating)) setError(withoutProblem(error, n));
              }} />
            ))}
          </Field>
        );
      })}
      {error && !shown.includes(error.field) && !elsewhere(error.field) ? <ErrorBox error={error} /> : null}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>{busy ? '正在提交……' : submitLabel}</button>
        {onCancel ? <button type="button" onClick={onCancel}>取消</button> : null}
      </div>
    </form>
  );
}

// Editing and deleting the records of a list: an 操作 column (修改, and 删除 — or deleteWord,
// e.g. 释放 — asked once more in the row) for the rows may(row) allows, and the form for the row being edited, placed by the
// caller. url(row) is the record's API path; what(row) names it for labels and titles.
export function useRowActions({ object, names, url, may, what, onChanged, options, hints, labels, canDelete = may, deleteWord = '删除' }) {
  const [editing, setEditing] = useState(null);
  const [asking, setAsking] = useState(null);
  const [error, setError] = useState(null);
  const remove = async (r) => {
    setError(null);
    try {
      await del(url(r));
      setAsking(null);
      if (editing?.id === r.id) setEditing(null);
      onChanged();
    } catch (e) {
      setAsking(null);
      setError(e);
    }
  };
  const column = {
    label: '操作',
    render: (r) => (
      <span class="row-actions">
        {may(r) ? <button type="button" aria-label={`修改${what(r)}`} onClick={() => { setEditing(r); setAsking(null); setError(null); }}>修改</button> : null}
        {canDelete(r) && asking !== r.id ? <button type="button" aria-label={`${deleteWord}${what(r)}`} onClick={() => { setAsking(r.id); setError(null); }}>{deleteWord}</button> : null}
        {asking === r.id ? (
          <>
            <button type="button" class="danger" onClick={() => remove(r)}>确认{deleteWord}{what(r)}</button>
            <button type="button" onClick={() => setAsking(null)}>不{deleteWord}</button>
          </>
        ) : null}
      </span>
    ),
  };
  const form = (
    <>
      {error ? <ErrorBox error={error} /> : null}
      {editing ? (
        <RecordForm key={editing.id} object={object} names={names} initial={editing} creating={false} focus
          title={`修改${what(editing)}`} options={options} hints={hints} labels={labels}
          onCancel={() => setEditing(null)}
          onSubmit={async (body) => {
            if (Object.keys(body).length) await api('PATCH', url(editing), body);
            setEditing(null);
            onChanged();
          }} />
      ) : null}
    </>
  );
  return { column, form, any: (rows) => rows.some((r) => may(r) || canDelete(r)) };
}
