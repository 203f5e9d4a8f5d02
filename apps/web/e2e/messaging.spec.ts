import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { expect, test } from './support/test';
import { createAdminWithCli, signIn, type Account } from './support/accounts';
import { createBookableLawyer, payAndBook, registerAccount, uniqueWord } from './support/marketplace';

/*
 * End-to-end encrypted messaging through the real API and the real @lm/e2ee library in Chromium:
 * a client and a lawyer who share a paid consultation each set up keys (the recovery code is read
 * off the set-up screen, as a person would write it down), write to each other and see the other's
 * message arrive live, send a file that the other side downloads (decrypted in the browser: same
 * name, same bytes), and compare safety numbers (the same 60 digits on both screens). Then the
 * client signs in on a fresh browser: it has no keys, a wrong recovery code is refused, the right
 * one unlocks the whole history, file included.
 */

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  // From the top: the fixed header is drawn once, where it belongs.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** Signs in in a fresh browser context. */
async function openAs(browser: Browser, account: Account): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, account);
  return { context, page };
}

/** First use on the Messages page: create the keys, note the recovery code, confirm it is saved. */
async function setUpKeys(page: Page, testInfo: TestInfo, who: string): Promise<string> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Messages' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Set up secure messaging' })).toBeVisible();
  await page.getByRole('button', { name: 'Create my keys' }).click();
  const codeElement = page.getByTestId('recovery-code');
  await expect(codeElement).toHaveText(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/, { timeout: 30_000 });
  const code = (await codeElement.textContent())!.trim();
  await shot(page, testInfo, `${who}-1-recovery-code`);
  // Continuing needs the confirmation.
  await page.getByRole('button', { name: 'Continue to messages' }).click();
  await expect(page.getByText('Save the code, then tick this box to continue.')).toBeVisible();
  await page.getByRole('checkbox', { name: 'I have saved my recovery code somewhere safe' }).check();
  await page.getByRole('button', { name: 'Continue to messages' }).click();
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeVisible();
  return code;
}

