// The fake Authentik's answers match the official @goauthentik/api models of every supported minor
// (their FromJSON and instanceOf functions and the status enum), so the verify tests cannot pass
// against a shape the real API never sends.
import { blueprintPage, matchingState } from '../support/fake-authentik';
import { expectedFor } from '../../lib/verify/cli';
import { blueprintInstances, MODELS } from '../../lib/verify/api';

const expected = expectedFor('config/frank.ts', 'dist');

test.each(Object.entries(MODELS))('a blueprint page of the fake is a PaginatedBlueprintInstanceList of %s', (_minor, m) => {
  const s = matchingState(expected);
  s.pageSize = 3;
  const json = blueprintPage(s, 1) as { results: Array<{ status: string }> };
  const page = m.list.PaginatedBlueprintInstanceListFromJSON(json);
  expect(m.list.instanceOfPaginatedBlueprintInstanceList(page)).toBe(true);
  expect(m.pagination.instanceOfPagination(page.pagination)).toBe(true);
  expect(page.pagination.next).toBe(2);
  for (const r of page.results) expect(m.instance.instanceOfBlueprintInstance(r)).toBe(true);
  for (const r of json.results) expect(m.status.instanceOfBlueprintInstanceStatusEnum(r.status)).toBe(true);
});

test.each(['2026.2', '2026.5', '2026.8'])('verify reads every page of %s and refuses an answer without pagination', async (minor) => {
  const s = matchingState(expected);
  s.pageSize = 2;
  const base = new URL('https://auth.example.com');
  const get = (url: string) => Promise.resolve(blueprintPage(s, Number(new URL(url).searchParams.get('page'))));
  expect((await blueprintInstances(get, base, minor)).map((i) => i.path)).toEqual(s.instances.map((i) => i.path));
  const bare = () => Promise.resolve({ results: [] });
  await expect(blueprintInstances(bare, base, minor)).rejects.toThrow(/not a paginated blueprint list/);
  await expect(blueprintInstances(get, base, '2025.10')).rejects.toThrow(/knows the API of 2026.2, 2026.5, 2026.8 only/);
});
