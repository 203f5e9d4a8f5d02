import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { createAdminWithCli, signIn, type Account } from './support/accounts';
import { bearerFor, createBookableLawyer, freeAroundTheClock, payAndBook, registerAccount, uniqueWord } from './support/marketplace';

/*
 * How a session can be joined NOW without a test backdoor: the booking goes through the real
 * API and its real rules, and playwright.config.ts starts the e2e server with
 * VIDEO_JOIN_EARLY_MINUTES=120 (the largest the config accepts) and BOOKING_MIN_NOTICE_HOURS=1.
 * A lawyer free around the clock with no notice of their own then has a first free slot about an
 * hour from now, and its call is already open (it opens two hours before the start).
 */

/** Bytes received so far per media kind, from the page's RTCPeerConnection statistics. */
async function inboundBytes(page: Page): Promise<{ audio: number; video: number }> {
  return page.evaluate(async () => {
    const report = await window.__lmCall?.getStats();
    const out = { audio: 0, video: 0 };
    report?.forEach((s: { type: string; kind?: string; bytesReceived?: number }) => {
      if (s.type === 'inbound-rtp' && (s.kind === 'audio' || s.kind === 'video')) out[s.kind] += s.bytesReceived ?? 0;
    });
    return out;
  });
}

/** Media flows both ways in `page`: audio and video bytes received keep growing. */
async function expectMediaFlowing(page: Page): Promise<void> {
  let first = { audio: 0, video: 0 };
  await expect(async () => {
    first = await inboundBytes(page);
    expect(first.video).toBeGreaterThan(0);
    expect(first.audio).toBeGreaterThan(0);
  }).toPass({ timeout: 20_000 });
  await expect(async () => {
    const later = await inboundBytes(page);
    expect(later.video).toBeGreaterThan(first.video);
    expect(later.audio).toBeGreaterThan(first.audio);
  }).toPass({ timeout: 10_000 });
}

