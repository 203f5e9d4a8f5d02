import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { Download, Locator, Page, Request, TestInfo } from '@playwright/test';
import { expect, test } from './support/test';
import { createAdminWithCli, signIn, type Account } from './support/accounts';
import { createBookableLawyer, payAndBook, registerAccount, uniqueWord } from './support/marketplace';

/*
 * The contract lifecycle through the real API and UI: after a paid session the lawyer creates an
 * engagement letter from LexMarket's template (values prefilled from the session), saves a second
 * version, and sends it; the client signs on a phone-sized screen (typed name and a signature
 * drawn with the mouse), the lawyer signs, the contract is executed and sealed; both download
 * the executed PDF and check it is the file the page names (SHA-256); a visitor's browser hashes
 * it on the verify page, which finds it without the file ever being uploaded, and does not find a
 * copy with one byte changed. Names are in Greek, Polish and Spanish letters, so the PDF's
 * embedded font is exercised. Every page of the executed PDF is rendered with pdftoppm
 * (poppler-utils, installed by .ci/run) and attached.
 */

const PHONE = { width: 390, height: 844 };

async function savedBytes(download: Download): Promise<Buffer> {
  return readFileSync((await download.path())!);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Renders pages of a PDF to PNG with pdftoppm and attaches them; returns the files. */
async function renderPdf(pdfPath: string, testInfo: TestInfo, prefix: string, pages: number[]): Promise<string[]> {
  const files: string[] = [];
  for (const n of pages) {
    const out = testInfo.outputPath(`${prefix}-page-${n}`);
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', String(n), '-l', String(n), '-singlefile', pdfPath, out], {
      timeout: 60_000,
    });
    const file = `${out}.png`;
    await testInfo.attach(`${prefix}-page-${n}.png`, { path: file, contentType: 'image/png' });
    files.push(file);
  }
  return files;
}

/** The number of pages of a PDF, from pdfinfo. */
function pageCount(pdfPath: string): number {
  const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8', timeout: 30_000 });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? '0');
}

/** Draws a signature-like scribble across the pad with real mouse moves. */
async function drawSignature(page: Page, pad: Locator): Promise<void> {
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  await page.mouse.move(...at(0.1, 0.6));
  await page.mouse.down();
  for (let i = 1; i <= 24; i++) {
    const t = i / 24;
    await page.mouse.move(...at(0.1 + 0.75 * t, 0.6 - 0.3 * Math.sin(t * Math.PI * 3)), { steps: 2 });
  }
  await page.mouse.up();
  // A second stroke: the underline.
  await page.mouse.move(...at(0.15, 0.82));
  await page.mouse.down();
  await page.mouse.move(...at(0.8, 0.8), { steps: 8 });
  await page.mouse.up();
}

/** Downloads the executed PDF from the contract page; checks it is a PDF whose SHA-256 is the one the page shows. */
async function downloadExecuted(page: Page, testInfo: TestInfo, who: string): Promise<{ bytes: Buffer; path: string }> {
  const executed = page.getByRole('region', { name: 'Executed copy' });
  const shown = (await executed.getByTestId('executed-sha256').textContent())!.trim();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    executed.getByRole('button', { name: 'Download executed PDF' }).click(),
  ]);
  const bytes = await savedBytes(download);
  expect(bytes.subarray(0, 5).toString('latin1'), `${who}'s download is a PDF`).toBe('%PDF-');
  expect(sha256(bytes), `${who}'s download is the executed copy the page names`).toBe(shown);
  // The page hashed the same download in the browser and says so.
  await expect(executed.getByRole('status').filter({ hasText: 'Downloaded' })).toContainText('exactly the executed copy');
  const path = testInfo.outputPath(`${who}-${download.suggestedFilename()}`);
  writeFileSync(path, bytes);
  return { bytes, path };
}

/** No horizontal scrolling at the phone's width. */
async function expectNoSideScroll(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, 'no horizontal scrolling at 390 px').toBeLessThanOrEqual(PHONE.width);
}

