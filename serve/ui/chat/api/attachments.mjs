// Uploads (POST /api/v1/conversations/{id}/attachments): XHR, because fetch reports
// no upload progress. Resolves with the attachment object, rejects with an ApiError.
import { ApiError } from './http.mjs';

export function uploadAttachment(conversationId, file, token, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/conversations/${encodeURIComponent(conversationId)}/attachments`);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300 && xhr.response?.id) resolve(xhr.response);
      else reject(new ApiError(xhr.status, xhr.response?.error?.code || 'upload_failed',
                               xhr.response?.error?.message));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload did not reach the center'));
    const form = new FormData();
    form.append('file', file, file.name || 'pasted');
    xhr.send(form);
  });
}
