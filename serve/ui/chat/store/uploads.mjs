// Files the visitor sends: each is uploaded to the conversation (with progress), then
// sent as a message carrying the attachment's id.
import { uploadAttachment } from '../api/attachments.mjs';
import { current } from './credentials.mjs';
import { sendMessage, withConversation } from './session.mjs';
import { setUploads } from './widget.mjs';

let counter = 0;

function update(id, fields) {
  setUploads((list) => list.map((u) => (u.id === id ? { ...u, ...fields } : u)));
}

export function uploadFiles(files) {
  for (const file of files) {
    const id = ++counter;
    setUploads((list) => [...list, { id, name: file.name || 'file', progress: 0, error: null }]);
    withConversation(async (conversationId) => {
      try {
        const attachment = await uploadAttachment(conversationId, file, current.token,
                                                  (progress) => update(id, { progress }));
        setUploads((list) => list.filter((u) => u.id !== id));
        sendMessage('', [attachment]);
      } catch (error) {
        update(id, { error: error.status === 413 ? 'too_large' : error.status === 415 ? 'type' : 'failed' });
      }
    });
  }
}

export function dismissUpload(id) {
  setUploads((list) => list.filter((u) => u.id !== id));
}
