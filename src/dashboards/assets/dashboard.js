// Dashboard pages: reads the config the server embedded, draws filters, then fetches every panel's rows
// in parallel and draws KPI tiles, Vega-Lite charts and tables. Filters and language live in the URL.
(() => {
  const cfg = JSON.parse(document.getElementById('config').textContent);
  const F = window.CarteraFormats; // src/locale/formats.ts: the formatter every surface uses
  const url = new URL(location.href);
  // The locale: the link's, else the language the link asks for in the browser's country, else the browser's.
  const askedLang = url.searchParams.get('lang');
  const browser = navigator.languages?.length ? navigator.languages : [navigator.language];
  let locale = F.pickLocale([url.searchParams.get('locale'), ...(askedLang ? browser.filter((b) => b.toLowerCase().startsWith(askedLang)) : []), askedLang, ...browser]) || F.LOCALES[0];
  let lang = F.languageOf(locale);
  let formats = F.formatsFor(locale);
  const T = {
    es: { chartCut: (n, of, what) => `El gráfico muestra ${what === 'rows' ? `las primeras ${n} de ${of} filas` : `los primeros ${n} de ${of} valores del eje X`}.`, noChart: 'Sin gráfico automático: ninguna columna de texto o fecha con pocos valores distintos para el eje X. Elija los ejes.', all: 'Todos', logout: 'Salir', noData: 'Sin datos para estos filtros', unavailable: (t) => `Aún no hay datos: falta la tabla ${t} (ejecute cartera build)`, error: 'Error', failed: { 400: 'La solicitud no es válida.', 401: 'La sesión terminó: vuelva a entrar.', 403: 'Su rol no puede ver esto.', 404: 'No se encontró.', 408: 'Se agotó el tiempo de espera.', 409: 'Otra operación está en curso; intente de nuevo en un momento.', 429: 'Demasiadas solicitudes; espere un momento.', 503: 'Aún no hay datos: ejecute cartera build.', other: (s) => `El servidor respondió con el error ${s}.`, offline: 'El servidor no responde.' }, duckdb: 'DuckDB dice:', rows: 'filas', ms: 'ms', prev: 'mes anterior', run: 'Ejecutar', catalog: 'Catálogo', x: 'Eje X', y: 'Eje Y', color: 'Color', mark: 'Marca', none: '(ninguno)', download: 'Descargar', close: 'Cerrar', shownOf: (n, of) => `${n} de ${of}`, timelineCut: (n, of) => `El gráfico muestra los ${n} pagos más recientes de ${of}.`, statement: 'Estado de cuenta', openItems: 'Partidas abiertas', payments: 'Pagos', promises: 'Promesas', activities: 'Gestiones', exportCsv: 'Exportar CSV', exportXlsx: 'Exportar XLSX', truncated: 'recortado', plan: 'Plan', planAnalyze: 'Plan con tiempos', search: 'Buscar cliente (nombre o RFC / NIT)', customer: 'Cliente', total: 'Total', noMatch: 'Ningún cliente coincide.', date: 'Fecha', amount: 'Importe', due: 'Vence', days: 'Días', open: 'Saldo', method: 'Forma', promised: 'Prometida', status: 'Estado', channel: 'Canal', outcome: 'Resultado', collector: 'Cobrador',
      statuses: { open: 'abierta', pending: 'pendiente', kept: 'cumplida', broken: 'incumplida', closed: 'cerrada', resolved: 'resuelta', cancelled: 'cancelada' },
      channels: { call: 'llamada', email: 'correo', visit: 'visita', letter: 'carta', sms: 'SMS', whatsapp: 'WhatsApp' },
      outcomes: { promise: 'promesa de pago', paid: 'ya pagó', refused: 'se niega', callback: 'volver a llamar', dispute: 'disputa', other: 'otro', no_answer: 'no contesta', left_message: 'mensaje dejado', wrong_contact: 'contacto equivocado', reached: 'contactado' } },
    en: { chartCut: (n, of, what) => `The chart shows ${what === 'rows' ? `the first ${n} of ${of} rows` : `the first ${n} of ${of} values on the X axis`}.`, noChart: 'No automatic chart: no text or date column with few distinct values for the X axis. Pick the axes.', all: 'All', logout: 'Sign out', noData: 'No data for these filters', unavailable: (t) => `No data yet: table ${t} is missing (run cartera build)`, error: 'Error', failed: { 400: 'The request is not valid.', 401: 'The session has ended: sign in again.', 403: 'Your role may not see this.', 404: 'Not found.', 408: 'The request timed out.', 409: 'Another operation is running; try again in a moment.', 429: 'Too many requests; wait a moment.', 503: 'No data yet: run cartera build.', other: (s) => `The server answered with error ${s}.`, offline: 'The server does not answer.' }, duckdb: 'DuckDB says:', rows: 'rows', ms: 'ms', prev: 'previous month', run: 'Run', catalog: 'Catalog', x: 'X axis', y: 'Y axis', color: 'Colour', mark: 'Mark', none: '(none)', download: 'Download', close: 'Close', shownOf: (n, of) => `${n} of ${of}`, timelineCut: (n, of) => `The chart shows the newest ${n} of ${of} payments.`, statement: 'Statement', openItems: 'Open items', payments: 'Payments', promises: 'Promises', activities: 'Activities', exportCsv: 'Export CSV', exportXlsx: 'Export XLSX', truncated: 'truncated', plan: 'Plan', planAnalyze: 'Plan with timings', search: 'Find a customer (name or tax id)', customer: 'Customer', total: 'Total', noMatch: 'No customer matches.', date: 'Date', amount: 'Amount', due: 'Due', days: 'Days', open: 'Open', method: 'Method', promised: 'Promised', status: 'Status', channel: 'Channel', outcome: 'Outcome', collector: 'Collector',
      statuses: { open: 'open', pending: 'pending', kept: 'kept', broken: 'broken', closed: 'closed', resolved: 'resolved', cancelled: 'cancelled' },
      channels: { call: 'call', email: 'email', visit: 'visit', letter: 'letter', sms: 'SMS', whatsapp: 'WhatsApp' },
      outcomes: { promise: 'promise to pay', paid: 'already paid', refused: 'refused', callback: 'call back', dispute: 'dispute', other: 'other', no_answer: 'no answer', left_message: 'left a message', wrong_contact: 'wrong contact', reached: 'reached' } },
  };
  const t = () => T[lang];
  const currency = () => cfg.filters.find((f) => f.name === 'currency')?.value || cfg.currency || 'MXN';
  const el = (tag, attrs = {}, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k);
    return e;
  };

  /** A call to the API in the page's locale: its answers (CSV separators, messages, reasons) follow the page, not the browser. */
  const api = (url, init = {}) => fetch(url, { ...init, headers: { Accept: 'application/json', ...init.headers, 'Accept-Language': locale } });

  /** What went wrong, kept apart from its words: a problem is put into words when drawn, in the page's language then. */
  const failure = async (r) => {
    const body = await r.json().catch(() => ({}));
    return { status: r.status, detail: body.detail, lang: r.headers.get('content-language') };
  };

  /**
   * A failure in the page's language: the server's own sentence when it answered in that language,
   * else the page's words for the status. No screen shows two languages at once.
   */
  function problemText(f) {
    if (!f.status) return t().failed.offline;
    if (f.detail && f.lang === lang) return f.detail;
    return t().failed[f.status] || t().failed.other(f.status);
  }

  /** A value in the page's locale (money in `cur`, else the reporting currency); status values in the page's language. */
  function fmt(v, kind, cur) {
    if (kind === 'status' && v !== null && v !== undefined) return t().statuses[v] || t().outcomes[v] || t().channels[v] || String(v);
    return F.formatValue(formats, v, kind, cur || currency());
  }

  function filterQuery() {
    const q = new URLSearchParams();
    for (const f of cfg.filters) if (f.value) q.set(f.name, f.value);
    return q;
  }

  function syncUrl() {
    drawDownloads();
    const q = filterQuery();
    q.set('locale', locale);
    const sql = new URL(location.href).searchParams.get('sql');
    if (sql !== null) q.set('sql', sql);
    history.replaceState(null, '', `${location.pathname}?${q}`);
  }

  /** Vega's formats for the page's locale, with the reporting currency's symbol for '$' formats. */
  const vegaLocale = () => F.vegaLocale(locale, currency());

  /** The spec in the page's language and currency (F.localizeSpec, as charts drawn on the server). */
  const localize = (spec) => F.localizeSpec(spec, lang, currency());

  // ---- header, filters ----
  function drawHeader() {
    document.documentElement.lang = lang;
    document.title = cfg.title[lang];
    document.getElementById('title').textContent = cfg.title[lang];
    const nav = document.getElementById('nav');
    nav.replaceChildren(...cfg.dashboards.map((d) => el('a', { href: `/dashboards/${d.name}?locale=${locale}`, 'aria-current': d.name === cfg.name ? 'page' : null, text: d.title[lang].replace(/^.*— /, '') })));
    document.getElementById('who').textContent = `${cfg.user.name} · ${cfg.user.role}${cfg.user.collector ? ` · ${cfg.user.collector}` : ''}`;
    document.getElementById('logout').textContent = t().logout;
    const pick = document.getElementById('locale');
    pick.replaceChildren(...F.LOCALES.map((l) => el('option', { value: l, text: new Intl.DisplayNames([l], { type: 'language' }).of(l) })));
    pick.value = locale;
  }

  function drawFilters() {
    const form = document.getElementById('filters');
    form.replaceChildren(
      ...cfg.filters.map((f) => {
        const id = `f-${f.name}`;
        let input;
        if (f.type === 'date') input = el('input', { id, name: f.name, type: 'date', value: f.value || '' });
        else {
          input = el('select', { id, name: f.name, disabled: f.locked }, f.optional !== false ? el('option', { value: '', text: t().all }) : null, ...(f.options || []).map((o) => el('option', { value: o, text: o })));
          input.value = f.value || '';
        }
        input.addEventListener('change', () => {
          f.value = input.value || null;
          // What the notes said of the values before is no longer so; the panels say anew when they change this one.
          showNotes([], null);
          syncUrl();
          loadPanels();
          document.dispatchEvent(new CustomEvent('cartera:filters'));
        });
        return el('label', { class: 'filter' }, el('span', { text: f.label[lang] }), input);
      }),
    );
  }

  // ---- tools: downloads for the page's filters, customer search ----
  // The search box is made once per language; only the links follow the filters.
  const downloads = el('span', { class: 'downloads' });
  function drawTools() {
    const box = document.getElementById('tools');
    if (!box) return;
    drawDownloads();
    box.replaceChildren(downloads, cfg.search ? searchBox() : null);
  }

  function drawDownloads() {
    const links = cfg.downloads.map((d) => {
      const q = filterQuery();
      q.set('locale', locale);
      if (d.format) q.set('format', d.format);
      return el('a', { class: 'button', href: `${d.href}?${q}`, 'data-download': `${d.href.split('/').pop()}${d.format ? `.${d.format}` : ''}`, text: d.label[lang] });
    });
    downloads.replaceChildren(...links);
  }

  function searchBox() {
    const results = el('ul', { id: 'search-results', class: 'search-results', hidden: true });
    let pending = 0;
    const input = el('input', { id: 'customer-search', type: 'search', placeholder: t().search, 'aria-label': t().search, autocomplete: 'off' });
    input.addEventListener('input', async () => {
      const text = input.value.trim();
      const mine = ++pending;
      if (text.length < 2) return (results.hidden = true);
      const r = await api(`/api/customers?${new URLSearchParams({ q: text, limit: '10', sort: 'open_balance' })}`);
      const body = r.ok ? await r.json() : { data: [] };
      if (mine !== pending) return;
      results.replaceChildren(
        ...(body.data.length
          ? body.data.map((c) =>
              el('li', {}, el('button', { type: 'button', 'data-customer': c.customer_id, onclick: () => ((results.hidden = true), openDrawer(c.customer_id, c.name)), text: [c.name || c.customer_id, c.tax_id, c.country].filter(Boolean).join(' · ') })),
            )
          : [el('li', { class: 'note', text: t().noMatch })]),
      );
      results.hidden = false;
    });
    return el('div', { class: 'search' }, input, results);
  }

  // ---- panels ----
  const panelData = new Map();
  const cards = new Map();

  function drawCards() {
    const main = document.getElementById('panels');
    main.replaceChildren();
    if (cfg.workbench) main.append(workbench());
    for (const p of cfg.panels) {
      const body = el('div', { class: 'body' });
      const card = el(
        'section',
        { class: `card ${p.type}`, id: `panel-${p.id}`, 'data-panel': p.id, 'data-state': 'loading' },
        el('h2', {}, el('span', { text: p.title[lang] }), el('span', { class: 'info', tabindex: '0', title: p.description[lang], 'aria-label': p.description[lang], text: 'i' })),
        body,
      );
      cards.set(p.id, { card, body });
      main.append(card);
    }
  }

  function setState(p, state, message) {
    const { card, body } = cards.get(p.id);
    card.dataset.state = state;
    if (message) body.replaceChildren(el('p', { class: `note ${state}`, text: message }));
  }

  async function drawPanel(p) {
    const data = panelData.get(p.id);
    if (!data) return;
    const { body } = cards.get(p.id);
    if (data.error) return setState(p, 'error', problemText(data.error));
    if (data.unavailable) return setState(p, 'unavailable', t().unavailable(data.unavailable));
    if (!data.rows.length) return setState(p, 'empty', t().noData);
    if (p.type === 'kpi') body.replaceChildren(tiles(p, data.rows[0]));
    else if (p.type === 'report') body.replaceChildren(report(p, data));
    else if (p.type === 'table') body.replaceChildren(...table(p, data.rows));
    else {
      const spec = { ...localize(p.spec), datasets: { rows: data.rows }, width: 'container', height: p.spec.height || 260, autosize: { type: 'fit', contains: 'padding' } };
      const box = el('div', { class: 'chart' });
      body.replaceChildren(box);
      const loc = vegaLocale();
      const { view } = await vegaEmbed(box, spec, { actions: false, renderer: 'svg', formatLocale: loc.number, timeFormatLocale: loc.time });
      // A chart of customers opens the clicked one's statement, as a table row does.
      if (p.drill) view.addEventListener('click', (_, item) => item?.datum?.[p.drill] && openDrawer(item.datum[p.drill], item.datum.customer || item.datum.customer_name));
    }
    setState(p, 'ready');
  }

  function tiles(p, row) {
    return el(
      'div',
      { class: 'tiles' },
      p.tiles.map((tile) => {
        const v = row[tile.value];
        const prev = tile.previous ? row[tile.previous] : null;
        let shown = null;
        if (v !== null && prev !== null && prev !== undefined) {
          const d = Number(v) - Number(prev);
          const good = d === 0 ? 'flat' : (d > 0) === (tile.better === 'up') ? 'good' : 'bad';
          shown = el('div', { class: `change ${good}`, title: `${t().prev}: ${fmt(prev, tile.format)}` }, `${d > 0 ? '▲' : d < 0 ? '▼' : '■'} ${F.formatChange(formats, d, Number(prev), tile.format, currency())}`);
        }
        const def = tile.definition ? tile.definition[lang] : '';
        return el(
          'div',
          { class: 'tile', 'data-kpi': tile.kpi },
          el('div', { class: 'name' }, el('span', { text: tile.name[lang] }), def ? el('span', { class: 'info', tabindex: '0', title: def, 'aria-label': def, text: 'i' }) : null),
          el('div', { class: 'value', title: fmt(v, tile.format), text: fmt(v, tile.format === 'money' ? 'money-short' : tile.format) }),
          shown,
        );
      }),
    );
  }

  /** A report of customers by bucket (the aged receivables report): one column per bucket, a total, and a totals row per currency. */
  function report(p, data) {
    const num = { class: 'num' };
    // One currency (the usual case: the reporting one) is named once, in the header: a code in every cell pushed the
    // Total column off a 1,400 px page in English (MX$10,147,755.27). Several currencies keep theirs in each cell.
    const currencies = [...new Set([...data.rows, ...data.totals].map((r) => r.currency))];
    const one = currencies.length === 1 ? currencies[0] : null;
    const money = (row, k) => el('td', { ...num, text: one ? formats.amount(row[k], one) : fmt(row[k], 'money', row.currency) });
    const bucketName = (b) => (lang === 'es' && b === 'current' ? 'al corriente' : lang === 'es' && b === 'unapplied' ? 'sin aplicar' : b);
    const head = el('tr', {}, el('th', { text: one ? `${t().customer} (${one})` : t().customer }), ...data.buckets.map((b) => el('th', { ...num, text: bucketName(b) })), el('th', { ...num, text: t().total }));
    const line = (row) =>
      el(
        'tr',
        p.drill ? { tabindex: '0', class: 'drill', 'data-id': row[p.drill], onclick: () => openDrawer(row[p.drill], row.customer_name), onkeydown: (e) => e.key === 'Enter' && openDrawer(row[p.drill], row.customer_name) } : {},
        el('td', { text: row.customer_name || row.customer_id }),
        ...data.buckets.map((b) => money(row, b)),
        money(row, 'total'),
      );
    const totals = data.totals.map((row) => el('tr', { class: 'total' }, el('th', { text: `${t().total} ${row.currency}` }), ...data.buckets.map((b) => money(row, b)), money(row, 'total')));
    return el('div', { class: 'scroll' }, el('table', { class: 'report' }, el('thead', {}, head), el('tbody', {}, data.rows.map(line)), el('tfoot', {}, totals)));
  }

  function table(p, rows) {
    const cols = p.columns.map((c) => ({ ...c, field: c.field.replace('{lang}', lang) }));
    const numeric = (c) => (c.format && !['date', 'datetime', 'reasons'].includes(c.format) ? 'num' : null);
    // A reasons column holds the model's codes; their values are in reason_values, put into the page's words here.
    // Money in a table is in the reporting currency: its column says which, as a chart's axis does, and its cells do not repeat it.
    const cellText = (r, c) => (c.format === 'reasons' ? F.describeReasons(formats, r[c.field], r.reason_values, currency()) : fmt(r[c.field], c.format === 'money' ? 'amount' : c.format));
    const title = (c) => (c.format === 'money' ? `${c.title[lang]} (${currency()})` : c.title[lang]);
    const head = el('tr', {}, cols.map((c) => el('th', { class: numeric(c), text: title(c) })));
    const body = rows.map((r) =>
      el(
        'tr',
        p.drill ? { tabindex: '0', class: 'drill', 'data-id': r[p.drill], onclick: () => openDrawer(r[p.drill], r.customer_name), onkeydown: (e) => e.key === 'Enter' && openDrawer(r[p.drill], r.customer_name) } : {},
        cols.map((c) => el('td', { class: numeric(c), text: cellText(r, c) })),
      ),
    );
    const out = [];
    if (p.exports) {
      const q = filterQuery();
      q.set('locale', locale); // the CSV is written for this locale's spreadsheet
      const link = (format, label) => {
        q.set('format', format);
        return el('a', { class: 'button', href: `/api/dashboards/${cfg.name}/panels/${p.id}?${q}`, download: `call_list.${format}`, 'data-export': format, text: label });
      };
      out.push(el('div', { class: 'actions' }, link('csv', t().exportCsv), link('xlsx', t().exportXlsx), el('span', { class: 'count', text: `${fmt(rows.length, 'integer')} ${t().rows}` })));
    }
    out.push(el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, head), el('tbody', {}, body))));
    return out;
  }

  let generation = 0;
  // Values of the link the server set aside (gone, mistyped, not a filter here): said for as long as the page is open.
  const resetNotes = cfg.notes.filter((n) => n.reset);
  /** Says when a filter's value was changed to the one the page shows (say, a date after the data). */
  let lastNotes = cfg.notes.filter((n) => !n.reset);
  function showNotes(notes, values) {
    lastNotes = notes;
    const all = [...resetNotes, ...notes];
    const box = document.getElementById('filter-notes');
    box.hidden = all.length === 0;
    box.textContent = all.map((n) => n.text[lang]).join(' ');
    for (const n of notes) {
      const f = cfg.filters.find((x) => x.name === n.filter);
      const input = document.getElementById(`f-${n.filter}`);
      if (f && values) f.value = values[n.filter];
      if (input && values) input.value = values[n.filter] ?? '';
    }
    if (all.length) syncUrl();
  }

  async function loadPanels() {
    const mine = ++generation;
    const main = document.getElementById('panels');
    main.dataset.state = 'loading';
    const t0 = performance.now();
    const q = filterQuery();
    await Promise.all(
      cfg.panels.map(async (p) => {
        cards.get(p.id).card.dataset.state = 'loading';
        let data;
        try {
          const src = p.source ? `${p.source}?${q}&locale=${locale}` : `/api/dashboards/${cfg.name}/panels/${p.id}?${q}`;
          const r = await api(src);
          if (r.status === 401) location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
          if (!r.ok) data = { error: await failure(r) };
          else {
            const body = await r.json();
            data = p.source ? { rows: body.data, totals: body.totals, buckets: body.buckets } : body;
          }
        } catch {
          data = { error: { status: 0 } };
        }
        if (mine !== generation) return;
        // A panel asked for the values the page shows needs no note: one the page had (a link's mid-month date) stays.
        if (data.notes?.length) showNotes(data.notes, data.filters);
        panelData.set(p.id, data);
        try {
          await drawPanel(p);
        } catch (err) {
          setState(p, 'error', `${t().error}: ${err.message}`);
        }
      }),
    );
    if (mine !== generation) return;
    main.dataset.state = 'ready';
    window.__cartera = { drawnMs: performance.now() - t0, sinceNavigationMs: performance.now() };
  }

  async function redrawAll() {
    drawHeader();
    drawFilters();
    drawTools();
    showNotes(lastNotes, null);
    drawCards();
    await Promise.all(cfg.panels.map((p) => drawPanel(p).catch((err) => setState(p, 'error', `${t().error}: ${err.message}`))));
    if (lastResult) showResult(lastResult);
  }

  // ---- customer drill-down ----
  async function openDrawer(id, name) {
    const drawer = document.getElementById('drawer');
    drawer.hidden = false;
    drawer.replaceChildren(el('p', { text: '…' }));
    const r = await api(`/api/customers/${encodeURIComponent(id)}`);
    if (!r.ok) return drawer.replaceChildren(el('p', { class: 'note error', text: problemText(await failure(r)) }), el('button', { type: 'button', onclick: () => (drawer.hidden = true), text: t().close }));
    const s = await r.json();
    // A list shows its first 100 rows (the API sends the newest few hundred): its title says so when that is not all of them.
    const SHOWN = 100;
    const count = (shown, total) => (shown < total ? t().shownOf(fmt(shown, 'integer'), fmt(total, 'integer')) : fmt(total, 'integer'));
    const list = (title, rows, total, cols) =>
      el('section', {}, el('h3', { text: `${title} (${count(Math.min(rows.length, SHOWN), total ?? rows.length)})` }), rows.length ? el('div', { class: 'scroll short' }, el('table', {}, el('thead', {}, el('tr', {}, cols.map(([c, , f]) => el('th', { class: f && f !== 'date' && f !== 'status' ? 'num' : null, text: c })))), el('tbody', {}, rows.slice(0, SHOWN).map((row) => el('tr', {}, cols.map(([, k, f, cur]) => el('td', { class: f && f !== 'date' && f !== 'status' ? 'num' : null, text: fmt(row[k], f, cur && row[cur]) }))))))) : null);
    const counts = s.counts ?? {};
    const timeline = el('div', { class: 'chart' });
    drawer.replaceChildren(
      el('header', {}, el('h2', { text: `${t().statement}: ${name || id}` }), el('button', { type: 'button', id: 'drawer-close', onclick: () => (drawer.hidden = true), text: t().close })),
      el('p', { class: 'actions', id: 'drawer-statement' }, ...['html', 'pdf'].map((f) => el('a', { class: 'button', href: `/api/customers/${encodeURIComponent(id)}/statement?format=${f}`, target: f === 'html' ? '_blank' : null, 'data-statement': f, text: `${t().statement} (${f.toUpperCase()})` }))),
      el('div', { id: 'drawer-record' }),
      timeline,
      list(t().openItems, s.open_items, counts.open_items, [['#', 'invoice_id'], [t().due, 'due_date', 'date'], [t().days, 'days_past_due', 'integer'], [t().open, 'outstanding_reporting', 'money']]),
      list(t().payments, s.payments, counts.payments, [['#', 'payment_id'], [t().date, 'payment_date', 'date'], [t().amount, 'amount_reporting', 'money'], [t().method, 'method']]),
      list(t().promises, s.promises, counts.promises, [[t().date, 'promise_date', 'date'], [t().promised, 'promised_date', 'date'], [t().amount, 'amount', 'money', 'currency'], [t().status, 'status', 'status']]),
      list(t().activities, s.activities, counts.activities, [[t().date, 'activity_date', 'date'], [t().channel, 'channel', 'status'], [t().outcome, 'outcome', 'status'], [t().collector, 'collector']]),
    );
    // The collector's workspace (queue.js) adds its record buttons here.
    document.dispatchEvent(new CustomEvent('cartera:drawer', { detail: { id, name: name || id } }));
    const points = s.payments.map((p) => ({ date: p.payment_date, amount: Number(p.amount_reporting), kind: t().payments }));
    if (points.length) {
      const loc = vegaLocale();
      const spec = { data: { values: points }, width: 'container', height: 120, mark: { type: 'bar', width: 3 }, encoding: { x: { field: 'date', type: 'temporal', title: null }, y: { field: 'amount', type: 'quantitative', format: 'money', title: t().payments }, tooltip: [{ field: 'date', type: 'temporal', title: t().date }, { field: 'amount', type: 'quantitative', format: 'money', title: t().amount }] } };
      await vegaEmbed(timeline, localize(spec), { actions: false, renderer: 'svg', formatLocale: loc.number, timeFormatLocale: loc.time });
      if (counts.payments > points.length) timeline.after(el('p', { class: 'meta', id: 'drawer-timeline-cut', text: t().timelineCut(fmt(points.length, 'integer'), fmt(counts.payments, 'integer')) }));
    }
  }

  // ---- analyst workbench ----
  let lastResult = null;
  let catalog = null;
  function workbench() {
    const sql = el('textarea', { id: 'sql', spellcheck: 'false', rows: '10' });
    sql.value = new URL(location.href).searchParams.get('sql') || cfg.workbench.sql;
    const cat = el('div', { id: 'catalog', class: 'catalog' });
    const run = el('button', { id: 'run', type: 'button', text: t().run, onclick: () => runSql() });
    // EXPLAIN is asked for, not typed: the server explains the query only after checking it.
    const plans = [['plan', t().plan], ['analyze', t().planAnalyze]].map(([mode, label]) => el('button', { type: 'button', 'data-explain': mode, onclick: () => runSql(mode), text: label }));
    sql.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) runSql();
    });
    const downloads = ['csv', 'parquet', 'arrow'].map((f) => el('button', { type: 'button', 'data-download': f, onclick: () => download(f), text: `${t().download} ${f.toUpperCase()}` }));
    const card = el(
      'section',
      { class: 'card workbench', id: 'workbench' },
      el('div', { class: 'editor' }, el('h2', { text: 'SQL' }), sql, el('div', { class: 'actions' }, run, ...plans, ...downloads)),
      el('div', {}, el('h2', { text: t().catalog }), cat),
      el('div', { id: 'result', class: 'result' }),
    );
    loadCatalog(cat);
    // Open with the default query's result and chart, as an example of the workflow.
    setTimeout(runSql, 0);
    return card;
  }

  async function loadCatalog(box) {
    if (!catalog) {
      const r = await api('/api/catalog');
      catalog = r.ok ? (await r.json()).relations : [];
    }
    box.replaceChildren(
      ...catalog.map((rel) =>
        el(
          'details',
          {},
          el('summary', { title: rel.description || '', text: `${rel.name} (${rel.kind})` }),
          el('ul', {}, rel.columns.map((c) => el('li', { title: c.description || '' }, el('code', { text: c.name }), ` ${c.type}`))),
        ),
      ),
    );
  }

  async function postSql(format, explain) {
    const sql = document.getElementById('sql').value;
    return api(`/api/sql${format ? `?format=${format}` : ''}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: '*/*' },
      body: JSON.stringify(explain ? { sql, explain } : { sql }),
    });
  }

  /**
   * A refused or failed query. The guard's own words follow the page's language; DuckDB's error
   * (a parse or binder error, in English) is what the analyst needs to fix the SQL, so it is quoted
   * as DuckDB wrote it, marked as its words and as English, under a sentence in the page's language.
   */
  function sqlProblem(f) {
    const own = !f.detail || f.lang === lang;
    return el(
      'div',
      { class: 'note error', role: 'alert' },
      el('p', { text: own ? problemText(f) : `${t().failed[f.status] || t().failed.other(f.status)} ${t().duckdb}` }),
      own ? null : el('pre', { lang: 'en', class: 'quoted', text: f.detail }),
    );
  }

  async function runSql(explain) {
    const box = document.getElementById('result');
    box.dataset.state = 'loading';
    const r = await postSql(undefined, explain);
    if (!r.ok) {
      lastResult = null;
      box.dataset.state = 'error';
      box.replaceChildren(sqlProblem(await failure(r)));
      return;
    }
    const body = await r.json();
    const u = new URL(location.href);
    u.searchParams.set('sql', document.getElementById('sql').value);
    history.replaceState(null, '', u);
    if (explain) {
      lastResult = null;
      box.replaceChildren(el('pre', { class: 'plan', id: 'result-plan', text: body.rows.map((row) => row[row.length - 1]).join('\n') }));
      box.dataset.state = 'ready';
      return;
    }
    lastResult = { ...body, chart: defaultChart(body) };
    showResult(lastResult);
  }

  const NUMERIC = /^(DECIMAL|BIGINT|INTEGER|HUGEINT|DOUBLE|FLOAT|SMALLINT|TINYINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT)/;
  const TEMPORAL = /^(DATE|TIMESTAMP)/;
  // What a chart can draw and a browser stays responsive with: more rows, or more categories on X, are cut (and the page says so).
  const MAX_POINTS = 2000;
  const MAX_CATEGORIES = 60;
  const MAX_COLORS = 12;
  /** Distinct values of a column, counted up to `cap` + 1 (enough to know it has too many). */
  function distinctUpTo(res, col, cap) {
    const i = res.columns.indexOf(col);
    const seen = new Set();
    for (const row of res.rows) {
      seen.add(row[i]);
      if (seen.size > cap) break;
    }
    return seen.size;
  }
  /**
   * The chart a result opens with: a date on X (a line, or points), else a text column with few distinct values
   * (bars); never an id with thousands of values. Y is the first measure: a number that is not a
   * key, an order or a rank. Colour is a second text column with a handful of values.
   */
  function defaultChart(res) {
    const type = (c) => res.column_types[res.columns.indexOf(c)] || '';
    const isNum = (c) => NUMERIC.test(type(c));
    const time = res.columns.find((c) => TEMPORAL.test(type(c)) && distinctUpTo(res, c, MAX_POINTS) > 1);
    const texts = res.columns.filter((c) => !isNum(c) && !TEMPORAL.test(type(c)));
    const x = time ?? texts.find((c) => distinctUpTo(res, c, MAX_CATEGORIES) <= MAX_CATEGORIES) ?? '';
    const measures = res.columns.filter((c) => isNum(c) && c !== x && !/(^|_)(id|key|order|rank|rn|n)$/i.test(c));
    const color = texts.find((c) => c !== x && distinctUpTo(res, c, MAX_COLORS) <= MAX_COLORS) ?? '';
    // A line joins one value per date; rows that share dates (invoices, not a series) are points.
    const series = time && distinctUpTo(res, time, res.rows.length) === res.rows.length;
    return { x, y: measures[0] ?? res.columns.find((c) => isNum(c) && c !== x) ?? '', color, mark: time ? (series ? 'line' : 'point') : 'bar' };
  }

  /** The rows the chart draws: at most MAX_CATEGORIES values on a text X axis (the first ones, in the query's order) and MAX_POINTS rows. */
  function chartRows(objects, x, xType) {
    let rows = objects;
    let cut = null;
    if (xType === 'nominal' || xType === 'ordinal') {
      const keep = new Set();
      for (const o of objects) {
        if (keep.size >= MAX_CATEGORIES && !keep.has(o[x])) continue;
        keep.add(o[x]);
      }
      const all = new Set(objects.map((o) => o[x])).size;
      if (all > keep.size) {
        rows = objects.filter((o) => keep.has(o[x]));
        cut = t().chartCut(keep.size, all, 'categories');
      }
    }
    if (rows.length > MAX_POINTS) {
      cut = t().chartCut(MAX_POINTS, rows.length, 'rows');
      rows = rows.slice(0, MAX_POINTS);
    }
    return { rows, cut };
  }

  /**
   * A result cell as the SQL gives it: a DECIMAL with its scale and an integer digit for digit (both come as
   * text, exact past a double's 15 digits), a floating-point number in the page's format, other values as they are.
   */
  function resultCell(v, type) {
    if (v === null || v === undefined) return fmt(v, null);
    const decimal = /^DECIMAL\(\d+,\s*(\d+)\)/.exec(type);
    if (decimal) return formats.decimal(v, Number(decimal[1]));
    if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(type)) return formats.decimal(v, 0);
    return fmt(v, NUMERIC.test(type) ? 'number' : null);
  }

  function showResult(res) {
    const box = document.getElementById('result');
    if (!box) return;
    const objects = res.rows.map((row) => Object.fromEntries(res.columns.map((c, i) => [c, NUMERIC.test(res.column_types[i]) && row[i] !== null ? Number(row[i]) : row[i]])));
    const pick = (key, label, allowNone) =>
      el('label', {}, el('span', { text: label }), (() => {
        const s = el('select', { id: `chart-${key}`, onchange: (e) => { res.chart[key] = e.target.value; showResult(res); } }, allowNone ? el('option', { value: '', text: t().none }) : null, res.columns.map((c) => el('option', { value: c, text: c })));
        s.value = res.chart[key];
        return s;
      })());
    const markSel = el('select', { id: 'chart-mark', onchange: (e) => { res.chart.mark = e.target.value; showResult(res); } }, ['bar', 'line', 'point', 'area'].map((m) => el('option', { value: m, text: m })));
    markSel.value = res.chart.mark;
    const chart = el('div', { class: 'chart', id: 'result-chart' });
    const head = el('tr', {}, res.columns.map((c, i) => el('th', { class: NUMERIC.test(res.column_types[i]) ? 'num' : null, text: c })));
    const rows = res.rows.slice(0, 500).map((row) => el('tr', {}, row.map((v, i) => el('td', { class: NUMERIC.test(res.column_types[i]) ? 'num' : null, text: resultCell(v, res.column_types[i]) }))));
    // replaceChildren would show a null as the text "null".
    box.replaceChildren(
      ...[
        el('p', { class: 'meta', id: 'result-meta', text: `${fmt(res.row_count, 'integer')} ${t().rows} · ${fmt(res.elapsed_ms, 'integer')} ${t().ms}${res.truncated ? ` · ${t().truncated}` : ''}` }),
        res.note ? el('p', { class: 'note warning', id: 'result-note', role: 'status', text: res.note }) : null,
        el('div', { class: 'chart-controls' }, pick('x', t().x, true), pick('y', t().y, true), pick('color', t().color, true), el('label', {}, el('span', { text: t().mark }), markSel)),
        chart,
        el('div', { class: 'scroll' }, el('table', { id: 'result-table' }, el('thead', {}, head), el('tbody', {}, rows))),
      ].filter(Boolean),
    );
    box.dataset.state = 'ready';
    const { x, y, color, mark } = res.chart;
    if (!x || !y) {
      if (res.rows.length) chart.replaceChildren(el('p', { class: 'note', id: 'chart-note', text: t().noChart }));
      return;
    }
    const type = (c) => {
      const ty = res.column_types[res.columns.indexOf(c)] || '';
      return NUMERIC.test(ty) ? 'quantitative' : TEMPORAL.test(ty) ? 'temporal' : 'nominal';
    };
    const loc = vegaLocale();
    const xType = type(x) === 'quantitative' && mark === 'bar' ? 'ordinal' : type(x);
    // Categories keep the query's order (ORDER BY bucket_order, say), not the alphabet's.
    // A DATE column's tooltip in the page's language (Vega-Lite's own is English order); a timestamp keeps its time.
    const tip = (c) => ({ field: c, type: type(c), ...(res.column_types[res.columns.indexOf(c)] === 'DATE' ? { format: F.dayFormat(lang) } : {}) });
    const enc = { x: { field: x, type: xType, ...(xType === 'temporal' || xType === 'quantitative' ? {} : { sort: null }) }, y: { field: y, type: 'quantitative' }, tooltip: res.columns.slice(0, 6).map(tip) };
    if (color) enc.color = { field: color, type: type(color), ...(type(color) === 'nominal' ? { sort: null } : {}) };
    const drawn = chartRows(objects, x, xType);
    if (drawn.cut) chart.before(el('p', { class: 'note', id: 'chart-note', text: drawn.cut }));
    vegaEmbed(chart, { data: { values: drawn.rows }, width: 'container', height: 260, autosize: { type: 'fit', contains: 'padding' }, mark: { type: mark, tooltip: true }, encoding: enc }, { actions: false, renderer: 'svg', formatLocale: loc.number, timeFormatLocale: loc.time })
      .then(() => (chart.dataset.state = 'ready'))
      .catch((err) => chart.replaceChildren(el('p', { class: 'note error', text: err.message })));
  }

  async function download(format) {
    const r = await postSql(format);
    if (!r.ok) {
      document.getElementById('result').replaceChildren(sqlProblem(await failure(r)));
      return;
    }
    const a = el('a', { href: URL.createObjectURL(await r.blob()), download: `query.${format}` });
    document.body.append(a);
    a.click();
    a.remove();
  }

  // ---- start ----
  document.getElementById('locale').addEventListener('change', (e) => {
    locale = e.target.value;
    lang = F.languageOf(locale);
    formats = F.formatsFor(locale);
    syncUrl();
    redrawAll();
    document.dispatchEvent(new CustomEvent('cartera:lang'));
  });
  document.getElementById('logout').addEventListener('click', async () => {
    await fetch('/api/logout', { method: 'POST' });
    location.href = '/login';
  });
  // What the collector's workspace (queue.js, loaded after this script) shares with the page.
  window.cartera = {
    el,
    lang: () => lang,
    locale: () => locale,
    formats: () => formats,
    fmt,
    api,
    failure,
    problemText,
    reasons: (codes, values) => F.describeReasons(formats, codes, values, currency()),
    openDrawer,
    filter: (name) => cfg.filters.find((f) => f.name === name)?.value ?? null,
    user: cfg.user,
  };
  drawHeader();
  drawFilters();
  drawTools();
  showNotes(lastNotes, null);
  drawCards();
  loadPanels();
})();
