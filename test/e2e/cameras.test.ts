import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, joinAsGuest, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Cameras beside the player (issue 13) in real Chromium with fake devices (a moving test pattern and a
 * beeping microphone): three people join with cameras and each sees the other two tiles with frames
 * advancing; muting, leaving and a kick update everyone; a denied permission and a full room say so.
 */

const remoteTiles = (page: Page) => page.locator('[data-testid="camera-tile"][data-self="false"]');
const remoteNames = (page: Page) => remoteTiles(page).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.name).sort());
const tile = (page: Page, name: string) => page.locator(`[data-testid="camera-tile"][data-name="${name}"]`);

/** The remote tile's video as the page sees it: its size and playback position. */
const frames = (page: Page, name: string) =>
  page.evaluate((n) => {
    const v = document.querySelector<HTMLVideoElement>(`[data-testid="camera-tile"][data-name="${n}"] video`);
    return v ? { width: v.videoWidth, time: v.currentTime } : null;
  }, name);

/** The tile shows real, moving video: a decoded frame size, and a position that keeps growing. */
async function expectLiveVideo(page: Page, name: string) {
  await eventually(async () => (await frames(page, name))?.width ?? 0, 30_000).toBeGreaterThan(0);
  const start = (await frames(page, name))!.time;
  await eventually(async () => (await frames(page, name))?.time ?? 0, 15_000).toBeGreaterThan(start + 0.5);
}

