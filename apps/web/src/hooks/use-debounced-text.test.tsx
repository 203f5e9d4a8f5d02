import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useDebouncedText } from './use-debounced-text';

describe('useDebouncedText', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The hook fed by a committed value that the test controls, like the address would. */
  function setup(initial: string) {
    const commit = vi.fn();
    const view = renderHook(({ committed }) => useDebouncedText(committed, commit, 300), {
      initialProps: { committed: initial },
    });
    return {
      commit,
      view,
      text: () => view.result.current[0],
      type: (value: string) => act(() => view.result.current[1](value)),
    };
  }

  it('shows what is typed at once and commits once typing pauses', () => {
    const { commit, text, type } = setup('');
    type('a');
    type('an');
    type('ann');
    expect(text()).toBe('ann');
    expect(commit).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(300));
    expect(commit).toHaveBeenCalledTimes(1);
    expect(commit).toHaveBeenCalledWith('ann');
  });

  it('keeps typing when its own commit comes back', () => {
    const { commit, view, text, type } = setup('');
    type('an');
    act(() => vi.advanceTimersByTime(300));
    type('ann');
    // The address now says what was committed a moment ago; the field must not jump back to it.
    view.rerender({ committed: commit.mock.calls[0]![0] as string });
    expect(text()).toBe('ann');
  });

  it('follows the committed value when it changes from elsewhere, dropping a pending commit', () => {
    const { commit, view, text, type } = setup('lopez');
    type('lopez mar');
    view.rerender({ committed: '' }); // Back, or "Clear filters"
    expect(text()).toBe('');
    act(() => vi.advanceTimersByTime(1000));
    expect(commit).not.toHaveBeenCalled();
  });

  it('starts from the committed value (a reload)', () => {
    expect(setup('maria').text()).toBe('maria');
  });
});
