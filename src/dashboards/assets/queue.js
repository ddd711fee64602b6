// The collector's workspace on the collections page: today's queue (the calls scheduled for the day,
// ranked 1, 2, 3...), the legal and dispute queues, the collector's own numbers for the month, and
// the forms that record a contact, a promise to pay or a dispute. Everything comes from the API
// (/api/call-list?queue=, /api/collector-numbers) and is written through it (POST /api/activities,
// /api/promises, /api/disputes, each with an Idempotency-Key); the queue reloads after every record.
(() => {
  const C = window.cartera;
  const { el } = C;
  const box = document.getElementById('queue');
  if (!box || !C) return;

  const T = {
    es: {
      today: 'Hoy', legal: 'Legal', disputes: 'Disputas', day: 'Día', team: 'equipo',
      title: { today: 'Cola del día', legal: 'Cuentas en etapa legal (entregadas, no se llaman a diario)', disputes: 'Disputas (resolverlas, no cobrar el pago)' },
      calls: (n) => `${n} ${n === 1 ? 'cliente' : 'clientes'}`,
      empty: { today: 'Nada programado para este día.', legal: 'Ninguna cuenta en etapa legal.', disputes: 'Ninguna disputa abierta.' },
      numbers: (m, who) => `Mis números de ${m}${who ? ` · ${who}` : ''}`,
      contacts: 'Gestiones', reached: 'contactados', promisesMade: 'Promesas hechas', promisesKept: 'Promesas cumplidas', collected: 'Cobrado a clientes gestionados',
      collectedHelp: 'Pagos recibidos en el mes de los clientes con una gestión o promesa del cobrador en el mes, por moneda (no se suman monedas distintas).',
      cols: { rank: '#', customer: 'Cliente', contact: 'Teléfono / correo', open: 'Saldo abierto', overdue: 'Vencido', dpd: 'Días vencido', band: 'Riesgo', reasons: 'Motivos', promise: 'Promesa abierta', dispute: 'Disputa', last: 'Última gestión', action: 'Acción sugerida', record: 'Registrar' },
      yes: 'Sí', no: 'No',
      record: { contact: 'Gestión', promise: 'Promesa', dispute: 'Disputa' },
      formTitle: { contact: 'Registrar gestión', promise: 'Registrar promesa de pago', dispute: 'Registrar disputa' },
      channel: 'Canal', wasReached: '¿Se contactó al cliente?', outcome: 'Resultado', note: 'Nota', next: 'Próxima acción', promisedDate: 'Fecha prometida',
      amount: 'Importe', currency: 'Moneda', invoices: 'Facturas', reason: 'Motivo', save: 'Guardar', saving: 'Guardando…', cancel: 'Cancelar',
      notSaved: (d) => `No se guardó: ${d}`, saved: 'Guardado: la cola ya lo refleja.', loadError: (d) => `No se pudo cargar la cola: ${d}`,
      channels: { call: 'Llamada', email: 'Correo', visit: 'Visita', letter: 'Carta', sms: 'SMS', whatsapp: 'WhatsApp' },
      outcomes: { promise: 'Promesa de pago', paid: 'Ya pagó', refused: 'Se niega', callback: 'Volver a llamar', dispute: 'Disputa', other: 'Otro', no_answer: 'No contesta', left_message: 'Mensaje dejado', wrong_contact: 'Contacto equivocado' },
      exportCsv: 'CSV', exportXlsx: 'XLSX',
      openPromises: 'Promesas abiertas registradas en Cartera', kept: 'Cumplida', broken: 'Incumplida',
    },
    en: {
      today: 'Today', legal: 'Legal', disputes: 'Disputes', day: 'Day', team: 'team',
      title: { today: "Today's queue", legal: 'Accounts in the legal stage (handed over, not called daily)', disputes: "Disputes (resolve them, don't chase the payment)" },
      calls: (n) => `${n} ${n === 1 ? 'customer' : 'customers'}`,
      empty: { today: 'Nothing scheduled for this day.', legal: 'No account in the legal stage.', disputes: 'No open dispute.' },
      numbers: (m, who) => `My numbers for ${m}${who ? ` · ${who}` : ''}`,
      contacts: 'Contacts', reached: 'reached', promisesMade: 'Promises made', promisesKept: 'Promises kept', collected: 'Collected from customers worked',
      collectedHelp: "Payments received in the month from the customers the collector contacted or took a promise from in the month, per currency (currencies are never added up).",
      cols: { rank: '#', customer: 'Customer', contact: 'Phone / email', open: 'Open balance', overdue: 'Overdue', dpd: 'Days past due', band: 'Risk', reasons: 'Reasons', promise: 'Open promise', dispute: 'Dispute', last: 'Last contact', action: 'Suggested action', record: 'Record' },
      yes: 'Yes', no: 'No',
      record: { contact: 'Contact', promise: 'Promise', dispute: 'Dispute' },
      formTitle: { contact: 'Record a contact', promise: 'Record a promise to pay', dispute: 'Record a dispute' },
      channel: 'Channel', wasReached: 'Was the customer reached?', outcome: 'Outcome', note: 'Note', next: 'Next action', promisedDate: 'Promised date',
      amount: 'Amount', currency: 'Currency', invoices: 'Invoices', reason: 'Reason', save: 'Save', saving: 'Saving…', cancel: 'Cancel',
      notSaved: (d) => `Not saved: ${d}`, saved: 'Saved: the queue shows it now.', loadError: (d) => `The queue could not be loaded: ${d}`,
      channels: { call: 'Call', email: 'Email', visit: 'Visit', letter: 'Letter', sms: 'SMS', whatsapp: 'WhatsApp' },
      outcomes: { promise: 'Promise to pay', paid: 'Already paid', refused: 'Refused', callback: 'Call back', dispute: 'Dispute', other: 'Other', no_answer: 'No answer', left_message: 'Left a message', wrong_contact: 'Wrong contact' },
      exportCsv: 'CSV', exportXlsx: 'XLSX',
      openPromises: 'Open promises recorded in Cartera', kept: 'Kept', broken: 'Broken',
    },
  };
  const t = () => T[C.lang()];
  // As the API takes them (src/api/routes/activities.ts).
  const CHANNELS = ['call', 'email', 'visit', 'letter', 'sms', 'whatsapp'];
  const OUTCOMES = { true: ['promise', 'paid', 'refused', 'callback', 'dispute', 'other'], false: ['no_answer', 'left_message', 'wrong_contact', 'other'] };
  const canRecord = ['collections', 'admin'].includes(C.user.role);
  const state = { queue: 'today', date: null, asOf: null, rows: [], numbers: null, error: null, flash: null };

  const money = (amount, currency) => {
    try {
      // The code, not a symbol: '$' is the peso in Mexico and the dollar in the US, and a queue holds both.
      return C.formats().moneyCode(amount, currency);
    } catch {
      return `${currency} ${amount}`;
    }
  };
  // In units (43.8 M MXN), as the page's other tiles show money: a team's month in four currencies fits a phone's tile.
  const moneyShort = (amount, currency) => {
    try {
      return C.formats().moneyShort(Number(amount), currency);
    } catch {
      return money(amount, currency);
    }
  };
  const collectorQuery = () => {
    const q = new URLSearchParams();
    const who = C.filter('collector');
    if (who) q.set('collector', who);
    return q;
  };

  async function getJson(url) {
    const r = await C.api(url);
    if (r.status === 401) location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    if (!r.ok) throw new Error(C.problemText(await C.failure(r)));
    return r.json();
  }

  let generation = 0;
  async function load() {
    const mine = ++generation;
    box.dataset.state = 'loading';
    const q = collectorQuery();
    q.set('queue', state.queue);
    q.set('limit', '500');
    if (state.queue === 'today' && state.date) q.set('date', state.date);
    try {
      const [list, numbers] = await Promise.all([getJson(`/api/call-list?${q}`), getJson(`/api/collector-numbers?${collectorQuery()}`)]);
      if (mine !== generation) return;
      Object.assign(state, { rows: list.data, asOf: list.as_of, numbers, error: null });
      if (state.queue === 'today') state.date = list.date;
    } catch (err) {
      if (mine !== generation) return;
      // fetch's own TypeError ('Failed to fetch') is the browser's English: say it in the page's words.
      state.error = err instanceof TypeError ? C.problemText({ status: 0 }) : err.message;
    }
    draw();
    box.dataset.state = state.error ? 'error' : 'ready';
  }

  // ---- drawing ----
  function draw() {
    const heading = el('h2', { id: 'queue-title' }, el('span', { text: t().title[state.queue] }), el('span', { class: 'count', id: 'queue-count', text: t().calls(state.rows.length) }));
    // replaceChildren would show a null as the text "null".
    box.replaceChildren(
      ...[
        el('div', { class: 'queue-head' }, tabs(), state.queue === 'today' ? datePicker() : null, exportLinks()),
        numbers(),
        heading,
        state.flash ? el('p', { class: 'note', role: 'status', id: 'queue-flash', text: state.flash }) : null,
        state.error ? el('p', { class: 'note error', role: 'alert', text: t().loadError(state.error) }) : rowsTable(),
      ].filter(Boolean),
    );
  }

  function tabs() {
    return el(
      'div',
      { class: 'tabs', role: 'tablist' },
      ['today', 'legal', 'disputes'].map((name) =>
        el('button', {
          type: 'button',
          role: 'tab',
          'data-queue': name,
          'aria-selected': String(state.queue === name),
          text: t()[name],
          onclick: () => {
            state.queue = name;
            state.flash = null;
            load();
          },
        }),
      ),
    );
  }

  function datePicker() {
    const input = el('input', { type: 'date', id: 'queue-date', min: state.asOf, value: state.date || '' });
    input.addEventListener('change', () => {
      state.date = input.value || null;
      state.flash = null;
      load();
    });
    return el('label', { class: 'filter' }, el('span', { text: t().day }), input);
  }

  function exportLinks() {
    const q = collectorQuery();
    q.set('queue', state.queue);
    q.set('limit', '5000');
    if (state.queue === 'today' && state.date) q.set('date', state.date);
    const link = (format, label) => {
      q.set('format', format);
      return el('a', { class: 'button', href: `/api/call-list?${q}`, download: `queue_${state.queue}.${format}`, 'data-queue-export': format, text: label });
    };
    return el('span', { class: 'actions' }, link('csv', t().exportCsv), link('xlsx', t().exportXlsx));
  }

  function numbers() {
    const n = state.numbers;
    if (!n) return null;
    const month = new Intl.DateTimeFormat(C.locale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${n.month}-01T00:00:00Z`));
    const tile = (key, name, value, help) =>
      el('div', { class: 'tile', 'data-number': key }, el('div', { class: 'name' }, el('span', { text: name }), help ? el('span', { class: 'info', tabindex: '0', title: help, 'aria-label': help, text: 'i' }) : null), el('div', { class: 'value' }, value));
    const int = (v) => C.fmt(v, 'integer');
    return el(
      'section',
      { class: 'numbers', id: 'queue-numbers' },
      el('h3', { text: t().numbers(month, n.collector || t().team) }),
      el(
        'div',
        { class: 'tiles' },
        // Imported contacts do not say whether the customer was reached: the count shows once some do.
        tile('contacts', t().contacts, n.contacts_reached ? `${int(n.contacts)} (${int(n.contacts_reached)} ${t().reached})` : int(n.contacts)),
        tile('promises_made', t().promisesMade, int(n.promises_made)),
        tile('promises_kept', t().promisesKept, int(n.promises_kept)),
        tile('collected', t().collected, n.collected.length ? n.collected.map((c) => el('div', { title: money(c.amount, c.currency), text: moneyShort(c.amount, c.currency) })) : '—', t().collectedHelp),
      ),
    );
  }

  function rowsTable() {
    if (!state.rows.length) return el('p', { class: 'note empty', id: 'queue-empty', text: t().empty[state.queue] });
    const c = t().cols;
    const heads = ['rank', 'customer', 'contact', 'open', 'overdue', 'dpd', 'band', 'reasons', 'promise', 'dispute', 'last', 'action', ...(canRecord ? ['record'] : [])];
    const lang = C.lang();
    const cell = (key, ...kids) => el('td', { 'data-label': c[key], class: ['rank', 'open', 'overdue', 'dpd'].includes(key) ? 'num' : null }, ...kids);
    const lines = (items) => items.map((x) => el('div', { text: x }));
    const body = state.rows.map((r) => {
      return el(
        'tr',
        { 'data-customer': r.customer_id, 'data-rank': String(r.rank) },
        cell('rank', String(r.rank)),
        cell('customer', el('button', { type: 'button', class: 'link', 'data-open': r.customer_id, onclick: () => C.openDrawer(r.customer_id, r.customer_name), text: r.customer_name }), el('div', { class: 'muted', text: r.customer_id })),
        cell('contact', r.phone ? el('div', {}, el('a', { href: `tel:${r.phone.replace(/[^\d+]/g, '')}`, text: r.phone })) : null, r.email ? el('div', {}, el('a', { href: `mailto:${r.email}`, text: r.email })) : null),
        cell('open', ...lines((r.balances || []).map((b) => money(b.open, b.currency)))),
        cell('overdue', ...lines((r.balances || []).map((b) => money(b.overdue, b.currency)))),
        cell('dpd', C.fmt(r.oldest_days_past_due, 'integer')),
        cell('band', el('span', { class: `band band-${String(r.risk_band || '').toLowerCase()}`, text: r.risk_band || '—' })),
        cell('reasons', C.reasons(r.reasons, r.reason_values) || '—'),
        // Each currency promised in its own money: a promise is never shown in a currency it was not made in.
        cell('promise', r.open_promise_date ? [C.fmt(r.open_promise_date, 'date'), ...(r.promises || []).map((p) => money(p.amount, p.currency))].join(' · ') : '—'),
        cell('dispute', r.has_dispute ? el('span', { class: 'flag', text: t().yes }) : t().no),
        cell('last', r.last_activity_date ? [C.fmt(r.last_activity_date, 'date'), t().channels[r.last_activity_channel] || r.last_activity_channel, t().outcomes[r.last_activity_outcome] || r.last_activity_outcome].filter(Boolean).join(' · ') : '—'),
        cell('action', r[`suggested_action_${lang}`] || r.suggested_action),
        canRecord ? cell('record', recordButtons(r.customer_id, r.customer_name)) : null,
      );
    });
    return el('div', { class: 'scroll' }, el('table', { id: 'queue-table' }, el('thead', {}, el('tr', {}, heads.map((h) => el('th', { text: c[h] })))), el('tbody', {}, body)));
  }

  function recordButtons(id, name) {
    return el('span', { class: 'record' }, ['contact', 'promise', 'dispute'].map((kind) => el('button', { type: 'button', 'data-record': kind, 'data-customer': id, onclick: () => openForm(kind, id, name), text: t().record[kind] })));
  }

  // ---- recording ----
  const field = (label, input) => el('label', { class: 'field' }, el('span', { text: label }), input);

  function contactFields(f) {
    const channel = el('select', { id: 'rec-channel', name: 'channel' }, CHANNELS.map((ch) => el('option', { value: ch, text: t().channels[ch] })));
    const reached = el('select', { id: 'rec-reached', name: 'reached' }, el('option', { value: 'true', text: t().yes }), el('option', { value: 'false', text: t().no }));
    const outcome = el('select', { id: 'rec-outcome', name: 'outcome' });
    const outcomes = () => outcome.replaceChildren(...OUTCOMES[reached.value].map((o) => el('option', { value: o, text: t().outcomes[o] })));
    reached.addEventListener('change', outcomes);
    outcomes();
    f.append(field(t().channel, channel), field(t().wasReached, reached), field(t().outcome, outcome),
      field(t().note, el('textarea', { id: 'rec-note', name: 'note', rows: '2', maxlength: '2000' })),
      field(t().next, el('input', { id: 'rec-next_action_date', name: 'next_action_date', type: 'date', min: state.asOf })));
    return (v) => ({ channel: v.channel, reached: v.reached === 'true', outcome: v.outcome, note: v.note || undefined, next_action_date: v.next_action_date || undefined });
  }

  function promiseFields(f, items) {
    const currencies = [...new Set(items.map((i) => i.currency))].sort();
    f.append(
      field(t().promisedDate, el('input', { id: 'rec-promised_date', name: 'promised_date', type: 'date', min: state.asOf, required: true })),
      field(t().amount, el('input', { id: 'rec-amount', name: 'amount', type: 'number', step: '0.01', min: '0.01', inputmode: 'decimal', required: true })),
      field(t().currency, el('select', { id: 'rec-currency', name: 'currency' }, currencies.map((cur) => el('option', { value: cur, text: cur })))),
      field(t().note, el('textarea', { id: 'rec-note', name: 'note', rows: '2', maxlength: '2000' })),
    );
    return (v) => ({ promised_date: v.promised_date, amount: Number(v.amount), currency: v.currency || undefined, note: v.note || undefined });
  }

  function disputeFields(f, items) {
    const boxes = items.map((i) =>
      el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'invoice_ids', value: i.invoice_id }), ` ${i.invoice_id} · ${C.fmt(i.due_date, 'date')} · ${money(i.outstanding, i.currency)}`),
    );
    f.append(
      el('fieldset', { id: 'rec-invoices' }, el('legend', { text: t().invoices }), ...boxes),
      field(t().amount, el('input', { id: 'rec-amount', name: 'amount', type: 'number', step: '0.01', min: '0.01', inputmode: 'decimal', required: true })),
      field(t().reason, el('input', { id: 'rec-reason', name: 'reason', maxlength: '500', required: true })),
    );
    return (v, form) => ({ invoice_ids: [...form.querySelectorAll('input[name=invoice_ids]:checked')].map((x) => x.value), amount: Number(v.amount), reason: v.reason });
  }

  const ENDPOINT = { contact: '/api/activities', promise: '/api/promises', dispute: '/api/disputes' };

  /** A dialog that records one thing about a customer; the API's answer to a mistake is shown in it. */
  async function openForm(kind, id, name) {
    const statement = await getJson(`/api/customers/${encodeURIComponent(id)}`).catch(() => ({ open_items: [] }));
    const items = (statement.open_items || []).filter((i) => Number(i.outstanding) > 0);
    const form = el('form', { method: 'dialog', id: 'record-form', 'data-kind': kind });
    const body = kind === 'contact' ? contactFields(form, items) : kind === 'promise' ? promiseFields(form, items) : disputeFields(form, items);
    const error = el('p', { class: 'error', role: 'alert', id: 'record-error', hidden: true });
    const save = el('button', { type: 'submit', id: 'record-save', text: t().save });
    const dialog = el('dialog', { class: 'record-dialog', id: 'record-dialog' }, el('h3', { text: `${t().formTitle[kind]}: ${name}` }), form);
    form.append(error, el('div', { class: 'actions' }, save, el('button', { type: 'button', id: 'record-cancel', onclick: () => dialog.close(), text: t().cancel })));
    dialog.addEventListener('close', () => dialog.remove());
    // One key per form: a double click or a retry after a lost answer records nothing twice.
    const key = crypto.randomUUID();
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const values = Object.fromEntries(new FormData(form));
      save.disabled = true;
      save.textContent = t().saving;
      error.hidden = true;
      try {
        const r = await C.api(ENDPOINT[kind], {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
          body: JSON.stringify({ customer_id: id, ...body(values, form) }),
        });
        if (!r.ok) throw new Error(C.problemText(await C.failure(r)));
        dialog.close();
        await refresh(id, name);
      } catch (err) {
        error.textContent = t().notSaved(err instanceof TypeError ? C.problemText({ status: 0 }) : err.message);
        error.hidden = false;
      } finally {
        save.disabled = false;
        save.textContent = t().save;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
  }

  /** After a write: the queue again, and the drawer when it shows that customer. */
  async function refresh(id, name) {
    state.flash = t().saved;
    await load();
    const drawer = document.getElementById('drawer');
    if (!drawer.hidden && drawer.dataset.customer === id) C.openDrawer(id, name);
  }

  /** The customer's open promises recorded in Cartera, each with buttons that close it (PATCH /api/promises/{id}). */
  async function openPromises(slot, id, name) {
    const s = await getJson(`/api/customers/${encodeURIComponent(id)}`).catch(() => ({ promises: [] }));
    const open = (s.promises || []).filter((p) => p.source === 'cartera' && p.status === 'pending');
    if (!open.length) return;
    const error = el('p', { class: 'error', role: 'alert', hidden: true });
    const close = async (p, status) => {
      const r = await C.api(`/api/promises/${encodeURIComponent(p.promise_id)}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ status }),
      });
      if (!r.ok) {
        error.textContent = t().notSaved(C.problemText(await C.failure(r)));
        error.hidden = false;
        return;
      }
      await refresh(id, name);
    };
    slot.append(
      el('h3', { text: t().openPromises }),
      ...open.map((p) =>
        el('div', { class: 'actions', 'data-promise': p.promise_id }, el('span', { text: `${C.fmt(p.promised_date, 'date')} · ${p.currency ? money(p.amount, p.currency) : C.fmt(p.amount, 'number')}` }),
          ...['kept', 'broken'].map((status) => el('button', { type: 'button', 'data-close': status, onclick: () => close(p, status), text: t()[status] }))),
      ),
      error,
    );
  }

  // ---- wiring ----
  document.addEventListener('cartera:filters', load);
  document.addEventListener('cartera:lang', draw);
  document.addEventListener('cartera:drawer', (e) => {
    const drawer = document.getElementById('drawer');
    drawer.dataset.customer = e.detail.id;
    const slot = document.getElementById('drawer-record');
    if (!slot || !canRecord) return;
    slot.replaceChildren(recordButtons(e.detail.id, e.detail.name));
    openPromises(slot, e.detail.id, e.detail.name);
  });
  load();
})();
