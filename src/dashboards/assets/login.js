// Sign-in: posts the user name and password to /api/login (which starts a session and sets its
// HttpOnly cookie), then goes where the user was headed.
(() => {
  const params = new URLSearchParams(location.search);
  const lang = (params.get('locale') || params.get('lang') || navigator.language || 'es').slice(0, 2) === 'en' ? 'en' : 'es';
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-es]')) el.textContent = el.dataset[lang];
  const form = document.getElementById('login');
  const error = document.getElementById('error');
  const button = form.querySelector('button[type=submit]');
  const say = (es, en) => {
    error.textContent = lang === 'es' ? es : en;
    error.hidden = false;
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    button.disabled = true;
    let r;
    try {
      r = await fetch('/api/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: document.getElementById('user').value.trim(), password: document.getElementById('password').value }),
      });
    } catch {
      button.disabled = false;
      say('No se pudo entrar: el servidor no responde.', 'Could not sign in: the server does not answer.');
      return;
    }
    button.disabled = false;
    if (r.status === 429) {
      const s = r.headers.get('Retry-After') || '60';
      say(`Demasiados intentos fallidos: intente de nuevo en ${s} s.`, `Too many failed attempts: try again in ${s} s.`);
      return;
    }
    if (r.status === 401) {
      say('No se pudo entrar: el usuario o la contraseña no son válidos.', 'Could not sign in: the user name or password is not valid.');
      return;
    }
    if (!r.ok) {
      // The server explains in English: a Spanish page gives the status, never a sentence in two languages.
      const body = await r.json().catch(() => ({}));
      say(`No se pudo entrar (error ${r.status} del servidor).`, `Could not sign in: ${body.detail || r.status}`);
      return;
    }
    const next = new URLSearchParams(location.search).get('next');
    // Only a path on this site: never an open redirect.
    location.href = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  });
})();
