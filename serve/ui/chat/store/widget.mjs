// The widget around the chat: the admin's settings, whether the visitor has it open,
// the unread count and whether the browser let us play sounds.
import { signal } from '@preact/signals';

import { DEFAULT_CONFIG } from '../api/widget_config.mjs';

export const config = signal({ ...DEFAULT_CONFIG });
// Embedded: the loader opens and closes the panel; the standalone page is always open.
export const panelOpen = signal(true);
export const unread = signal(0);
export const soundBlocked = signal(false);
export const uploads = signal([]); // [{id, name, progress, error?}]

export function setUploads(update) {
  uploads.value = update(uploads.value);
}
