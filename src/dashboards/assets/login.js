// Sign-in: posts the key to /api/login (which sets the HttpOnly cookie), then goes where the user was headed.
(() => {
  const lang = (new URLSearchParams(location.search).get('lang') || navigator.language || 'es').slice(0, 2) === 'en' ? 'en' : 'es';
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-es]')) el.textContent = el.dataset[lang];
  const form = document.getElementById('login');
  const error = document.getElementById('error');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const r = await fetch('/api/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: document.getElementById('key').value.trim() }),
    });
    if (!r.ok) {
      const body = await r.json().catch(() => ({}));
      error.textContent = (lang === 'es' ? 'No se pudo entrar: ' : 'Could not sign in: ') + (body.detail || r.status);
      error.hidden = false;
      return;
    }
    const next = new URLSearchParams(location.search).get('next');
    // Only a path on this site: never an open redirect.
    location.href = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  });
})();
