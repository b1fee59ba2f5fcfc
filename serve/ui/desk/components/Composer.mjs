// Writing to the visitor (or an internal note): Enter sends, Shift+Enter is a new
// line, `/` opens the canned replies; files by button, drag-and-drop or paste, each
// uploaded with progress before it goes out with the next message.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import { sendMessage, typing } from '../actions.mjs';
import { upload } from '../api/attachments.mjs';
import { add as addCanned, matching } from '../state/canned.mjs';
import { insertion } from '../state/knowledge.mjs';
import { tell } from '../state/session.mjs';
import { errorText } from '../errors.mjs';
import { CannedPicker } from './CannedPicker.mjs';
import { EmojiPicker } from './EmojiPicker.mjs';

const MAX_BODY = 5000;

export function Composer({ c }) {
  const [draft, setDraft] = useState('');
  const [internal, setInternal] = useState(false);
  const [selected, setSelected] = useState(0);
  const [emoji, setEmoji] = useState(false);
  const [uploads, setUploads] = useState([]); // {key, name, progress, attachment?, error?}
  const [dragging, setDragging] = useState(false);
  const box = useRef(null);
  const files = useRef(null);

  // An article's text from the Knowledge tab, for this conversation: added to the draft.
  const inserting = insertion.value;
  useEffect(() => {
    if (!inserting || inserting.conversationId !== c.id) return;
    setDraft((current) => (current.trim() ? `${current.trimEnd()}\n${inserting.text}` : inserting.text).slice(0, MAX_BODY));
    insertion.value = null; // taken: a composer opened later does not add it again
    box.current?.focus();
  }, [inserting?.n]);

  const slash = draft.startsWith('/') && !draft.includes('\n') ? draft.slice(1) : null;
  const canned = slash === null ? [] : matching(slash).slice(0, 30);
  const ready = uploads.filter((u) => u.attachment);
  const busy = uploads.some((u) => !u.attachment && !u.error);

  function send() {
    const body = draft.trim();
    if ((!body && !ready.length) || busy) return;
    sendMessage(c.id, body.slice(0, MAX_BODY), { internal, attachments: ready.map((u) => u.attachment) });
    setDraft('');
    setUploads(uploads.filter((u) => !u.attachment && !u.error));
  }

  // The draft kept as one of my personal canned replies (titled by its start).
  async function keep() {
    const body = draft.trim();
    try {
      await addCanned({ scope: 'personal', category: '', title: body.slice(0, 40), body });
      tell('info', t('desk.canned.saved'));
    } catch (error) {
      tell('error', errorText(error.code, error.message));
    }
  }

  function choose(reply) {
    setDraft(reply.body);
    setSelected(0);
    box.current?.focus();
  }

  function insert(text) {
    const area = box.current;
    const at = area ? area.selectionStart : draft.length;
    setDraft(draft.slice(0, at) + text + draft.slice(area ? area.selectionEnd : at));
    setEmoji(false);
    area?.focus();
  }

  function onKeyDown(event) {
    if (slash !== null && canned.length) {
      if (event.key === 'ArrowDown') { event.preventDefault(); setSelected((selected + 1) % canned.length); return; }
      if (event.key === 'ArrowUp') { event.preventDefault(); setSelected((selected + canned.length - 1) % canned.length); return; }
      if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); choose(canned[Math.min(selected, canned.length - 1)]); return; }
    }
    if (event.key === 'Escape' && slash !== null) { event.preventDefault(); setDraft(''); return; }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey) {
      event.preventDefault();
      send();
    }
  }

  function onInput(event) {
    setDraft(event.target.value);
    setSelected(0);
    if (!internal && event.target.value) typing(c.id);
  }

  function add(list) {
    for (const file of list) {
      const key = `${Date.now()}-${Math.random()}`;
      const patch = (change) => setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u)));
      setUploads((all) => [...all, { key, name: file.name || 'file', progress: 0 }]);
      upload(c.id, file, (progress) => patch({ progress }))
        .then((attachment) => patch({ attachment, progress: 1 }))
        .catch((error) => patch({ error: errorText(error.code, error.message) }));
    }
  }

  function onPaste(event) {
    const pasted = [...(event.clipboardData?.files || [])];
    if (pasted.length) { event.preventDefault(); add(pasted); }
  }

  function onDrop(event) {
    event.preventDefault();
    setDragging(false);
    add([...(event.dataTransfer?.files || [])]);
  }

  const closed = c.state !== 'open';
  if (closed) return html`<p class="closed-note">${t('desk.composer.closed')}</p>`;
  return html`
    <div class=${`composer ${internal ? 'internal' : ''} ${dragging ? 'dragging' : ''}`}
         onDragOver=${(e) => { e.preventDefault(); setDragging(true); }}
         onDragLeave=${() => setDragging(false)} onDrop=${onDrop}>
      <div class="modes" role="tablist" aria-label=${t('desk.composer.mode')}>
        <button role="tab" aria-selected=${internal ? 'false' : 'true'} onClick=${() => setInternal(false)}>${t('desk.composer.reply')}</button>
        <button role="tab" aria-selected=${internal ? 'true' : 'false'} onClick=${() => setInternal(true)}>${t('desk.composer.note')}</button>
      </div>
      ${slash !== null && html`<${CannedPicker} items=${canned} selected=${selected} onChoose=${choose} />`}
      ${emoji && html`<${EmojiPicker} onChoose=${insert} />`}
      ${uploads.length > 0 && html`<ul class="uploads" aria-label=${t('desk.composer.uploads')}>
        ${uploads.map((u) => html`<li key=${u.key}>
          <span class="name">${u.name}</span>
          ${u.error ? html`<span class="error-text" role="alert">${u.error}</span>`
            : html`<progress max="1" value=${u.progress} aria-label=${t('desk.composer.progress', { name: u.name })}></progress>`}
          <button class="ghost small" aria-label=${t('desk.composer.removeFile', { name: u.name })}
                  onClick=${() => setUploads(uploads.filter((o) => o.key !== u.key))}>×</button></li>`)}
      </ul>`}
      <textarea ref=${box} rows="3" value=${draft} maxlength=${MAX_BODY}
                aria-label=${internal ? t('desk.composer.noteLabel') : t('desk.composer.label')}
                aria-autocomplete="list" aria-controls=${slash !== null ? 'canned-list' : undefined}
                aria-activedescendant=${slash !== null && canned.length ? `canned-${selected}` : undefined}
                placeholder=${internal ? t('desk.composer.notePlaceholder') : t('desk.composer.placeholder')}
                onInput=${onInput} onKeyDown=${onKeyDown} onPaste=${onPaste}></textarea>
      <div class="tools">
        <button class="ghost" aria-label=${t('desk.composer.emoji')} aria-expanded=${emoji ? 'true' : 'false'}
                onClick=${() => setEmoji(!emoji)}>😊</button>
        <button class="ghost" onClick=${() => files.current?.click()}>${t('desk.composer.attach')}</button>
        <input ref=${files} type="file" multiple hidden aria-label=${t('desk.composer.attach')}
               onChange=${(e) => { add([...e.target.files]); e.target.value = ''; }} />
        <button class="ghost" onClick=${() => { setDraft('/'); box.current?.focus(); }}>${t('desk.composer.canned')}</button>
        <button class="ghost" disabled=${!draft.trim() || slash !== null} onClick=${keep}>${t('desk.composer.keep')}</button>
        <span class="spacer"></span>
        <span class="soft small">${t('desk.composer.hint')}</span>
        <button class="primary" onClick=${send} disabled=${busy}>${internal ? t('desk.composer.addNote') : t('desk.composer.send')}</button>
      </div>
    </div>`;
}
