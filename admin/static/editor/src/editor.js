// The ruleset editor of KPI Công vụ: CodeMirror 6 with highlighting of the ruleset language,
// diagnostics from the server's gate (the same checks as `kpi check`), completion that matches
// without diacritics ("tieu chi" offers "tiêu chí"), format on request, and never losing text.
//
// Build (see admin/static/editor/README.md): npm install, then
//   npx esbuild src/editor.js --bundle --minify --format=iife --outfile=dist/editor.js
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { StreamLanguage, syntaxHighlighting, defaultHighlightStyle, HighlightStyle } from "@codemirror/language";
import { linter, lintGutter, forceLinting } from "@codemirror/lint";
import { autocompletion, completionKeymap, startCompletion } from "@codemirror/autocomplete";
import { searchKeymap } from "@codemirror/search";
import { tags } from "@lezer/highlight";

// Same rule as dsl.text.fold: lower case, no diacritics, "đ" -> "d"; and "_" read as a space.
export function fold(text) {
  return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/_/g, " ");
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
    body: JSON.stringify(body),
  });
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok) {
    const message = (data && (data.message || data.error)) || `Lỗi ${response.status}`;
    throw new Error(message);
  }
  return data;
}

// ---------------------------------------------------------------- highlighting
function languageDefinition(keywords, functions) {
  // keyword phrases, longest first, matched with or without diacritics
  const phrases = keywords.map((k) => k.split(" ")).sort((a, b) => b.length - a.length);
  const functionSet = new Set(functions.map(fold));
  return {
    name: "kpi",
    startState: () => ({}),
    token(stream) {
      if (stream.eatSpace()) return null;
      if (stream.match("#")) { stream.skipToEnd(); return "comment"; }
      if (stream.match(/^"[^"\n]*"?/)) return "string";
      if (stream.match(/^\d{1,2}\/\d{1,2}\/\d{4}/)) return "number";
      if (stream.match(/^-?\d+(?:[.,]\d+)?%/)) return "percent";
      if (stream.match(/^\d+(?:[.,]\d+)?/)) return "number";
      const rest = stream.string.slice(stream.pos);
      const word = rest.match(/^[\p{L}_][\p{L}\p{N}_]*/u);
      if (word) {
        for (const parts of phrases) {
          const re = new RegExp("^" + parts.map(() => "([\\p{L}\\p{N}_]+)").join("[ \\t]+") + "(?![\\p{L}\\p{N}_])", "u");
          const m = rest.match(re);
          if (m && fold(m.slice(1).join(" ")) === fold(parts.join(" "))) {
            stream.pos += m[0].length;
            return "keyword";
          }
        }
        stream.pos += word[0].length;
        if (functionSet.has(fold(word[0])) && /^\s*\(/.test(stream.string.slice(stream.pos))) return "function";
        return "variableName";
      }
      if (stream.match(/^(<=|>=|<>|[-+*\/=<>():,])/)) return "operator";
      stream.next();
      return null;
    },
    tokenTable: { percent: tags.special(tags.number), function: tags.function(tags.variableName) },
  };
}

const kpiHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: "#0b5cad", fontWeight: "bold" },
  { tag: tags.string, color: "#a31515" },
  { tag: tags.number, color: "#098658" },
  { tag: tags.special(tags.number), color: "#098658", fontWeight: "bold" },
  { tag: tags.comment, color: "#6a737d", fontStyle: "italic" },
  { tag: tags.function(tags.variableName), color: "#795e26" },
]);

// ---------------------------------------------------------------- diagnostics
function position(doc, line, column) {
  const n = Math.min(Math.max(line, 1), doc.lines);
  const l = doc.line(n);
  return Math.min(l.from + Math.max(column - 1, 0), l.to);
}

function toCodeMirror(doc, diagnostics) {
  return diagnostics.map((d) => {
    const from = position(doc, d.line, d.column);
    let to = position(doc, d.end_line || d.line, d.end_column || d.column);
    if (to <= from) to = Math.min(from + 1, doc.length);
    return { from, to, severity: d.severity === "warning" ? "warning" : "error",
             message: `[${d.code}] ${d.message}`, source: d.code };
  });
}

// ---------------------------------------------------------------- completion
function completionSource(getWords) {
  return (context) => {
    const before = context.matchBefore(/[\p{L}\p{N}_]+(?:[ \t]+[\p{L}\p{N}_]+){0,3}$/u);
    if (!before && !context.explicit) return null;
    const words = getWords();
    const text = before ? before.text : "";
    // try the longest tail first: "tieu chi" (two words) before "chi"
    const parts = text.split(/([ \t]+)/);
    for (let start = 0; start < parts.length; start += 2) {
      const tail = parts.slice(start).join("");
      const key = fold(tail);
      if (!key) continue;
      const options = words.filter((w) => w.fold.startsWith(key) && w.label !== tail);
      if (options.length) {
        const from = before.to - tail.length;
        return {
          from,
          filter: false,
          options: options.slice(0, 60).map((w) => ({ label: w.label, type: w.type, detail: w.detail })),
        };
      }
    }
    return context.explicit ? { from: context.pos, options: words.slice(0, 80).map((w) => ({ label: w.label, type: w.type, detail: w.detail })) } : null;
  };
}

// ---------------------------------------------------------------- the editor
export function createEditor(options) {
  const { parent, textarea, urls, keywords, functions, onStatus } = options;
  let words = keywords.map((k) => ({ label: k, fold: fold(k), type: "keyword", detail: "" }));
  let wordsFor = null;

  async function refreshWords(source) {
    if (wordsFor === source) return;
    wordsFor = source;
    try {
      const data = await post(urls.complete, { source });
      words = data.items;
    } catch (e) { /* keep the previous words */ }
  }

  const lint = linter(async (view) => {
    const source = view.state.doc.toString();
    textarea.value = source; // the form always holds the latest text
    try {
      const data = await post(urls.check, { source });
      onStatus && onStatus(data);
      if (data.items) { words = data.items; wordsFor = source; } else { refreshWords(source); }
      return toCodeMirror(view.state.doc, data.diagnostics);
    } catch (e) {
      onStatus && onStatus({ failed: e.message });
      return [];
    }
  }, { delay: 150 });

  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), history(), drawSelection(), highlightActiveLine(),
        StreamLanguage.define(languageDefinition(keywords, functions)),
        syntaxHighlighting(kpiHighlight), syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        lintGutter(), lint,
        autocompletion({ override: [completionSource(() => words)], activateOnTyping: true }),
        keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, ...searchKeymap, indentWithTab]),
        EditorView.updateListener.of((u) => { if (u.docChanged) textarea.value = u.state.doc.toString(); }),
        EditorView.lineWrapping,
      ],
    }),
  });

  // keep a copy of unsaved text in the browser too (a crash or a closed tab loses nothing)
  const key = options.storageKey;
  if (key) {
    view.dom.addEventListener("keyup", () => { try { localStorage.setItem(key, view.state.doc.toString()); } catch (e) {} });
  }

  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      textarea.value = text;
    },
    lintNow: () => forceLinting(view),
    complete: () => startCompletion(view),
    post,
  };
}

window.KpiEditor = { createEditor, fold };
