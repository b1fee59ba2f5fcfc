// The article body's small rich-text editor: a contenteditable box with bold, italic,
// heading, list and link. What it holds goes to the server as HTML, which sanitizes it
// (nh3) before anyone sees it; it is loaded from the server's sanitized body.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import { editorMarkup, setEditorMarkup } from 'kefu/ServerHtml.mjs';

const COMMANDS = [
  ['bold', 'bold', null], ['italic', 'italic', null], ['heading', 'formatBlock', 'h3'],
  ['paragraph', 'formatBlock', 'p'], ['list', 'insertUnorderedList', null], ['numbered', 'insertOrderedList', null],
];

function safeLink(text) {
  try {
    const url = new URL(text.trim());
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch { return null; }
}

export function RichEditor({ initial, onChange, label }) {
  const box = useRef(null);
  const [linking, setLinking] = useState(false);
  const [link, setLink] = useState('https://');
  const saved = useRef(null);
  // Loaded once per article/version (the parent keys the editor): typing never resets it.
  useEffect(() => { if (box.current) setEditorMarkup(box.current, initial); }, []);
  // Enter starts a <p> (the browser's default <div> is not in the server's allow-list).
  const paragraphs = () => document.execCommand('defaultParagraphSeparator', false, 'p');
  const changed = () => onChange(editorMarkup(box.current));
  function run(command, argument) {
    box.current.focus();
    document.execCommand(command, false, argument);
    changed();
  }
  function startLink() {
    const selection = window.getSelection();
    saved.current = selection.rangeCount ? selection.getRangeAt(0) : null;
    setLinking(true);
  }
  function addLink(event) {
    event.preventDefault();
    const url = safeLink(link);
    if (!url) return;
    box.current.focus();
    if (saved.current) { const s = window.getSelection(); s.removeAllRanges(); s.addRange(saved.current); }
    document.execCommand(saved.current && !saved.current.collapsed ? 'createLink' : 'insertText', false, url);
    setLinking(false);
    changed();
  }
  return html`
    <div class="rich-editor">
      <div class="rich-tools" role="toolbar" aria-label=${t('console.kb.toolbar')}>
        ${COMMANDS.map(([name, command, argument]) => html`
          <button type="button" class="small" data-command=${name} onMouseDown=${(e) => e.preventDefault()}
                  onClick=${() => run(command, argument)}>${t(`console.kb.tool.${name}`)}</button>`)}
        <button type="button" class="small" data-command="link" onMouseDown=${(e) => e.preventDefault()}
                onClick=${startLink}>${t('console.kb.tool.link')}</button>
        ${linking && html`
          <span class="link-form">
            <input aria-label=${t('console.kb.linkUrl')} value=${link} onInput=${(e) => setLink(e.target.value)}
                   onKeyDown=${(e) => { if (e.key === 'Enter') addLink(e); }} />
            <button type="button" class="small primary" onClick=${addLink} disabled=${!safeLink(link)}>${t('console.kb.addLink')}</button>
            <button type="button" class="small" onClick=${() => setLinking(false)}>${t('console.cancel')}</button>
          </span>`}
      </div>
      <div ref=${box} class="rich-body" contenteditable="true" role="textbox" aria-multiline="true"
           aria-label=${label} onFocus=${paragraphs} onInput=${changed} onBlur=${changed}></div>
    </div>`;
}
