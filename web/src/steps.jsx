// One step of a case (the case engine's transitions): the button the workflow offers, and what
// the step asks for before it is sent — a reason where the table wants one, the case type's own
// members (a carrier, a class, a pause reason), or a confirmation of a final step.
import { useState } from 'preact/hooks';
import { post } from './api.js';
import { Confirm, ErrorBox, Field, confirmText } from './ui.jsx';

// url: the case's transitions; rec: the case as read (its rev); a: one of its actions; what:
// the case type's name for the confirmation ("故障工单"). fields: [{ name, label, required,
// hint, initial, number, control(props, value, set) }] the step asks for besides the reason; a member
// left at its initial value is not sent. reason: the reason's label, null for none ("理由"
// when the table wants one and nothing else is said).
export function CaseStep({ url, rec, a, what, fields = [], reason = a.reason ? '理由' : null, onDone }) {
  const [open, setOpen] = useState(false);
  const [v, setV] = useState(() => Object.fromEntries([['reason', ''], ...fields.map((f) => [f.name, f.initial ?? ''])]));
  const [error, setError] = useState(null);
  const asks = Boolean(reason) || fields.length > 0;
  const send = async (e) => {
    e?.preventDefault();
    setError(null);
    const body = { action: a.action, if_rev: rec.rev };
    for (const f of fields) if (v[f.name] !== (f.initial ?? '') && v[f.name] !== '') body[f.name] = f.number ? Number(v[f.name]) : v[f.name];
    if (reason && v.reason) body.reason = v.reason;
    try {
      await post(url, body);
      setOpen(false);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  const close = () => { setOpen(false); setError(null); };
  if (!open) {
    return (
      <span>
        <button type="button" onClick={() => (asks || a.confirm ? setOpen(true) : send())}>{a.label}</button>
        {error ? <ErrorBox error={error} /> : null}
      </span>
    );
  }
  if (!asks) return <Confirm label={a.label} what={confirmText(a.label, what, a.to_label)} error={error} onConfirm={send} onCancel={close} />;
  const names = [...fields.map((f) => f.name), 'reason'];
  return (
    <form class="card" onSubmit={send} noValidate aria-label={a.label}>
      {fields.map((f) => (
        <Field key={f.name} label={f.label} name={f.name} error={error} required={f.required} hint={f.hint}>
          {(p) => f.control(p, v[f.name], (x) => setV((o) => ({ ...o, [f.name]: x })))}
        </Field>
      ))}
      {reason ? (
        <Field label={reason} name="reason" error={error} required={a.reason}>{(p) => (
          <textarea {...p} value={v.reason} onInput={(e) => { const x = e.currentTarget.value; setV((o) => ({ ...o, reason: x })); }} />
        )}</Field>
      ) : null}
      {error && !names.includes(error.field) ? <ErrorBox error={error} /> : null}
      <button type="submit">确认{a.label}</button> <button type="button" onClick={close}>取消</button>
    </form>
  );
}

// The controls a step's field is drawn with.
export const textArea = (p, value, set) => <textarea {...p} value={value} onInput={(e) => set(e.currentTarget.value)} />;
export const choice = (options, blank = '请选择') => (p, value, set) => (
  <select {...p} value={value} onChange={(e) => set(e.currentTarget.value)}>
    <option value="">{blank}</option>
    {options.map(([k, label]) => <option value={k}>{label}</option>)}
  </select>
);

// The toolbar of a case's actions.
export function CaseSteps({ x, children }) {
  if (!x.actions.length) return null;
  return <div class="toolbar" role="group" aria-label="可执行的操作">{x.actions.map((a) => children(a))}</div>;
}
