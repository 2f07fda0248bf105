// The symdiff playground: sends the script to POST /api/run as the user
// types (debounced) and renders the answer with KaTeX. No build step, no
// framework; the server does all the mathematics.
'use strict';

(function () {
  const DEBOUNCE_MS = 300;
  const $ = (id) => document.getElementById(id);
  const editor = $('script'), gutter = $('gutter'), code = $('code');
  const errorBox = $('error'), results = $('results'), status = $('status');

  // --- The state in the address: #s=<base64url of the UTF-8 script>.

  function encode(text) {
    const bytes = new TextEncoder().encode(text);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function decode(b64) {
    const bin = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  }

  function fromAddress() {
    const m = /^#s=([A-Za-z0-9_-]*)$/.exec(location.hash);
    if (!m) return null;
    try { return decode(m[1]); } catch (e) { return null; }
  }

  // --- The editor: a textarea that grows with its text inside one
  // scrolling box, so the line numbers and the error stay aligned.

  function lineHeight() { return parseFloat(getComputedStyle(editor).lineHeight); }

  function layout() {
    const lines = editor.value.split('\n');
    let longest = 0;
    for (const l of lines) longest = Math.max(longest, l.length);
    editor.style.height = (lines.length * lineHeight() + 24) + 'px';
    editor.style.width = 'max(100%, ' + (longest + 4) + 'ch)';
    if (gutter.childElementCount !== lines.length) {
      gutter.replaceChildren();
      for (let i = 1; i <= lines.length; i++) {
        const d = document.createElement('div');
        d.textContent = i;
        gutter.appendChild(d);
      }
    }
  }

  function showError(err) {
    for (const d of gutter.querySelectorAll('.bad')) d.classList.remove('bad');
    if (!err) {
      errorBox.hidden = true;
      return;
    }
    const where = err.line > 0 ? err.line + ':' + err.col + ': ' : '';
    const pre = errorBox.querySelector('pre');
    if (err.line > 0) {
      // The caret goes under the column, as the CLI puts it under the quoted line.
      pre.textContent = ' '.repeat(Math.max(0, err.col - 1)) + '^\n' + where + err.message;
      errorBox.style.top = (12 + err.line * lineHeight()) + 'px';
      const num = gutter.children[err.line - 1];
      if (num) num.classList.add('bad');
    } else {
      pre.textContent = err.message;
      errorBox.style.top = '12px';
    }
    errorBox.hidden = false;
  }

  // --- Rendering.

  function tex(formula, el, display) {
    katex.render(formula, el, { displayMode: display, throwOnError: false, trust: false });
  }

  // renderMarkdown renders the Markdown `symdiff latex --markdown` writes:
  // ```math blocks, and paragraphs with $`inline`$ formulas.
  function renderMarkdown(md, el) {
    const lines = md.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === '```math') {
        let j = i + 1;
        while (j < lines.length && lines[j] !== '```') j++;
        const div = document.createElement('div');
        div.className = 'math';
        tex(lines.slice(i + 1, j).join('\n'), div, true);
        el.appendChild(div);
        i = j;
      } else if (lines[i].trim() !== '') {
        const p = document.createElement('p');
        lines[i].split(/\$`(.*?)`\$/).forEach((part, k) => {
          if (k % 2 === 0) { p.appendChild(document.createTextNode(part)); return; }
          const span = document.createElement('span');
          tex(part, span, false);
          p.appendChild(span);
        });
        el.appendChild(p);
      }
    }
  }

  function plainText(r) {
    if (r.explain !== undefined) return r.input.trim() + ': ' + r.verdict;
    if (r.result !== undefined) return r.result;
    if (r.verdict !== undefined) return r.verdict + ': ' + r.left + ' ' + r.claim + ' ' + r.right;
    if (r.rule !== undefined) return r.rule;
    return r.input.trim();
  }

  function kind(r) {
    if (r.explain !== undefined) return 'explain';
    if (r.derivation !== undefined) return 'derivation';
    if (r.verdict !== undefined) return 'proof';
    if (r.defined !== undefined) return 'definition';
    if (r.rule !== undefined) return 'rule';
    return 'value';
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // copy puts text on the clipboard; without the Clipboard API (a page
  // served over plain HTTP to another machine) it copies a selection.
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    const ta = el('textarea');
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error('copy refused'));
  }

  function copyButton(label, text) {
    const b = el('button', 'copy', label);
    b.type = 'button';
    b.title = 'Copy as ' + label;
    b.addEventListener('click', () => {
      copy(text).then(
        () => { b.textContent = 'copied'; setTimeout(() => { b.textContent = label; }, 1200); },
        () => { b.textContent = 'failed'; });
    });
    return b;
  }

  function card(r) {
    const k = kind(r);
    const c = el('article', 'result ' + k);
    c.dataset.line = r.line;
    c.dataset.plain = plainText(r);
    const head = el('header');
    const line = el('button', 'line', String(r.line));
    line.type = 'button';
    line.title = 'Go to line ' + r.line;
    line.addEventListener('click', () => goToLine(r.line));
    head.append(line, el('code', 'input', r.input.trim()));
    if (k === 'explain') {
      const x = r.explain;
      const cls = x.verdict === 'residual form' ? 'residual' : x.verdict === 'not residual form' ? 'not-residual' : 'unknown';
      head.appendChild(el('span', 'verdict ' + cls, x.verdict));
    } else if (r.verdict) {
      head.appendChild(el('span', 'verdict ' + r.verdict, r.verdict));
    }
    const copies = el('span', 'copies');
    copies.append(copyButton('plain', c.dataset.plain),
      copyButton('LaTeX', r.derivation !== undefined ? r.derivation : r.latex),
      copyButton('Markdown', r.markdown));
    head.appendChild(copies);
    c.appendChild(head);
    const body = el('div', 'body');
    if (k === 'explain') {
      explainBody(r, body);
    } else if (k === 'derivation') {
      const d = el('div', 'math derivation');
      tex(r.derivation, d, true);
      body.appendChild(d);
    } else if (k === 'proof') {
      renderMarkdown(r.markdown, body);
    } else {
      // Definitions and rules inline, to keep them short; values displayed.
      const d = el('div', 'math');
      tex(r.latex, d, k === 'value');
      body.appendChild(d);
    }
    // What a result says besides its value, as the command line prints it
    // under the value: factor's "(irreducible over the rationals)", the
    // assumptions it used. An explanation shows its own notes.
    if (k !== 'explain') {
      for (const n of r.notes || []) body.appendChild(el('p', 'note value-note', '(' + n + ')'));
    }
    if (r.stop && r.stop !== 'fixpoint' && r.stop !== 'cycle') {
      body.appendChild(el('p', 'note', 'simplification stopped early: ' + r.stop));
    }
    c.appendChild(body);
    return c;
  }

  // explainBody renders an explanation: the gradient through the
  // predictor, then c, μ, A and the family for a residual form (or the
  // factor W and the counterexample that refutes it), the consequence for
  // the weights displayed, and the whole argument folded away.
  function explainBody(r, body) {
    const x = r.explain;
    const math = (cls, formula, display) => {
      const d = el(display ? 'div' : 'span', cls);
      tex(formula, d, display);
      return d;
    };
    body.appendChild(math('math gradient', x.gradient, true));
    const dl = el('dl', 'parts');
    const row = (name, cls, node) => {
      const dt = el('dt', '', name), dd = el('dd', cls);
      dd.appendChild(node);
      dl.append(dt, dd);
    };
    if (x.predictor) row('predictor', 'predictor', math('', x.predictor, false));
    if (x.c) row('c', 'c', math('', x.c, false));
    if (x.mu) row('mean', 'mu', math('', x.mu, false));
    if (x.A) row('log-partition', 'A', math('', x.A, false));
    if (x.family) row('family', 'family', document.createTextNode(x.family));
    if (x.factor) row('factor', 'factor', math('', x.factor, false));
    if (dl.childElementCount > 0) body.appendChild(dl);
    if (x.consequence) body.appendChild(math('math consequence', x.consequence, true));
    if (x.counterexample) {
      const ce = x.counterexample, p = el('p', 'counterexample');
      p.append('refuted: ', math('', ce.claim, false), ' at ', math('', ce.at, false),
        ', where the left side is ' + ce.left + ' and the right side ' + ce.right);
      body.appendChild(p);
    }
    if (!x.holds) body.appendChild(el('p', 'note', 'some claims are undecided: see the argument'));
    for (const n of x.notes || []) body.appendChild(el('p', 'note', n));
    const more = el('details', 'argument');
    more.appendChild(el('summary', '', 'the argument, with every proof'));
    renderMarkdown(r.markdown, more);
    body.appendChild(more);
  }

  function goToLine(n) {
    const starts = [0];
    editor.value.replace(/\n/g, (m, i) => { starts.push(i + 1); return m; });
    const at = starts[n - 1] || 0;
    editor.focus();
    editor.setSelectionRange(at, at);
    $('scroller').scrollTop = Math.max(0, (n - 3) * lineHeight());
  }

  function show(answer) {
    const rs = answer.results || [];
    if (rs.length > 0 || !answer.error) {
      results.replaceChildren.apply(results, rs.map(card));
    }
    results.classList.toggle('stale', !!answer.error && rs.length === 0);
    showError(answer.error);
  }

  // --- Running: one request at a time; a newer script aborts the older.

  let timer = 0, inflight = null, seq = 0;

  async function run() {
    const mine = ++seq;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    document.body.dataset.state = 'busy';
    status.textContent = 'running…';
    const t0 = performance.now();
    try {
      const resp = await fetch('/api/run', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ script: editor.value }),
        signal: inflight.signal,
      });
      if (resp.status === 503 && mine === seq) { // busy: try again shortly
        status.textContent = 'the server is busy; retrying…';
        timer = setTimeout(run, 1000);
        return;
      }
      const answer = await resp.json();
      if (mine !== seq) return;
      show(answer);
      const ms = Math.round(performance.now() - t0);
      const n = (answer.results || []).length;
      status.textContent = answer.error
        ? (answer.error.line > 0 ? 'error at ' + answer.error.line + ':' + answer.error.col : 'error: ' + answer.error.message)
        : n + ' statement' + (n === 1 ? '' : 's') + ' in ' + ms + ' ms';
      document.body.dataset.state = answer.error ? 'error' : 'ok';
    } catch (e) {
      if (e.name === 'AbortError' || mine !== seq) return;
      status.textContent = 'cannot reach the server: ' + e.message;
      document.body.dataset.state = 'error';
    }
  }

  function changed() {
    layout();
    history.replaceState(null, '', '#s=' + encode(editor.value));
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }

  // Tab inserts two spaces instead of leaving the editor.
  editor.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return;
    e.preventDefault();
    const s = editor.selectionStart;
    editor.setRangeText('  ', s, editor.selectionEnd, 'end');
    changed();
  });
  editor.addEventListener('input', changed);
  window.addEventListener('hashchange', () => {
    const text = fromAddress();
    if (text !== null && text !== editor.value) {
      editor.value = text;
      layout();
      run();
    }
  });

  const initial = fromAddress();
  if (initial !== null) editor.value = initial;
  layout();
  run();
})();
