#!/usr/bin/env node
// check.js renders LaTeX formulas with KaTeX so that symdiff's Go tests
// (package cmd/internal/texcheck) can prove every formula they produce is
// accepted by a real TeX parser.
//
// Input (stdin):  a JSON array of {"tex": string, "display": boolean}.
// Output (stdout): a JSON array with one {"ok": boolean, "error": string,
//                  "warnings": [string]} per input, in the same order.
// Exit status: 0 when the batch was processed (whether or not formulas
// failed), 2 when the input itself is unusable (message on stderr).
//
// Rendering uses throwOnError: true, so any parse error (unbalanced braces,
// undefined control sequence, environment used in the wrong mode, ...) makes
// the formula fail. Strict mode is "error" for every LaTeX-incompatibility
// KaTeX detects, except the codes in ALLOWED_STRICT below, which are recorded
// as warnings and reported back instead of failing the formula.
'use strict';

const fs = require('fs');
const katex = require('katex');

// KaTeX strict-mode codes that only warn. unicodeTextInMathMode: accented or
// other non-ASCII text characters written directly in math mode (e.g. "é").
const ALLOWED_STRICT = new Set(['unicodeTextInMathMode']);

function fail(msg) {
  process.stderr.write('check.js: ' + msg + '\n');
  process.exitCode = 2;
}

function render(item) {
  const warnings = [];
  try {
    katex.renderToString(item.tex, {
      displayMode: item.display,
      throwOnError: true,
      strict: (code, msg) => {
        if (ALLOWED_STRICT.has(code)) {
          warnings.push(code + ': ' + msg);
          return 'ignore';
        }
        return 'error';
      },
      trust: false,
    });
    return { ok: true, error: '', warnings };
  } catch (e) {
    const error = e instanceof katex.ParseError ? e.message : String(e && e.stack ? e.stack : e);
    return { ok: false, error, warnings };
  }
}

function main() {
  let input;
  try {
    input = JSON.parse(fs.readFileSync(0, 'utf8'));
  } catch (e) {
    return fail('cannot parse stdin as JSON: ' + e.message);
  }
  if (!Array.isArray(input)) {
    return fail('stdin must be a JSON array of {"tex": string, "display": boolean}');
  }
  for (let i = 0; i < input.length; i++) {
    const it = input[i];
    if (it === null || typeof it !== 'object' || typeof it.tex !== 'string' || typeof it.display !== 'boolean') {
      return fail('item ' + i + ' is not {"tex": string, "display": boolean}: ' + JSON.stringify(it));
    }
  }
  process.stdout.write(JSON.stringify(input.map(render)) + '\n');
}

if (process.argv.includes('--version')) {
  process.stdout.write(katex.version + '\n');
} else {
  main();
}
