// POST /api/v1/conversations/{id}/attachments through XMLHttpRequest, the one browser
// API that reports upload progress.
import { ApiError, bearer } from 'kefu/http.mjs';

export function upload(conversationId, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/conversations/${encodeURIComponent(conversationId)}/attachments`);
    xhr.setRequestHeader('Authorization', `Bearer ${bearer()}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) { resolve(xhr.response); return; }
      const error = xhr.response?.error || {};
      reject(new ApiError(xhr.status, error.code || `http_${xhr.status}`, error.message));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