test.describe('video call', () => {
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Video Admin');
  });

  test('client and lawyer consent, join and see each other with media flowing; the lawyer ends the session; both recordings are listed, downloaded, hashed and verified', async ({
    browser,
    request,
  }, testInfo) => {
    test.setTimeout(300_000);

    // Set-up through the API: a lawyer free around the clock (UTC, no notice of their own) and a verified client.
    const lawyer = await createBookableLawyer(request, admin, {
      displayName: `Marta ${uniqueWord()}`,
      offeringTitle: 'Video consultation',
      priceMinor: 6000,
      currency: 'EUR',
      durationMinutes: 30,
      timeZone: 'UTC',
    });
    await freeAroundTheClock(request, lawyer);
    const client = await registerAccount(request, 'CLIENT', `Ana Client ${uniqueWord()}`, 'America/New_York', admin);
    const { sessionId, startAt } = await payAndBook(request, client, lawyer.offeringId, {
      why: 'a free slot whose call is open (the soonest)',
      slot: (free) => free[0]?.startAt,
    });
    // Inside the join window (opens 120 min before the start on the e2e server).
    expect(new Date(startAt).getTime() - Date.now()).toBeLessThan(115 * 60_000);

    // Two browsers; the client's is phone-sized (the call screen must work at 390 px).
    const media = { permissions: ['camera', 'microphone'] };
    const clientContext = await browser.newContext({ ...media, viewport: { width: 390, height: 844 }, acceptDownloads: true });
    const lawyerContext = await browser.newContext({ ...media, viewport: { width: 1280, height: 800 } });
    const clientPage = await clientContext.newPage();
    const lawyerPage = await lawyerContext.newPage();
    const shot = (name: string, page: Page) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });

    await signIn(clientPage, client);
    await signIn(lawyerPage, lawyer);

    // 1. The pre-join screen: camera preview, devices, consent with its explanation.
    for (const page of [clientPage, lawyerPage]) {
      await page.goto(`/sessions/${sessionId}`);
      const call = page.getByRole('region', { name: 'Video call' });
      await expect(call.getByRole('button', { name: 'Join the call' })).toBeEnabled({ timeout: 20_000 });
      await expect(call.getByLabel('Camera', { exact: true })).toBeVisible();
      await expect(call.getByLabel('Microphone', { exact: true })).toBeVisible();
      await expect(call.getByText('Recording starts only when both of you agree.', { exact: false })).toBeVisible();
      await call.getByRole('checkbox', { name: 'I agree that this call is recorded' }).check();
    }
    await shot('01-client-pre-join-390px.png', clientPage);
    await shot('02-lawyer-pre-join.png', lawyerPage);

    // 2. Both join; each sees the other connected, and the recording runs (both consented).
    await clientPage.getByRole('button', { name: 'Join the call' }).click();
    await lawyerPage.getByRole('button', { name: 'Join the call' }).click();
    for (const page of [clientPage, lawyerPage]) {
      await expect(page.getByTestId('call-state')).toHaveText('Connected', { timeout: 30_000 });
      await expect(page.getByTestId('encryption-notice')).toContainText('End-to-end encrypted');
      await expect(page.getByText('● Recording')).toBeVisible({ timeout: 15_000 });
    }
    // Not only the UI: the browsers' own transport statistics show audio and video arriving.
    await expectMediaFlowing(clientPage);
    await expectMediaFlowing(lawyerPage);
    const width = await clientPage.evaluate(() => document.documentElement.scrollWidth);
    expect(width, 'no horizontal scrolling at 390 px').toBeLessThanOrEqual(390);
    await expect(clientPage.getByRole('button', { name: 'End session' })).toHaveCount(0); // lawyer only
    await shot('03-client-in-call-390px.png', clientPage);
    await shot('04-lawyer-in-call.png', lawyerPage);

    // Either side can stop the recording, and the other sees who did; the client then allows it again.
    await lawyerPage.waitForTimeout(3000);
    await clientPage.getByRole('button', { name: 'Stop recording' }).click();
    await expect(lawyerPage.getByText('Recording stopped by the client.')).toBeVisible({ timeout: 15_000 });
    await expect(lawyerPage.getByText('● Recording')).toBeHidden();
    await expect(clientPage.getByText('Recording stopped by you.')).toBeVisible();
    await shot('04b-lawyer-sees-the-client-stopped-recording.png', lawyerPage);
    await clientPage.getByRole('button', { name: 'Allow recording' }).click();
    for (const page of [clientPage, lawyerPage]) await expect(page.getByText('● Recording')).toBeVisible({ timeout: 15_000 });

    // A few seconds of recording, then the lawyer ends the session (after confirming).
    await lawyerPage.waitForTimeout(4000);
    await lawyerPage.getByRole('button', { name: 'End session' }).click();
    const confirm = lawyerPage.getByRole('dialog', { name: 'End the session?' });
    await expect(confirm).toBeVisible();
    await shot('05-lawyer-end-confirmation.png', lawyerPage);
    await confirm.getByRole('button', { name: 'End session' }).click();

    // 3. COMPLETED for both (the client's call closes by itself), and the recordings arrive: each
    //    browser recorded its own stream twice (before the stop and after the resume).
    for (const page of [lawyerPage, clientPage]) {
      await expect(page.getByRole('main').getByText('Completed', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
      const list = page.getByRole('list', { name: 'Recordings' });
      for (const name of ['Client’s recording', 'Lawyer’s recording']) {
        await expect(list.getByRole('listitem', { name }).filter({ hasText: 'Available' })).toHaveCount(2, { timeout: 60_000 });
      }
    }
    const clientAuth = { Authorization: `Bearer ${await bearerFor(request, client)}` };
    const session = (await (await request.get(`/api/sessions/${sessionId}`, { headers: clientAuth })).json()) as {
      status: string;
    };
    expect(session.status).toBe('COMPLETED');
    await shot('06-lawyer-recordings.png', lawyerPage);
    await shot('07-client-recordings-390px.png', clientPage);

    // 4. The client downloads the lawyer's recording: its SHA-256 is the one listed.
    const item = clientPage
      .getByRole('list', { name: 'Recordings' })
      .getByRole('listitem', { name: 'Lawyer’s recording' })
      .first();
    const listedSha = (await item.getByTestId('recording-sha256').textContent())!.trim();
    expect(listedSha).toMatch(/^[0-9a-f]{64}$/);
    const auditSeq = /#(\d+)/.exec((await item.getByText(/^#\d+$/).textContent())!)![1]!;
    const download = clientPage.waitForEvent('download');
    await item.getByRole('button', { name: 'Download the lawyer’s recording' }).click();
    const file = testInfo.outputPath('lawyer-recording.webm');
    await (await download).saveAs(file);
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(1000);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(listedSha);
    // The player streams it through a short-lived signed link (a <video> cannot send the token).
    await item.getByRole('button', { name: 'Play the lawyer’s recording' }).click();
    const player = item.locator('video');
    await expect(player).toHaveAttribute('src', /\/api\/recordings\/media\//);
    await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot('07b-client-plays-lawyer-recording-390px.png', clientPage);

    // 5. The public verify page (no need to be signed in) confirms the file…
    const visitor = await browser.newContext();
    const verifyPage = await visitor.newPage();
    await verifyPage.goto('/');
    await verifyPage.getByRole('contentinfo').getByRole('link', { name: 'Verify a document' }).click();
    await expect(verifyPage.getByRole('heading', { level: 1, name: 'Verify a document' })).toBeVisible();
    await verifyPage.getByLabel('File to verify').setInputFiles(file);
    const found = verifyPage.getByRole('status').filter({ hasText: 'This file is a recording kept by LexMarket' });
    await expect(found).toBeVisible({ timeout: 30_000 });
    await expect(found).toContainText(`audit entry #${auditSeq}`);
    await expect(found.getByTestId('verify-sha256')).toHaveText(listedSha);
    await shot('08-verify-confirmed.png', verifyPage);

    // …and rejects the same file with one byte changed.
    const tampered = Buffer.from(bytes);
    tampered[Math.floor(tampered.length / 2)] ^= 0x01;
    const tamperedFile = testInfo.outputPath('lawyer-recording-tampered.webm');
    writeFileSync(tamperedFile, tampered);
    await verifyPage.getByLabel('File to verify').setInputFiles(tamperedFile);
    await expect(verifyPage.getByRole('status').filter({ hasText: 'Not found: no recording or executed contract has this fingerprint' })).toBeVisible({
      timeout: 30_000,
    });
    await expect(verifyPage.getByTestId('verify-sha256')).toHaveText(createHash('sha256').update(tampered).digest('hex'));
    await shot('09-verify-rejected-one-byte-changed.png', verifyPage);

    await visitor.close();
    await clientContext.close();
    await lawyerContext.close();
  });
});
