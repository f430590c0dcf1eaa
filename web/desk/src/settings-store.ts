import { computed, signal } from '@preact/signals';
import { api, call, type Settings } from './api/client';
import { WordMarker } from './highlight';

/** The moderation settings in force on the site acted on: for the cards' highlights, the articles' defaults, and the settings page. */
export const settings = signal<Settings | null>(null);

export const marker = computed(
  () => new WordMarker(settings.value?.bannedWords ?? [], settings.value?.suspectWords ?? []),
);

export async function loadSettings(): Promise<void> {
  settings.value = await call(() => api.GET('/api/moderation/settings'));
}