describe('cameras beside the player', () => {
  let stack: Stack;
  let browser: Browser;
  const people: Record<'host' | 'ana' | 'bob', PageWithTools> = {} as never;
  let extra: PageWithTools;
  let roomUrl = '';
  const tag = Date.now().toString(36);
  const hostName = `Hana${tag}`;
  const dump = () =>
    Object.entries(people)
      .flatMap(([who, p]) => p.errors.map((e) => `[${who}] ${e}`))
      .join('\n');

  beforeAll(async () => {
    const [s, b] = await Promise.all([startStack({ transcoders: 0, env: { CAMERA_LIMIT: '3' } }), launchBrowser({ fakeMedia: true })]);
    stack = s;
    browser = b;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const open = async () => openPage(await browser.newContext({ viewport: { width: 1300, height: 1000 } }));

  it('three people join the room with cameras and each sees the other two, with frames advancing', async () => {
    people.host = await open();
    const { page } = people.host;
    await page.goto(stack.baseUrl + '/register');
    await signUp(page, { email: `cams-${tag}@example.test`, displayName: hostName, password: 'correct horse battery' });
    await page.getByLabel('Room name').fill('Faces night');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    roomUrl = page.url();
    for (const [who, name] of [
      ['ana', 'Ana'],
      ['bob', 'Bob'],
    ] as const) {
      people[who] = await open();
      await people[who].page.goto(roomUrl);
      await joinAsGuest(people[who].page, { displayName: name });
    }
    for (const p of Object.values(people)) {
      await eventually(() => p.page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');
      await p.page.getByRole('button', { name: 'Join with camera' }).click();
      await eventually(() => p.page.getByTestId('camera-strip').getAttribute('data-status'), 60_000).toBe('on');
    }
    const expected = { host: ['Ana', 'Bob'], ana: ['Bob', hostName], bob: ['Ana', hostName] };
    for (const [who, p] of Object.entries(people)) {
      // Three Chromiums encoding fake cameras on 2 cores, beside the integration files: give the mesh time.
      await eventually(() => remoteNames(p.page), 60_000).toEqual(expected[who as keyof typeof expected].sort());
      for (const name of expected[who as keyof typeof expected]) await expectLiveVideo(p.page, name);
    }
    await eventually(() => page.getByTestId('camera-count').textContent()).toBe('3 of 3 on');
    // The fake microphone beeps every second: the speaking indicator (WebAudio analyser) lights up.
    await eventually(() => tile(page, 'Ana').getAttribute('data-speaking'), 60_000).toBe('true');
    await screenshot(page, 'cameras-01-three');
    expect(dump()).not.toMatch(/pageerror/);
  });

  it('a denied permission says so and leaves nothing hanging; a full room says so', async () => {
    extra = await open();
    await extra.page.goto(roomUrl);
    await joinAsGuest(extra.page, { displayName: 'Cleo' });
    await eventually(() => extra.page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');
    // The browser refuses access (as after a click on "Block").
    await extra.page.evaluate(() => {
      const md = navigator.mediaDevices;
      const original = md.getUserMedia.bind(md);
      (window as unknown as { __gum: typeof original }).__gum = original;
      md.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await extra.page.getByRole('button', { name: 'Join with camera' }).click();
    await eventually(() => extra.page.getByTestId('camera-error').textContent()).toMatch(
      /^Access to your camera and microphone was denied\./,
    );
    expect(await extra.page.getByTestId('camera-strip').getAttribute('data-status')).toBe('off');
    // With access, the server's limit (CAMERA_LIMIT=3 here) answers, and the devices are let go.
    await extra.page.evaluate(() => {
      navigator.mediaDevices.getUserMedia = (window as unknown as { __gum: MediaDevices['getUserMedia'] }).__gum;
    });
    await extra.page.getByRole('button', { name: 'Join with camera' }).click();
    await eventually(() => extra.page.getByTestId('camera-error').textContent()).toBe(
      'The room has 3 cameras on; try again when someone turns theirs off.',
    );
    expect(await extra.page.getByTestId('camera-strip').getAttribute('data-status')).toBe('off');
    expect(await remoteTiles(people.host.page).count()).toBe(2);
    await screenshot(extra.page, 'cameras-02-full');
    await extra.page.context().close();
  });

  it('muting and turning the camera off show for everyone', async () => {
    await people.ana.page.getByRole('button', { name: 'Mute' }).click();
    for (const p of [people.host, people.bob]) await eventually(() => tile(p.page, 'Ana').getAttribute('data-audio')).toBe('false');
    await people.ana.page.getByRole('button', { name: 'Unmute' }).click();
    for (const p of [people.host, people.bob]) await eventually(() => tile(p.page, 'Ana').getAttribute('data-audio')).toBe('true');
    await people.bob.page.getByRole('button', { name: 'Camera off' }).click();
    for (const p of [people.host, people.ana]) {
      await eventually(() => tile(p.page, 'Bob').getAttribute('data-video')).toBe('false');
      await tile(p.page, 'Bob').locator('.camera-avatar', { hasText: 'B' }).waitFor();
    }
    await screenshot(people.host.page, 'cameras-03-muted-and-off');
    // Back on: a new camera track on the same connections, frames flowing again.
    await people.bob.page.getByRole('button', { name: 'Camera on' }).click();
    for (const p of [people.host, people.ana]) {
      await eventually(() => tile(p.page, 'Bob').getAttribute('data-video')).toBe('true');
      await expectLiveVideo(p.page, 'Bob');
    }
  });

  it('leaving removes the tile for everyone; joining again brings it back', async () => {
    await people.bob.page.getByRole('button', { name: 'Leave cameras' }).click();
    await eventually(() => remoteNames(people.host.page)).toEqual(['Ana']);
    await eventually(() => remoteNames(people.ana.page)).toEqual([hostName]);
    await people.bob.page.getByRole('button', { name: 'Join with camera' }).click();
    for (const p of [people.host, people.ana]) {
      await eventually(() => remoteNames(p.page), 30_000).toContain('Bob');
      await expectLiveVideo(p.page, 'Bob');
    }
  });

  it("a kicked person's tile disappears for everyone at once", async () => {
    await people.host.page.getByRole('button', { name: 'Kick Ana' }).click();
    await people.host.page.getByRole('alertdialog', { name: 'Kick Ana?' }).getByRole('button', { name: 'Kick' }).click();
    await people.ana.page.getByRole('heading', { name: 'You were removed from this room' }).waitFor();
    await eventually(() => remoteNames(people.host.page)).toEqual(['Bob']);
    await eventually(() => remoteNames(people.bob.page)).toEqual([hostName]);
    await expectLiveVideo(people.bob.page, hostName);
    await screenshot(people.bob.page, 'cameras-04-after-kick');
    expect(dump()).not.toMatch(/pageerror/);
  });
});
