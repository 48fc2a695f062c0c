import { escapeHtml, type Html } from './escape';

/**
 * Headers for every sandbox page. No script runs on them, styles are inline, images may only be
 * data: URLs; no `form-action` on purpose: after a form POST the browser follows redirects to the
 * client's redirect URI (any origin, custom schemes), which `form-action` would block in Chromium.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/** A demo account as the "try these" hint shows it. */
export interface DemoAccountHint {
  username: string;
  password: string;
  note: string;
}

const STYLE = `
:root{color-scheme:light dark;--bg:#f3f4f7;--card:#fff;--text:#1b1d22;--muted:#596070;--border:#d5d9e1;--accent:#4f2fd9;--on-accent:#fff;--danger-bg:#fdeced;--danger:#9d1420;--badge-bg:#fff1bf;--badge:#5c4300;--code-bg:#eef0f4}
@media (prefers-color-scheme:dark){:root{--bg:#131418;--card:#1e2026;--text:#eceef3;--muted:#a7aebd;--border:#3a3e48;--accent:#9d85ff;--on-accent:#120d24;--danger-bg:#3d161a;--danger:#ffb8bd;--badge-bg:#473800;--badge:#ffe48f;--code-bg:#2a2d35}}
*{box-sizing:border-box}
html{font-size:112.5%}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:2rem 1rem;background:var(--bg);color:var(--text);font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
main{width:100%;max-width:30rem}
.card{background:var(--card);border:1px solid var(--border);border-radius:16px;padding:2rem;box-shadow:0 10px 30px rgba(0,0,0,.07)}
.badge{display:inline-block;background:var(--badge-bg);color:var(--badge);font-weight:700;font-size:.8rem;letter-spacing:.03em;text-transform:uppercase;padding:.25rem .7rem;border-radius:999px;margin:0 0 1.25rem}
h1{font-size:1.55rem;line-height:1.25;margin:0 0 .35rem}
h2{font-size:1rem;margin:1.25rem 0 .5rem}
p{margin:0 0 1rem}
.lead{color:var(--muted)}
label{display:block;font-weight:600;margin:1rem 0 .35rem}
input{width:100%;font:inherit;padding:.7rem .85rem;border:1px solid var(--border);border-radius:10px;background:var(--bg);color:inherit}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
button{flex:1;font:inherit;font-weight:650;border-radius:10px;padding:.75rem 1rem;cursor:pointer;border:1px solid var(--accent);background:var(--accent);color:var(--on-accent)}
button.secondary{background:transparent;color:var(--text);border-color:var(--border)}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
.actions form{flex:1;display:flex}
.error{background:var(--danger-bg);color:var(--danger);padding:.75rem 1rem;border-radius:10px;font-weight:600}
ul.permissions{list-style:none;padding:0;margin:0}
ul.permissions li{padding:.55rem 0;border-top:1px solid var(--border)}
ul.permissions li:first-child{border-top:0}
.muted{color:var(--muted);font-size:.9rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;background:var(--code-bg);padding:.05rem .35rem;border-radius:5px}
.hint{margin-top:1.25rem;padding:1rem 1.25rem;border:1px dashed var(--border);border-radius:12px;font-size:.9rem;color:var(--muted)}
.hint h2{margin:0 0 .5rem;font-size:.9rem;color:var(--text)}
.hint table{border-collapse:collapse;width:100%}
.hint th,.hint td{text-align:left;padding:.2rem .5rem .2rem 0;vertical-align:top}
.hint code{white-space:nowrap}
`;

export interface LayoutOptions {
  title: string;
  body: Html;
  /** Shown under the card so nobody has to look the demo passwords up. */
  demoAccounts?: readonly DemoAccountHint[];
}

function demoAccountsHint(accounts: readonly DemoAccountHint[]): Html {
  const rows = accounts
    .map(
      (account) =>
        `<tr><td><code>${escapeHtml(account.username)}</code></td><td><code>${escapeHtml(account.password)}</code></td><td>${escapeHtml(account.note)}</td></tr>`,
    )
    .join('');
  return `<section class="hint" aria-labelledby="demo-accounts"><h2 id="demo-accounts">Demo accounts (sandbox only)</h2><table><thead><tr><th scope="col">Username</th><th scope="col">Password</th><th scope="col">Access</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** The page shell: a calm centred card, light and dark, readable on a projector, no external assets. */
export function layout({ title, body, demoAccounts }: LayoutOptions): Html {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Sandbox issuer</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="card">
<p class="badge">Sandbox issuer</p>
${body}
</div>
${demoAccounts?.length ? demoAccountsHint(demoAccounts) : ''}
</main>
</body>
</html>
`;
}
