import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderPage } from '../../../test/render';
import { MAX_ATTACHMENT_BYTES } from '../message-limits';
import { Composer, type Draft } from './composer';

/** A file that says it has `size` bytes without allocating them. */
function fileOf(name: string, size: number): File {
  const file = new File(['x'], name, { type: 'application/pdf' });
  Object.defineProperty(file, 'size', { value: size });
  return file;
}

function setUp(disabledReason?: string) {
  const sent: Draft[] = [];
  const view = renderPage(<Composer counterpartName="Ana López" disabledReason={disabledReason} onSend={(d) => sent.push(d)} />);
  const field = screen.getByRole('textbox', { name: 'Message to Ana López' });
  const input = view.container.ownerDocument.querySelector('input[type="file"]') as HTMLInputElement;
  return { sent, field, input };
}

describe('Composer', () => {
  it('Enter sends, Shift+Enter starts a new line; an empty message is not sent', async () => {
    const { sent, field } = setUp();
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    await userEvent.type(field, '{Enter}');
    expect(sent).toEqual([]);

    await userEvent.type(field, 'First line{Shift>}{Enter}{/Shift}second line');
    expect(field).toHaveValue('First line\nsecond line');
    await userEvent.type(field, '{Enter}');
    expect(sent).toEqual([{ text: 'First line\nsecond line', files: [] }]);
    expect(field).toHaveValue('');
  });

  it('refuses a file over 25 MB with a clear error, and keeps the ones within the limit', async () => {
    const { sent, input, field } = setUp();
    const big = fileOf('scan.pdf', MAX_ATTACHMENT_BYTES + 1);
    const ok = fileOf('contract.pdf', MAX_ATTACHMENT_BYTES);
    await userEvent.upload(input, [big, ok]);

    expect(screen.getByRole('alert')).toHaveTextContent('“scan.pdf” is larger than 25 MB, the most one file can be.');
    const list = screen.getByRole('list', { name: 'Files to send' });
    expect(list).toHaveTextContent('contract.pdf');
    expect(list).not.toHaveTextContent('scan.pdf');

    await userEvent.type(field, 'Signed copy{Enter}');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.files.map((f) => f.name)).toEqual(['contract.pdf']);
  });

  it('takes at most 10 files per message', async () => {
    const { input } = setUp();
    await userEvent.upload(
      input,
      Array.from({ length: 11 }, (_, i) => fileOf(`page-${i + 1}.pdf`, 1000)),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('“page-11.pdf” was not added: a message can carry at most 10 files.');
    expect(screen.getByRole('list', { name: 'Files to send' }).querySelectorAll('li')).toHaveLength(10);
    expect(screen.getByRole('button', { name: 'Attach files' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Remove page-1.pdf' }));
    expect(screen.getByRole('button', { name: 'Attach files' })).toBeEnabled();
  });

  it('a text too long to encrypt in one message is flagged and cannot be sent', () => {
    const { sent, field } = setUp();
    fireEvent.change(field, { target: { value: 'é'.repeat(40_000) } });
    expect(screen.getByText('This message is too long. Split it into shorter messages.')).toBeVisible();
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(sent).toEqual([]);
  });

  it('says why nothing can be sent yet', () => {
    const onSend = vi.fn();
    setUp('Ana López has not set up secure messaging yet.');
    expect(screen.getByRole('status')).toHaveTextContent('Ana López has not set up secure messaging yet.');
    expect(screen.getByRole('textbox', { name: 'Message to Ana López' })).toBeDisabled();
    expect(onSend).not.toHaveBeenCalled();
  });
});
