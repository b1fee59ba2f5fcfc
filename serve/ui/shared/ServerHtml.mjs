// The one module of ours that hands markup to the browser: the knowledge base's article
// bodies and search snippets, which the server sanitized (nh3, an allow-list of tags
// and attributes; snippets are escaped text with <mark>). Nothing else — no message,
// no name, nothing a visitor typed — ever comes here: those stay text (STYLE.md).
// tests/unit/test_ui_safety.py allows markup sinks in this file only, each line marked.
import { html } from 'htm/preact';

// A server-sanitized body or snippet shown as HTML.
export function ServerHtml({ markup, tag = 'div', ...rest }) {
  const Tag = tag;
  return html`<${Tag} ...${rest} dangerouslySetInnerHTML=${{ __html: markup || '' }} />`; // server-sanitized
}

// The rich-text editor's content: set from a server-sanitized body, read back as HTML
// the server sanitizes again on save.
export function setEditorMarkup(element, markup) {
  element.innerHTML = markup || ''; // server-sanitized
}

export function editorMarkup(element) {
  // Read back as typed: the server sanitizes it again when it is saved.
  return element.innerHTML; // server-sanitized
}

const BLOCKS = new Set(['P', 'DIV', 'LI', 'H1', 'H2', 'H3', 'H4', 'BR', 'TR', 'BLOCKQUOTE', 'PRE']);

// A sanitized body as plain text (the desk's "Insert" into a reply): parsed in an inert
// <template> (no script runs, no image loads), blocks ending in a new line.
export function markupText(markup) {
  const template = document.createElement('template');
  template.innerHTML = markup || ''; // server-sanitized
  const out = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out.push(child.textContent);
      else if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.tagName === 'LI') out.push('• ');
        walk(child);
        if (BLOCKS.has(child.tagName)) out.push('\n');
      }
    }
  };
  walk(template.content);
  return out.join('').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
