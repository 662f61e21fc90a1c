// The fake Authentik's answers match the official @goauthentik/api models of every supported minor
// (their FromJSON and instanceOf functions and the status enum), so the verify tests cannot pass
// against a shape the real API never sends.
import { blueprintPage, matchingState, taskPage } from '../support/fake-authentik';
import { expectedFor } from '../../lib/verify/cli';
import { APPLY_ACTOR, applyTaskMessages, blueprintInstances, MODELS } from '../../lib/verify/api';

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

/** Each verified list and the @goauthentik/api model of its results (the same name in every supported minor). */
const LIST_MODELS: Record<string, string> = {
  '/api/v3/providers/oauth2/': 'OAuth2Provider',
  '/api/v3/providers/proxy/': 'ProxyProvider',
  '/api/v3/core/applications/': 'Application',
  '/api/v3/policies/expression/': 'ExpressionPolicy',
  '/api/v3/policies/bindings/': 'PolicyBinding',
  '/api/v3/core/groups/': 'Group',
  '/api/v3/core/users/': 'User',
  '/api/v3/core/tokens/': 'Token',
};

const ONE_PAGE = { next: 0, previous: 0, count: 1, current: 1, total_pages: 1, start_index: 1, end_index: 1 };

test.each(['2026.2', '2026.5', '2026.8'])("the fake's object lists are the %s models' Paginated<Model>Lists", (minor) => {
  const s = matchingState(expected);
  expect([...s.objects.keys()].sort()).toEqual(Object.keys(LIST_MODELS).sort());
  for (const [api, model] of Object.entries(LIST_MODELS)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- one module per model and minor, picked by name
    const m = require(`authentik-api-${minor}/dist/models/Paginated${model}List`) as Record<string, (v: unknown) => unknown>;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const one = require(`authentik-api-${minor}/dist/models/${model}`) as Record<string, (v: unknown) => boolean>;
    const results = s.objects.get(api)!;
    expect(results.length).toBeGreaterThan(0);
    const page = m[`Paginated${model}ListFromJSON`]({ pagination: ONE_PAGE, results, autocomplete: {} }) as { results: object[] };
    expect(m[`instanceOfPaginated${model}List`](page)).toBe(true);
    for (const r of page.results) expect([model, one[`instanceOf${model}`](r)]).toEqual([model, true]);
    // The check can fail: without its primary key an object is not the model.
    const { pk: _pk, ...bare } = results[0];
    expect(one[`instanceOf${model}`](one[`${model}FromJSON`](bare))).toBe(false);
  }
});

test.each(['2026.2', '2026.5', '2026.8'])(
  "%s: the apply task's messages come from /api/v3/tasks/tasks/ by actor and rel_obj_id (TaskViewSet, authentik/tasks/api/tasks.py), validated with the minor's Task models",
  async (minor) => {
    const s = matchingState(expected);
    s.taskLogs = new Map([
      [
        s.instances[2].path,
        [
          ['debug', 'x'],
          ['error', 'entry invalid:\nno such flow'],
        ],
      ],
    ]);
    const base = new URL('https://auth.example.com');
    const seen: string[] = [];
    const get = (url: string) => (seen.push(url), Promise.resolve(taskPage(s, new URL(url))));
    const pk = (blueprintPage(s, 1) as { results: Array<{ pk: string }> }).results[2].pk;
    expect(await applyTaskMessages(get, base, minor, pk)).toEqual(['entry invalid: no such flow']);
    expect(new URL(seen[0]).searchParams.get('actor_name')).toBe(APPLY_ACTOR);
    const m = MODELS[minor as keyof typeof MODELS];
    const page = m.tasks.PaginatedTaskListFromJSON(taskPage(s, new URL(seen[0])));
    expect(m.tasks.instanceOfPaginatedTaskList(page) && m.task.instanceOfTask(page.results[0])).toBe(true);
    // Another instance has no task; a task without its required fields is off-schema.
    expect(await applyTaskMessages(get, base, minor, pk.replace(/.$/, '9'))).toEqual([]);
    const broken = () => Promise.resolve({ ...(taskPage(s, new URL(seen[0])) as object), results: [{ logs: [] }] });
    await expect(applyTaskMessages(broken, base, minor, pk)).rejects.toThrow(/does not match the Task list schema/);
  },
);
