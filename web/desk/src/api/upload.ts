import { ApiError } from './client';
import { token, tokenRefused } from '../session';
import { withSites } from '../site-choice';

/** How much of an upload has gone, for a progress bar. */
export interface Sent {
  loaded: number;
  total: number;
}

/**
 * A file POSTed as the raw request body, with the upload's progress: XMLHttpRequest, because
 * fetch() tells nothing of what has been sent. The file is read from disk as it goes, never
 * held in memory. Answers the JSON of a 2xx, else throws an ApiError with the API's problem.
 */
export function uploadFile<T>(
  url: string,
  file: Blob,
  onProgress: (sent: Sent) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const target = withSites(url, 'POST');
    xhr.open('POST', target.url);
    for (const [name, value] of Object.entries(target.headers)) xhr.setRequestHeader(name, value);
    xhr.responseType = 'json';
    if (token.value) xhr.setRequestHeader('Authorization', `Bearer ${token.value}`);
    // Whatever the format, the export is a file to stream: the API reads it as such.
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      if (xhr.status === 401) tokenRefused.value = true;
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response as T);
      else reject(new ApiError(xhr.status, (xhr.response ?? {}) as ApiError['problem']));
    };
    xhr.onerror = () => reject(new ApiError(0, { title: 'The service cannot be reached' }));
    xhr.onabort = () => reject(new ApiError(0, { title: 'The upload was stopped' }));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}
