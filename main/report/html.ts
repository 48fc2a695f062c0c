/**
 * The report: one self-contained HTML file (inline CSS and SVG, no script that runs, no font or
 * image to fetch) that opens without a network and prints cleanly to PDF. It embeds the run as
 * JSON in a <script type="application/json"> so the app can open it again and replay it
 * (report-file.ts reads it back). Input is an already masked, redacted run view.
 */
import type { HttpExchange } from '../trace/events';
import { escapeXml as esc } from './svg';
import type { DemoPartView, DemoRunView } from './types';

export const REPORT_FORMAT = 'mcp-auth-desktop-demo-report';
export const REPORT_VERSION = 1;
export const REPORT_DATA_ID = 'mcp-auth-demo-report';

const CSS = `
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;color:#13161c;background:#fff;margin:0 auto;max-width:1180px;padding:32px;line-height:1.5;font-size:15px}
h1{font-size:28px;margin:0 0 4px}h2{font-size:22px;margin:32px 0 8px;border-bottom:2px solid #c9ced8;padding-bottom:4px}h3{font-size:17px;margin:20px 0 6px}
.meta{color:#4b5462;margin:0 0 16px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #c9ced8;padding:6px 8px;text-align:left;vertical-align:top}th{background:#eef0f4;width:28%}
.diagram{overflow-x:auto;border:1px solid #c9ced8;border-radius:8px;padding:8px;margin:8px 0}.diagram svg{max-width:100%;height:auto}
.fail{border-left:4px solid #b3261e;background:#fde7e5;padding:8px 12px;margin:8px 0}.ok{border-left:4px solid #126b34;background:#e3f4e8;padding:8px 12px;margin:8px 0}
ol.steps{padding-left:24px}ol.steps li{margin:0 0 10px}.spec{color:#4b5462;font-size:13px}
details{margin:4px 0}summary{cursor:pointer;color:#2f4fd8}pre{background:#f4f5f8;border:1px solid #c9ced8;padding:8px;overflow-x:auto;font-size:12px;white-space:pre-wrap;word-break:break-all}
code{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace}
@media print{body{padding:0;max-width:none;font-size:11pt}h2{break-after:avoid}.part{break-before:page}.part:first-of-type{break-before:auto}.diagram{border:none;overflow:visible}.diagram svg{width:100%}details>*:not(summary){display:block}details pre{max-height:none}li,tr,.fail,.ok{break-inside:avoid}summary{color:#13161c}}
`;

function exchangeText(x: HttpExchange): string {
  const lines = [`${x.request.method} ${x.request.url}`];
  for (const [k, v] of Object.entries(x.request.headers)) lines.push(`${k}: ${v}`);
  const reqBody = x.request.body?.json ?? x.request.body?.form ?? x.request.body?.text;
  if (reqBody !== undefined) lines.push('', JSON.stringify(reqBody, null, 2));
  if (x.response) {
    lines.push('', `→ ${x.response.status} ${x.response.statusText}`);
    for (const [k, v] of Object.entries(x.response.headers)) lines.push(`${k}: ${v}`);
    const resBody = x.response.body?.json ?? x.response.body?.text;
    if (resBody !== undefined) lines.push('', JSON.stringify(resBody, null, 2));
  } else if (x.error) lines.push('', `→ ${x.error}`);
  return lines.join('\n');
}

