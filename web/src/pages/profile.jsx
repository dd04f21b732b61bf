// 管理办法: the county's regulation, every clause with its text, linkable by its id.
import { useEffect } from 'preact/hooks';
import { day } from '../format.js';
import { Loading, useLoad } from '../ui.jsx';

export function Profile() {
  const p = useLoad('/profile?texts=1');
  useEffect(() => {
    if (p.data && location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  }, [p.data]);
  return (
    <Loading state={p}>{(d) => (
      <>
        <h1>{d.title}</h1>
        <p class="muted">{d.doc_number ? d.doc_number + '，' : ''}{d.issuer}{d.effective ? `，${day(d.effective)}施行` : ''}{d.expires ? `，有效期至${day(d.expires)}` : ''}</p>
        {d.expiry_warning ? <div class="warning" role="alert">{d.expiry_warning}</div> : null}
        {d.clauses.map((c) => (
          <article id={c.id} class="clause" tabIndex={-1}>
            <h2>{c.id} {c.title || ''}</h2>
            <p class="muted">{c.summary}</p>
            {c.text ? <pre class="clause-text">{c.text}</pre> : null}
          </article>
        ))}
      </>
    )}</Loading>
  );
}
