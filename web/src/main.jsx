// The console: the session, the navigation offered to the role, and the pages.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get, onSessionExpired, setCsrf } from './api.js';
import { Applications, ApplicationDetail, NewApplication } from './pages/applications.jsx';
import { Account } from './pages/account.jsx';
import { Audit } from './pages/audit.jsx';
import { Calendar, Deadlines } from './pages/deadlines.jsx';
import { Home } from './pages/home.jsx';
import { Imports } from './pages/imports.jsx';
import { Inbox, InboxBadge } from './pages/inbox.jsx';
import { Ipam } from './pages/ipam.jsx';
import { Login, ReLogin } from './pages/login.jsx';
import { Profile } from './pages/profile.jsx';
import { Addresses, Carriers, Devices, Lines, Terminals } from './pages/registry.jsx';
import { UnitDetail, Units } from './pages/units.jsx';
import { Tokens } from './pages/tokens.jsx';
import { Users } from './pages/users.jsx';
import { FindingDetail, Findings } from './pages/findings.jsx';
import { Probes } from './pages/probes.jsx';
import { ChangeDetail, Changes } from './pages/changes.jsx';
import { Duty, DutyDetail } from './pages/duty.jsx';
import { MaintenanceDetail, MaintenanceList } from './pages/maintenance.jsx';
import { Health, Outages } from './pages/outages.jsx';
import { TicketDetail, Tickets } from './pages/tickets.jsx';
import { ViolationDetail, Violations } from './pages/violations.jsx';
import { match, navigate, usePath } from './router.js';
import { SearchBox, SearchPage } from './search.jsx';
import { Link, Session, can } from './ui.jsx';
import './style.css';

const PAGES = [
  ['/', Home],
  ['/units', Units],
  ['/units/:id', UnitDetail],
  ['/applications', Applications],
  ['/applications/new', NewApplication],
  ['/applications/:id', ApplicationDetail],
  ['/ipam', Ipam],
  ['/addresses', Addresses],
  ['/terminals', Terminals],
  ['/devices', Devices],
  ['/lines', Lines],
  ['/carriers', Carriers],
  ['/deadlines', Deadlines],
  ['/calendar', Calendar],
  ['/audit', Audit],
  ['/users', Users],
  ['/profile', Profile],
  ['/account', Account],
  ['/tokens', Tokens],
  ['/findings', Findings],
  ['/findings/:id', FindingDetail],
  ['/tickets', Tickets],
  ['/maintenance', MaintenanceList],
  ['/outages/health', Health],
  ['/outages', Outages],
  ['/changes', Changes],
  ['/duty', Duty],
  ['/duty/:id', DutyDetail],
  ['/changes/:id', ChangeDetail],
  ['/maintenance/:id', MaintenanceDetail],
  ['/tickets/:id', TicketDetail],
  ['/violations', Violations],
  ['/violations/:id', ViolationDetail],
  ['/probes', Probes],
  ['/imports', Imports],
  ['/search', SearchPage],
  ['/inbox', Inbox],
];

// The menu by the work it serves, each entry shown only to a role with the permission behind
// it (a group with none is not shown).
const MENU = [
  [null, [['/', '首页', null]]],
  ['登记', [
    ['/units', '使用单位', 'UNIT_READ'],
    ['/terminals', '终端', 'TERMINAL_READ'],
    ['/devices', '设备', 'ASSET_READ'],
    ['/lines', '线路', 'ASSET_READ'],
    ['/carriers', '运营商', 'ASSET_READ'],
    ['/imports', '表格导入', 'TERMINAL_WRITE'],
  ]],
  ['接入与变更', [
    ['/applications', '申请审批', 'APPLICATION_READ'],
    ['/deadlines', '办理时限', 'DEADLINE_READ'],
    ['/calendar', '工作日历', null],
  ]],
  ['地址', [
    ['/ipam', '地址规划', 'IPAM_READ'],
    ['/addresses', '主机地址', 'ADDRESS_READ'],
  ]],
  ['监测与处置', [
    ['/findings', '监测发现', 'FINDING_READ'],
    ['/violations', '违规处理', 'VIOLATION_READ'],
    ['/probes', '探针与断网', 'FINDING_READ'],
  ]],
  ['运维', [
    ['/outages/health', '网络运行状况', 'TICKET_READ'],
    ['/tickets', '故障工单', 'TICKET_READ'],
    ['/maintenance', '停机维护', 'MAINTENANCE_READ'],
    ['/changes', '变更管理', 'CHANGE_READ'],
    ['/duty', '值班', 'DUTY_READ'],
  ]],
  ['安全管理', [
    ['/audit', '审计日志', 'AUDIT_READ'],
  ]],
  ['系统', [
    ['/users', '用户管理', 'USER_ADMIN'],
    ['/profile', '管理办法', 'PROFILE_READ'],
    ['/tokens', 'API 令牌', null],
  ]],
];

