/**
 * A readable, self-contained HTML reference rendered from the OpenAPI document: no scripts,
 * no CDN, so `/docs` works offline and says exactly what `/openapi.json` says.
 */
// The document is walked loosely: it is our own output, and a missing field only leaves a blank.
type Json = Record<string, any>;

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function typeOf(schema: Json | undefined): string {
  if (!schema) return '';
  if (schema.enum) return schema.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items)}[]`;
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ');
  return [schema.type, schema.format, schema.pattern && `/${schema.pattern}/`].filter(Boolean).join(' ');
}

function bodyFields(op: Json): string {
  const content = op.requestBody?.content ?? {};
  const [type, media] = Object.entries(content)[0] ?? [];
  const props = (media as Json | undefined)?.schema?.properties;
  if (!props) return '';
  const required = new Set<string>((media as Json).schema.required ?? []);
  const rows = Object.entries(props as Json)
    .map(([k, v]) => `<tr><td><code>${esc(k)}</code>${required.has(k) ? ' *' : ''}</td><td>${esc(typeOf(v))}</td><td>${esc(v.description ?? '')}</td></tr>`)
    .join('');
  return `<h4>Body (${esc(type)})</h4><table><tr><th>field</th><th>type</th><th>about</th></tr>${rows}</table>`;
}

/** The HTML page for `/docs`. */
export function renderDocsPage(doc: Json): string {
  const sections = Object.entries(doc.paths ?? {})
    .flatMap(([path, ops]) =>
      Object.entries(ops as Json).map(([method, op]: [string, Json]) => {
        const params = (op.parameters ?? [])
          .map(
            (p: Json) =>
              `<tr><td><code>${esc(p.name)}</code>${p.required ? ' *' : ''}</td><td>${esc(p.in)}</td><td>${esc(typeOf(p.schema))}${p.schema?.default !== undefined ? ` (default ${esc(JSON.stringify(p.schema.default))})` : ''}</td><td>${esc(p.description ?? p.schema?.description ?? '')}</td></tr>`,
          )
          .join('');
        const responses = Object.entries(op.responses ?? {})
          .map(([code, r]: [string, any]) => `<li><b>${esc(code)}</b> ${esc(r.description)}</li>`)
          .join('');
        return `<section id="${esc(method + path)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary ?? '')}</p>${op.security?.length ? '<p class="key">Needs a key.</p>' : ''}
${params ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>about</th></tr>${params}</table>` : ''}
${bodyFields(op)}<h4>Responses</h4><ul>${responses}</ul></section>`;
      }),
    )
    .join('\n');
  const toc = Object.entries(doc.paths ?? {})
    .flatMap(([path, ops]) => Object.keys(ops as Json).map((m) => `<li><a href="#${esc(m + path)}">${esc(m.toUpperCase())} ${esc(path)}</a></li>`))
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info?.title)} — API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code{font:13px ui-monospace,monospace}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
section{border-top:1px solid #eee;padding:.5rem 0}.m{display:inline-block;min-width:4rem;color:#fff;border-radius:3px;padding:0 .4rem;font-size:13px}
.get{background:#2a7}.post{background:#27c}.delete{background:#c33}.key{color:#a60;font-size:13px}</style></head><body>
<h1>${esc(doc.info?.title)} <small>${esc(doc.info?.version)}</small></h1><p>${esc(doc.info?.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Errors are <code>application/problem+json</code>: {type, title, status, detail}.</p>
<ul>${toc}</ul>${sections}</body></html>`;
}
