import { act, render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import {
  cursorTrail,
  listParam,
  oneOfParam,
  textParam,
  usePagedListParams,
  type PagedListParams,
  type ParamValues,
} from './use-paged-list-params';

const SCHEMA = {
  q: textParam(),
  role: oneOfParam(['CLIENT', 'LAWYER']),
  queue: oneOfParam(['PENDING', 'DONE', 'ALL'], 'PENDING'),
  status: listParam(['PAID', 'SCHEDULED', 'CANCELLED']),
};
type List = PagedListParams<ParamValues<typeof SCHEMA>, number>;

/** Mounts the hook on `/list` of an in-memory router; `list()` is its latest value. */
function mountAt(route: string) {
  const latest: { list?: List } = {};
  function Probe() {
    latest.list = usePagedListParams(SCHEMA);
    return null;
  }
  const router = createMemoryRouter(
    [
      { path: '/list', element: <Probe /> },
      { path: '/elsewhere', element: null },
    ],
    { initialEntries: [route] },
  );
  render(<RouterProvider router={router} />);
  const list = () => {
    if (!latest.list) throw new Error('the hook has not rendered');
    return latest.list;
  };
  return { router, list, search: () => router.state.location.search };
}

describe('usePagedListParams', () => {
  it('reads defaults from an address without params', () => {
    const { list } = mountAt('/list');
    expect(list().filters).toEqual({ q: '', role: null, queue: 'PENDING', status: [] });
    expect(list().page).toBe(1);
  });

  it('reads filters, a repeated key and the page from the address', () => {
    const { list } = mountAt('/list?q=ann&role=LAWYER&queue=ALL&status=PAID&status=CANCELLED&page=3');
    expect(list().filters).toEqual({ q: 'ann', role: 'LAWYER', queue: 'ALL', status: ['PAID', 'CANCELLED'] });
    expect(list().page).toBe(3);
  });

  it('falls back to defaults for values someone typed into the address', () => {
    const { list } = mountAt('/list?role=ROOT&queue=nope&status=PAID&status=HACKED&page=-2');
    expect(list().filters).toMatchObject({ role: null, queue: 'PENDING', status: ['PAID'] });
    expect(list().page).toBe(1);
    expect(mountAt('/list?page=2.5').list().page).toBe(1);
    expect(mountAt('/list?page=abc').list().page).toBe(1);
  });

  it('writes a filter to the address and goes back to page 1', () => {
    const { list, search } = mountAt('/list?page=4');
    act(() => list().setFilters({ role: 'CLIENT' }));
    expect(search()).toBe('?role=CLIENT');
    expect(list().filters.role).toBe('CLIENT');
    expect(list().page).toBe(1);
  });

  it('leaves defaults out of the address', () => {
    const { list, search } = mountAt('/list?queue=DONE&q=x');
    act(() => list().setFilters({ queue: 'PENDING', q: '   ' }));
    expect(search()).toBe('');
    act(() => list().setPage(2));
    act(() => list().setPage(1));
    expect(search()).toBe('');
  });

  it('writes a multi-select as a repeated key and trims text', () => {
    const { list, search } = mountAt('/list');
    act(() => list().setFilters({ status: ['SCHEDULED', 'PAID'], q: '  maria lopez ' }));
    const params = new URLSearchParams(search());
    expect(params.getAll('status')).toEqual(['SCHEDULED', 'PAID']);
    expect(params.get('q')).toBe('maria lopez');
  });

  it('keeps params it does not own', () => {
    const { list, search } = mountAt('/list?checkout=success&page=2');
    act(() => list().setFilters({ role: 'LAWYER' }));
    expect(new URLSearchParams(search()).get('checkout')).toBe('success');
    act(() => list().clear());
    expect(search()).toBe('?checkout=success');
  });

  it('composes two changes made in the same tick', () => {
    const { list, search } = mountAt('/list');
    act(() => {
      list().setFilters({ role: 'LAWYER' });
      list().setPage(3);
    });
    expect(new URLSearchParams(search()).toString()).toBe('role=LAWYER&page=3');
  });

  it('survives a remount (a reload) with the same state', () => {
    const first = mountAt('/list');
    act(() => first.list().setFilters({ q: 'ann', queue: 'ALL' }));
    act(() => first.list().setPage(2));
    const reloaded = mountAt(`/list${first.search()}`);
    expect(reloaded.list().filters).toMatchObject({ q: 'ann', queue: 'ALL' });
    expect(reloaded.list().page).toBe(2);
  });

  it('returns to the same list with Back after leaving it', async () => {
    const { router, list, search } = mountAt('/list');
    act(() => list().setFilters({ role: 'CLIENT' }));
    act(() => list().setPage(2));
    await act(() => router.navigate('/elsewhere'));
    await act(() => router.navigate(-1));
    expect(router.state.location.pathname).toBe('/list');
    expect(search()).toBe('?role=CLIENT&page=2');
    expect(list().filters.role).toBe('CLIENT');
    expect(list().page).toBe(2);
  });

  it('pushes a history entry per page but replaces it per filter change', async () => {
    const { router, list, search } = mountAt('/list');
    act(() => list().setPage(2));
    act(() => list().setPage(3));
    await act(() => router.navigate(-1));
    expect(list().page).toBe(2);

    act(() => list().setFilters({ q: 'a' }));
    act(() => list().setFilters({ q: 'an' }));
    await act(() => router.navigate(-1));
    // Back skips the keystrokes: it lands on the page before the filtering started.
    expect(search()).toBe('');
  });
});

describe('cursorTrail', () => {
  it('round-trips the cursors of the pages passed', () => {
    expect(cursorTrail.serialize([120, 95])).toEqual(['120,95']);
    expect(cursorTrail.parse(['120,95'])).toEqual([120, 95]);
    expect(cursorTrail.serialize([])).toEqual([]);
  });

  it('reads a damaged trail as the first page', () => {
    expect(cursorTrail.parse(['120,abc'])).toEqual([]);
    expect(cursorTrail.parse(['-4'])).toEqual([]);
    expect(cursorTrail.parse([])).toEqual([]);
  });
});