function Layout({ session, onLogout, children, path }) {
  const [open, setOpen] = useState(false);
  const here = (href) => (href === '/' ? path === '/' : path.split('?')[0].startsWith(href));
  return (
    <>
      <a class="skip" href="#main">跳到正文</a>
      <header class="top">
        <button type="button" class="menu-toggle" aria-expanded={open ? 'true' : 'false'}
          aria-controls="nav" onClick={() => setOpen(!open)}>菜单</button>
        <span class="brand">政务外网管理平台</span>
        <SearchBox />
        <span class="who">
          {session.display_name || session.username}（{session.role_label}）
          <InboxBadge path={path} />
          <Link href="/account" class="light">修改密码</Link>
          <button type="button" class="link" onClick={onLogout}>退出</button>
        </span>
      </header>
      <div class="shell">
        <nav id="nav" class={open ? 'open' : ''} aria-label="主菜单">
          {MENU.map(([group, entries], i) => {
            const shown = entries.filter(([, , perm]) => !perm || can(session, perm));
            if (!shown.length) return null;
            const list = (
              <ul aria-labelledby={group ? `nav-${i}` : undefined}>
                {shown.map(([href, label]) => (
                  <li><Link href={href} aria-current={here(href) ? 'page' : undefined}
                    onClick={() => setOpen(false)}>{label}</Link></li>
                ))}
              </ul>
            );
            return group ? <div class="nav-group"><h2 id={`nav-${i}`}>{group}</h2>{list}</div> : list;
          })}
        </nav>
        <main id="main" tabIndex={-1}>{children}</main>
      </div>
    </>
  );
}

function App() {
  const path = usePath();
  const [session, setSession] = useState(undefined); // undefined: not known yet
  const refresh = () => get('/session').then((s) => {
    setCsrf(s.csrf_token);
    setSession(s);
  }, (e) => {
    if (e instanceof ApiError && e.status === 401) setSession(null);
    else setSession(null);
  });
  useEffect(() => { refresh(); }, []);
  // a request that finds the session gone waits for signing in again in place (ReLogin)
  const [relogin, setRelogin] = useState(null);
  useEffect(() => onSessionExpired(() => new Promise((resume) => setRelogin(() => resume))), []);
  useEffect(() => {
    if (session === null && !path.startsWith('/login')) navigate('/login?next=' + encodeURIComponent(path), true);
  }, [session, path]);
  useEffect(() => {
    const m = document.getElementById('main');
    if (m && session) m.focus({ preventScroll: true });
  }, [path]);

  if (session === undefined) return <p class="muted" role="status">正在加载……</p>;
  if (path.startsWith('/login')) return <Login onLogin={refresh} path={path} />;
  if (!session) return null;
  const logout = async () => {
    try { await api('DELETE', '/session'); } catch { /* gone already */ }
    setCsrf(null);
    setSession(null);
    navigate('/login', true);
  };
  let page = <NotFound />;
  for (const [pattern, Page] of PAGES) {
    const params = match(pattern, path);
    if (params) {
      page = <Page {...params} path={path} />;
      break;
    }
  }
  return (
    <Session.Provider value={session}>
      <Layout session={session} onLogout={logout} path={path}>{page}</Layout>
      <SessionWarning session={session} onRenew={() => setRelogin(() => () => {})} />
      {relogin ? <ReLogin username={session.username} onDone={() => { setRelogin(null); relogin(); refresh(); }}
        onLeave={() => { setRelogin(null); setCsrf(null); setSession(null); navigate('/login?next=' + encodeURIComponent(path), true); }} /> : null}
    </Session.Provider>
  );
}

// A session about to end (its expires_at within five minutes): said before it happens, with
// the way to sign in again in place now rather than after the next click is refused.
function SessionWarning({ session, onRenew }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15000);
    return () => clearInterval(t);
  }, []);
  const end = session.expires_at ? new Date(session.expires_at).getTime() : 0;
  if (!end || end - now > 5 * 60 * 1000 || end <= now) return null;
  const at = new Date(end).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
  return (
    <div class="warning session-warning" role="alert">
      登录将于 {at} 过期，过期后需重新输入密码。
      <button type="button" class="link" onClick={onRenew}>现在重新登录</button>
    </div>
  );
}

function NotFound() {
  return <section><h1>页面不存在</h1><p><Link href="/">返回首页</Link></p></section>;
}

render(<App />, document.getElementById('app'));
