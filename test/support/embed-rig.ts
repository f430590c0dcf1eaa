import { AddressInfo } from 'node:net';
import { Browser } from 'playwright-core';
import { HostSite, launchChromium } from './browser';
import { Api } from './comments-helpers';
import { createTestApp, TestApp } from './test-app';

/** The service listening on a port, a publisher's page of another origin that embeds it, and Chromium. */
export interface EmbedRig {
  t: TestApp;
  api: Api;
  host: HostSite;
  browser: Browser;
  /** The service's origin, which the publisher's page loads the embed from. */
  apiOrigin: string;
}

/** Starts an EmbedRig; the service allows the publisher's page (CORS) besides `env`. */
export async function startEmbedRig(env: Record<string, string> = {}): Promise<EmbedRig> {
  let apiOrigin = '';
  const host = new HostSite(() => apiOrigin);
  await host.start();
  const t = await createTestApp({ CORS_ORIGINS: host.origin, ...env });
  await t.app.listen(0, '127.0.0.1');
  apiOrigin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  return { t, api: new Api(t), host, browser: await launchChromium(), apiOrigin };
}

export async function stopEmbedRig(rig: EmbedRig | undefined): Promise<void> {
  await rig?.browser.close();
  await rig?.host.stop();
  await rig?.t.close();
}