test.describe('contracts', () => {
  // A step that cannot happen fails within half a minute, not at the end of the whole journey's time.
  test.use({ actionTimeout: 30_000 });
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Contracts Admin');
  });

  test('an engagement letter is drafted from a template, signed by the client (typed + drawn) and the lawyer, downloaded by both and verified in the browser', async ({
    browser,
    request,
  }, testInfo) => {
    test.setTimeout(300_000);
    const shot = (name: string, page: Page) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });

    // Set-up through the API: a verified lawyer, a client, a paid and booked consultation.
    const lawyer = await createBookableLawyer(request, admin, {
      displayName: `Íñigo Łukasz Núñez ${uniqueWord()}`,
      offeringTitle: 'Tenancy dispute consultation',
      priceMinor: 25000,
      currency: 'PLN',
      durationMinutes: 45,
    });
    const client = await registerAccount(request, 'CLIENT', `Ζωή Παπαδοπούλου ${uniqueWord()}`, 'Europe/Athens', admin);
    const { sessionId } = await payAndBook(request, client, lawyer.offeringId, {
      why: 'any free time of the lawyer',
      slot: (free) => free[0]?.startAt,
    });

    // 1. The lawyer opens the paid session and creates a contract from it.
    const lawyerContext = await browser.newContext({ acceptDownloads: true });
    const lawyerPage = await lawyerContext.newPage();
    await signIn(lawyerPage, lawyer);
    await expect(lawyerPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contracts' })).toBeVisible();
    await expect(lawyerPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' })).toBeVisible();
    await lawyerPage.goto(`/sessions/${sessionId}`);
    const card = lawyerPage.getByRole('region', { name: 'Contracts' });
    await expect(card.getByText(/No contract yet/)).toBeVisible();
    await card.getByRole('link', { name: 'Create contract' }).click();
    await expect(lawyerPage.getByRole('heading', { level: 1, name: 'Create contract' })).toBeVisible();
    await expect(lawyerPage.getByText(`For Tenancy dispute consultation with ${client.displayName}`)).toBeVisible();

    // 2. LexMarket's engagement letter; its values come from the session and the profiles.
    await lawyerPage.getByRole('combobox', { name: 'Template' }).click();
    await lawyerPage.getByRole('option', { name: 'Engagement letter — consultation' }).click();
    const clientName = lawyerPage.getByRole('textbox', { name: /^Client name/ });
    await expect(clientName).toHaveValue(client.displayName);
    await expect(lawyerPage.getByRole('textbox', { name: /^Lawyer name/ })).toHaveValue(lawyer.displayName);
    await expect(lawyerPage.getByRole('textbox', { name: /^Consultation fee/ })).toHaveValue(/250[.,]00/);
    await expect(lawyerPage.getByRole('textbox', { name: /^Scope of the engagement/ })).toHaveValue(
      'Tenancy dispute consultation',
    );
    const preview = lawyerPage.getByRole('article', { name: 'Preview' });
    await expect(preview).toContainText(`This engagement letter is made between ${client.displayName}`);
    await shot('01-lawyer-create-from-template.png', lawyerPage);
    await lawyerPage.getByRole('button', { name: 'Save draft' }).click();

    // 3. The draft (version 1); a second version with a wider scope, then sent for signature.
    await expect(lawyerPage).toHaveURL(/\/contracts\/[0-9a-f-]{36}$/);
    const contractUrl = new URL(lawyerPage.url()).pathname;
    await expect(lawyerPage.getByRole('status').filter({ hasText: 'Draft' })).toBeVisible();
    const v1Sha = (await lawyerPage.getByTestId('version-sha256').textContent())!.trim();
    await lawyerPage.getByRole('link', { name: 'Edit draft' }).click();
    const scope = lawyerPage.getByRole('textbox', { name: /^Scope/ });
    await scope.fill('Tenancy dispute: the deposit (kaucja) and the notice to quit — <b>not</b> a {{court}} case');
    await lawyerPage.getByRole('button', { name: 'Save new version' }).click();
    await expect(lawyerPage).toHaveURL(new RegExp(`${contractUrl}$`));
    await expect(lawyerPage.getByRole('heading', { name: 'Document (version 2)' })).toBeVisible();
    // A value is text: the markup and the braces appear as typed.
    await expect(lawyerPage.getByRole('article', { name: 'Contract document' })).toContainText('— <b>not</b> a {{court}} case');
    const versions = lawyerPage.getByRole('table', { name: 'Versions' });
    await expect(versions.getByRole('row')).toHaveCount(3);
    await expect(versions).toContainText(v1Sha);
    await lawyerPage.getByRole('button', { name: 'Send for signature' }).click();
    const sendDialog = lawyerPage.getByRole('dialog', { name: 'Send for signature?' });
    await sendDialog.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(sendDialog).toBeHidden();
    // The lawyer may sign first or last; the client is asked now.
    await expect(lawyerPage.getByRole('status').filter({ hasText: 'Your signature is requested' })).toContainText(
      `Waiting also for ${client.displayName} to sign.`,
    );
    const v2Sha = (await lawyerPage.getByTestId('version-sha256').textContent())!.trim();
    expect(v2Sha).not.toBe(v1Sha);
    await shot('02-lawyer-sent-for-signature.png', lawyerPage);

    // 4. The client, on a phone: Contracts → To sign → the signing screen.
    const clientContext = await browser.newContext({ viewport: PHONE, acceptDownloads: true, hasTouch: false });
    const clientPage = await clientContext.newPage();
    await signIn(clientPage, client);
    await clientPage.getByRole('button', { name: 'Open navigation' }).click();
    await clientPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contracts' }).click();
    await expect(clientPage.getByRole('heading', { level: 1, name: 'Contracts' })).toBeVisible();
    await expect(clientPage.getByRole('tab', { name: 'To sign' })).toHaveAttribute('aria-selected', 'true');
    await clientPage.getByRole('link', { name: 'Review and sign Engagement letter — consultation' }).click();
    await expect(clientPage.getByRole('heading', { level: 1, name: /^Sign: Engagement letter/ })).toBeVisible();
    await expect(clientPage.getByTestId('sign-version-sha256')).toHaveText(v2Sha);
    await expect(clientPage.getByRole('article', { name: 'Contract document' })).toContainText(lawyer.displayName);
    const sign = clientPage.getByRole('button', { name: 'Sign', exact: true });
    // Enabled once the API has recorded that the client opened this version.
    await expect(sign).toBeEnabled();
    await clientPage.getByRole('checkbox', { name: /I agree to sign this document electronically/ }).check();
    await clientPage.getByRole('textbox', { name: /Your full name/ }).fill(client.displayName);
    await drawSignature(clientPage, clientPage.getByTestId('signature-pad'));
    await expect(clientPage.getByText('Drawn signature added.')).toBeVisible();
    await expectNoSideScroll(clientPage);
    await shot('03-client-signs-390px.png', clientPage);
    await sign.click();
    await expect(clientPage).toHaveURL(new RegExp(`${contractUrl}$`));
    await expect(clientPage.getByRole('status').filter({ hasText: 'Out for signature' })).toContainText(
      `Waiting for ${lawyer.displayName}`,
    );
    const parties = clientPage.getByRole('list', { name: 'Parties' });
    await expect(parties.getByRole('listitem').filter({ hasText: client.displayName })).toContainText('Signed');
    await expect(parties.getByRole('listitem').filter({ hasText: lawyer.displayName })).toContainText('Not signed');
    await expectNoSideScroll(clientPage);
    await shot('04-client-signed-390px.png', clientPage);

    // 5. The lawyer signs (typed name only): the contract is executed and sealed.
    await lawyerPage.reload();
    await lawyerPage.getByRole('link', { name: 'Review and sign' }).click();
    await expect(lawyerPage.getByRole('button', { name: 'Sign', exact: true })).toBeEnabled();
    await lawyerPage.getByRole('checkbox', { name: /I agree to sign this document electronically/ }).check();
    await lawyerPage.getByRole('textbox', { name: /Your full name/ }).fill(lawyer.displayName);
    await lawyerPage.getByRole('button', { name: 'Sign', exact: true }).click();
    await expect(lawyerPage).toHaveURL(new RegExp(`${contractUrl}$`));
    await expect(lawyerPage.getByRole('status').filter({ hasText: 'Executed' }).first()).toBeVisible({ timeout: 30_000 });
    const executed = lawyerPage.getByRole('region', { name: 'Executed copy' });
    await expect(executed).toBeVisible();
    const executedSha = (await executed.getByTestId('executed-sha256').textContent())!.trim();
    expect(executedSha).toMatch(/^[0-9a-f]{64}$/);
    const auditSeq = /#(\d+)/.exec((await executed.textContent()) ?? '')?.[1];
    expect(auditSeq, 'the page names the audit entry of the execution').toBeTruthy();
    const events = lawyerPage.getByRole('list', { name: 'Signer events' });
    for (const what of ['Opened the document', 'Agreed to sign electronically', 'Signed']) {
      await expect(events.getByText(new RegExp(`^${what} — ${client.displayName}`))).toBeVisible();
      await expect(events.getByText(new RegExp(`^${what} — ${lawyer.displayName}`))).toBeVisible();
    }
    await expect(events).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    await shot('05-lawyer-executed.png', lawyerPage);

    // 6. Both download the executed PDF: a PDF, and exactly the file the page names.
    const lawyerCopy = await downloadExecuted(lawyerPage, testInfo, 'lawyer');
    await clientPage.reload();
    await expect(clientPage.getByRole('region', { name: 'Executed copy' })).toBeVisible();
    const clientCopy = await downloadExecuted(clientPage, testInfo, 'client');
    expect(sha256(clientCopy.bytes)).toBe(sha256(lawyerCopy.bytes));
    await expectNoSideScroll(clientPage);
    await shot('06-client-executed-copy-390px.png', clientPage);

    // The PDF as a reader sees it, every page: the letter, the signature blocks, the signing certificate.
    const pages = pageCount(lawyerCopy.path);
    expect(pages).toBeGreaterThanOrEqual(2);
    const rendered = await renderPdf(
      lawyerCopy.path,
      testInfo,
      '07-executed-pdf',
      Array.from({ length: pages }, (_, i) => i + 1),
    );
    for (const file of rendered) expect(readFileSync(file).subarray(1, 4).toString('latin1')).toBe('PNG');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', lawyerCopy.path, '-'], { encoding: 'utf8', timeout: 30_000 });
    expect(text).toContain(client.displayName);
    expect(text).toContain(lawyer.displayName);
    expect(text).toContain(v2Sha);

    // 7. A visitor verifies the copy: the browser hashes it, only the fingerprint is sent.
    const visitor = await browser.newContext();
    const verifyPage = await visitor.newPage();
    await verifyPage.goto('/');
    await verifyPage.getByRole('contentinfo').getByRole('link', { name: 'Verify a document' }).click();
    await expect(verifyPage.getByRole('heading', { level: 1, name: 'Verify a document' })).toBeVisible();
    const sent: Request[] = [];
    verifyPage.on('request', (r) => sent.push(r));
    await verifyPage.getByLabel('File to verify').setInputFiles(lawyerCopy.path);
    const found = verifyPage.getByRole('status').filter({ hasText: 'This file is an executed contract kept by LexMarket' });
    await expect(found).toBeVisible({ timeout: 30_000 });
    await expect(found).toContainText('An executed contract, signed on');
    await expect(found).toContainText(`2 parties, audit entry #${auditSeq}.`);
    await expect(found.getByTestId('verify-sha256')).toHaveText(executedSha);
    // Names and content stay private.
    await expect(found).not.toContainText(client.displayName);
    await expect(found).not.toContainText(lawyer.displayName);
    await shot('08-verify-executed-contract.png', verifyPage);

    // …and a copy with one byte changed is not found.
    const tampered = Buffer.from(lawyerCopy.bytes);
    tampered[Math.floor(tampered.length / 2)] ^= 0x01;
    const tamperedPath = testInfo.outputPath('executed-tampered.pdf');
    writeFileSync(tamperedPath, tampered);
    await verifyPage.getByLabel('File to verify').setInputFiles(tamperedPath);
    await expect(
      verifyPage.getByRole('status').filter({ hasText: 'Not found: no recording or executed contract has this fingerprint' }),
    ).toBeVisible({ timeout: 30_000 });
    await expect(verifyPage.getByTestId('verify-sha256')).toHaveText(sha256(tampered));
    await shot('09-verify-one-byte-changed.png', verifyPage);

    // No request carried the file: the only API calls were GETs of the two fingerprints.
    const apiCalls = sent.filter((r) => new URL(r.url()).pathname.startsWith('/api/'));
    expect(apiCalls.map((r) => `${r.method()} ${new URL(r.url()).pathname}`)).toEqual([
      `GET /api/verify/${executedSha}`,
      `GET /api/verify/${sha256(tampered)}`,
    ]);
    for (const r of sent) expect(r.postDataBuffer()?.length ?? 0, `${r.method()} ${r.url()} sends no file`).toBeLessThan(1024);

    expect(readdirSync(testInfo.outputDir).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(10);
    await visitor.close();
    await clientContext.close();
    await lawyerContext.close();
  });
  test('a lawyer writes a template: the API’s preview refuses a section and names the place, undeclared variables are declared from the hint, versions are saved and the template is archived', async ({
    request,
    page,
  }, testInfo) => {
    const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
    const lawyer = await createBookableLawyer(request, admin, {
      displayName: `Оксана Шевченко ${uniqueWord()}`,
      offeringTitle: 'Contract review',
      priceMinor: 9000,
      currency: 'EUR',
      durationMinutes: 30,
    });
    await signIn(page, lawyer);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Contract templates' })).toBeVisible();
    const templates = page.getByRole('table', { name: 'Templates' });
    await expect(templates.getByRole('row').filter({ hasText: 'Engagement letter — consultation' })).toContainText('LexMarket');
    await page.getByRole('link', { name: 'New template', exact: true }).click();

    const name = `Retainer ${uniqueWord()}`;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    const body = page.getByRole('textbox', { name: /^Template text/ });
    await body.fill('# Retainer\n{{#paid}}Paid{{/paid}}');
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect(preview.getByRole('alert')).toContainText('Sections ({{#…}}) are not allowed');
    await expect(preview.getByRole('alert')).toContainText('at character');

    await body.fill(
      '# Retainer\nBetween {{client_name}} and {{lawyer_name}}.\n\n## Work\n- {{retainer_scope}}\n- Monthly fee: {{monthly_fee}}',
    );
    const problems = page.getByRole('status').filter({ hasText: 'Check the variables' });
    await expect(problems).toContainText('Used in the text but not declared: retainer_scope, monthly_fee.');
    await expect(problems).toContainText('Declared but not used in the text: scope, fee.');
    await page.getByRole('button', { name: 'Remove variable scope' }).click();
    await page.getByRole('button', { name: 'Remove variable fee' }).click();
    await problems.getByRole('button', { name: 'Declare them' }).click();
    await expect(page.getByRole('textbox', { name: 'Name of variable 3' })).toHaveValue('retainer_scope');
    await expect(page.getByRole('textbox', { name: 'Label of variable 3' })).toHaveValue('Retainer scope');
    await page.getByRole('textbox', { name: 'Hint of variable 3' }).fill('What the retainer covers');
    await expect(problems).toBeHidden();
    // The preview is the API's rendering with each label as the value.
    const document = preview.getByRole('article');
    await expect(document.getByRole('heading', { name: 'Retainer' })).toBeVisible();
    await expect(document).toContainText('Between Client name and Lawyer name.');
    await expect(document.getByRole('listitem').filter({ hasText: 'Monthly fee: Monthly fee' })).toBeVisible();
    await shot('10-lawyer-template-editor.png');
    await page.getByRole('button', { name: 'Save template' }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByText('Your template · version 1')).toBeVisible();

    // A second version, then archived: no new contracts from it.
    await body.fill(`${await body.inputValue()}\n\nEither party may end this retainer with 30 days’ notice.`);
    await page.getByRole('button', { name: 'Save new version' }).click();
    await expect(page.getByText('Your template · version 2')).toBeVisible();
    await page.getByRole('button', { name: 'Archive' }).click();
    const dialog = page.getByRole('dialog', { name: 'Archive this template?' });
    await dialog.getByRole('button', { name: 'Archive' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Archived' })).toContainText('No new contracts can be made');
    await expect(body).toHaveAttribute('readonly', '');
    // Archived templates leave the list (and the choice for new contracts) unless asked for.
    await page.getByRole('link', { name: 'Back to templates' }).click();
    const row = templates.getByRole('row').filter({ hasText: name });
    await expect(templates.getByRole('row').filter({ hasText: 'Non-disclosure agreement (mutual)' })).toBeVisible();
    await expect(row).toHaveCount(0);
    await page.getByRole('checkbox', { name: 'Show archived templates' }).check();
    await expect(row).toContainText('Yours');
    await expect(row).toContainText('Archived');
    await expect(row.getByRole('cell').nth(2)).toHaveText('2');
    await shot('11-lawyer-templates-list.png');
  });
});
