import { ApiError } from './api';
import { errorMessage } from './errors';
import { stringsFor } from './i18n';

const refusal = (code: string) => new ApiError(403, code, null, null, []);

describe('what the reader is told of a refusal', () => {
  it.each(['en', 'fr', 'ar'])(
    'says in %s that the page may not show the site, and that the reader is on another site',
    (lang) => {
      const { t } = stringsFor(lang);
      expect(errorMessage(t, refusal('ORIGIN_NOT_ALLOWED'))).toBe(t.errors.originRefused);
      expect(errorMessage(t, refusal('OTHER_SITE'))).toBe(t.errors.otherSite);
      expect(new Set([t.errors.originRefused, t.errors.otherSite, t.errors.forbidden, t.errors.other]).size).toBe(4);
    },
  );

  it('says it in plain English words', () => {
    const { t } = stringsFor('en');
    expect(errorMessage(t, refusal('ORIGIN_NOT_ALLOWED'))).toBe(
      'This page is not allowed to show this site’s comments.',
    );
    expect(errorMessage(t, refusal('OTHER_SITE'))).toMatch(/^You are signed in to another site\./);
  });
});