function partHtml(part: DemoPartView, beats: DemoRunView['beats'], index: number): string {
  const o = part.outcome;
  const rows: [string, string][] = [
    [
      'Client',
      `${o.clientId ?? '—'}${o.firstParty === undefined ? '' : o.firstParty ? ' (first-party)' : ' (third-party)'}`,
    ],
    ['Requested scopes', o.requestedScopes.join(' ') || '—'],
    ...(o.grantedScopes
      ? [['Granted (token scope)', o.grantedScopes.join(' ') || 'none'] as [string, string]]
      : []),
    ...(part.signIn ? [['Signed in as', part.signIn.username] as [string, string]] : []),
  ];
  const steps = beats
    .filter((b) => b.part === index && (b.arrow !== undefined || b.kind === 'wait'))
    .map((b) => {
      if (b.kind === 'wait')
        return `<li class="wait"><strong>${esc(b.title)}</strong><br>${esc(b.narration)}</li>`;
      const arrow = part.diagram.arrows[b.arrow!];
      const x = arrow?.exchangeId ? part.diagram.exchanges[arrow.exchangeId] : undefined;
      return (
        `<li><strong>${esc(b.title)}</strong>` +
        (b.narration ? `<br>${esc(b.narration)}` : '') +
        (b.specRef ? `<br><span class="spec">${esc(b.specRef)}</span>` : '') +
        (b.failure
          ? `<div class="fail">✗ ${esc(b.failure.cause)}${b.failure.fix ? `<br><strong>Fix:</strong> ${esc(b.failure.fix)}` : ''}</div>`
          : '') +
        (x && arrow?.kind === 'request'
          ? `<details><summary>The exchange (redacted)</summary><pre>${esc(exchangeText(x))}</pre></details>`
          : '') +
        `</li>`
      );
    })
    .join('');
  return (
    `<section class="part"><h2>${index + 1}. ${esc(part.title)}</h2>` +
    `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>` +
    `<div class="diagram">${part.svg}</div>` +
    (o.failure
      ? `<div class="fail"><strong>What went wrong:</strong> ${esc(o.failure.cause)}${o.failure.fix ? `<br><strong>Fix:</strong> ${esc(o.failure.fix)}` : ''}</div>`
      : '') +
    (o.takeaway ? `<div class="ok">${esc(o.takeaway)}</div>` : '') +
    (o.verdicts.length
      ? `<h3>The server's verdicts</h3><table>${o.verdicts.map((v) => `<tr><th>${esc(v.what)}</th><td>${esc(String(v.status))}: ${esc(v.explanation)}</td></tr>`).join('')}</table>`
      : '') +
    (o.whoami
      ? `<h3>whoami's answer (masked)</h3><pre>${esc(JSON.stringify(o.whoami, null, 2))}</pre>`
      : '') +
    `<h3>Step by step</h3><ol class="steps">${steps}</ol></section>`
  );
}

/** JSON safe inside a <script> element: no "</script", no "<!--". */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/** The report file for a (masked) run. */
export function renderReportHtml(run: DemoRunView, exportedAt = new Date()): string {
  const data = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    exportedAt: exportedAt.toISOString(),
    run,
  };
  const date = exportedAt.toISOString().replace('T', ' ').replace(/\..+$/, ' UTC');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${esc(run.title)} — MCP Auth Desktop report</title><style>${CSS}</style></head><body>` +
    `<h1>${esc(run.title)}</h1>` +
    `<p class="meta">MCP Auth Desktop v${esc(run.appVersion)} · run ${esc(run.startedAt.replace('T', ' ').replace(/\..+$/, ' UTC'))} · exported ${esc(date)} · identities masked${run.revealed ? ' (revealed by the presenter)' : ''}; tokens shown only as fingerprints</p>` +
    `<p>${esc(run.summary)}</p>` +
    (run.setup
      ? `<h2>For this story</h2><ul>${run.setup.changes.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>` +
        `<p>${run.setup.restored ? 'Restored after the run: everything is as it was.' : esc(run.setup.restoreNote ?? 'Not restored yet: the run was still going when this report was exported.')}</p>`
      : '') +
    `<h2>Settings that mattered</h2><table>${run.settings.map((s) => `<tr><th>${esc(s.label)}</th><td>${esc(s.value)}</td></tr>`).join('')}</table>` +
    run.parts.map((part, i) => partHtml(part, run.beats, i)).join('') +
    `<script type="application/json" id="${REPORT_DATA_ID}">${scriptJson(data)}</script>` +
    `</body></html>`
  );
}
