// Makes healthcell installable (issue 16): registers the service worker,
// which keeps the offline work page's shell. Before logging out with work
// still waiting to be sent, it asks: logging out clears the phone's
// stored work (the server answers the logout with Clear-Site-Data).
'use strict';

(() => {
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('/sw.js', {scope: '/'}).catch(() => {});
  }
  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || form.getAttribute('action') !== '/logout') return;
    const waiting = Number(localStorage.getItem('healthcell.queued') || '0');
    const btn = form.querySelector('[data-confirm-queued]');
    if (waiting > 0 && btn && !window.confirm(btn.dataset.confirmQueued.replace('{n}', String(waiting)))) {
      ev.preventDefault();
    }
  }, true);
})();