async function openConversationWith(page: Page, name: string): Promise<void> {
  await page
    .getByRole('list', { name: 'Your conversations' })
    .getByRole('link', { name: new RegExp(name) })
    .click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

/** The 60 digits of the open conversation's safety number, after checking their layout. */
async function safetyNumber(page: Page, counterpart: string): Promise<string> {
  await page.getByRole('button', { name: 'Safety number' }).click();
  const dialog = page.getByRole('dialog', { name: `Safety number with ${counterpart}` });
  await expect(dialog.getByText(`Compare these numbers with ${counterpart} in person or by phone`)).toBeVisible();
  const number = dialog.getByTestId('safety-number');
  await expect(number).toHaveAccessibleName(/^Safety number: \d{5}( \d{5}){11}$/);
  const digits = (await number.textContent())!.replace(/\D/g, '');
  expect(digits).toHaveLength(60);
  return digits;
}

async function closeDialog(page: Page): Promise<void> {
  await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

/** Clicks the attachment's download button; the saved file's name and bytes. */
async function downloadAttachment(page: Page, name: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page
      .getByRole('log')
      .getByRole('button', { name: new RegExp(`^Download ${name.replace('.', '\\.')}`) })
      .click(),
  ]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

test.describe('end-to-end encrypted messaging', () => {
  test.use({ actionTimeout: 30_000 });
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Messaging Admin');
  });

  test('client and lawyer set up keys, exchange messages and a file live, match safety numbers; the client restores the history on a new browser', async ({
    browser,
    request,
  }, testInfo) => {
    test.setTimeout(300_000);

    // A paid consultation opens the conversation between the two.
    const lawyer = await createBookableLawyer(request, admin, {
      displayName: `Lucía Abogada ${uniqueWord()}`,
      offeringTitle: 'Residence permit consultation',
      priceMinor: 8000,
      currency: 'EUR',
      durationMinutes: 30,
    });
    const client = await registerAccount(request, 'CLIENT', `Tomás Cliente ${uniqueWord()}`, 'Europe/Madrid', admin);
    const { sessionId } = await payAndBook(request, client, lawyer.offeringId, {
      why: 'any free time',
      slot: (free) => free[0]?.startAt,
    });

    // 1. Both set up their keys on first use of Messages.
    const c = await openAs(browser, client);
    const l = await openAs(browser, lawyer);
    const clientCode = await setUpKeys(c.page, testInfo, 'client');
    const lawyerCode = await setUpKeys(l.page, testInfo, 'lawyer');
    expect(clientCode).not.toBe(lawyerCode);

    await openConversationWith(c.page, lawyer.displayName);
    await openConversationWith(l.page, client.displayName);
    const clientLog = c.page.getByRole('log', { name: `Messages with ${lawyer.displayName}` });
    const lawyerLog = l.page.getByRole('log', { name: `Messages with ${client.displayName}` });
    await expect(clientLog.getByText('No messages yet')).toBeVisible();

    // 2. Messages arrive live on the other side (no reload), and the sender sees them read.
    const hello = `Hola, I need help with my residence permit (${uniqueWord()})`;
    await c.page.getByRole('textbox', { name: `Message to ${lawyer.displayName}` }).fill(hello);
    await c.page.keyboard.press('Enter');
    await expect(lawyerLog.getByText(hello)).toBeVisible();
    await expect(clientLog.getByTestId('message').filter({ hasText: hello })).toContainText('Read');

    const reply = `Of course. Please send me the refusal letter.\nA scan is fine. (${uniqueWord()})`;
    const lawyerBox = l.page.getByRole('textbox', { name: `Message to ${client.displayName}` });
    await lawyerBox.fill('Of course. Please send me the refusal letter.');
    await lawyerBox.press('Shift+Enter');
    await lawyerBox.pressSequentially(reply.split('\n')[1]!);
    await lawyerBox.press('Enter');
    await expect(clientLog.getByTestId('message').filter({ hasText: 'Please send me the refusal letter.' })).toContainText(
      reply.split('\n')[1]!,
    );

    // 3. A file, encrypted in the client's browser, downloaded and decrypted in the lawyer's.
    const fileName = `refusal-letter-${uniqueWord()}.pdf`;
    const fileBytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(300_000)]);
    const [chooser] = await Promise.all([
      c.page.waitForEvent('filechooser'),
      c.page.getByRole('button', { name: 'Attach files' }).click(),
    ]);
    await chooser.setFiles({ name: fileName, mimeType: 'application/pdf', buffer: fileBytes });
    await expect(c.page.getByRole('list', { name: 'Files to send' })).toContainText(fileName);
    await c.page.getByRole('textbox', { name: `Message to ${lawyer.displayName}` }).fill('Here it is.');
    await c.page.getByRole('button', { name: 'Send' }).click();
    await expect(lawyerLog.getByRole('button', { name: new RegExp(`^Download ${fileName}`) })).toBeVisible();
    const received = await downloadAttachment(l.page, fileName);
    expect(received.name).toBe(fileName);
    expect(received.bytes.equals(fileBytes), 'the lawyer decrypts exactly the bytes the client attached').toBe(true);
    await shot(c.page, testInfo, 'client-2-thread');
    await shot(l.page, testInfo, 'lawyer-2-thread');

    // 4. The same safety number on both screens.
    const clientDigits = await safetyNumber(c.page, lawyer.displayName);
    const lawyerDigits = await safetyNumber(l.page, client.displayName);
    expect(lawyerDigits).toBe(clientDigits);
    await shot(c.page, testInfo, 'client-3-safety-number');
    await shot(l.page, testInfo, 'lawyer-3-safety-number');
    await closeDialog(c.page);
    await closeDialog(l.page);

    // 5. The session's agenda (shared) and a private note, encrypted with the conversation's key.
    const agendaText = `1. Why the permit was refused\n2. Deadline for the appeal (${uniqueWord()})`;
    const privateText = `Ask whether the fee covers the appeal (${uniqueWord()})`;
    await c.page.goto(`/sessions/${sessionId}`);
    const clientNotes = c.page.getByRole('region', { name: 'Agenda & notes' });
    await clientNotes.getByRole('textbox', { name: 'Agenda' }).fill(agendaText);
    await clientNotes.getByRole('button', { name: 'Save agenda' }).click();
    await expect(clientNotes.getByText(/^Saved .* by you$/)).toBeVisible();
    await clientNotes.getByRole('textbox', { name: 'Private note' }).fill(privateText);
    await clientNotes.getByRole('button', { name: 'Save private note' }).click();
    await expect(clientNotes.getByRole('status').filter({ hasText: /^Saved / })).toHaveCount(2);
    await l.page.goto(`/sessions/${sessionId}`);
    const lawyerNotes = l.page.getByRole('region', { name: 'Agenda & notes' });
    await expect(lawyerNotes.getByRole('textbox', { name: 'Agenda' })).toHaveValue(agendaText);
    await expect(lawyerNotes.getByText(new RegExp(`by ${client.displayName}$`))).toBeVisible();
    // The client's private note is theirs alone.
    await expect(lawyerNotes.getByRole('textbox', { name: 'Private note' })).toHaveValue('');
    await shot(c.page, testInfo, 'client-4-session-notes');

    // 6. The client on a new browser: no keys here, so the restore screen.
    const fresh = await openAs(browser, client);
    await fresh.page.goto('/messages');
    await expect(fresh.page.getByRole('heading', { name: 'Unlock your messages on this device' })).toBeVisible();
    const field = fresh.page.getByRole('textbox', { name: 'Recovery code' });
    // A well-formed code that is not theirs.
    const wrong = (clientCode[0] === '7' ? '8' : '7') + clientCode.slice(1);
    await field.fill(wrong);
    await fresh.page.getByRole('button', { name: 'Unlock messages' }).click();
    await expect(fresh.page.getByText(/That recovery code does not match/)).toBeVisible({ timeout: 30_000 });
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await shot(fresh.page, testInfo, 'client-5-wrong-code');
    // The right one, typed the way people do: lower case, spaces instead of dashes.
    await field.fill(clientCode.toLowerCase().replaceAll('-', ' '));
    await fresh.page.getByRole('button', { name: 'Unlock messages' }).click();
    await expect(fresh.page.getByRole('heading', { name: 'Conversations' })).toBeVisible({ timeout: 30_000 });
    await openConversationWith(fresh.page, lawyer.displayName);
    const restoredLog = fresh.page.getByRole('log', { name: `Messages with ${lawyer.displayName}` });
    await expect(restoredLog.getByText(hello)).toBeVisible();
    await expect(restoredLog.getByText('Please send me the refusal letter.', { exact: false })).toBeVisible();
    await expect(restoredLog.getByText('could not be verified')).toHaveCount(0);
    const restored = await downloadAttachment(fresh.page, fileName);
    expect(restored.name).toBe(fileName);
    expect(restored.bytes.equals(fileBytes), 'the restored browser decrypts the same file').toBe(true);
    await shot(fresh.page, testInfo, 'client-6-restored-history');

    // The new browser is one of the client's devices now, next to the first one.
    await fresh.page.getByRole('link', { name: 'Devices and recovery' }).click();
    await expect(fresh.page.getByRole('region', { name: 'This device' })).toContainText('This device');
    await expect(fresh.page.getByRole('list', { name: 'Other devices' }).getByRole('listitem')).toHaveCount(1);

    // The notes use the same conversation keys: readable on the restored browser too, the private one included.
    await fresh.page.goto(`/sessions/${sessionId}`);
    const restoredNotes = fresh.page.getByRole('region', { name: 'Agenda & notes' });
    await expect(restoredNotes.getByRole('textbox', { name: 'Agenda' })).toHaveValue(agendaText);
    await expect(restoredNotes.getByRole('textbox', { name: 'Private note' })).toHaveValue(privateText);

    await fresh.context.close();
    await c.context.close();
    await l.context.close();
  });
});
